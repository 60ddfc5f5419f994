package dev.leibniz.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;

/**
 * Java source being printed: plain text, and the types it names, which JavaPoet writes by simple name and imports.
 * Becomes one {@link CodeBlock} whose only arguments are those types.
 */
final class JavaText {
    private final StringBuilder format = new StringBuilder();
    private final List<Object> types = new ArrayList<>();

    JavaText text(String text) {
        format.append(literal(text));
        return this;
    }

    /**
     * {@code text} as a JavaPoet format that prints it as it is. Text given whole is one part for JavaPoet to print,
     * where a format with arguments is one part per argument and per piece between them.
     */
    static String literal(String text) {
        return text.indexOf('$') < 0 ? text : text.replace("$", "$$");
    }

    JavaText type(TypeName type) {
        format.append("$T");
        types.add(type);
        return this;
    }

    CodeBlock toCodeBlock() {
        return CodeBlock.of(format.toString(), types.toArray());
    }
}
