package dev.leibniz.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.transform.Pullback;
import dev.leibniz.processor.transform.SecondOrder;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The second-order members of a method with {@code hessian = true}: {@code fHessianVector} (the value and
 * <code>H&middot;v</code>), {@code fHessianVectorAccumulate} when arrays are differentiated, {@code fHessian} (the whole matrix,
 * one Hessian-vector product per row), and the records: {@code fHessianVector}'s, and {@code fHessianVectorAccumulate}'s
 * when scalars are differentiated beside arrays. Each prints the sweeps of the differential's pullback itself, so
 * that no form pays for another's allocations.
 */
final class SecondOrderWriter {
    private final SecondOrder.HessianVector hessian;
    private final Pullback pullback;
    private final Function f;
    private final ClassName source;
    private final Modifier[] visibility;

    SecondOrderWriter(SecondOrder.HessianVector hessian, ClassName source, Modifier[] visibility) {
        this.hessian = hessian;
        this.pullback = hessian.pullback();
        this.f = hessian.source();
        this.source = source;
        this.visibility = visibility.clone();
    }

    /** The checks of a form: the arrays the method writes into shared with no other argument. */
    private ArgumentChecks checks() {
        return new ArgumentChecks(f, hessian.written().stream().filter(p -> p.type() instanceof ArrayType).toList());
    }

    /** The directions' names, in the order of the differentiated parameters. */
    private List<String> directionNames(JavaNames names) {
        return hessian.directions().stream().map(names::of).toList();
    }

    /** How the sweeps of the differential's pullback are headed. */
    private static final List<String> SWEEPS = List.of(
            "Forward sweep: the original computation and its differential along v, keeping what the reverse sweep "
                    + "needs.",
            "Reverse sweep: the adjoints of the differential flow back; those of the parameters make up H*v.");

    private String name() {
        return GradientNaming.hessianVectorName(f.name());
    }

    /** The components of <code>H&middot;v</code>, one per differentiated parameter, as the reverse sweep leaves them. */
    private List<Expr> products() {
        return pullback.components().subList(1, pullback.components().size());
    }

    private ClassName recordName() {
        return JavaExpressions.className(pullback.record().name());
    }

    /** {@code fHessianVector(args..., v...)}: the value and <code>H&middot;v</code>, newly allocated for arrays. */
    MethodSpec hessianVectorMethod() {
        JavaNames names = GradientClassWriter.names(pullback);
        MethodSpec.Builder method = MethodSpec.methodBuilder(name())
                .addModifiers(visibility)
                .returns(recordName())
                .addJavadoc("Hessian-vector product of $L: its value and <code>H&middot;v</code>, the matrix {@code H}\n"
                        + "of its second partial derivatives times the direction {@code v}, that is the derivative of "
                        + "its gradient\nalong {@code v}: for each differentiated parameter {@code p},\n"
                        + "<code>(H&middot;v)<sub>p</sub> = &Sigma;<sub>q</sub> &part;&sup2;f/&part;p&part;q * v<sub>q</sub>"
                        + "</code>. One forward and one reverse sweep:\nreverse mode over the forward mode of "
                        + "{@link #$N}.\n\n", GradientClassWriter.link(f, source),
                        GradientNaming.differentialName(f.name()));
        GradientClassWriter.addParameters(method, f);
        addDirections(method, names);
        method.addJavadoc("@return the value, and <code>H&middot;v</code> for $L$L\n", GradientClassWriter.differentiatedList(f),
                pullback.shadows().isEmpty() ? "" : "; arrays of them for array parameters, newly allocated");
        ArgumentChecks checks = checks().with(directionNames(names), f.differentiatedParameters(),
                ArgumentChecks.Role.DIRECTION);
        method.addJavadoc(checks.javadoc());
        CodeBlock.Builder code = CodeBlock.builder().add(checks.code());
        code.addStatement("double $N = 1.0", names.of(pullback.seed()));
        GradientClassWriter.newShadows(pullback, names, code);
        List<Expr> components = new ArrayList<>();
        components.add(hessian.value());
        components.addAll(products());
        Stmt.Return result = new Stmt.Return(new Expr.NewRecord(pullback.record(), components), SourcePos.NONE);
        code.add(GradientClassWriter.body(pullback, names, false, List.of(result), SWEEPS));
        return method.addCode(code.build()).build();
    }

