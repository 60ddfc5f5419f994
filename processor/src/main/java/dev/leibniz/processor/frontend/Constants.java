package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.ClassRef;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.UnaryOp;

/** Compile-time constants inlined into generated code where the field itself is out of reach. */
final class Constants {
    private Constants() {
    }

    static Expr literal(Object value, PrimitiveType type, SourcePos pos) {
        return switch (type) {
            case BOOLEAN -> new Expr.Literal(type, value.toString(), pos);
            case INT -> signed(((Number) value).longValue() < 0, Long.toString(Math.abs(((Number) value).longValue())),
                    type, pos);
            case LONG -> {
                long v = ((Number) value).longValue();
                String magnitude = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(v));
                yield signed(v < 0, magnitude + "L", type, pos);
            }
            case DOUBLE -> doubleLiteral(((Number) value).doubleValue(), pos);
        };
    }

    private static Expr doubleLiteral(double v, SourcePos pos) {
        ClassRef doubleClass = ClassRef.of("java.lang", "Double");
        if (Double.isNaN(v)) {
            return new Expr.FieldRef(doubleClass, "NaN", PrimitiveType.DOUBLE, pos);
        }
        if (Double.isInfinite(v)) {
            return new Expr.FieldRef(doubleClass, v > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY",
                    PrimitiveType.DOUBLE, pos);
        }
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        return signed(negative, Double.toString(Math.abs(v)), PrimitiveType.DOUBLE, pos);
    }

    private static Expr signed(boolean negative, String magnitude, PrimitiveType type, SourcePos pos) {
        Expr literal = new Expr.Literal(type, magnitude, pos);
        return negative ? new Expr.Unary(UnaryOp.NEG, literal, type, pos) : literal;
    }
}
