package dev.leibniz.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.ClassRef;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a generated form makes on entry, one line each, calling {@code dev.leibniz.Arguments}: the shape of
 * each gradient buffer, tangent and direction against its parameter; the tape, where one is needed; no argument
 * sharing an array (or, for matrices, a row) with an array parameter the method writes into; no gradient buffer
 * sharing an array with another argument. Sharing among arrays that are only read is fine and not checked, and so
 * is sharing among gradient buffers (one array then receives the sum).
 */
final class ArgumentChecks {
    static final ClassName ARGUMENTS = ClassName.get("dev.leibniz", "Arguments");

    /** What an array argument after the method's own parameters is to the form. */
    enum Role {
        GRADIENT("gradient"), TANGENT("tangent"), DIRECTION("direction");

        private final String check;

        Role(String check) {
            this.check = check;
        }
    }

    /** An array argument of the form with the shape of {@code parameter}, named {@code name}. */
    record Extra(String name, Variable parameter, Role role) {
    }

    /**
     * One array argument, or a static final array the method reads as constant data: how code names it, how
     * messages name it, and its type; the parameter it is ({@code own}) or whose shape it has ({@code null} for a
     * cotangent or constant data); and whether the form adds into it (a gradient buffer).
     */
    private record Array(CodeBlock ref, String name, Type type, Variable parameter, boolean own, boolean buffer) {
        Array(String name, Type type, Variable parameter, boolean own, boolean buffer) {
            this(CodeBlock.of("$N", name), name, type, parameter, own, buffer);
        }
    }

    private final Function f;
    private final List<Variable> written;
    private final List<Extra> extras = new ArrayList<>();
    private String cotangent;
    private String tape;

    /**
     * @param f the source method, whose parameters the form takes first
     * @param written the array parameters it writes into
     */
    ArgumentChecks(Function f, List<Variable> written) {
        this.f = f;
        this.written = written;
    }

    /** The form also takes {@code names.get(k)}, of the shape of the {@code k}-th of {@code parameters}. */
    ArgumentChecks with(List<String> names, List<Variable> parameters, Role role) {
        for (int k = 0; k < names.size(); k++) {
            if (parameters.get(k).type() instanceof ArrayType) {
                extras.add(new Extra(names.get(k), parameters.get(k), role));
            }
        }
        return this;
    }

    /** The form also takes the cotangent of a returned array. */
    ArgumentChecks withCotangent(String name) {
        this.cotangent = name;
        return this;
    }

    /** The form needs the caller's tape, which also lends the tables of the checks of large matrices. */
    ArgumentChecks withTape(String name) {
        this.tape = name;
        return this;
    }

