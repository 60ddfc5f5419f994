package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour of generated gradients for the {@code double} functions of {@link Math} and {@link StrictMath}: each
 * function on its own (against finite differences and its closed-form derivative), {@code pow} with literal and
 * differentiated exponents, the piecewise-constant functions, compositions, the documented conventions at kinks,
 * and NaN. Three source classes are compiled once, together.
 */
class MathFunctionGradientTest {
    private static final String FUNCTIONS = "com.example.Functions";
    private static final String STRICT = "com.example.StrictFunctions";
    private static final String IMPORTED = "com.example.StaticallyImported";

    static final String FUNCTIONS_SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Functions {
                private static final double EXPONENT = 2.5;

                private Functions() {
                }

                @Differentiable public static double mathSin(double x) { return Math.sin(x); }
                @Differentiable public static double mathCos(double x) { return Math.cos(x); }
                @Differentiable public static double mathTan(double x) { return Math.tan(x); }
                @Differentiable public static double mathAsin(double x) { return Math.asin(x); }
                @Differentiable public static double mathAcos(double x) { return Math.acos(x); }
                @Differentiable public static double mathAtan(double x) { return Math.atan(x); }
                @Differentiable public static double mathAtan2(double y, double x) { return Math.atan2(y, x); }
                @Differentiable public static double mathSinh(double x) { return Math.sinh(x); }
                @Differentiable public static double mathCosh(double x) { return Math.cosh(x); }
                @Differentiable public static double mathTanh(double x) { return Math.tanh(x); }
                @Differentiable public static double mathExp(double x) { return Math.exp(x); }
                @Differentiable public static double mathExpm1(double x) { return Math.expm1(x); }
                @Differentiable public static double mathLog(double x) { return Math.log(x); }
                @Differentiable public static double mathLog10(double x) { return Math.log10(x); }
                @Differentiable public static double mathLog1p(double x) { return Math.log1p(x); }
                @Differentiable public static double mathSqrt(double x) { return Math.sqrt(x); }
                @Differentiable public static double mathCbrt(double x) { return Math.cbrt(x); }
                @Differentiable public static double mathPow(double x, double y) { return Math.pow(x, y); }
                @Differentiable public static double mathHypot(double x, double y) { return Math.hypot(x, y); }
                @Differentiable public static double mathAbs(double x) { return Math.abs(x); }
                @Differentiable public static double mathMax(double x, double y) { return Math.max(x, y); }
                @Differentiable public static double mathMin(double x, double y) { return Math.min(x, y); }
                @Differentiable public static double mathToRadians(double x) { return Math.toRadians(x); }
                @Differentiable public static double mathToDegrees(double x) { return Math.toDegrees(x); }
                @Differentiable public static double mathFma(double x, double y, double z) { return Math.fma(x, y, z); }
                @Differentiable public static double quotient(double x, double y) { return x / y; }

                @Differentiable public static double powExponentZero(double x) { return Math.pow(x, 0); }
                @Differentiable public static double powExponentOne(double x) { return Math.pow(x, 1); }
                @Differentiable public static double powExponentTwo(double x) { return Math.pow(x, 2); }
                @Differentiable public static double powExponentThree(double x) { return Math.pow(x, 3); }
                @Differentiable public static double powExponentMinusOne(double x) { return Math.pow(x, -1); }
                @Differentiable public static double powExponentHalf(double x) { return Math.pow(x, 0.5); }

                @Differentiable
                public static double powLiteralExponentForms(double x) {
                    return Math.pow(x, 2.0) + Math.pow(x, 0x1p1) + Math.pow(x, 1_5e-1) + Math.pow(x, 3L)
                            + Math.pow(x, 0b11) + Math.pow(x, -0.5) + Math.pow(x, EXPONENT) + Math.pow(x, 2d);
                }

                @Differentiable public static double powIntExponent(double x, int n) { return Math.pow(x, n); }
                @Differentiable public static double powIntBase(int n, double y) { return Math.pow(n, y); }
                @Differentiable public static double powSelf(double x) { return Math.pow(x, x); }

                @Differentiable public static double atan2IntAbscissa(double y, int n) { return Math.atan2(y, n); }
                @Differentiable public static double atan2LongOrdinate(long k, double x) { return Math.atan2(k, x); }
                @Differentiable public static double maxWithConstant(double x) { return Math.max(x, 2.0); }
                @Differentiable public static double minWithInt(double x, int n) { return Math.min(n, x); }
                @Differentiable public static double absOfExpression(double x, double y) { return Math.abs(x * y - 1); }

                @Differentiable
                public static double piecewiseConstant(double x, double y) {
                    return x * Math.floor(y) + Math.round(x) + Math.ceil(x) * y + Math.rint(y) + Math.signum(x - 2) * x;
                }

                @Differentiable
                public static double sinOfExpOfProduct(double x, double y) {
                    return Math.sin(Math.exp(x * y));
                }

                @Differentiable
                public static double logTimesAtan(double x, double y) {
                    return Math.log(1 + x * x) * Math.atan(y / x);
                }

                @Differentiable
                public static double mixedComposition(double x, double y) {
                    return Math.sqrt(Math.hypot(x, y) + Math.exp(-x * y)) + Math.tanh(Math.pow(x, y))
                            + Math.cosh(Math.sin(x)) - Math.log10(Math.fma(x, x, y * y)) * Math.toDegrees(y);
                }

                @Differentiable
                public static double longChain(double x) {
                    return Math.log(Math.cosh(Math.atan(Math.sinh(Math.cbrt(Math.expm1(Math.log1p(x * x)))))));
                }
            }
            """;

    static final String STRICT_SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class StrictFunctions {
                private StrictFunctions() {
                }

                @Differentiable
                public static double strictTrigonometry(double x) {
                    return StrictMath.sin(x) + StrictMath.cos(x) + StrictMath.tan(x) + StrictMath.asin(x)
                            + StrictMath.acos(x) + StrictMath.atan(x);
                }

                @Differentiable
                public static double strictExpAndLog(double x) {
                    return StrictMath.sinh(x) + StrictMath.cosh(x) + StrictMath.tanh(x) + StrictMath.exp(x)
                            + StrictMath.expm1(x) + StrictMath.log(x) + StrictMath.log10(x) + StrictMath.log1p(x)
                            + StrictMath.sqrt(x) + StrictMath.cbrt(x);
                }

                @Differentiable
                public static double strictBinary(double x, double y) {
                    return StrictMath.atan2(y, x) + StrictMath.pow(x, y) + StrictMath.hypot(x, y)
                            + StrictMath.max(x, y) + StrictMath.min(x, y) + StrictMath.fma(x, y, x)
                            + StrictMath.abs(x - y) + StrictMath.toRadians(x) + StrictMath.toDegrees(y)
                            + StrictMath.pow(x, 3) + StrictMath.pow(y, 0.5) + StrictMath.PI * StrictMath.E;
                }

                @Differentiable
                public static double strictPiecewise(double x, double y) {
                    return x * StrictMath.floor(y) + StrictMath.ceil(x) * y + StrictMath.rint(y) * x
                            + StrictMath.signum(y) * x + StrictMath.round(x) * y;
                }
            }
            """;

