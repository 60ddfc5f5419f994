package dev.leibniz.processor.analysis;

import dev.leibniz.processor.frontend.Problems;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;

/**
 * Rejects what activity analysis shows would be silently wrong: a {@code double} computed by a method Leibniz
 * cannot see into, from arguments that carry a derivative; and an argument that carries one into a parameter the
 * callee does not differentiate.
 */
public final class DifferentiabilityCheck {
    private DifferentiabilityCheck() {
    }

    public static void check(Function function, Activity activity, Problems problems) {
        ExprWalk.statements(function.body(), s -> ExprWalk.ownExpressions(s).forEach(e -> carrying(e, node -> {
            if (node instanceof Expr.StaticCall call && !call.writes().isEmpty()) {
                checkWrites(s, call, activity, problems);
                return;
            }
            if (node instanceof Expr.DiffCall call) {
                for (int i = 0; i < call.args().size(); i++) {
                    if (!call.callee().differentiated().get(i) && activity.isVaried(call.args().get(i))) {
                        problems.report(call.pos(), notDifferentiated(call, i));
                        return;
                    }
                }
            }
            if (node instanceof Expr.StaticCall call && PrimitiveType.isReal(call.type()) && !call.stopsDerivative()) {
                for (int i = 0; i < call.args().size(); i++) {
                    if (call.partial(i).isEmpty() && activity.isVaried(call.args().get(i))) {
                        problems.report(call.pos(), message(call, i));
                        return;
                    }
                }
            }
        })));
    }

    /**
     * The nodes of {@code e} through which a derivative may flow ({@link ExprWalk#carrying}): inside
     * {@code Leibniz.noDerivative(...)} anything may be computed (a call of any method, a callee's parameter left out
     * of its wrt), but calls that write into arrays are checked there too, since what they write stays written.
     */
    private static void carrying(Expr e, java.util.function.Consumer<Expr> action) {
        ExprWalk.carrying(e, node -> {
            if (node instanceof Expr.StaticCall held && held.stopsDerivative()) {
                ExprWalk.nodes(held, inner -> {
                    if (inner != held && inner instanceof Expr.StaticCall call && !call.writes().isEmpty()) {
                        action.accept(call);
                    }
                });
            }
            action.accept(node);
        });
    }

    /**
     * A call that writes into arrays it is given runs where the reverse sweep can keep what it changes: as a
     * statement, or as the whole value of one. What it writes must carry no derivative the result needs, since
     * Leibniz cannot see how it changes them.
     */
    private static void checkWrites(Stmt s, Expr.StaticCall call, Activity activity, Problems problems) {
        boolean whole = s instanceof Stmt.Evaluate e && e.call() == call
                || s instanceof Stmt.LocalDecl d && d.init() == call
                || s instanceof Stmt.Assign a && a.value() == call;
        String arrays = call.writtenArguments().stream().map(a -> "'" + written(a) + "'")
                .collect(java.util.stream.Collectors.joining(" and "));
        if (!whole) {
            problems.report(call.pos(), "'" + call.name() + "' may write into " + arrays + ", so it must run as a "
                    + "statement of its own, or as the whole value of a declaration or an assignment, where Leibniz "
                    + "keeps what it changes for the reverse sweep; call it first (" + resultType(call) + " t = "
                    + call.name() + "(...);) and use the result");
            return;
        }
        boolean argumentsVaried = call.args().stream().anyMatch(activity::isVaried);
        for (Expr array : call.writtenArguments()) {
            Variable root = Exprs.arrayRoot(array);
            if (root != null && activity.isUseful(root) && (argumentsVaried || activity.isVaried(array))) {
                problems.report(call.pos(), "'" + call.name() + "' may write into '" + written(array)
                        + "', whose elements the result depends on through derivatives, and Leibniz cannot see how "
                        + "it changes them; write the change in this method (a loop over the elements)");
                return;
            }
        }
    }

    private static String resultType(Expr.StaticCall call) {
        return call.type() instanceof PrimitiveType p ? p.keyword() : "var";
    }

    /** An argument as the source writes it. */
    private static String written(Expr array) {
        Variable root = Exprs.arrayRoot(array);
        return array.pos().isKnown() ? array.pos().tree().toString() : root != null ? root.hint() : "an array";
    }

    private static String notDifferentiated(Expr.DiffCall call, int argument) {
        String parameter = call.callee().parameterNames().get(argument);
        return "'" + call.callee().method() + "' does not differentiate its parameter '" + parameter + "' (its wrt "
                + "leaves it out), and the argument depends on a differentiated parameter, so its derivative would be "
                + "lost; add '" + parameter + "' to its wrt, or pass Leibniz.noDerivative(...) to drop it on purpose";
    }

    private static String message(Expr.StaticCall call, int argument) {
        String owner = call.owner().canonicalName();
        if (owner.equals("java.lang.Math") || owner.equals("java.lang.StrictMath")) {
            return call.owner().simpleName() + "." + call.name() + " has no derivative Leibniz knows, and its argument "
                    + "depends on a differentiated parameter; rewrite it with supported functions, or declare its "
                    + "derivative with @DerivativeOf";
        }
        if (!call.partials().isEmpty()) {
            return "'" + call.name() + "' has a @DerivativeOf for some parameters but not for parameter "
                    + (argument + 1) + ", whose argument depends on a differentiated parameter; declare that one too "
                    + "(@DerivativeOf(value = \"" + call.name() + "\", wrt = ...))";
        }
        String advice = call.inSources() ? "annotate it with @Differentiable, or declare its derivative with @DerivativeOf"
                : "compute it with supported operations, or declare its derivative with @DerivativeOf";
        return "'" + call.name() + "' is not @Differentiable, so no derivative can flow through it, and its argument "
                + "depends on a differentiated parameter; " + advice;
    }
}
