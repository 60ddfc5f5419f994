package dev.leibniz.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.transform.Pullback;
import dev.leibniz.processor.transform.Pushforward;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The members of a method returning {@code double[]}: the vector-Jacobian product {@code fPullback(args, dValue,
 * dArrays...)}, the Jacobian-vector product {@code fDifferential(args, tangents...)}, and the Jacobian
 * {@code fJacobian(args)}, by rows of VJPs or columns of JVPs, whichever needs fewer passes.
 */
final class VectorValuedWriter {
    private static final ClassName ARRAY_DIFFERENTIAL = ClassName.get("dev.leibniz", "ArrayDifferential");

    private final GradientClassWriter.Entry entry;
    private final ClassName source;
    private final Pullback pullback;
    private final Pushforward pushforward;
    /** The method as written (the pullback's function has the cotangent as one more parameter). */
    private final Function f;

    VectorValuedWriter(GradientClassWriter.Entry entry, ClassName source) {
        this.entry = entry;
        this.source = source;
        this.pullback = entry.pullback();
        this.pushforward = entry.pushforward();
        this.f = pushforward.function();
    }

    private TypeName pullbackReturns() {
        return pullback.returnsRecord() ? JavaExpressions.className(pullback.record().name()) : TypeName.DOUBLE;
    }

    MethodSpec pullbackMethod() {
        Function dotted = pullback.function();
        JavaNames names = GradientClassWriter.names(pullback);
        Variable cotangent = dotted.parameters().get(dotted.parameters().size() - 1);
        String dValue = names.of(cotangent);
        MethodSpec.Builder method = MethodSpec.methodBuilder(GradientNaming.pullbackName(f.name()))
                .addModifiers(GradientClassWriter.visibility(entry))
                .returns(pullbackReturns())
                .addJavadoc("Vector-Jacobian product of $L:\ngiven the adjoint {@code $L} of its result array (the "
                        + "caller's cotangent {@code u}), the adjoints\n<code>(J<sup>T</sup>u)<sub>p</sub> = &Sigma;"
                        + "<sub>i</sub> u[i] &part;f[i]/&part;p</code> of its differentiated parameters {@code p}, by "
                        + "one reverse sweep.\n\n", GradientClassWriter.link(f, source), dValue);
        GradientClassWriter.addParameters(method, f);
        method.addParameter(double[].class, dValue);
        method.addJavadoc("@param $L the adjoint of the returned array, of its length; only read\n", dValue);
        GradientClassWriter.addShadowParameters(method, pullback, names,
                p -> "{@code &Sigma;_i " + dValue + "[i] * &part;f[i]/&part;" + p + "}");
        if (entry.writesArrayArguments()) {
            method.addAnnotation(ClassName.get("dev.leibniz", "WritesArrayArguments"));
        }
        if (entry.returnsArrayArgument()) {
            method.addAnnotation(ClassName.get("dev.leibniz", "ReturnsArrayArgument"));
        }
        method.addJavadoc(pullback.returnsRecord()
                ? CodeBlock.of("@return {@code value}, the dot product of {@code $L} with the returned array, and "
                        + "<code>J<sup>T</sup>$L</code> for\n$L (the arrays given, for arrays)\n", dValue, dValue,
                        GradientClassWriter.differentiatedList(f))
                : CodeBlock.of("@return the dot product of {@code $L} with the returned array\n", dValue));
        ArgumentChecks checks = GradientClassWriter.buffersChecked(entry, names).withCotangent(dValue);
        method.addJavadoc(checks.javadoc());
        CodeBlock.Builder code = CodeBlock.builder()
                .add(checks.code())
                .addStatement("double $N = 1.0", names.of(pullback.seed()));
        return method.addCode(code.add(GradientClassWriter.body(pullback, names, false, null)).build()).build();
    }

    MethodSpec differentialMethod() {
        JavaNames names = GradientClassWriter.names(f, pushforward.body());
        List<Variable> differentiated = f.differentiatedParameters();
        List<String> tangents = pushforward.tangents().stream().map(names::of).toList();
        MethodSpec.Builder method = MethodSpec.methodBuilder(GradientNaming.differentialName(f.name()))
                .addModifiers(GradientClassWriter.visibility(entry))
                .returns(ARRAY_DIFFERENTIAL)
                .addJavadoc("Jacobian-vector product of $L, forward mode:\nits value and, in the same pass, the "
                        + "differential <code>J&middot;v</code> along the tangents {@code v} given,\nelement by "
                        + "element of the result: <code>&Sigma;<sub>j</sub> &part;f[i]/&part;x<sub>j</sub> "
                        + "v<sub>j</sub></code>.\n\n", GradientClassWriter.link(f, source));
        GradientClassWriter.addParameters(method, f);
        for (int k = 0; k < differentiated.size(); k++) {
            Variable p = differentiated.get(k);
            method.addParameter(JavaStatements.typeName(pushforward.tangents().get(k).type()), tangents.get(k));
            method.addJavadoc("@param $L the tangent of {@code $L}$L\n", tangents.get(k), p.hint(),
                    p.type() instanceof ArrayType ? ", in its shape; only read" : "");
        }
        method.addJavadoc("@return the value, the original's, and its differential, a new array of its length\n");
        ArgumentChecks checks = GradientClassWriter.checks(entry).with(tangents, differentiated,
                ArgumentChecks.Role.TANGENT);
        method.addJavadoc(checks.javadoc());
        CodeBlock.Builder body = CodeBlock.builder()
                .add(checks.code())
                .add("// The original computation, each active value with its tangent computed alongside.\n");
        new JavaStatements(body, names).print(pushforward.body());
        return method.addCode(body.build()).build();
    }

