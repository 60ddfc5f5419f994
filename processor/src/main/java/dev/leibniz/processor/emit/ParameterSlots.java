package dev.leibniz.processor.emit;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Variable;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The JVM's limit on parameters (JVMS 4.3.3): a method's parameters take at most 255 slots, a {@code double} or
 * {@code long} two, every other type one, and an instance method's (a constructor's) {@code this} one. The generated
 * forms take more parameters than the source method (a tangent, an adjoint, a buffer per parameter, a seed, a tape),
 * so a method javac accepts may get forms that no class file can hold; they are measured here before they are written.
 */
public final class ParameterSlots {
    public static final int LIMIT = 255;

    private ParameterSlots() {
    }

    /** The slots of the parameters of each of {@code type}'s methods named in {@code names}, by name. */
    public static Map<String, Integer> ofMethods(TypeSpec type, Iterable<String> names) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        for (String name : names) {
            for (MethodSpec method : type.methodSpecs()) {
                if (method.name().equals(name)) {
                    slots.merge(name, of(method), Math::max);
                }
            }
        }
        return slots;
    }

    static int of(MethodSpec method) {
        int slots = method.modifiers().contains(Modifier.STATIC) ? 0 : 1;
        for (ParameterSpec p : method.parameters()) {
            slots += of(p.type());
        }
        return slots;
    }

    private static int of(TypeName type) {
        return type.equals(TypeName.DOUBLE) || type.equals(TypeName.LONG) ? 2 : 1;
    }

    /**
     * The canonical constructor of a method's generated record: {@code this}, the value, and one component per
     * differentiated parameter, a {@code double} for a scalar, the array itself for an array.
     */
    public static int ofRecord(Function f) {
        int slots = 1 + 2;
        for (Variable p : f.differentiatedParameters()) {
            slots += p.type() instanceof ArrayType ? 1 : 2;
        }
        return slots;
    }
}
