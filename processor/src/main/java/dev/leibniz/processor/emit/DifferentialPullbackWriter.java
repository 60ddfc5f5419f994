package dev.leibniz.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.transform.Pullback;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code fDifferentialPullback(args..., v..., dValue, dArrays...)}, the pullback of a method's differential
 * <code>(x, v) &#8614; &nabla;f(x)&middot;v</code> with respect to the parameters and the directions both, and its
 * record. A caller with {@code hessian = true} differentiates its own differential, which calls this method's,
 * through it: that is how second derivatives go through calls. Generated for a method with {@code hessian = true}
 * (so that callers compiled later find it) and for each method such a caller of the same compilation calls.
 */
final class DifferentialPullbackWriter {
    private final Pullback pullback;
    private final Function source;
    private final Function differential;
    private final ClassName owner;
    private final Modifier[] visibility;
    /** The method returns void: the pullback is in place, the arrays it writes and their tangents its outputs. */
    private final boolean returnsVoid;
    private final List<Variable> written;

    /**
     * @param pullback the pullback of the differential, as a method of the parameters and the directions
     * @param source the method itself
     * @param written the array parameters the method writes into
     */
    DifferentialPullbackWriter(Pullback pullback, Function source, ClassName owner, Modifier[] visibility,
            boolean returnsVoid, List<Variable> written) {
        this.pullback = pullback;
        this.source = source;
        this.differential = pullback.function();
        this.owner = owner;
        this.visibility = visibility.clone();
        this.returnsVoid = returnsVoid;
        this.written = List.copyOf(written);
    }

    /** The method's own parameters, as the differential has them (its first ones). */
    private List<Variable> parameters() {
        return differential.parameters().subList(0, source.parameters().size());
    }

    /** One direction per differentiated parameter, after the parameters. */
    private List<Variable> directions() {
        int n = source.parameters().size();
        return differential.parameters().subList(n, n + source.differentiatedParameters().size());
    }

    /**
     * For a method returning {@code double[]}, the adjoint of the directional derivative is an array, the last
     * parameter: the pullback is then a vector-Jacobian product, whose seed is 1.
     */
    private Variable cotangent() {
        List<Variable> all = differential.parameters();
        return all.size() > source.parameters().size() + directions().size() ? all.get(all.size() - 1) : null;
    }

    /** The differentiated parameters, in order: one direction each. */
    private List<Variable> differentiated() {
        List<Variable> out = new java.util.ArrayList<>();
        for (int i = 0; i < source.parameters().size(); i++) {
            if (source.differentiated().get(i)) {
                out.add(parameters().get(i));
            }
        }
        return out;
    }

