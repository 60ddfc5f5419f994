package dev.leibniz.processor.analysis;

import dev.leibniz.processor.frontend.Problems;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;

/**
 * Rejects what activity analysis shows would be silently wrong: a {@code double} computed by a method Leibniz
 * cannot see into, from arguments that carry a derivative.
 */
public final class DifferentiabilityCheck {
    private DifferentiabilityCheck() {
    }

    public static void check(Function function, Activity activity, Problems problems) {
        ExprWalk.statements(function.body(), s -> ExprWalk.ownExpressions(s).forEach(e -> ExprWalk.nodes(e, node -> {
            if (node instanceof Expr.StaticCall call && call.type() == PrimitiveType.DOUBLE && !call.stopsDerivative()
                    && call.args().stream().anyMatch(activity::isVaried)) {
                problems.report(call.pos(), message(call));
            }
        })));
    }

    private static String message(Expr.StaticCall call) {
        String owner = call.owner().canonicalName();
        if (owner.equals("java.lang.Math") || owner.equals("java.lang.StrictMath")) {
            return call.owner().simpleName() + "." + call.name() + " has no derivative Leibniz knows, and its argument "
                    + "depends on a differentiated parameter; rewrite it with supported functions";
        }
        String advice = call.inSources() ? "annotate it with @Differentiable"
                : "compute it with supported operations, or in a @Differentiable method of your own";
        return "'" + call.name() + "' is not @Differentiable, so no derivative can flow through it, and its argument "
                + "depends on a differentiated parameter; " + advice;
    }
}
