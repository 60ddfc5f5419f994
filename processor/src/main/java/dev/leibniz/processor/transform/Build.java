package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.ClassRef;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.MathFunction;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.UnaryOp;
import java.util.List;

/** Builds the {@code double} expressions of generated derivative code, folding the trivial cases. */
final class Build {
    private Build() {
    }

    static final ClassRef MATH = ClassRef.of("java.lang", "Math");
    static final ClassRef BUFFERS = ClassRef.of("dev.leibniz", "Buffers");
    static final Expr ZERO = literal("0.0");
    static final Expr ONE = literal("1.0");

    static Expr literal(String text) {
        return new Expr.Literal(PrimitiveType.DOUBLE, text, SourcePos.NONE);
    }

    static Expr mul(Expr a, Expr b) {
        if (isOne(b)) {
            return a;
        }
        if (isOne(a)) {
            return b;
        }
        return binary(BinaryOp.MUL, a, b);
    }

    static Expr div(Expr a, Expr b) {
        return isOne(b) ? a : binary(BinaryOp.DIV, a, b);
    }

    static Expr add(Expr a, Expr b) {
        return binary(BinaryOp.ADD, a, b);
    }

    static Expr sub(Expr a, Expr b) {
        return binary(BinaryOp.SUB, a, b);
    }

    /** {@code e} widened to double when it is an integer, so that arithmetic on it cannot overflow. */
    static Expr asDouble(Expr e) {
        return e.type() == PrimitiveType.DOUBLE ? e : new Expr.Cast(PrimitiveType.DOUBLE, e, SourcePos.NONE);
    }

    static Expr neg(Expr a) {
        if (a instanceof Expr.Unary u && u.op() == UnaryOp.NEG) {
            return u.operand();
        }
        return new Expr.Unary(UnaryOp.NEG, a, PrimitiveType.DOUBLE, SourcePos.NONE);
    }

    static Expr math(ClassRef owner, MathFunction function, Expr... args) {
        return new Expr.MathCall(owner, function, List.of(args), PrimitiveType.DOUBLE, SourcePos.NONE);
    }

    static Expr cond(Expr condition, Expr whenTrue, Expr whenFalse) {
        return new Expr.Conditional(condition, whenTrue, whenFalse, PrimitiveType.DOUBLE, SourcePos.NONE);
    }

    static Expr cmp(BinaryOp op, Expr a, Expr b) {
        return new Expr.Binary(op, a, b, PrimitiveType.BOOLEAN, SourcePos.NONE);
    }

    private static Expr binary(BinaryOp op, Expr a, Expr b) {
        return Exprs.binary(op, a, b, PrimitiveType.DOUBLE, SourcePos.NONE);
    }

    /** A numeric literal (possibly negated) equal to zero. */
    static boolean isZero(Expr e) {
        Double v = constantValue(e);
        return v != null && v == 0.0;
    }

    private static boolean isOne(Expr e) {
        Double v = constantValue(e);
        return v != null && v == 1.0;
    }

    /** The value of a numeric literal (possibly negated), or {@code null} for anything else. */
    static Double constantValue(Expr e) {
        if (e instanceof Expr.Unary u && u.op() == UnaryOp.NEG) {
            Double v = constantValue(u.operand());
            return v == null ? null : -v;
        }
        if (!(e instanceof Expr.Literal literal) || literal.type() == PrimitiveType.BOOLEAN) {
            return null;
        }
        String text = literal.text().replace("_", "");
        if (text.endsWith("L") || text.endsWith("l")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            if (literal.type() == PrimitiveType.DOUBLE) {
                return Double.parseDouble(text);
            }
            return (double) Long.decode(text);
        } catch (NumberFormatException e2) {
            return null; // binary or octal integer literals: no folding, the general rule applies
        }
    }
}
