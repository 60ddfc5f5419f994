package dev.leibniz.processor.ir;

import java.util.Optional;

/**
 * The {@code double} functions of {@link java.lang.Math} and {@link java.lang.StrictMath} that Leibniz knows the
 * derivative of. Piecewise constant functions have derivative zero wherever they are differentiable; the
 * reverse-mode rules and their conventions at kinks live in {@code transform.DerivativeRules}.
 */
public enum MathFunction {
    SIN("sin", 1),
    COS("cos", 1),
    TAN("tan", 1),
    ASIN("asin", 1),
    ACOS("acos", 1),
    ATAN("atan", 1),
    ATAN2("atan2", 2),
    SINH("sinh", 1),
    COSH("cosh", 1),
    TANH("tanh", 1),
    EXP("exp", 1),
    EXPM1("expm1", 1),
    LOG("log", 1),
    LOG10("log10", 1),
    LOG1P("log1p", 1),
    SQRT("sqrt", 1),
    CBRT("cbrt", 1),
    POW("pow", 2),
    HYPOT("hypot", 2),
    ABS("abs", 1),
    MAX("max", 2),
    MIN("min", 2),
    TO_RADIANS("toRadians", 1),
    TO_DEGREES("toDegrees", 1),
    FMA("fma", 3),
    IEEE_REMAINDER("IEEEremainder", 2),
    COPY_SIGN("copySign", 2),
    NEXT_UP("nextUp", 1),
    NEXT_DOWN("nextDown", 1),
    NEXT_AFTER("nextAfter", 2),
    /** {@code scalb(double d, int scaleFactor)}: its second argument is an {@code int}. */
    SCALB("scalb", 2),
    ULP("ulp", 1, true),
    FLOOR("floor", 1, true),
    CEIL("ceil", 1, true),
    RINT("rint", 1, true),
    SIGNUM("signum", 1, true),
    ROUND("round", 1, true);

    private final String javaName;
    private final int arity;
    private final boolean piecewiseConstant;

    MathFunction(String javaName, int arity) {
        this(javaName, arity, false);
    }

    MathFunction(String javaName, int arity, boolean piecewiseConstant) {
        this.javaName = javaName;
        this.arity = arity;
        this.piecewiseConstant = piecewiseConstant;
    }

    public String javaName() {
        return javaName;
    }

    public int arity() {
        return arity;
    }

    /** Whether argument {@code i} is an {@code int}, not a {@code double}. */
    public boolean takesInt(int i) {
        return this == SCALB && i == 1;
    }

    /** Derivative zero almost everywhere: the result carries no derivative. */
    public boolean isPiecewiseConstant() {
        return piecewiseConstant;
    }

    public static Optional<MathFunction> forName(String name, int arity) {
        for (MathFunction f : values()) {
            if (f.javaName.equals(name) && f.arity == arity) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