    static final String IMPORTED_SOURCE = """
            package com.example;

            import static java.lang.Math.*;
            import static java.lang.StrictMath.exp;

            import dev.leibniz.Differentiable;

            public final class StaticallyImported {
                private StaticallyImported() {
                }

                @Differentiable
                public static double unqualified(double x, double y) {
                    return sin(x) * cos(y) + tan(x / 4) + atan2(y, x) + sqrt(x * y) + pow(x, 3) + pow(x, y)
                            + hypot(x, y) + max(x, y) * min(x, E) + abs(x - y) + log(x) + PI * x;
                }

                @Differentiable
                public static double singleStaticImportWins(double x) {
                    return exp(x) * x;
                }
            }
            """;

    private static Compiled compiled;
    private static GradientCheck check;
    private static GradientCheck strict;
    private static GradientCheck imported;

    @BeforeAll
    static void compile() {
        compiled = Compiled.compile(FUNCTIONS, FUNCTIONS_SOURCE, STRICT, STRICT_SOURCE, IMPORTED, IMPORTED_SOURCE);
        check = new GradientCheck(compiled, FUNCTIONS);
        strict = new GradientCheck(compiled, STRICT);
        imported = new GradientCheck(compiled, IMPORTED);
    }

    private static double derivative(String method, Object... args) {
        return check.gradient(method, args)[1];
    }

