package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.UnaryOp;

/**
 * A {@code double} product seen as a constant times the rest of it: {@code df * a * 100} and
 * {@code -(df * (100 * a))} are {@code 100} and {@code -100} times {@code df * a}. Two terms with the same rest add
 * as one product, which is how a person writes the product rule of {@code 100 * a * a}.
 *
 * <p>Only constants between {@code 2^-12} and {@code 2^12} in magnitude leave their place, and the rest keeps its
 * grouping: moving such a constant to the outside changes the product by rounding, and its range only where it lies
 * within a factor 4096 of overflow or of the subnormal numbers. A constant of extreme magnitude stays where the
 * source put it: {@code df * 1e300 * a} may be finite where {@code 1e300 * (df * a)} is not.
 *
 * @param constant the constants taken out, multiplied
 * @param rest the product without them, or {@code null} if it is all constants
 * @param moved whether a constant was taken out
 */
record Scaled(double constant, Expr rest, boolean moved) {
    private static final double LIMIT = 4096.0;

    /** {@code a + b} as one product when they are the same but for constants, or {@code null}. */
    static Expr sum(Expr a, Expr b) {
        Scaled x = of(a);
        Scaled y = of(b);
        double c = x.constant + y.constant;
        if (x.rest == null || y.rest == null || !Exprs.sameIgnoringPositions(x.rest, y.rest) || !movable(c)
                || !movable(x.constant) || !movable(y.constant)
                || !allDouble(x.rest)) {
            return null;
        }
        Expr scaled = Math.abs(c) == 1 ? x.rest : Build.mul(Expr.Literal.ofDouble(Math.abs(c)), x.rest);
        return c < 0 ? Build.neg(scaled) : scaled;
    }

    static Scaled of(Expr e) {
        if (e instanceof Expr.Binary m && m.op() == BinaryOp.MUL && m.type() == PrimitiveType.DOUBLE) {
            Scaled l = of(m.left());
            Scaled r = of(m.right());
            Expr rest = l.rest == null ? r.rest : r.rest == null ? l.rest
                    : l.moved || r.moved ? Exprs.binary(BinaryOp.MUL, l.rest, r.rest, m.type(), m.pos()) : m;
            return new Scaled(l.constant * r.constant, rest, l.moved || r.moved);
        }
        if (e instanceof Expr.Unary u && u.op() == UnaryOp.NEG && u.type() == PrimitiveType.DOUBLE) {
            Scaled s = of(u.operand());
            return new Scaled(-s.constant, s.rest, s.moved);
        }
        Double v = e.type() == PrimitiveType.DOUBLE || e instanceof Expr.Literal ? Build.constantValue(e) : null;
        return v != null && movable(v) ? new Scaled(v, null, true) : new Scaled(1, e, false);
    }

    static boolean movable(double c) {
        double m = Math.abs(c);
        return m >= 1 / LIMIT && m <= LIMIT;
    }

    /** int factors would multiply as int, and may overflow, once they stand next to each other. */
    private static boolean allDouble(Expr rest) {
        if (rest instanceof Expr.Binary m && m.op() == BinaryOp.MUL && m.type() == PrimitiveType.DOUBLE) {
            return allDouble(m.left()) && allDouble(m.right());
        }
        if (rest instanceof Expr.Unary u && u.op() == UnaryOp.NEG && u.type() == PrimitiveType.DOUBLE) {
            return allDouble(u.operand());
        }
        return rest.type() == PrimitiveType.DOUBLE;
    }
}
