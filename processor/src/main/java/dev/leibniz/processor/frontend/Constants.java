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
            case DOUBLE -> realLiteral(((Number) value).doubleValue(), type, pos);
            case FLOAT -> realLiteral(((Number) value).floatValue(), type, pos);
        };
    }

    /** A double or float literal, or the field that names a value no literal writes (NaN, the infinities). */
    private static Expr realLiteral(double v, PrimitiveType type, SourcePos pos) {
        boolean isFloat = type == PrimitiveType.FLOAT;
        ClassRef boxed = ClassRef.of("java.lang", isFloat ? "Float" : "Double");
        if (Double.isNaN(v)) {
            return new Expr.FieldRef(boxed, "NaN", type, pos);
        }
        if (Double.isInfinite(v)) {
            return new Expr.FieldRef(boxed, v > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY", type, pos);
        }
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        String magnitude = isFloat ? Float.toString((float) Math.abs(v)) + "f" : Double.toString(Math.abs(v));
        return signed(negative, magnitude, type, pos);
    }

    private static Expr signed(boolean negative, String magnitude, PrimitiveType type, SourcePos pos) {
        Expr literal = new Expr.Literal(type, magnitude, pos);
        return negative ? new Expr.Unary(UnaryOp.NEG, literal, type, pos) : literal;
    }
}