    MethodSpec pullbackMethod() {
        JavaNames names = GradientClassWriter.names(pullback);
        String seed = names.of(pullback.seed());
        MethodSpec.Builder method = MethodSpec.methodBuilder(GradientNaming.pullbackName(differential.name()))
                .addModifiers(visibility)
                .returns(pullback.returnsRecord() ? JavaExpressions.className(pullback.record().name())
                        : returnsVoid ? TypeName.VOID : TypeName.DOUBLE)
                .addJavadoc(returnsVoid
                        ? CodeBlock.of("Pullback of the differential of $L, {@link #$N}, which updates the arrays "
                                + "it writes\nand their tangents: the adjoints of what both leave go in through their "
                                + "shadows and come back as the\nadjoints of what they held before, those of the "
                                + "other parameters and directions are added or returned.\nSecond derivatives of a "
                                + "caller with {@code hessian = true} go through it.\n\n",
                                GradientClassWriter.link(source, owner), differential.name())
                        : CodeBlock.of("Pullback of the differential of $L, the directional derivative\n"
                                + "<code>g(x, v) = &nabla;f(x)&middot;v</code> that {@link #$N} computes: given the "
                                + "adjoint {@code u} of {@code g},\nthe adjoints of the parameters, <code>u &middot; "
                                + "H&middot;v</code>, and of the directions, <code>u &middot; &nabla;f(x)</code>\n(for "
                                + "a method returning an array, {@code u} is an array and these are vector-Jacobian "
                                + "products).\nSecond derivatives of a caller with {@code hessian = true} go through "
                                + "it.\n\n", GradientClassWriter.link(source, owner), differential.name()));
        for (Variable p : parameters()) {
            method.addParameter(JavaStatements.typeName(p.type()), names.of(p));
            method.addJavadoc(JavaText.literal("@param " + names.of(p) + " the argument {@code " + p.hint()
                    + "}\n"));
        }
        List<Variable> differentiated = differentiated();
        for (int k = 0; k < differentiated.size(); k++) {
            Variable d = directions().get(k);
            method.addParameter(JavaStatements.typeName(d.type()), names.of(d));
            method.addJavadoc(JavaText.literal("@param " + names.of(d) + " the direction along {@code "
                    + differentiated.get(k).hint() + "}\n"));
        }
        Variable cotangent = cotangent();
        String adjoint = cotangent == null ? seed : names.of(cotangent);
        if (cotangent != null) {
            method.addParameter(double[].class, adjoint);
            method.addJavadoc("@param $L the adjoint of the directional derivative, an array of the result's "
                    + "length; only read\n", adjoint);
        } else if (!returnsVoid) {
            method.addParameter(double.class, seed);
            method.addJavadoc("@param $L the adjoint of the directional derivative\n", seed);
        }
        List<String> updated = new java.util.ArrayList<>(); // a void method's outputs and their tangents
        for (int k = 0; k < differentiated.size(); k++) {
            String hint = differentiated.get(k).hint();
            if (returnsVoid && written.stream().anyMatch(w -> w.hint().equals(hint))) {
                updated.add(hint);
                updated.add(directions().get(k).hint());
            }
        }
        for (Variable shadow : pullback.shadows()) {
            String name = names.of(shadow);
            String p = shadow.primal().hint();
            method.addParameter(JavaStatements.typeName(shadow.type()), name);
            method.addJavadoc(JavaText.literal("@param " + name + (updated.contains(p)
                    ? " on entry, the adjoint of the contents the differential leaves in {@code " + p
                            + "}; on return, the adjoint of the contents it was given"
                    : " where the adjoint of {@code " + p + "} is added, element by element")
                    + "; the shape of {@code " + p + "}\n"));
        }
        if (pullback.returnsRecord()) {
            method.addJavadoc(returnsVoid ? CodeBlock.of("@return the adjoints of $L\n",
                    GradientClassWriter.scalarList(differential))
                    : CodeBlock.of("@return the directional derivative, and the adjoints of $L\n",
                            GradientClassWriter.differentiatedList(differential)));
        } else if (!returnsVoid) {
            method.addJavadoc("@return the directional derivative\n");
        }
        ArgumentChecks checks = new ArgumentChecks(source, written)
                .with(directions().stream().map(names::of).toList(), differentiated, ArgumentChecks.Role.DIRECTION)
                .with(pullback.shadows().stream().map(names::of).toList(),
                        pullback.shadows().stream().map(Variable::primal).toList(), ArgumentChecks.Role.GRADIENT);
        if (cotangent != null) {
            checks.withCotangent(adjoint);
        }
        method.addJavadoc(checks.javadoc()).addCode(checks.code());
        if (cotangent != null) {
            method.addStatement("double $N = 1.0", seed);
        }
        CodeBlock.Builder code = CodeBlock.builder();
        List<Stmt> ending = returnsVoid ? InPlaceWriter.voidEnding(pullback, seed, code) : null;
        return method.addCode(code.add(GradientClassWriter.body(pullback, names, false, ending)).build()).build();
    }

    /** The record of the pullback: the directional derivative, then an adjoint per parameter and direction. */
    TypeSpec record(boolean isPublic) {
        if (returnsVoid) {
            return GradientClassWriter.record(pullback.record().name().simpleName(), CodeBlock.of("The adjoints of "
                    + "the {@code double} parameters and directions of the differential of $L,\nas {@link #$N} "
                    + "returns them.\n", GradientClassWriter.link(source, owner),
                    GradientNaming.pullbackName(differential.name())), false,
                    GradientClassWriter.differentiatedScalars(differential),
                    p -> "the adjoint of {@code " + p.hint() + "}", isPublic);
        }
        return GradientClassWriter.record(pullback.record().name().simpleName(), CodeBlock.of("The directional "
                + "derivative of $L along directions {@code v},\nas {@link #$N} returns it, and its adjoints.\n",
                GradientClassWriter.link(source, owner), GradientNaming.pullbackName(differential.name())),
                differential.differentiatedParameters(), p -> "the adjoint of {@code " + p.hint() + "}"
                        + (p.type() instanceof ArrayType ? ", element by element" : ""), isPublic);
    }
}