    /**
     * {@code fHessianVectorAccumulate(args..., v..., hvArrays..., tape)}: <code>H&middot;v</code> for the array parameters added
     * into the caller's arrays, with the caller's tape, returning the value, and <code>H&middot;v</code> for the
     * differentiated scalars beside it in a small record when there are any.
     */
    MethodSpec accumulateMethod() {
        JavaNames names = GradientClassWriter.names(pullback);
        boolean returnsRecord = GradientClassWriter.returnsAccumulateRecord(pullback);
        MethodSpec.Builder method = MethodSpec.methodBuilder(GradientNaming.accumulateName(name()))
                .addModifiers(visibility)
                .returns(GradientClassWriter.accumulateReturnType(pullback))
                .addJavadoc("Value of $L, with the Hessian-vector product <code>H&middot;v</code> for its array\nparameters "
                        + "added into the arrays given: the allocation-free form of {@link #$N}, for\nloops that "
                        + "reuse their buffers (zero them between calls) and one tape.\n",
                        GradientClassWriter.link(f, source), name());
        if (returnsRecord) {
            method.addJavadoc("<code>H&middot;v</code> for $L comes back with the value in a new\n{@link $T}, the "
                    + "only allocation this form adds to the method's own.\n", GradientClassWriter.scalarList(f),
                    GradientClassWriter.accumulateRecordName(pullback));
        }
        method.addJavadoc("\n");
        GradientClassWriter.addParameters(method, f);
        addDirections(method, names);
        GradientClassWriter.addShadowParameters(method, pullback, names, p -> "<code>(H&middot;v)</code> for {@code " + p + "}");
        String tape = pullback.tape() != null ? names.of(pullback.tape()) : names.reserveName("tape");
        method.addParameter(GradientClassWriter.TAPE, tape);
        method.addJavadoc(GradientClassWriter.TAPE_PARAMETER, tape);
        method.addJavadoc(returnsRecord
                ? CodeBlock.of("@return the value, and <code>H&middot;v</code> for $L\n",
                        GradientClassWriter.scalarList(f))
                : CodeBlock.of("@return the value\n"));
        ArgumentChecks checks = checks()
                .with(directionNames(names), f.differentiatedParameters(), ArgumentChecks.Role.DIRECTION)
                .with(pullback.shadows().stream().map(names::of).toList(),
                        pullback.shadows().stream().map(Variable::primal).toList(), ArgumentChecks.Role.GRADIENT);
        if (pullback.tape() != null) {
            checks.withTape(tape);
        }
        method.addJavadoc(checks.javadoc());
        CodeBlock.Builder code = CodeBlock.builder().add(checks.code())
                .addStatement("double $N = 1.0", names.of(pullback.seed()));
        Stmt.Return result = GradientClassWriter.accumulateReturn(pullback, hessian.value());
        CodeBlock sweeps = GradientClassWriter.body(pullback, names, true, List.of(result), SWEEPS);
        return method.addCode(code.add(pullback.tape() != null ? GradientClassWriter.inFrame(tape, names, sweeps)
                : sweeps).build()).build();
    }

