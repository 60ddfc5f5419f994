package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.ClassRef;
import dev.leibniz.processor.ir.CustomPartial;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.MathFunction;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The local partial derivatives of every operation, one set for both modes, so that forward and reverse mode cannot
 * disagree (at kinks included): for each operand a derivative flows into, the linear map
 * {@code s -> s * ∂node/∂operand}. Reverse mode applies it to the adjoint of the node, giving the operand's share
 * of the adjoint; forward mode applies it to the tangent of the operand, giving that operand's term of the node's
 * tangent. The rules ask {@link Values} for the operand and result values they need; each transform runs them once
 * to learn which values to name, and again to generate code, so the two runs can never disagree either.
 *
 * <p>Conventions where the derivative does not exist (documented in the README): {@code abs} has derivative 0 at
 * 0; {@code max} and {@code min} split the adjoint evenly at ties; {@code hypot} and {@code atan2} have gradient 0 at the origin;
 * {@code pow(u, v)} has {@code ∂/∂u = 0} when {@code v == 0} and {@code ∂/∂v = 0} when {@code u == 0}. Elsewhere
 * the primal's IEEE semantics carry through (the derivative of {@code sqrt} at 0 is infinite).
 */
final class DerivativeRules {
    private DerivativeRules() {
    }

    /** Where a rule gets the value of an operand, or of the node itself. */
    interface Values {
        Expr of(Expr node);

        /** The gradient record of a call of another {@code @Differentiable} method. */
        Expr record(Expr.DiffCall call);
    }

    /**
     * The partial derivative of a node with respect to one of its operands, as the map that multiplies a derivative
     * by it: an adjoint of the node in reverse mode, a tangent of the operand in forward mode.
     */
    record Partial(Expr operand, UnaryOperator<Expr> times) {
    }

    static List<Partial> partials(Expr node, Values values, Predicate<Expr> isActive) {
        List<Partial> out = new ArrayList<>();
        if (node instanceof Expr.Unary u) {
            if (u.op() == UnaryOp.NEG) {
                add(out, isActive, u.operand(), Build::neg);
            } else if (u.op() == UnaryOp.PLUS) {
                add(out, isActive, u.operand(), a -> a);
            }
        } else if (node instanceof Expr.Binary b) {
            binary(b, values, isActive, out);
        } else if (node instanceof Expr.MathCall m) {
            math(m, values, isActive, out);
        } else if (node instanceof Expr.DiffCall call) {
            // The partials a gradient record holds; forward mode calls the callee's differential instead.
            for (int i : call.callee().differentiatedIndices()) {
                String component = call.callee().parameterNames().get(i);
                add(out, isActive, call.args().get(i),
                        a -> Build.mul(a, new Expr.Component(values.record(call), component)));
            }
        } else if (node instanceof Expr.StaticCall call) {
            for (CustomPartial partial : call.partials()) {
                add(out, isActive, call.args().get(partial.parameter()), a -> Build.mul(a, customPartial(call, partial, values)));
            }
        } else if (node instanceof Expr.Cast c && c.type().isReal()) {
            add(out, isActive, c.operand(), a -> a); // rounding to float, or widening: derivative 1
        } else if (!(node instanceof Expr.Ref) && !(node instanceof Expr.ArrayRead)) {
            throw new IllegalStateException("no derivative rule for " + node.getClass().getSimpleName());
        }
        return out;
    }

    /** The user's derivative, called with the values the original was called with. */
    private static Expr customPartial(Expr.StaticCall call, CustomPartial partial, Values values) {
        List<Expr> args = call.args().stream().map(values::of).toList();
        return new Expr.StaticCall(partial.owner(), partial.method(), args, PrimitiveType.DOUBLE, false,
                partial.partials(), SourcePos.NONE);
    }

    private static void binary(Expr.Binary b, Values values, Predicate<Expr> isActive, List<Partial> out) {
        Expr l = b.left();
        Expr r = b.right();
        switch (b.op()) {
            case ADD -> {
                add(out, isActive, l, a -> a);
                add(out, isActive, r, a -> a);
            }
            case SUB -> {
                add(out, isActive, l, a -> a);
                add(out, isActive, r, Build::neg);
            }
            case MUL -> {
                add(out, isActive, l, a -> Build.mul(a, values.of(r)));
                add(out, isActive, r, a -> Build.mul(a, values.of(l)));
            }
            case DIV -> {
                add(out, isActive, l, a -> Build.div(a, values.of(r)));
                add(out, isActive, r, a -> Build.div(Build.mul(Build.neg(a), values.of(b)), values.of(r)));
            }
            case REM -> {
                // x % y == x - y * trunc(x / y); trunc(x / y) == (x - x % y) / y, rounded to the integer it is.
                add(out, isActive, l, a -> a);
                add(out, isActive, r, a -> Build.mul(Build.neg(a), Build.math(Build.MATH, MathFunction.RINT,
                        Build.div(Build.sub(values.of(l), values.of(b)), values.of(r)))));
            }
            default -> throw new IllegalStateException("operator " + b.op() + " carries no derivative");
        }
    }