    /** {@code actual} equals the closed form {@code expected} to 1e-15, relative where it exceeds one. */
    private static void assertClosedForm(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-15 * Math.max(1.0, Math.abs(expected)), what);
    }

    /** Checks a one-argument function against finite differences and against its closed-form derivative. */
    private static void checkUnary(String method, double x, double expectedDerivative) {
        check.check(method, x);
        assertClosedForm(expectedDerivative, derivative(method, x), method + "'(" + x + ")");
    }

    // ---- every function on its own ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(doubles = {-2.5, -0.3, 0.0, 0.7, 3.0, 100.0})
    void sinDifferentiatesToCos(double x) {
        checkUnary("mathSin", x, Math.cos(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.5, -0.3, 0.0, 0.7, 3.0, 100.0})
    void cosDifferentiatesToMinusSin(double x) {
        checkUnary("mathCos", x, -Math.sin(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.2, -0.3, 0.0, 0.7, 1.0})
    void tanDifferentiatesToOnePlusTanSquared(double x) {
        checkUnary("mathTan", x, 1 + Math.tan(x) * Math.tan(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.9, -0.3, 0.0, 0.5, 0.95})
    void asinDifferentiatesToOneOverSqrtOfOneMinusSquare(double x) {
        checkUnary("mathAsin", x, 1 / Math.sqrt(1 - x * x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.9, -0.3, 0.0, 0.5, 0.95})
    void acosDifferentiatesToMinusOneOverSqrtOfOneMinusSquare(double x) {
        checkUnary("mathAcos", x, -1 / Math.sqrt(1 - x * x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-20.0, -0.3, 0.0, 0.7, 3.0})
    void atanDifferentiatesToOneOverOnePlusSquare(double x) {
        checkUnary("mathAtan", x, 1 / (1 + x * x));
    }

    @ParameterizedTest
    @CsvSource({"1.0, 2.0", "-1.0, 2.0", "1.0, -2.0", "-1.0, -2.0", "0.0, 3.0", "5.0, 0.0", "0.3, -40.0"})
    void atan2InEveryQuadrant(double y, double x) {
        check.check("mathAtan2", y, x);
        double[] g = check.gradient("mathAtan2", y, x);
        assertClosedForm(x / (x * x + y * y), g[1], "d/dy");
        assertClosedForm(-y / (x * x + y * y), g[2], "d/dx");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.5, -0.3, 0.0, 0.7, 3.0})
    void sinhDifferentiatesToCosh(double x) {
        checkUnary("mathSinh", x, Math.cosh(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.5, -0.3, 0.0, 0.7, 3.0})
    void coshDifferentiatesToSinh(double x) {
        checkUnary("mathCosh", x, Math.sinh(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.5, -0.3, 0.0, 0.7, 3.0})
    void tanhDifferentiatesToOneMinusTanhSquared(double x) {
        checkUnary("mathTanh", x, 1 - Math.tanh(x) * Math.tanh(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-5.0, -0.3, 0.0, 0.7, 10.0})
    void expIsItsOwnDerivative(double x) {
        checkUnary("mathExp", x, Math.exp(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-5.0, -0.3, 1e-8, 0.7, 10.0})
    void expm1DifferentiatesToExp(double x) {
        checkUnary("mathExpm1", x, Math.exp(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 1.0, 1.5, 40.0, 1e6})
    void logDifferentiatesToReciprocal(double x) {
        checkUnary("mathLog", x, 1 / x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 1.0, 1.5, 40.0, 1e6})
    void log10DifferentiatesToReciprocalOverLnTen(double x) {
        checkUnary("mathLog10", x, 1 / (x * Math.log(10)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.5, 0.0, 1e-9, 0.2, 3.0})
    void log1pDifferentiatesToReciprocalOfOnePlus(double x) {
        checkUnary("mathLog1p", x, 1 / (1 + x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 2.0, 100.0, 1e8})
    void sqrtDifferentiatesToHalfOverSqrt(double x) {
        checkUnary("mathSqrt", x, 0.5 / Math.sqrt(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-8.0, -0.3, 0.5, 27.0})
    void cbrtDifferentiatesToOneThirdOverCbrtSquared(double x) {
        checkUnary("mathCbrt", x, 1 / (3 * Math.cbrt(x) * Math.cbrt(x)));
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.3", "0.7, -1.2", "3.0, 0.5", "2.0, 0.0", "10.0, 3.0"})
    void powWithDifferentiatedBaseAndExponent(double x, double y) {
        check.check("mathPow", x, y);
        double[] g = check.gradient("mathPow", x, y);
        assertEquals(y * Math.pow(x, y - 1), g[1], 1e-14 * Math.max(1, Math.abs(g[1])), "d/dx");
        assertEquals(Math.pow(x, y) * Math.log(x), g[2], 1e-14 * Math.max(1, Math.abs(g[2])), "d/dy");
    }

    @ParameterizedTest
    @CsvSource({"3.0, 4.0", "-1.5, 0.2", "0.5, -7.0", "0.3, -0.4"})
    void hypotDifferentiatesToCoordinateOverLength(double x, double y) {
        check.check("mathHypot", x, y);
        double[] g = check.gradient("mathHypot", x, y);
        assertClosedForm(x / Math.hypot(x, y), g[1], "d/dx");
        assertClosedForm(y / Math.hypot(x, y), g[2], "d/dy");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.5, -0.3, 0.7, 3.0})
    void absDifferentiatesToSignum(double x) {
        checkUnary("mathAbs", x, Math.signum(x));
    }

    @ParameterizedTest
    @CsvSource({"1.0, 2.0", "2.0, 1.0", "-3.0, -0.5", "-0.5, -3.0"})
    void maxPassesTheAdjointToTheLargerArgument(double x, double y) {
        check.check("mathMax", x, y);
        double[] g = check.gradient("mathMax", x, y);
        assertEquals(x > y ? 1.0 : 0.0, g[1]);
        assertEquals(x > y ? 0.0 : 1.0, g[2]);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 2.0", "2.0, 1.0", "-3.0, -0.5", "-0.5, -3.0"})
    void minPassesTheAdjointToTheSmallerArgument(double x, double y) {
        check.check("mathMin", x, y);
        double[] g = check.gradient("mathMin", x, y);
        assertEquals(x < y ? 1.0 : 0.0, g[1]);
        assertEquals(x < y ? 0.0 : 1.0, g[2]);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-270.0, 0.0, 45.0, 1e4})
    void toRadiansDifferentiatesToPiOver180(double x) {
        checkUnary("mathToRadians", x, Math.PI / 180);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3.0, 0.0, 0.5, 1e3})
    void toDegreesDifferentiatesTo180OverPi(double x) {
        checkUnary("mathToDegrees", x, 180 / Math.PI);
    }

    @ParameterizedTest
    @CsvSource({"1.5, -2.0, 0.25", "0.0, 3.0, -1.0", "-7.0, 0.125, 1e3"})
    void fmaDifferentiatesLikeProductPlusAddend(double x, double y, double z) {
        check.check("mathFma", x, y, z);
        assertArrayEquals(new double[] {Math.fma(x, y, z), y, x, 1.0}, check.gradient("mathFma", x, y, z));
    }

    // ---- pow with literal and integer exponents --------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, 0.5, 3.0})
    void powWithLiteralExponentZeroIsConstant(double x) {
        check.check("powExponentZero", x);
        assertArrayEquals(new double[] {1.0, 0.0}, check.gradient("powExponentZero", x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, 0.5, 3.0})
    void powWithLiteralExponentOneDifferentiatesLikeTheIdentity(double x) {
        checkUnary("powExponentOne", x, 1.0);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, 0.0, 0.5, 3.0})
    void powWithLiteralExponentTwoDifferentiatesLikeASquare(double x) {
        checkUnary("powExponentTwo", x, 2 * x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, 0.0, 0.5, 3.0})
    void powWithLiteralExponentThreeDifferentiatesLikeACube(double x) {
        checkUnary("powExponentThree", x, 3 * x * x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, 0.5, 3.0})
    void powWithLiteralExponentMinusOneDifferentiatesLikeAReciprocal(double x) {
        checkUnary("powExponentMinusOne", x, -1 / (x * x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.04, 0.5, 3.0, 1e4})
    void powWithLiteralExponentHalfDifferentiatesLikeASquareRoot(double x) {
        checkUnary("powExponentHalf", x, 0.5 / Math.sqrt(x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.04, 0.5, 3.0, 17.0})
    void powLiteralExponentsInEveryFormAndPrivateConstantExponent(double x) {
        check.check("powLiteralExponentForms", x);
        double expected = 2 * x + 2 * x + 1.5 * Math.sqrt(x) + 3 * x * x + 3 * x * x - 0.5 * Math.pow(x, -1.5)
                + 2.5 * Math.pow(x, 1.5) + 2 * x;
        assertEquals(expected, derivative("powLiteralExponentForms", x), 1e-14 * Math.abs(expected));
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-2.0, 2", "0.5, -2", "3.0, 0", "-1.25, 5"})
    void powWithIntExponentParameter(double x, int n) {
        check.check("powIntExponent", x, n);
        assertEquals(n == 0 ? 0.0 : n * Math.pow(x, n - 1), derivative("powIntExponent", x, n), 1e-14);
    }

    @ParameterizedTest
    @CsvSource({"2, 1.5", "10, -0.5", "3, 0.0"})
    void powWithIntBaseDifferentiatesInTheExponent(int n, double y) {
        check.check("powIntBase", n, y);
        assertClosedForm(Math.pow(n, y) * Math.log(n), derivative("powIntBase", n, y), "d/dy");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 1.0, 2.5})
    void powOfVariableToItselfUsesBothRules(double x) {
        check.check("powSelf", x);
        assertEquals(Math.pow(x, x) * (Math.log(x) + 1), derivative("powSelf", x), 1e-14);
    }

    // ---- integer and long operands of binary functions ------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-0.5, -7", "1.5, 100000", "2.0, -65536"})
    void atan2WithIntAbscissa(double y, int n) {
        check.check("atan2IntAbscissa", y, n);
        assertClosedForm((double) n / ((double) n * n + y * y), derivative("atan2IntAbscissa", y, n), "d/dy");
    }

    @ParameterizedTest
    @CsvSource({"3, 1.5", "-7, -0.5", "5000000000, 2.0"})
    void atan2WithLongOrdinate(long k, double x) {
        check.check("atan2LongOrdinate", k, x);
        assertClosedForm(-(double) k / (x * x + (double) k * k), derivative("atan2LongOrdinate", k, x), "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.0, 3", "5.0, 3", "-2.0, -1"})
    void minWithIntArgument(double x, int n) {
        check.check("minWithInt", x, n);
        assertEquals(x < n ? 1.0 : 0.0, derivative("minWithInt", x, n));
    }

    // ---- piecewise constant functions ------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"1.3, 2.2", "-0.7, 3.6", "2.6, -1.2", "5.1, 0.3"})
    void floorCeilRintSignumRoundCarryNoDerivative(double x, double y) {
        check.check("piecewiseConstant", x, y);
        double[] g = check.gradient("piecewiseConstant", x, y);
        assertEquals(Math.floor(y) + Math.signum(x - 2), g[1], 0.0, "d/dx");
        assertEquals(Math.ceil(x), g[2], 0.0, "d/dy");
    }

    // ---- compositions ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"0.5, 0.3", "-1.0, 0.7", "1.2, 1.1"})
    void sinOfExpOfProductChainsThroughEveryLayer(double x, double y) {
        check.check("sinOfExpOfProduct", x, y);
        double[] g = check.gradient("sinOfExpOfProduct", x, y);
        double e = Math.exp(x * y);
        assertEquals(Math.cos(e) * e * y, g[1], 1e-14);
        assertEquals(Math.cos(e) * e * x, g[2], 1e-14);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 0.3", "-1.0, 0.7", "2.5, -4.0"})
    void logTimesAtanOfQuotient(double x, double y) {
        check.check("logTimesAtan", x, y);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 0.3", "1.7, 0.7", "2.5, 1.5"})
    void mixedCompositionOfManyFunctions(double x, double y) {
        check.check("mixedComposition", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.3, 0.2, 0.9, 2.0})
    void longChainOfUnaryFunctions(double x) {
        check.check("longChain", x);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 3.0", "-2.0, 3.0", "0.5, 0.5"})
    void absOfExpression(double x, double y) {
        check.check("absOfExpression", x, y);
    }

    // ---- StrictMath and static imports ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(doubles = {-0.9, -0.3, 0.0, 0.5, 0.95})
    void strictMathTrigonometricFunctions(double x) {
        strict.check("strictTrigonometry", x);
        double expected = StrictMath.cos(x) - StrictMath.sin(x) + 1 / (StrictMath.cos(x) * StrictMath.cos(x))
                + 1 / StrictMath.sqrt(1 - x * x) - 1 / StrictMath.sqrt(1 - x * x) + 1 / (1 + x * x);
        assertEquals(expected, strict.gradient("strictTrigonometry", x)[1], 1e-14);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.5, 2.0, 7.0})
    void strictMathExponentialsAndLogarithms(double x) {
        strict.check("strictExpAndLog", x);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.3", "0.7, 1.2", "3.0, 0.5", "2.0, 4.0"})
    void strictMathBinaryFunctions(double x, double y) {
        strict.check("strictBinary", x, y);
    }

    @ParameterizedTest
    @CsvSource({"1.3, 2.2", "-0.7, 3.6", "2.6, -1.2"})
    void strictMathPiecewiseConstantFunctions(double x, double y) {
        strict.check("strictPiecewise", x, y);
        double[] g = strict.gradient("strictPiecewise", x, y);
        assertEquals(Math.floor(y) + Math.rint(y) + Math.signum(y), g[1], 0.0);
        assertEquals(Math.ceil(x) + Math.round(x), g[2], 0.0);
    }

    @Test
    void strictMathDerivativesUseStrictMathOnly() {
        String generated = code(compiled.generatedSource(STRICT + "Gradient"));
        assertTrue(generated.contains("StrictMath."), generated);
        assertFalse(Pattern.compile("(?<!Strict)Math\\.").matcher(generated).find(),
                "a StrictMath function's derivative must stay reproducible: use StrictMath, not Math\n" + generated);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.3", "0.7, 1.2", "3.0, 0.5"})
    void staticallyImportedFunctionsAndConstantsAreRecognised(double x, double y) {
        imported.check("unqualified", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3.7, 0.1, 0.9, 1.7, 11.3})
    void singleStaticImportShadowsOnDemandImport(double x) {
        imported.check("singleStaticImportWins", x);
        String generated = code(compiled.generatedSource(IMPORTED + "Gradient"));
        assertTrue(generated.contains("StrictMath.exp(x)"), "exp is StrictMath.exp here\n" + generated);
        assertEquals(StrictMath.exp(x) * (1 + x), imported.gradient("singleStaticImportWins", x)[1],
                1e-14 * StrictMath.exp(x) * Math.abs(1 + x));
    }

    // ---- conventions where the derivative does not exist ---------------------------------------------------

    @Test
    void absAtZeroHasDerivativeZero() {
        assertEquals(0.0, derivative("mathAbs", 0.0), 0.0);
        assertEquals(0.0, derivative("mathAbs", -0.0), 0.0);
        double[] g = check.gradient("absOfExpression", 1.0, 1.0);
        assertEquals(0.0, g[1], 0.0);
        assertEquals(0.0, g[2], 0.0);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3.0, 0.0, 1.5})
    void maxAndMinAtATieGiveHalfToEachArgument(double x) {
        assertArrayEquals(new double[] {x, 0.5, 0.5}, check.gradient("mathMax", x, x));
        assertArrayEquals(new double[] {x, 0.5, 0.5}, check.gradient("mathMin", x, x));
    }

    @Test
    void maxAtATieWithAConstantGivesHalf() {
        assertArrayEquals(new double[] {2.0, 0.5}, check.gradient("maxWithConstant", 2.0));
        assertArrayEquals(new double[] {3.0, 0.5}, check.gradient("minWithInt", 3.0, 3));
    }

    @Test
    void hypotAtTheOriginHasZeroGradient() {
        assertArrayEquals(new double[] {0.0, 0.0, 0.0}, check.gradient("mathHypot", 0.0, 0.0));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.5, 2.5})
    void powOfZeroBaseHasZeroExponentPartial(double y) {
        double[] g = check.gradient("mathPow", 0.0, y);
        assertEquals(Math.pow(0.0, y), g[0]);
        assertEquals(0.0, g[2], 0.0, "d/dy at base 0");
    }

    @Test
    void powWithZeroExponentHasZeroBasePartial() {
        assertEquals(0.0, check.gradient("mathPow", 0.0, 0.0)[1], 0.0);
        assertEquals(0.0, check.gradient("mathPow", 3.0, 0.0)[1], 0.0);
        assertEquals(0.0, check.gradient("powIntExponent", 0.0, 0)[1], 0.0);
    }

    @Test
    void sqrtAtZeroHasInfiniteDerivative() {
        assertEquals(Double.POSITIVE_INFINITY, derivative("mathSqrt", 0.0));
        assertEquals(Double.POSITIVE_INFINITY, derivative("powExponentHalf", 0.0));
    }

    /**
     * Where the original overflows, divides by zero or leaves its domain, the derivative is the closed form evaluated
     * in IEEE arithmetic, like the value: infinities and NaN come out, never an exception. As in JAX, the closed form
     * is evaluated even where the value is NaN: d/dx log(x) at x = -1 is 1/x = -1.
     */
    @ParameterizedTest(name = "{0}({1}, {2}) = {3}, partials {4}, {5}")
    @CsvSource({
            "quotient,    1.0,       0.0,  Infinity,  Infinity, -Infinity",
            "quotient,   -1.0,       0.0, -Infinity,  Infinity,  Infinity",
            "quotient,    0.0,       0.0,       NaN,  Infinity,       NaN",
            "quotient,    1.0,  Infinity,       0.0,       0.0,      -0.0",
            "mathLog,     0.0,          ,  -Infinity,  Infinity,",
            "mathLog,    -1.0,          ,       NaN,      -1.0,",
            "mathSqrt,   -1.0,          ,       NaN,       NaN,",
            "mathSqrt,  Infinity,       ,  Infinity,       0.0,",
            "mathExp,   Infinity,       ,  Infinity,  Infinity,",
            "mathExp,  -Infinity,       ,       0.0,       0.0,",
            "mathExp,     710.0,        ,  Infinity,  Infinity,",
            "mathAsin,    2.0,          ,       NaN,       NaN,",
            "mathAsin,    1.0,          ,  1.5707963267948966, Infinity,",
            "mathTanh,  Infinity,       ,       1.0,       0.0,",
            "mathAtan,  -Infinity,      , -1.5707963267948966, 0.0,",
            "mathPow,     0.0,      -1.0,  Infinity, -Infinity,       0.0"})
    void divisionByZeroOverflowAndDomainEdgesFollowIeeeWithoutException(String method, double x, Double y,
            double value, double dx, Double dy) {
        double[] g = y == null ? check.gradient(method, x) : check.gradient(method, x, y);
        double[] expected = y == null ? new double[] {value, dx} : new double[] {value, dx, dy};
        assertArrayEquals(expected, g, method + Arrays.toString(y == null ? new double[] {x} : new double[] {x, y}));
    }

    @Test
    void atan2AtTinyArgumentsKeepsItsRepresentableDerivative() {
        // d/dy atan2(y, x) = x / (x^2 + y^2) = 5e199 here; squaring 1e-200 underflows, so it must not be squared.
        double[] g = check.gradient("mathAtan2", 1e-200, 1e-200);
        assertEquals(5e199, g[1], 1e-14 * 5e199, "d/dy");
        assertEquals(-5e199, g[2], 1e-14 * 5e199, "d/dx");
    }

    @Test
    void localNamedMathDoesNotHideMathInGeneratedCode() {
        // Legal Java: with Math's members imported statically, a local may be called Math.
        Compiled local = Compiled.compile("com.example.Shadowing", """
                package com.example;

                import static java.lang.Math.*;

                import dev.leibniz.Differentiable;

                public final class Shadowing {
                    private Shadowing() {
                    }

                    @Differentiable
                    public static double localNamedMath(double x) {
                        double Math = sin(x);
                        return Math * x;
                    }
                }
                """);
        GradientCheck shadowing = new GradientCheck(local, "com.example.Shadowing");
        shadowing.check("localNamedMath", 0.7);
        assertEquals(Math.sin(0.7) + 0.7 * Math.cos(0.7), shadowing.gradient("localNamedMath", 0.7)[1], 1e-15);
    }

    // ---- NaN -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"mathSin", "mathTan", "mathAtan2", "mathLog", "mathSqrt", "mathPow", "mathHypot",
            "mathAbs", "mathMax", "mathMin", "mathFma", "powExponentTwo", "powExponentHalf", "powIntExponent",
            "maxWithConstant", "piecewiseConstant", "mixedComposition", "longChain"})
    void nanInputPropagatesToTheValueWithoutException(String method) {
        Method original = null;
        for (Method m : compiled.load(FUNCTIONS).getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                original = m;
            }
        }
        Class<?>[] types = original.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = types[i] == double.class ? (Object) Double.NaN : (Object) 2;
        }
        double[] g = check.gradient(method, args);
        assertTrue(Double.isNaN(g[0]), method + " of NaN must be NaN, was " + g[0]);
    }

    @Test
    void nanArgumentOfMaxOrMinGetsHalfTheAdjointLikeATie() {
        assertArrayEquals(new double[] {Double.NaN, 0.5, 0.5}, check.gradient("mathMax", Double.NaN, 1.0));
        assertArrayEquals(new double[] {Double.NaN, 0.5, 0.5}, check.gradient("mathMin", 1.0, Double.NaN));
    }

    /** The generated source without comments, which quote the original code. */
    private static String code(String source) {
        return source.lines()
                .filter(line -> !line.strip().startsWith("//") && !line.strip().startsWith("*")
                        && !line.strip().startsWith("/**"))
                .collect(Collectors.joining("\n"));
    }
}
