package dev.leibniz.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.transform.Pullback;
import dev.leibniz.processor.transform.Pushforward;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The in-place forms of a method that writes into its array parameters: {@code fPullbackInPlace} and
 * {@code fDifferentialInPlace} beside the others, or, for a void method, {@code fPullback} and {@code fDifferential}
 * alone. The shadow (or tangent) of an array the method writes goes in holding the adjoint of the contents the method
 * leaves (the tangent of the contents it is given) and comes back holding the adjoint of the contents it was given
 * (the tangent of the contents it leaves), as Swift's derivatives treat {@code inout} parameters. That is what a
 * caller differentiating through a call needs: it passes the shadows of its own arrays.
 */
public final class InPlaceWriter {
    /**
     * @param outputs the differentiated array parameters the method writes, whose derivatives are in place
     * @param returnsVoid whether the method returns void: then its record, if any, holds no value
     */
    public record Forms(Pullback pullback, Pushforward pushforward, List<Variable> outputs, boolean returnsVoid) {
        public Forms {
            outputs = List.copyOf(outputs);
        }
    }

    private final GradientClassWriter.Entry entry;
    private final Forms forms;
    private final ClassName source;

    InPlaceWriter(GradientClassWriter.Entry entry, ClassName source) {
        this.entry = entry;
        this.forms = entry.inPlace();
        this.source = source;
    }

    MethodSpec pullbackMethod() {
        Pullback pullback = forms.pullback();
        Function f = pullback.function();
        JavaNames names = GradientClassWriter.names(pullback);
        String seed = names.of(pullback.seed());
        TypeName returns = pullback.returnsRecord() ? JavaExpressions.className(pullback.record().name())
                : forms.returnsVoid() ? TypeName.VOID : TypeName.DOUBLE;
        MethodSpec.Builder method = MethodSpec.methodBuilder(GradientNaming.inPlacePullbackName(f.name(),
                        forms.returnsVoid()))
                .addModifiers(GradientClassWriter.visibility(entry))
                .returns(returns)
                .addJavadoc("Pullback of $L, which writes into $L:\nthe adjoint of what it writes goes in through "
                        + "those arrays' shadows, and comes back as the adjoint\nof what they held before; the "
                        + "adjoints of the other parameters are added or returned as usual.\n\n",
                        GradientClassWriter.link(f, source), outputList());
        GradientClassWriter.addParameters(method, f);
        if (!forms.returnsVoid()) {
            method.addParameter(double.class, seed);
            method.addJavadoc("@param $L the adjoint of the result\n", seed);
        }
        for (Variable shadow : pullback.shadows()) {
            String name = names.of(shadow);
            String p = shadow.primal().hint();
            method.addParameter(JavaStatements.typeName(shadow.type()), name);
            method.addJavadoc(JavaText.literal("@param " + name + (forms.outputs().contains(shadow.primal())
                    ? " on entry, the adjoint of the contents {@code " + f.name() + "} leaves in {@code " + p
                            + "}; on return, the adjoint of the contents it was given"
                    : " where the adjoint of {@code " + p + "} is added, element by element")
                    + "; the shape of {@code " + p + "}\n"));
        }
        if (pullback.returnsRecord()) {
            method.addJavadoc("@return $Lthe adjoints of $L\n", forms.returnsVoid() ? "" : "the value, and ",
                    GradientClassWriter.scalarList(f));
        } else if (!forms.returnsVoid()) {
            method.addJavadoc("@return the value\n");
        }
        ArgumentChecks checks = checks().with(pullback.shadows().stream().map(names::of).toList(),
                pullback.shadows().stream().map(Variable::primal).toList(), ArgumentChecks.Role.GRADIENT);
        method.addJavadoc(checks.javadoc());
        CodeBlock.Builder code = CodeBlock.builder().add(checks.code());
        List<Stmt> ending = forms.returnsVoid() ? voidEnding(pullback, seed, code) : null;
        return method.addCode(code.add(GradientClassWriter.body(pullback, names, false, ending)).build()).build();
    }