    /**
     * {@code fHessian(args...)}: the whole matrix, row {@code k} the Hessian-vector product with the {@code k}-th
     * unit vector, all rows on one tape.
     */
    MethodSpec hessianMethod() {
        JavaNames names = GradientClassWriter.names(pullback);
        List<Variable> differentiated = f.differentiatedParameters();
        MethodSpec.Builder method = MethodSpec.methodBuilder(GradientNaming.hessianName(f.name()))
                .addModifiers(visibility)
                .returns(ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE)))
                .addJavadoc("Hessian of $L: the matrix of its second partial derivatives\nwith respect to $L, "
                        + "<code>H[j][k] = &part;&sup2;f/&part;x<sub>j</sub>&part;x<sub>k</sub></code>, where "
                        + "{@code x} is every differentiated\nscalar in parameter order, an array parameter's "
                        + "elements in turn (row by row for a matrix). Row {@code k}\nis the gradient of "
                        + "<code>&part;f/&part;x<sub>k</sub></code>, computed as the Hessian-vector product "
                        + "(see {@link #$N})\nwith the {@code k}-th unit vector, all rows on one tape; the matrix "
                        + "is symmetric up to rounding.\n\n",
                        GradientClassWriter.link(f, source), GradientClassWriter.differentiatedList(f), name());
        GradientClassWriter.addParameters(method, f);
        method.addJavadoc("@return a new {@code n} &times; {@code n} matrix, {@code n} the number of differentiated scalars and "
                + "elements\n");
        String n = names.reserveName("n");
        String matrix = names.reserveName("hessian");
        String row = names.reserveName("row");
        method.addJavadoc(checks().javadoc());
        CodeBlock.Builder code = CodeBlock.builder().add(checks().code());
        List<Offset> offsets = new ArrayList<>();
        Offset size = new Offset(0, List.of());
        for (Variable p : differentiated) {
            offsets.add(size);
            size = size.plus(p, names);
        }
        code.addStatement("int $N = $L", n, size.code());
        code.addStatement("double[][] $N = new double[$N][$N]", matrix, n, n);
        List<Variable> directions = hessian.directions();
        for (int k = 0; k < directions.size(); k++) {
            Variable d = directions.get(k);
            if (d.type() instanceof ArrayType array) {
                code.addStatement("$T $N = $L", JavaStatements.typeName(d.type()), names.of(d), array.dimensions() == 1
                        ? CodeBlock.of("new $L[$N.length]", array.element().keyword(), names.of(differentiated.get(k)))
                        : CodeBlock.of("$T.zerosLike($N)", GradientClassWriter.BUFFERS, names.of(differentiated.get(k))));
            }
        }
        List<Stmt> forward = pullback.forward();
        if (pullback.tape() != null) {
            new JavaStatements(code, names).print(forward.subList(0, 1)); // one tape for every row
        }
        List<String> starts = new ArrayList<>();
        for (Variable p : hessian.written()) {
            String start = names.reserveName(names.of(p) + "Start");
            starts.add(start);
            code.addStatement("$T $N = $L", JavaStatements.typeName(p.type()), start, p.type() instanceof ArrayType
                    ? CodeBlock.of("$T.snapshot($N)", GradientClassWriter.BUFFERS, names.of(p))
                    : CodeBlock.of("$N", names.of(p)));
        }
        code.beginControlFlow("for (int $N = 0; $N < $N; $N++)", row, row, n, row);
        if (!starts.isEmpty()) {
            code.add("// Every row starts from the arguments as passed: the method writes into some.\n");
            code.beginControlFlow("if ($N > 0)", row);
            for (int k = 0; k < starts.size(); k++) {
                Variable p = hessian.written().get(k);
                if (p.type() instanceof ArrayType) {
                    code.addStatement("$T.restore($N, $N)", GradientClassWriter.BUFFERS, starts.get(k), names.of(p));
                } else {
                    code.addStatement("$N = $N", names.of(p), starts.get(k));
                }
            }
            code.endControlFlow();
        }
        code.add("// The direction: the unit vector of this row.\n");
        for (int k = 0; k < directions.size(); k++) {
            Variable d = directions.get(k);
            if (d.type() instanceof ArrayType) {
                code.addStatement("$T.unit($N, $L)", GradientClassWriter.BUFFERS, names.of(d),
                        offsets.get(k).from(row));
            } else {
                code.addStatement("double $N = $N == $L ? 1.0 : 0.0", names.of(d), row, offsets.get(k).code());
            }
        }
        if (pullback.tape() != null) {
            code.addStatement("$N.clear()", names.of(pullback.tape()));
        }
        code.addStatement("double $N = 1.0", names.of(pullback.seed()));
        List<String> shadows = GradientClassWriter.newShadows(pullback, names, code);
        CodeBlock sweeps = GradientClassWriter.body(pullback, names, true, List.of(), SWEEPS);
        code.add(sweeps);
        code.add("// The row: the gradient of the derivative along the unit vector.\n");
        JavaExpressions expressions = new JavaExpressions(names);
        List<Expr> products = products();
        int arrays = 0;
        for (int k = 0; k < differentiated.size(); k++) {
            if (differentiated.get(k).type() instanceof ArrayType) {
                code.addStatement("$T.flattenInto($N, $N[$N], $L)", GradientClassWriter.BUFFERS, shadows.get(arrays++),
                        matrix, row, offsets.get(k).code());
            } else if (!(products.get(k) instanceof Expr.Literal)) {
                code.addStatement("$N[$N][$L] = $L", matrix, row, offsets.get(k).code(),
                        expressions.print(products.get(k)));
            }
        }
        code.endControlFlow();
        code.addStatement("return $N", matrix);
        return method.addCode(code.build()).build();
    }

    /**
     * A position in the flattened order: a number of scalars and the sizes of arrays before it
     * ({@code 1 + w.length}).
     */
    record Offset(int scalars, List<CodeBlock> sizes) {
        Offset plus(Variable p, JavaNames names) {
            if (!(p.type() instanceof ArrayType array)) {
                return new Offset(scalars + 1, sizes);
            }
            List<CodeBlock> more = new ArrayList<>(sizes);
            more.add(array.dimensions() == 1 ? CodeBlock.of("$N.length", names.of(p))
                    : CodeBlock.of("$T.size($N)", GradientClassWriter.BUFFERS, names.of(p)));
            return new Offset(scalars, more);
        }

        CodeBlock code() {
            List<CodeBlock> terms = new ArrayList<>();
            if (scalars > 0 || sizes.isEmpty()) {
                terms.add(CodeBlock.of("$L", scalars));
            }
            terms.addAll(sizes);
            return CodeBlock.join(terms, " + ");
        }

        /** {@code row - offset}, its terms subtracted in turn. */
        CodeBlock from(String row) {
            CodeBlock.Builder code = CodeBlock.builder().add("$N", row);
            if (scalars > 0) {
                code.add(" - $L", scalars);
            }
            sizes.forEach(size -> code.add(" - $L", size));
            return code.build();
        }
    }

    /** One direction per differentiated parameter, after the parameters. */
    private void addDirections(MethodSpec.Builder method, JavaNames names) {
        List<Variable> differentiated = f.differentiatedParameters();
        for (int k = 0; k < differentiated.size(); k++) {
            Variable p = differentiated.get(k);
            Variable d = hessian.directions().get(k);
            method.addParameter(JavaStatements.typeName(d.type()), names.of(d));
            method.addJavadoc("@param $L the direction {@code v} along {@code $L}$L\n", names.of(d), p.hint(),
                    p.type() instanceof ArrayType ? ", element by element, in the shape of {@code " + p.hint()
                            + "}; only read" : "");
        }
    }

    /** The record: the value, then <code>H&middot;v</code> per differentiated parameter, shaped like the gradient. */
    TypeSpec record(boolean isPublic) {
        return GradientClassWriter.record(recordName().simpleName(), CodeBlock.of("The value of $L and a "
                + "Hessian-vector product <code>H&middot;v</code>.\n", GradientClassWriter.link(f, source)),
                f.differentiatedParameters(), SecondOrderWriter::product, isPublic);
    }

    /**
     * The record of {@code fHessianVectorAccumulate}: the value, then <code>H&middot;v</code> per differentiated
     * scalar.
     */
    TypeSpec accumulateRecord(boolean isPublic) {
        return GradientClassWriter.record(GradientClassWriter.accumulateRecordName(pullback).simpleName(),
                CodeBlock.of("The value of $L and the Hessian-vector product\n<code>H&middot;v</code> for its "
                        + "differentiated {@code double} parameters, as {@link #$N} returns them;\nit adds "
                        + "<code>H&middot;v</code> for its array parameters into the caller's arrays.\n",
                        GradientClassWriter.link(f, source), GradientNaming.accumulateName(name())),
                GradientClassWriter.differentiatedScalars(f),
                SecondOrderWriter::product, isPublic);
    }

    /** What a record's component for {@code p} holds: <code>H&middot;v</code> for it. */
    private static String product(Variable p) {
        return "<code>(H&middot;v)<sub>" + p.hint() + "</sub> = &Sigma;<sub>q</sub> &part;&sup2;value/&part;" + p.hint()
                + "&part;q * v<sub>q</sub></code>" + (p.type() instanceof ArrayType ? ", element by element" : "");
    }
}
