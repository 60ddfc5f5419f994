package dev.leibniz.processor.analysis;

import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Activity analysis (as in Tapenade): a variable is <em>varied</em> if it may depend on a differentiated parameter,
 * <em>useful</em> if the result may depend on it, and <em>active</em> if both. Only active variables get adjoints.
 *
 * <p>The analysis is flow-insensitive, which over-approximates both sets: it may give a variable an adjoint that
 * stays zero, never the reverse. Derivatives flow only through {@code double} data, never through conditions.
 */
public final class Activity {
    private final Set<Variable> varied;
    private final Set<Variable> useful;

    private Activity(Set<Variable> varied, Set<Variable> useful) {
        this.varied = varied;
        this.useful = useful;
    }

    /** Activity of {@code function}, whose result is {@code result} (see {@code transform.SingleExit}). */
    public static Activity of(Function function, Variable result) {
        List<Stmt.Assign> assignments = new ArrayList<>();
        ExprWalk.statements(function.body(), s -> {
            if (s instanceof Stmt.LocalDecl d && d.init() != null) {
                assignments.add(new Stmt.Assign(d.variable(), d.init(), Stmt.Assign.Form.PLAIN, d.pos()));
            } else if (s instanceof Stmt.Assign a) {
                assignments.add(a);
            }
        });

        Set<Variable> varied = new HashSet<>(function.differentiatedParameters());
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Stmt.Assign a : assignments) {
                if (a.target().isDouble() && !varied.contains(a.target()) && carries(a.value(), varied::contains)) {
                    varied.add(a.target());
                    changed = true;
                }
            }
        }

        Set<Variable> useful = new HashSet<>();
        useful.add(result);
        changed = true;
        while (changed) {
            changed = false;
            for (Stmt.Assign a : assignments) {
                if (useful.contains(a.target())) {
                    List<Variable> sources = new ArrayList<>();
                    derivativeSources(a.value(), sources);
                    changed |= useful.addAll(sources);
                }
            }
        }
        return new Activity(varied, useful);
    }

    public boolean isActive(Variable v) {
        return v.isDouble() && varied.contains(v) && useful.contains(v);
    }

    /** Whether a derivative flows out of {@code expr}: it depends on an active variable through double data. */
    public boolean isActive(Expr expr) {
        return carries(expr, this::isActive);
    }

    /** Whether {@code expr} may depend on a differentiated parameter (used for checks on opaque calls). */
    public boolean isVaried(Expr expr) {
        return carries(expr, varied::contains);
    }

    private static boolean carries(Expr e, Predicate<Variable> source) {
        if (e.type() != PrimitiveType.DOUBLE) {
            return false;
        }
        if (e instanceof Expr.Ref r) {
            return source.test(r.variable());
        }
        for (Expr child : derivativeChildren(e)) {
            if (carries(child, source)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the variables a derivative can flow out of in {@code e} to {@code out}. */
    public static void derivativeSources(Expr e, java.util.Collection<Variable> out) {
        if (e.type() != PrimitiveType.DOUBLE) {
            return;
        }
        if (e instanceof Expr.Ref r) {
            out.add(r.variable());
        }
        for (Expr child : derivativeChildren(e)) {
            derivativeSources(child, out);
        }
    }

    /** The children a derivative can flow through: not conditions, not piecewise-constant or opaque calls. */
    public static List<Expr> derivativeChildren(Expr e) {
        if (e instanceof Expr.Unary u) {
            return List.of(u.operand());
        }
        if (e instanceof Expr.Binary b) {
            return b.op().isArithmetic() ? List.of(b.left(), b.right()) : List.of();
        }
        if (e instanceof Expr.Conditional c) {
            return List.of(c.whenTrue(), c.whenFalse());
        }
        if (e instanceof Expr.MathCall m) {
            return m.function().isPiecewiseConstant() ? List.of() : m.args();
        }
        if (e instanceof Expr.DiffCall c) {
            List<Expr> args = new ArrayList<>();
            for (int i : c.callee().differentiatedIndices()) {
                args.add(c.args().get(i));
            }
            return args;
        }
        return List.of(); // literals, fields, casts from integers, opaque calls
    }
}
