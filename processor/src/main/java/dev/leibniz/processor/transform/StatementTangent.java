package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.UnaryOp;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The tangent code of one active assignment {@code target = value} in forward mode: the statement, and the tangent
 * of its target computed alongside.
 *
 * <p>The tangent of a node is the sum, over the operands a derivative flows from, of the operand's tangent times the
 * local partial derivative: {@link DerivativeRules}, the very maps reverse mode applies to adjoints. Built bottom-up,
 * it is one expression per statement, linear in the size of the source expression; a tangent that a rule would
 * repeat ({@code max} at a tie) is bound to a local first. {@link StatementDerivative} names the values the rules
 * read. A call of another {@code @Differentiable} method calls its differential with the tangents of the arguments
 * and reads the value and the tangent of the result from it.
 *
 * <p>The tangent is computed after the statement, where it can read the whole value from the target, unless it
 * reads the target's old value ({@code dx = dx * y + x * dy} for {@code x = x * y}): then before. An accumulation
 * ({@code s += e}) accumulates the tangent the same way: {@code ds += de}.
 */
final class StatementTangent extends StatementDerivative {
    private static final Expr MARKER = new Expr.Literal(PrimitiveType.DOUBLE, "tangent", SourcePos.NONE);

    StatementTangent(VariableFactory variables, Activity activity, Adjoints tangents, Stmt source, Expr location,
            Expr value, boolean declaration) {
        super(variables, activity, tangents, source, location, value, declaration);
    }

    /** The statement with its named intermediates and its tangent code, in the order they run. */
    List<Stmt> generate() {
        nameIntermediates();
        Stmt statement = forward.remove(forward.size() - 1);
        List<Stmt> tangentCode = new ArrayList<>();
        Stmt update = tangentUpdate(tangentCode);
        if (update != null) {
            tangentCode.add(update);
        }
        List<Stmt> out = new ArrayList<>(forward);
        if (targetInValue && readsTarget(tangentCode)) {
            out.addAll(tangentCode); // it reads the target's old value (the new one only where it is the value)
            out.add(statement);
        } else {
            out.add(statement);
            out.addAll(tangentCode);
        }
        return out;
    }

    /** Whether {@code stmts} read the target: the variable, or an element of its array's alias class. */
    private boolean readsTarget(List<Stmt> stmts) {
        boolean[] reads = {false};
        ExprWalk.statements(stmts, s -> ExprWalk.ownExpressions(s).forEach(e -> reads[0] |= location instanceof
                Expr.Ref ? Exprs.reads(e, target) : readsCell(e, target)));
        return reads[0];
    }

    /**
     * Besides leaves, one arithmetic operation on leaves ({@code x - i}) is evaluated again rather than named: it
     * costs the same either way (nothing waits for a reverse sweep), and the statement stays as the source wrote it.
     */
    @Override
    boolean isRecomputable(Expr node) {
        return super.isRecomputable(node) || (node instanceof Expr.Binary b && b.op().isArithmetic()
                || node instanceof Expr.Unary) && Exprs.children(node).stream().allMatch(StatementDerivative::isAtomic);
    }

    @Override
    boolean callsAgain(Expr.DiffCall call) {
        return false;
    }

    /**
     * {@code FGradient.fDifferential(args..., tangents...)}: an argument without a derivative has tangent zero, an
     * array of zeros of its shape for an array parameter.
     */
    @Override
    Expr namedCall(Expr.DiffCall call, List<Expr> args) {
        return differentialCall(call, args, activity, derivatives, arg -> tangent(arg, forward));
    }

    /**
     * The callee's differential called with {@code args} and a tangent per differentiated parameter: an array's
     * tangent array, or zeros of its shape where it has none; {@code scalarTangent} of a number ({@code null} for
     * zero). A callee that writes into its arrays is called through its in-place differential, which updates their
     * tangents as it updates the arrays.
     */
    static Expr differentialCall(Expr.DiffCall call, List<Expr> args, Activity activity, Adjoints tangents,
            java.util.function.Function<Expr, Expr> scalarTangent) {
        List<Expr> all = new ArrayList<>(args);
        for (int i : call.callee().differentiatedIndices()) {
            Expr arg = call.args().get(i);
            if (arg.type() instanceof ArrayType) {
                all.add(activity.isActive(arg) ? shadowArray(arg, tangents) : Exprs.zeroTangent(args.get(i)));
            } else {
                Expr tangent = scalarTangent.apply(arg);
                all.add(tangent == null ? Build.ZERO : tangent);
            }
        }
        return new Expr.DifferentialCall(call.callee(), all);
    }