    /**
     * {@code fJacobian(args)}: {@code m} VJPs with unit cotangents when {@code m <= n}, else {@code n} JVPs with
     * unit tangents; every pass starts from the arguments as passed.
     */
    MethodSpec jacobianMethod() {
        JavaNames names = new JavaNames();
        f.parameters().forEach(names::reserve);
        List<Variable> differentiated = f.differentiatedParameters();
        MethodSpec.Builder method = MethodSpec.methodBuilder(GradientNaming.jacobianName(f.name()))
                .addModifiers(GradientClassWriter.visibility(entry))
                .returns(ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE)))
                .addJavadoc("Jacobian of $L: <code>J[i][j] = &part;f[i]/&part;x<sub>j</sub></code>, {@code i} over "
                        + "the returned array\nand {@code x} every differentiated scalar in parameter order, an array "
                        + "parameter's elements in turn\n(row by row for a matrix), as in the Hessian. With {@code m} "
                        + "the result's length and {@code n}\nthe number of differentiated scalars, it takes {@code m} "
                        + "vector-Jacobian products (reverse mode,\n{@link #$N}) when {@code m <= n}, otherwise "
                        + "{@code n} Jacobian-vector products (forward mode,\n{@link #$N}); one more forward pass "
                        + "finds {@code m}. Every pass starts from the arguments\nas passed.\n\n",
                        GradientClassWriter.link(f, source), GradientNaming.pullbackName(f.name()),
                        GradientNaming.differentialName(f.name()));
        GradientClassWriter.addParameters(method, f);
        method.addJavadoc("@return a new {@code m} &times; {@code n} matrix\n");
        method.addJavadoc(GradientClassWriter.checks(entry).javadoc()); // made by the products it calls
        String m = names.reserveName("m");
        String n = names.reserveName("n");
        String jacobian = names.reserveName("jacobian");
        String k = names.reserveName("k");
        CodeBlock.Builder code = CodeBlock.builder();
        List<SecondOrderWriter.Offset> offsets = new ArrayList<>();
        SecondOrderWriter.Offset size = new SecondOrderWriter.Offset(0, List.of());
        for (Variable p : differentiated) {
            offsets.add(size);
            size = size.plus(p, names);
        }
        code.addStatement("int $N = $L", n, size.code());
        List<String> starts = new ArrayList<>();
        List<Variable> written = new ArrayList<>();
        if (entry.writesArrayArguments()) {
            for (Variable p : f.parameters()) {
                if (p.type() instanceof ArrayType) {
                    String start = names.reserveName(p.hint() + "Start");
                    written.add(p);
                    starts.add(start);
                    code.addStatement("$T $N = $T.snapshot($N)", JavaStatements.typeName(p.type()), start,
                            GradientClassWriter.BUFFERS, p.hint());
                }
            }
        }
        CodeBlock restore = restore(written, starts);
        // tangents, zero at first: the first pass only finds m
        List<String> tangents = new ArrayList<>();
        for (Variable p : differentiated) {
            String t = names.reserveName(VariableFactoryNames.tangent(p.hint()));
            tangents.add(t);
            if (p.type() instanceof ArrayType) {
                code.addStatement("$T $N = $T.zerosLike($N)", JavaStatements.typeName(p.type()), t,
                        GradientClassWriter.BUFFERS, p.hint());
            } else {
                code.addStatement("double $N = 0.0", t);
            }
        }
        String differential = GradientNaming.differentialName(f.name());
        String args = String.join(", ", f.parameters().stream().map(Variable::hint).toList());
        String withTangents = args + (tangents.isEmpty() ? "" : ", " + String.join(", ", tangents));
        code.addStatement("int $N = $N($L).value().length", m, differential, withTangents);
        code.addStatement("double[][] $N = new double[$N][$N]", jacobian, m, n);
        code.beginControlFlow("if ($N <= $N)", m, n);
        code.add("// Reverse mode: row k is the vector-Jacobian product with the k-th unit cotangent.\n");
        String u = names.reserveName("u");
        code.addStatement("double[] $N = new double[$N]", u, m);
        code.beginControlFlow("for (int $N = 0; $N < $N; $N++)", k, k, m, k);
        code.add(restore);
        code.addStatement("$T.unit($N, $N)", GradientClassWriter.BUFFERS, u, k);
        List<String> shadows = new ArrayList<>();
        for (Variable p : differentiated) {
            if (p.type() instanceof ArrayType) {
                String shadow = names.reserveName("adjoint" + Character.toUpperCase(p.hint().charAt(0))
                        + p.hint().substring(1));
                shadows.add(shadow);
                code.addStatement("$T $N = $T.zerosLike($N)", JavaStatements.typeName(p.type()), shadow,
                        GradientClassWriter.BUFFERS, p.hint());
            }
        }
        String call = GradientNaming.pullbackName(f.name()) + "(" + args + ", " + u
                + (shadows.isEmpty() ? "" : ", " + String.join(", ", shadows)) + ")";
        String adjoints = names.reserveName("adjoints");
        if (pullback.returnsRecord()) {
            code.addStatement("$T $N = $L", pullbackReturns(), adjoints, call);
        } else {
            code.addStatement("$L", call);
        }
        int arrays = 0;
        for (int j = 0; j < differentiated.size(); j++) {
            Variable p = differentiated.get(j);
            if (p.type() instanceof ArrayType) {
                code.addStatement("$T.flattenInto($N, $N[$N], $L)", GradientClassWriter.BUFFERS, shadows.get(arrays++),
                        jacobian, k, offsets.get(j).code());
            } else {
                code.addStatement("$N[$N][$L] = $N.$N()", jacobian, k, offsets.get(j).code(), adjoints, p.hint());
            }
        }
        code.endControlFlow();
        code.nextControlFlow("else");
        code.add("// Forward mode: column k is the Jacobian-vector product with the k-th unit tangent.\n");
        code.beginControlFlow("for (int $N = 0; $N < $N; $N++)", k, k, n, k);
        code.add(restore);
        for (int j = 0; j < differentiated.size(); j++) {
            Variable p = differentiated.get(j);
            if (p.type() instanceof ArrayType) {
                code.addStatement("$T.unit($N, $L)", GradientClassWriter.BUFFERS, tangents.get(j),
                        offsets.get(j).from(k));
            } else {
                code.addStatement("$N = $N == $L ? 1.0 : 0.0", tangents.get(j), k, offsets.get(j).code());
            }
        }
        String column = names.reserveName("column");
        String i = names.reserveName("i");
        code.addStatement("double[] $N = $N($L).differential()", column, differential, withTangents);
        code.beginControlFlow("for (int $N = 0; $N < $N; $N++)", i, i, m, i);
        code.addStatement("$N[$N][$N] = $N[$N]", jacobian, i, k, column, i);
        code.endControlFlow();
        code.endControlFlow();
        code.endControlFlow();
        code.addStatement("return $N", jacobian);
        return method.addCode(code.build()).build();
    }

    private static CodeBlock restore(List<Variable> written, List<String> starts) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (int j = 0; j < written.size(); j++) {
            code.addStatement("$T.restore($N, $N)", GradientClassWriter.BUFFERS, starts.get(j), written.get(j).hint());
        }
        return code.build();
    }

    TypeSpec record() {
        MethodSpec.Builder components = MethodSpec.constructorBuilder()
                .addParameter(double.class, GradientNaming.VALUE_COMPONENT);
        TypeSpec.Builder record = TypeSpec.recordBuilder(pullback.record().name().simpleName())
                .addJavadoc("What the vector-Jacobian product of $L returns.\n\n",
                        GradientClassWriter.link(f, source))
                .addJavadoc("@param value the dot product of the cotangent with the returned array\n");
        for (Variable p : f.differentiatedParameters()) {
            components.addParameter(JavaStatements.typeName(p.type() instanceof ArrayType ? p.type()
                    : PrimitiveType.DOUBLE), p.hint());
            record.addJavadoc("@param $L <code>&Sigma;<sub>i</sub> u[i] &part;f[i]/&part;$L</code>$L\n", p.hint(),
                    p.hint(), p.type() instanceof ArrayType ? ", element by element" : "");
        }
        if (entry.isPublic()) {
            record.addModifiers(Modifier.PUBLIC);
        }
        return record.recordConstructor(components.build()).build();
    }

    /** Tangent names as the differential names its parameters. */
    private static final class VariableFactoryNames {
        static String tangent(String primal) {
            return dev.leibniz.processor.ir.VariableFactory.adjointName(primal);
        }
    }
}