    private static void math(Expr.MathCall m, Values values, Predicate<Expr> isActive, List<Partial> out) {
        ClassRef owner = m.owner();
        List<Expr> args = m.args();
        Expr u = args.get(0);
        switch (m.function()) {
            case SIN -> add(out, isActive, u, a -> Build.mul(a, Build.math(owner, MathFunction.COS, values.of(u))));
            case COS -> add(out, isActive, u,
                    a -> Build.mul(Build.neg(a), Build.math(owner, MathFunction.SIN, values.of(u))));
            case TAN -> add(out, isActive, u, a -> Build.mul(a, Build.add(Build.ONE, square(values.of(m)))));
            case ASIN -> add(out, isActive, u,
                    a -> Build.div(a, Build.math(owner, MathFunction.SQRT, Build.sub(Build.ONE, square(values.of(u))))));
            case ACOS -> add(out, isActive, u, a -> Build.div(Build.neg(a),
                    Build.math(owner, MathFunction.SQRT, Build.sub(Build.ONE, square(values.of(u))))));
            case ATAN -> add(out, isActive, u, a -> Build.div(a, Build.add(Build.ONE, square(values.of(u)))));
            case ATAN2 -> {
                // d/dy = x / (x^2 + y^2), written a * ((x / h) / h) with h = hypot(x, y) so that neither tiny nor
                // huge arguments overflow (nor a huge adjoint times a huge x); 0 at the origin, like hypot.
                Expr y = args.get(0);
                Expr x = args.get(1);
                add(out, isActive, y, a -> overRadiusSquared(owner, a, values.of(x), values.of(x), values.of(y)));
                add(out, isActive, x, a -> overRadiusSquared(owner, Build.neg(a), values.of(y), values.of(x),
                        values.of(y)));
            }
            case SINH -> add(out, isActive, u, a -> Build.mul(a, Build.math(owner, MathFunction.COSH, values.of(u))));
            case COSH -> add(out, isActive, u, a -> Build.mul(a, Build.math(owner, MathFunction.SINH, values.of(u))));
            case TANH -> add(out, isActive, u, a -> Build.mul(a, Build.sub(Build.ONE, square(values.of(m)))));
            case EXP -> add(out, isActive, u, a -> Build.mul(a, values.of(m)));
            case EXPM1 -> add(out, isActive, u, a -> Build.mul(a, Build.add(values.of(m), Build.ONE)));
            case LOG -> add(out, isActive, u, a -> Build.div(a, values.of(u)));
            case LOG10 -> add(out, isActive, u, a -> Build.div(a,
                    Build.mul(values.of(u), Build.math(owner, MathFunction.LOG, Build.literal("10.0")))));
            case LOG1P -> add(out, isActive, u, a -> Build.div(a, Build.add(Build.ONE, values.of(u))));
            case SQRT -> add(out, isActive, u, a -> Build.div(a, Build.mul(Build.literal("2.0"), values.of(m))));
            case CBRT -> add(out, isActive, u,
                    a -> Build.div(a, Build.mul(Build.mul(Build.literal("3.0"), values.of(m)), values.of(m))));
            case POW -> pow(m, values, isActive, out);
            case HYPOT -> {
                // a * (x / h): the ratio is at most 1, where x * x or a * x may overflow (x = 1e200)
                for (Expr arg : args) {
                    add(out, isActive, arg, a -> Build.cond(Build.cmp(BinaryOp.EQ, values.of(m), Build.ZERO),
                            Build.ZERO, Build.mul(a, Build.div(values.of(arg), values.of(m)))));
                }
            }
            case ABS -> add(out, isActive, u, a -> Build.mul(a, Build.math(owner, MathFunction.SIGNUM, values.of(u))));
            case MAX, MIN -> {
                BinaryOp wins = m.function() == MathFunction.MAX ? BinaryOp.GT : BinaryOp.LT;
                BinaryOp loses = m.function() == MathFunction.MAX ? BinaryOp.LT : BinaryOp.GT;
                Expr v = args.get(1);
                add(out, isActive, u, a -> selected(wins, loses, values.of(u), values.of(v), a));
                add(out, isActive, v, a -> selected(wins, loses, values.of(v), values.of(u), a));
            }
            case TO_RADIANS -> add(out, isActive, u,
                    a -> Build.mul(a, Build.div(new Expr.FieldRef(owner, "PI", PrimitiveType.DOUBLE, SourcePos.NONE),
                            Build.literal("180.0"))));
            case TO_DEGREES -> add(out, isActive, u, a -> Build.mul(a, Build.div(Build.literal("180.0"),
                    new Expr.FieldRef(owner, "PI", PrimitiveType.DOUBLE, SourcePos.NONE))));
            case FMA -> {
                add(out, isActive, args.get(0), a -> Build.mul(a, values.of(args.get(1))));
                add(out, isActive, args.get(1), a -> Build.mul(a, values.of(args.get(0))));
                add(out, isActive, args.get(2), a -> a);
            }
            case IEEE_REMAINDER -> {
                // x - y * n with n the integer nearest x / y (ties to even), (x - r) / y rounded to the integer it is
                Expr y = args.get(1);
                add(out, isActive, u, a -> a);
                add(out, isActive, y, a -> Build.mul(Build.neg(a), Build.math(Build.MATH, MathFunction.RINT,
                        Build.div(Build.sub(values.of(u), values.of(m)), values.of(y)))));
            }
            // |m| with the sign of s: signum(m) * sign(s), 0 at m = 0 like abs; piecewise constant in s
            case COPY_SIGN -> add(out, isActive, u, a -> Build.mul(a, Build.mul(Build.math(owner, MathFunction.SIGNUM,
                    values.of(u)), Build.math(owner, MathFunction.COPY_SIGN, Build.ONE, values.of(args.get(1))))));
            // the neighbouring double: x plus or minus an ulp, derivative 1 (the direction of nextAfter none)
            case NEXT_UP, NEXT_DOWN, NEXT_AFTER -> add(out, isActive, u, a -> a);
            case SCALB -> add(out, isActive, u, a -> Build.mul(a, Build.math(owner, MathFunction.SCALB, Build.ONE,
                    values.of(args.get(1)))));
            default -> {
                // floor, ceil, rint, signum, round, ulp: piecewise constant, no derivative flows
            }
        }
    }