    /** {@code dv = tangent}, {@code double dv = tangent}, {@code da[i] = tangent}, or {@code ds += tangent}. */
    private Stmt tangentUpdate(List<Stmt> out) {
        Expr dLocation = location instanceof Expr.ArrayRead element ? shadowElement(element)
                : Expr.Ref.to(derivatives.of(target));
        if (accumulates() instanceof Expr.Binary sum) {
            Expr tangent = tangent(sum.right(), out);
            if (tangent == null) {
                return null; // s += 3: the tangent stays
            }
            return assign(dLocation, new Expr.Binary(sum.op(), dLocation, tangent, PrimitiveType.DOUBLE,
                    SourcePos.NONE), Stmt.Assign.Form.COMPOUND);
        }
        Expr tangent = tangent(root, out);
        if (tangent == null) {
            tangent = Build.ZERO;
        }
        if (declaration) {
            return new Stmt.LocalDecl(derivatives.of(target), tangent, SourcePos.NONE);
        }
        return assign(dLocation, tangent, Stmt.Assign.Form.PLAIN);
    }

    /** {@code s += e}, {@code s -= e}, {@code s++}, {@code a[i] += e} as the value, or {@code null}. */
    private Expr accumulates() {
        Stmt.Assign.Form form = source instanceof Stmt.Assign a ? a.form()
                : source instanceof Stmt.ElementAssign a ? a.form() : Stmt.Assign.Form.PLAIN;
        if (form == Stmt.Assign.Form.PLAIN || !(root instanceof Expr.Binary b)
                || b.op() != BinaryOp.ADD && b.op() != BinaryOp.SUB) {
            return null;
        }
        boolean readsLocation = location instanceof Expr.Ref r
                ? b.left() instanceof Expr.Ref l && l.variable().equals(r.variable())
                : b.left() instanceof Expr.ArrayRead read && location instanceof Expr.ArrayRead e
                        && read.array() == e.array() && read.index() == e.index();
        return readsLocation ? b : null;
    }

    private static Stmt assign(Expr location, Expr value, Stmt.Assign.Form form) {
        if (location instanceof Expr.ArrayRead element) {
            return new Stmt.ElementAssign(element.array(), element.index(), value, form, SourcePos.NONE);
        }
        return new Stmt.Assign(((Expr.Ref) location).variable(), value, form, SourcePos.NONE);
    }

    /**
     * The tangent of {@code node}, or {@code null} where it is zero; locals that bind repeated tangents go to
     * {@code out}.
     */
    private Expr tangent(Expr node, List<Stmt> out) {
        if (!activity.isActive(node)) {
            return null;
        }
        if (node instanceof Expr.Ref ref) {
            return Expr.Ref.to(derivatives.of(ref.variable()));
        }
        if (node instanceof Expr.ArrayRead read) {
            return shadowElement(read);
        }
        if (node instanceof Expr.DiffCall call) {
            return new Expr.Component(recordOf.get(call), "differential", call.type());
        }
        Expr sum = null;
        for (DerivativeRules.Partial p : DerivativeRules.partials(node, values(), activity::isActive)) {
            Expr operand = tangent(p.operand(), out);
            if (operand == null) {
                continue;
            }
            if (!isAtomic(operand) && usesMoreThanOnce(p)) {
                Variable bound = boundTangent(p.operand());
                out.add(new Stmt.LocalDecl(bound, operand, SourcePos.NONE));
                operand = Expr.Ref.to(bound);
            }
            sum = plus(sum, p.times().apply(operand));
        }
        return sum;
    }

    /**
     * {@code a + b}, or {@code a - c} where {@code b} is {@code -c} or {@code -u * v / w} with {@code c = u * v / w}:
     * the same number, since IEEE defines {@code a - c} as {@code a + -c} and rounds symmetrically.
     */
    private static Expr plus(Expr sum, Expr term) {
        if (sum == null) {
            return term;
        }
        Expr positive = withoutSign(term);
        return positive != null ? Build.sub(sum, positive) : Build.add(sum, term);
    }

    /** {@code c} for {@code -c}, {@code u * v} for {@code -u * v} (and {@code /}); {@code null} if not negated. */
    private static Expr withoutSign(Expr e) {
        if (e instanceof Expr.Unary u && u.op() == UnaryOp.NEG) {
            return u.operand();
        }
        if (e instanceof Expr.Binary b && (b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)) {
            Expr left = withoutSign(b.left());
            return left == null ? null : Exprs.binary(b.op(), left, b.right(), b.type(), b.pos());
        }
        return null;
    }

    /** Whether the partial's map would write its argument twice ({@code max} and {@code min} do). */
    private static boolean usesMoreThanOnce(DerivativeRules.Partial p) {
        int[] uses = {0};
        ExprWalk.nodes(p.times().apply(MARKER), n -> uses[0] += n == MARKER ? 1 : 0);
        return uses[0] > 1;
    }

    /** The tangent of an operand, named after its temporary when it has one. */
    private Variable boundTangent(Expr operand) {
        Expr kept = valueOf.get(operand);
        if (kept instanceof Expr.Ref ref && ref.variable().role() == Variable.Role.TEMPORARY) {
            return variables.adjointOf(ref.variable());
        }
        return variables.create("dt", PrimitiveType.DOUBLE, Variable.Role.ADJOINT);
    }
}
