package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.UnaryOp;

/**
 * A {@code double} term as a sign and a magnitude: {@code 2.0 * (-da * x[i])} is minus {@code 2.0 * (da * x[i])}.
 * Negating a factor negates a product or quotient exactly, and {@code a + b == b + a} exactly, so a sum of such terms
 * can be written with subtractions instead of negations, as a person writes it: {@code -db + 2.0 * (-da * x[i])}
 * is {@code -2.0 * (da * x[i]) - db}, the same number with no sign flips left for the machine to do.
 */
record Signed(boolean negative, Expr magnitude) {
    static Signed of(Expr e) {
        if (e instanceof Expr.Unary u && u.op() == UnaryOp.NEG && u.type() == PrimitiveType.DOUBLE
                && u.operand().type() == PrimitiveType.DOUBLE) {
            Signed s = of(u.operand());
            return new Signed(!s.negative, s.magnitude);
        }
        if (e instanceof Expr.Binary b && (b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)
                && b.type() == PrimitiveType.DOUBLE) {
            Signed l = of(b.left());
            Signed r = of(b.right());
            if (l.negative || r.negative) {
                return new Signed(l.negative != r.negative,
                        Exprs.binary(b.op(), l.magnitude, r.magnitude, b.type(), b.pos()));
            }
        }
        Double c = e instanceof Expr.Literal && e.type() == PrimitiveType.DOUBLE ? Build.constantValue(e) : null;
        if (c != null && c < 0) {
            return new Signed(true, Expr.Literal.ofDouble(-c));
        }
        return new Signed(false, e);
    }

    /** {@code a + b} with the signs of its terms turned into subtractions; exactly {@code a + b}. */
    static Expr sum(Expr a, Expr b) {
        Signed x = of(a);
        Signed y = of(b);
        if (!x.negative) {
            return y.negative ? Build.sub(x.magnitude, y.magnitude) : Build.add(x.magnitude, y.magnitude);
        }
        if (!y.negative) {
            return Build.sub(y.magnitude, x.magnitude);
        }
        // -u - v: a negative constant factor takes the sign of the whole
        Expr u = negatedConstantFactor(y.magnitude);
        if (u != null) {
            return Build.sub(u, x.magnitude);
        }
        u = negatedConstantFactor(x.magnitude);
        return u != null ? Build.sub(u, y.magnitude) : Build.neg(Build.add(x.magnitude, y.magnitude));
    }

    /** {@code -c * t} for {@code c * t} with a positive literal {@code c}, exactly its negation; else {@code null}. */
    private static Expr negatedConstantFactor(Expr e) {
        if (e instanceof Expr.Binary m && m.op() == BinaryOp.MUL && m.type() == PrimitiveType.DOUBLE
                && m.left() instanceof Expr.Literal && Build.constantValue(m.left()) != null
                && Build.constantValue(m.left()) > 0) {
            return Build.mul(Expr.Literal.ofDouble(-Build.constantValue(m.left())), m.right());
        }
        return null;
    }
}