    /** {@code pow(u, v)}: a literal exponent folds into {@code c * pow(u, c - 1)}, the common cases further. */
    private static void pow(Expr.MathCall m, Values values, Predicate<Expr> isActive, List<Partial> out) {
        Expr u = m.args().get(0);
        Expr v = m.args().get(1);
        Double exponent = Build.constantValue(v);
        if (exponent != null) {
            double c = exponent;
            if (c == 0.0) {
                return;
            }
            if (c == 1.0) {
                add(out, isActive, u, a -> a);
            } else if (c == 2.0) {
                add(out, isActive, u, a -> Build.mul(Build.mul(a, Build.literal("2.0")), values.of(u)));
            } else {
                add(out, isActive, u, a -> Build.mul(Build.mul(a, Build.literal(Double.toString(c))),
                        Build.math(m.owner(), MathFunction.POW, values.of(u), Build.literal(Double.toString(c - 1.0)))));
            }
            return;
        }
        add(out, isActive, u, a -> Build.cond(Build.cmp(BinaryOp.EQ, values.of(v), Build.ZERO), Build.ZERO,
                Build.mul(Build.mul(a, values.of(v)),
                        Build.math(m.owner(), MathFunction.POW, values.of(u), Build.sub(values.of(v), Build.ONE)))));
        add(out, isActive, v, a -> Build.cond(Build.cmp(BinaryOp.EQ, values.of(u), Build.ZERO), Build.ZERO,
                Build.mul(Build.mul(a, values.of(m)), Build.math(m.owner(), MathFunction.LOG, values.of(u)))));
    }

    /** The share of {@code mine} in max/min: all of {@code a} if it wins, none if it loses, half at a tie. */
    private static Expr selected(BinaryOp wins, BinaryOp loses, Expr mine, Expr other, Expr a) {
        return Build.cond(Build.cmp(wins, mine, other), a,
                Build.cond(Build.cmp(loses, mine, other), Build.ZERO, Build.mul(Build.literal("0.5"), a)));
    }

    /** {@code x * x}, in double arithmetic even when {@code x} is an integer input. */
    private static Expr square(Expr x) {
        Expr d = Build.asDouble(x);
        return Build.mul(d, d);
    }

    /** {@code a * c / (x^2 + y^2)} without overflow or underflow, and 0 at the origin. */
    private static Expr overRadiusSquared(ClassRef owner, Expr a, Expr c, Expr x, Expr y) {
        Expr h = Build.math(owner, MathFunction.HYPOT, x, y);
        return Build.cond(Build.cmp(BinaryOp.EQ, h, Build.ZERO), Build.ZERO,
                Build.mul(a, Build.div(Build.div(c, h), h)));
    }

    private static void add(List<Partial> out, Predicate<Expr> isActive, Expr operand, UnaryOperator<Expr> c) {
        if (isActive.test(operand)) {
            out.add(new Partial(operand, c));
        }
    }
}
