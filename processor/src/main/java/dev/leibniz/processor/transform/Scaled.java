package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code double} product seen as a constant times its other factors: {@code df * a * 100} and
 * {@code -(df * (100 * a))} are {@code 100} and {@code -100} times {@code df, a}. Two terms with the same factors
 * add as one product, which is how a person writes the product rule of {@code 100 * a * a}.
 */
record Scaled(double constant, List<Expr> factors) {
    /** {@code a + b} as one product when they have the same factors but for constants, or {@code null}. */
    static Expr sum(Expr a, Expr b) {
        Scaled x = of(a);
        Scaled y = of(b);
        double c = x.constant + y.constant;
        // int factors would multiply as int, and may overflow, once they stand next to each other
        if (x.factors.isEmpty() || x.factors.stream().anyMatch(f -> f.type() != PrimitiveType.DOUBLE)
                || !sameFactors(x.factors, y.factors) || c == 0 || !Double.isFinite(c)) {
            return null;
        }
        Expr product = x.factors.get(0);
        for (Expr f : x.factors.subList(1, x.factors.size())) {
            product = Build.mul(product, f);
        }
        Expr scaled = Math.abs(c) == 1 ? product : Build.mul(Expr.Literal.ofDouble(Math.abs(c)), product);
        return c < 0 ? Build.neg(scaled) : scaled;
    }

    static Scaled of(Expr e) {
        if (e instanceof Expr.Binary m && m.op() == BinaryOp.MUL && m.type() == PrimitiveType.DOUBLE) {
            Scaled l = of(m.left());
            Scaled r = of(m.right());
            List<Expr> factors = new ArrayList<>(l.factors);
            factors.addAll(r.factors);
            return new Scaled(l.constant * r.constant, factors);
        }
        if (e instanceof Expr.Unary u && u.op() == UnaryOp.NEG && u.type() == PrimitiveType.DOUBLE) {
            Scaled s = of(u.operand());
            return new Scaled(-s.constant, s.factors);
        }
        Double v = e.type() == PrimitiveType.DOUBLE || e instanceof Expr.Literal ? Build.constantValue(e) : null;
        return v != null ? new Scaled(v, List.of()) : new Scaled(1, List.of(e));
    }

    /** The same factors, in any order. */
    private static boolean sameFactors(List<Expr> p, List<Expr> q) {
        if (p.size() != q.size()) {
            return false;
        }
        List<Expr> left = new ArrayList<>(q);
        for (Expr f : p) {
            int k = 0;
            while (k < left.size() && !Exprs.sameIgnoringPositions(f, left.get(k))) {
                k++;
            }
            if (k == left.size()) {
                return false;
            }
            left.remove(k);
        }
        return true;
    }
}