    /**
     * The end of the in-place pullback of a method without a result: the seed, the adjoint of no result, declared 0
     * where the sweeps read it; the record of the scalars' adjoints returned, without a value, or nothing.
     */
    static List<Stmt> voidEnding(Pullback pullback, String seed, CodeBlock.Builder code) {
        if (reads(pullback, pullback.seed())) {
            code.addStatement("double $N = 0.0", seed);
        }
        List<Stmt> ending = new ArrayList<>();
        if (pullback.returnsRecord()) {
            List<Expr> components = pullback.components().subList(1, pullback.components().size()).stream()
                    .filter(c -> !(c.type() instanceof ArrayType)).toList();
            ending.add(new Stmt.Return(new Expr.NewRecord(pullback.record(), components), SourcePos.NONE));
        }
        return ending;
    }

    MethodSpec differentialMethod() {
        Pushforward pushforward = forms.pushforward();
        Function f = pushforward.function();
        JavaNames names = GradientClassWriter.names(f, pushforward.body());
        List<Variable> differentiated = f.differentiatedParameters();
        List<String> tangents = pushforward.tangents().stream().map(names::of).toList();
        MethodSpec.Builder method = MethodSpec.methodBuilder(GradientNaming.inPlaceDifferentialName(f.name(),
                        forms.returnsVoid()))
                .addModifiers(GradientClassWriter.visibility(entry))
                .returns(forms.returnsVoid() ? TypeName.VOID : ClassName.get("dev.leibniz", "Differential"))
                .addJavadoc("Differential of $L, forward mode, which writes into $L:\nthe tangents of those arrays "
                        + "go in as the tangents of what they hold and come back as the\ntangents of what "
                        + "{@code $L} leaves in them, in the same pass.\n\n", GradientClassWriter.link(f, source),
                        outputList(), f.name());
        GradientClassWriter.addParameters(method, f);
        for (int k = 0; k < differentiated.size(); k++) {
            Variable p = differentiated.get(k);
            String name = tangents.get(k);
            method.addParameter(JavaStatements.typeName(pushforward.tangents().get(k).type()), name);
            method.addJavadoc(JavaText.literal("@param " + name + " the tangent of {@code " + p.hint() + "}"
                    + (forms.outputs().contains(p) ? ", element by element; on return, the tangent of what {@code "
                            + f.name() + "} leaves in it"
                    : p.type() instanceof ArrayType ? ", element by element, in the shape of {@code " + p.hint()
                            + "}; only read" : "") + "\n"));
        }
        if (!forms.returnsVoid()) {
            method.addJavadoc("@return the value, bit for bit the original's, and the differential\n");
        }
        ArgumentChecks checks = checks().with(tangents, differentiated, ArgumentChecks.Role.TANGENT);
        method.addJavadoc(checks.javadoc());
        CodeBlock.Builder body = CodeBlock.builder()
                .add(checks.code())
                .add("// The original computation, each active value with its tangent computed alongside.\n");
        List<Stmt> stmts = pushforward.body();
        if (forms.returnsVoid()) {
            stmts = stmts.subList(0, stmts.size() - 1); // no value, no differential: the tangents are the output
        }
        new JavaStatements(body, names).print(stmts);
        return method.addCode(body.build()).build();
    }

    /** A void method's record: the adjoints of its differentiated scalars, without a value. */
    TypeSpec record() {
        Pullback pullback = forms.pullback();
        Function f = pullback.function();
        return GradientClassWriter.record(pullback.record().name().simpleName(), CodeBlock.of("The adjoints of the "
                + "{@code double} parameters of $L, which returns void.\n", GradientClassWriter.link(f, source)), false,
                GradientClassWriter.differentiatedScalars(f), p -> "the adjoint of {@code " + p.hint() + "}",
                entry.isPublic());
    }

    private ArgumentChecks checks() {
        return new ArgumentChecks(forms.pushforward().function(), forms.pushforward().writtenArrays());
    }

    private String outputList() {
        if (forms.outputs().isEmpty()) {
            return "no array it is given";
        }
        return String.join(", ", forms.outputs().stream().map(p -> "{@code " + p.hint() + "}").toList());
    }

    private static boolean reads(Pullback pullback, Variable v) {
        Set<Variable> read = new HashSet<>();
        List<Stmt> all = new ArrayList<>(pullback.forward());
        all.addAll(pullback.reverse());
        ExprWalk.statements(all, s -> ExprWalk.ownExpressions(s).forEach(e -> Exprs.variables(e, read)));
        return read.contains(v);
    }
}
