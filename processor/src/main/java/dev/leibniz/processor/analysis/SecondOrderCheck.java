package dev.leibniz.processor.analysis;

import dev.leibniz.processor.frontend.Problems;
import dev.leibniz.processor.ir.Callee;
import dev.leibniz.processor.ir.CustomPartial;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;

/**
 * What {@code hessian = true} cannot differentiate twice, found before anything is generated: a call of another
 * {@code @Differentiable} method that carries a derivative where that method cannot be differentiated twice (it
 * returns a value and writes into its arrays, or its own body cannot), and a {@code @DerivativeOf} derivative
 * that has no derivative of its own where its arguments carry one. Everything else the first derivative is built
 * from (arithmetic, the {@code Math} functions, branches, loops, arrays, calls) is differentiable again, with the
 * conventions of the first derivative at kinks.
 */
public final class SecondOrderCheck {
    private SecondOrderCheck() {
    }

    /**
     * @param calleeProblem why a callee cannot be differentiated twice, in a sentence, or empty when it can
     */
    public static void check(Function function, Activity activity, Problems problems,
            java.util.function.Function<Callee, java.util.Optional<String>> calleeProblem) {
        ExprWalk.statements(function.body(), s -> ExprWalk.ownExpressions(s).forEach(e -> ExprWalk.carrying(e, node -> {
            if (node instanceof Expr.DiffCall call && activity.isActive(call)) {
                checkCall(call, problems, calleeProblem);
            } else if (node instanceof Expr.StaticCall call) {
                checkCustomPartials(call, activity, problems);
            }
        })));
    }

    private static void checkCall(Expr.DiffCall call, Problems problems,
            java.util.function.Function<Callee, java.util.Optional<String>> calleeProblem) {
        Callee callee = call.callee();
        if (callee.writesArrayArguments() && !callee.returnsVoid()) {
            problems.report(call.pos(), "hessian = true: second derivatives do not go through calls of methods "
                    + "that return a value and write into their arrays yet, and '" + callee.method() + "' does; "
                    + "let it return void (the arrays it writes are its outputs), or write its computation here");
            return;
        }
        calleeProblem.apply(callee).ifPresent(why -> problems.report(call.pos(), "hessian = true differentiates '"
                + callee.method() + "' twice, and it cannot be: " + why));
    }

    /** Each declared partial that is used must have a derivative for every argument that carries one. */
    private static void checkCustomPartials(Expr.StaticCall call, Activity activity, Problems problems) {
        for (CustomPartial partial : call.partials()) {
            if (!activity.isActive(call.args().get(partial.parameter()))) {
                continue;
            }
            for (int i = 0; i < call.args().size(); i++) {
                int parameter = i;
                if (activity.isVaried(call.args().get(i))
                        && partial.partials().stream().noneMatch(p -> p.parameter() == parameter)) {
                    String which = call.args().size() == 1 ? "" : " with respect to its parameter " + (i + 1);
                    String declaration = call.args().size() == 1 ? "@DerivativeOf(\"" + partial.method() + "\")"
                            : "@DerivativeOf(value = \"" + partial.method() + "\", wrt = ...)";
                    problems.report(call.pos(), "hessian = true needs the derivative of '" + partial.method()
                            + "', the @DerivativeOf derivative of '" + call.name() + "', and it has none" + which
                            + ": declare one with " + declaration + " (a second derivative of '" + call.name()
                            + "'), or remove hessian = true");
                    return;
                }
            }
        }
    }
}