    CodeBlock code() {
        CodeBlock.Builder code = CodeBlock.builder();
        List<Array> arrays = new ArrayList<>();
        for (Variable p : f.parameters()) {
            if (p.type() instanceof ArrayType) {
                arrays.add(new Array(p.hint(), p.type(), p, true, false));
            }
        }
        for (Extra e : extras) {
            code.addStatement("$T.$L($N, $S, $N, $S)", ARGUMENTS, e.role().check, e.name(), e.name(),
                    e.parameter().hint(), e.parameter().hint());
            arrays.add(new Array(e.name(), e.parameter().type(), e.parameter(), false, e.role() == Role.GRADIENT));
        }
        if (cotangent != null) {
            code.addStatement("$T.cotangent($N, $S)", ARGUMENTS, cotangent, cotangent);
            arrays.add(new Array(cotangent, new ArrayType(PrimitiveType.DOUBLE, 1), null, false, false));
        }
        // constant data is read again by the reverse sweep: no argument the method writes or adds into may be it
        // (a private array's copy in the generated class is no caller's to pass)
        f.constantArrays().values().stream().filter(read -> read.copyOf() == null).forEach(read -> arrays.add(new Array(constant(read),
                read.owner().simpleNames().get(read.owner().simpleNames().size() - 1) + "." + read.name(),
                read.type(), null, false, false)));
        for (int k = 0; k < written.size(); k++) {
            Variable w = written.get(k);
            boolean matrix = isMatrix(w.type());
            if (matrix) {
                code.add(withScratch(CodeBlock.of("$T.distinctRows($N, $S, $S", ARGUMENTS, w.hint(), w.hint(),
                        f.name())));
            }
            for (Array a : arrays) {
                boolean checked = a.own() && written.subList(0, k + 1).contains(a.parameter()) // itself, or done
                        || a.buffer() && a.parameter() == w; // its buffer: checked with its shape
                if (checked || !comparable(w.type(), a.type())) {
                    continue;
                }
                CodeBlock call = CodeBlock.of("$T.distinct($N, $S, $L, $S, $S", ARGUMENTS, w.hint(), w.hint(),
                        a.ref(), a.name(), f.name());
                code.add(matrix && isMatrix(a.type()) ? withScratch(call) : CodeBlock.of("$L);\n", call));
            }
        }
        for (Array b : arrays) {
            for (Array a : arrays) {
                boolean checked = a.own() && (a.parameter() == b.parameter() || written.contains(a.parameter()));
                if (b.buffer() && !a.buffer() && !checked && comparable(a.type(), b.type())) {
                    code.addStatement("$T.buffer($N, $S, $L, $S)", ARGUMENTS, b.name(), b.name(), a.ref(), a.name());
                }
            }
        }
        if (tape != null) {
            code.addStatement("$T.tape($N, $S)", ARGUMENTS, tape, tape);
        }
        return code.build();
    }

    /**
     * The {@code @throws} line of the form's Javadoc: what the checks refuse, or nothing when there are none (the
     * form may still throw from a form it calls, which documents it).
     */
    CodeBlock javadoc() {
        List<String> refused = new ArrayList<>();
        if (!extras.isEmpty() || cotangent != null) {
            refused.add("an array argument is {@code null} or not shaped like its parameter");
        }
        String data = f.constantArrays().values().stream().allMatch(read -> read.copyOf() != null) ? "" : " or a static final array {@code " + f.name() + "} reads";
        if (extras.stream().anyMatch(e -> e.role() == Role.GRADIENT)) {
            refused.add("a gradient buffer is another argument" + data);
        }
        if (tape != null) {
            refused.add("{@code " + tape + "} is {@code null}");
        }
        if (!written.isEmpty()) {
            refused.add("an argument shares an array (or a row) with one that {@code " + f.name() + "} writes into"
                    + (data.isEmpty() ? "" : ", or an argument it writes into is" + data));
        }
        if (refused.isEmpty()) {
            return CodeBlock.of("");
        }
        return CodeBlock.of("$L", "@throws IllegalArgumentException if " + String.join(",\nor ", refused)
                + ";\nchecked on entry, before anything is written\n");
    }

    /** {@code Data.Y}, fully qualified where a parameter is named like the class. */
    private CodeBlock constant(Expr.FieldRef read) {
        ClassRef owner = read.owner();
        boolean shadowed = f.parameters().stream().anyMatch(p -> p.hint().equals(owner.simpleNames().get(0)));
        return shadowed && !owner.packageName().isEmpty() ? CodeBlock.of("$L.$N", owner.canonicalName(), read.name())
                : CodeBlock.of("$T.$N", JavaExpressions.className(owner), read.name());
    }

    /** Arrays that can share: of one type, or a matrix and a vector (a row) of doubles, or of floats. */
    private static boolean comparable(Type a, Type b) {
        return a.equals(b) || isReal(a) && isReal(b) && ((ArrayType) a).element() == ((ArrayType) b).element();
    }

    /** {@code call}, closed, with the caller's tape as scratch when the form has one. */
    private CodeBlock withScratch(CodeBlock call) {
        return tape == null ? CodeBlock.of("$L);\n", call) : CodeBlock.of("$L, $N);\n", call, tape);
    }

    private static boolean isMatrix(Type type) {
        return type instanceof ArrayType a && a.dimensions() == 2 && a.element().isReal();
    }

    private static boolean isReal(Type type) {
        return type instanceof ArrayType a && a.element().isReal();
    }
}
