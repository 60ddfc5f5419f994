package dev.leibniz.processor.ir;

/**
 * The primitive types of the differentiable subset. Only {@code double} and {@code float} values carry derivatives
 * ({@link #isReal}); a {@code float} value's derivative is computed in {@code double}.
 */
public enum PrimitiveType implements Type {
    DOUBLE("double", "0.0"),
    FLOAT("float", "0.0f"),
    LONG("long", "0L"),
    INT("int", "0"),
    BOOLEAN("boolean", "false");

    private final String keyword;
    private final String zero;

    PrimitiveType(String keyword, String zero) {
        this.keyword = keyword;
        this.zero = zero;
    }

    public String keyword() {
        return keyword;
    }

    /** Source text of this type's default value, used where Java needs a definitely assigned local. */
    public String zero() {
        return zero;
    }

    public boolean isNumeric() {
        return this != BOOLEAN;
    }

    /** Whether values of this type carry derivatives: {@code double} and {@code float}. */
    public boolean isReal() {
        return this == DOUBLE || this == FLOAT;
    }

    /** Whether {@code type} is {@code double} or {@code float}. */
    public static boolean isReal(Type type) {
        return type instanceof PrimitiveType p && p.isReal();
    }

    /** Binary numeric promotion (JLS 5.6.2) restricted to the subset. */
    public static PrimitiveType promote(PrimitiveType a, PrimitiveType b) {
        if (a == DOUBLE || b == DOUBLE) {
            return DOUBLE;
        }
        if (a == FLOAT || b == FLOAT) {
            return FLOAT;
        }
        if (a == LONG || b == LONG) {
            return LONG;
        }
        return INT;
    }

    /** Whether a value of type {@code from} converts to {@code to} by identity or widening (JLS 5.1.2). */
    public boolean widensTo(PrimitiveType to) {
        if (this == to) {
            return true;
        }
        if (this == BOOLEAN || to == BOOLEAN) {
            return false;
        }
        return to.ordinal() < ordinal();
    }
}
