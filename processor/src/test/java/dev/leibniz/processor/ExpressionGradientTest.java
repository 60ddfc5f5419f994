package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour of generated gradients for the expression language of a {@code @Differentiable} method: operators,
 * grouping, numeric promotion, casts, literals, constants, locals, assignments and integer helpers. Every method
 * of {@link #SOURCE} is compiled once; each test checks one of them at several points, away from any kink.
 */
class ExpressionGradientTest {
    private static final String CLASS = "com.example.Expressions";

    static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Expressions {
                public static final double SCALE = 2.5;
                static final double OFFSET = -0.75;
                private static final double RATE = 1.5e-1;
                private static final int COUNT = 3;
                private static final long BIG = 10_000_000_000L;
                private static final double TWO_PI = 2 * Math.PI;
                private static final double NEGATIVE = -4.0;
                private static final int INT_MIN = Integer.MIN_VALUE;
                private static final long LONG_MIN = Long.MIN_VALUE;
                private static final double HUGE = Double.MAX_VALUE;
                private static final double TINY = Double.MIN_VALUE;
                private static final double INFINITE = Double.POSITIVE_INFINITY;
                private static final double NEGATIVE_ZERO = -0.0;

                private Expressions() {
                }

                static final class Units {
                    static final double CENTI = 0.01;
                    private Units() {
                    }
                }

                private static final class Hidden {
                    private static final double FACTOR = 1.25;
                }

                static int fact(int n) {
                    return n <= 1 ? 1 : n * fact(n - 1);
                }

                @Differentiable
                public static double add(double a, double b) {
                    return a + b;
                }

                @Differentiable
                public static double subtract(double a, double b) {
                    return a - b;
                }

                @Differentiable
                public static double multiply(double a, double b) {
                    return a * b;
                }

                @Differentiable
                public static double divide(double a, double b) {
                    return a / b;
                }

                @Differentiable
                public static double unarySigns(double x, double y) {
                    return -x * +y + -(x - y) + +(x * x) - -y;
                }

                @Differentiable
                public static double rightGroupedSubtraction(double a, double b, double c) {
                    return a - (b - c);
                }

                @Differentiable
                public static double rightGroupedDivision(double a, double b, double c) {
                    return a / (b * c) + a / (b / c) - a * (b - c) / (a + (b + c));
                }

                @Differentiable
                public static double intTimesDouble(double x, int n) {
                    return x * n + n * x * x;
                }

                @Differentiable
                public static double integerDivisionInside(double x, int n) {
                    return x * (n / 2) + n / 2 * x * x + x / 2 * n;
                }

                @Differentiable
                public static double castIntBeforeDividing(double x, int n) {
                    return (double) n / 3 * x + x / ((double) n / 4);
                }

                @Differentiable
                public static double castsToIntegersCarryNoDerivative(double x, double y) {
                    return x * (int) y + (long) (x * 10) + (double) (int) x * y;
                }

                @Differentiable
                public static double longParameter(double x, long k) {
                    return x * k + k / 3 * x * x + (double) k / 3 * x;
                }

                @Differentiable
                public static double mixedIntLongDouble(double x, long k, int n) {
                    return (x + k) * n / (k - n + x) + k * n * x;
                }

                @Differentiable
                public static double doubleLiteralForms(double x) {
                    return 1e-3 * x + 0x1p3 * x * x + 1_000.5 - 2d * x + .5 * x + 3. / x + 1E1 + 0x1.8p1 * x + 7D * x;
                }

                @Differentiable
                public static double intAndLongLiteralForms(double x) {
                    return 2 * x + 0x10 + 0b11 * x + 1_000 / x + 017 * x + 3L * x * x + 0xFFL / x;
                }

                @Differentiable
                public static double publicConstant(double x) {
                    return SCALE * x * x + Expressions.SCALE;
                }

                @Differentiable
                public static double packagePrivateConstant(double x) {
                    return x * x - OFFSET * x + OFFSET;
                }

                @Differentiable
                public static double privateConstants(double x) {
                    return RATE * x * x + COUNT * x - TWO_PI / x + x * NEGATIVE - NEGATIVE + BIG / (x * 1e10);
                }

                @Differentiable
                public static double mathConstants(double x) {
                    return Math.PI * x + Math.E * x * x + Math.PI / Math.E;
                }

                @Differentiable
                public static double declaredLocals(double x, double y) {
                    double s = x + y;
                    double p = x * y;
                    double q;
                    q = s * p;
                    return q - s / p;
                }

                @Differentiable
                public static double varLocals(double x, double y) {
                    var s = x * y;
                    var n = 3;
                    var q = s / n;
                    var sum = q + n;
                    return sum * x;
                }

                @Differentiable
                public static double reassignedLocal(double x, double y) {
                    double t = x * y;
                    t = t * t + x;
                    t = t - y;
                    return t * x;
                }

                @Differentiable
                public static double reassignedParameters(double x, double y) {
                    x = x * x;
                    y = y + x;
                    return x * y;
                }

                @Differentiable
                public static double compoundAssignments(double x, double y) {
                    double a = x;
                    a += y;
                    a -= 0.5 * x;
                    a *= y;
                    a /= x + 2;
                    return a;
                }

                @Differentiable
                public static double compoundMultiplyBySelfPlusOne(double x) {
                    x *= x + 1;
                    return x;
                }

                @Differentiable
                public static double compoundDivideByParameter(double x, double y) {
                    x /= y;
                    return x * x;
                }

                @Differentiable
                public static double compoundWithGroupedRightHandSide(double x, double y, double z) {
                    x -= y - z;
                    x /= y * z;
                    x *= y - z;
                    x += z - y;
                    return x;
                }

                @Differentiable
                public static double incrementedIntUsedLater(double x, int n) {
                    int k = n;
                    k++;
                    ++k;
                    k--;
                    --k;
                    k++;
                    return x * k + k / 2;
                }

                @Differentiable
                public static double incrementedDouble(double x) {
                    double d = x * x;
                    d++;
                    d++;
                    d--;
                    return d * x;
                }

                @Differentiable
                public static double ignoresSecondParameter(double x, @SuppressWarnings("leibniz") double y) {
                    return x * x + 3;
                }

                @Differentiable
                public static double intExpressionWidened(@SuppressWarnings("leibniz") double x, int n) {
                    return n * (int) x + n / 2;
                }

                @Differentiable
                public static double deepNesting(double x, double y) {
                    return ((((x + y) * (x - y)) / ((x * 2) + (y / 3))) - ((x / (y + 1)) * ((y - x) + 4)))
                            * ((x + 1) / (y + 2)) - (((x * y) - (y * (x - (y - (x * (y + 1)))))) / 7);
                }

                @Differentiable
                public static double fourthPower(double x) {
                    return x * x * x * x;
                }

                @Differentiable
                public static double overwrittenKeepsOldValues(double y) {
                    y = Math.sin(y);
                    y = y * y;
                    y = Math.exp(y);
                    y = y / (1 + y);
                    y = y * y - y;
                    return y;
                }

                @Differentiable
                public static double remainder(double x, double y) {
                    return x % y;
                }

                @Differentiable
                public static double remainderInsideProduct(double x, double y) {
                    return x % 0.75 * x + 7.5 % y * y;
                }

                @Differentiable
                public static double intHelperAsConstant(double x) {
                    return fact(3) * x + fact(4) / x;
                }

                @Differentiable
                public static double extremePrivateConstants(double x) {
                    return x * INT_MIN + x * LONG_MIN + x / HUGE * TINY + x * NEGATIVE_ZERO + (x < INFINITE ? 1 : 0) - -x;
                }

                @Differentiable
                public static double constantsOfOtherClasses(double x) {
                    return Integer.MAX_VALUE / x + Long.MAX_VALUE * x + Double.MIN_NORMAL * x + Units.CENTI * x * x
                            + Expressions.Units.CENTI + Hidden.FACTOR * x + java.lang.Math.PI * x;
                }

                @Differentiable
                public static double constantResult(@SuppressWarnings("leibniz") double x) {
                    return 2.5;
                }

                @Differentiable
                public static double localsNamedLikeGeneratedCode(double x, double y) {
                    double t1 = x * y;
                    double dx = t1 * t1;
                    double t = dx / y;
                    double dValue = t * x;
                    double value = dValue + Math.sin(dValue);
                    return value * dx;
                }

                @Differentiable
                public static double remainderAssignment(double x, double y) {
                    x %= y;
                    return x * y;
                }

                @Differentiable
                public static double selfReferencingCompoundAssignments(double x) {
                    double a = x;
                    a -= a * 0.5;
                    a /= a + 1;
                    a *= a;
                    a += a;
                    return a;
                }

                @Differentiable
                public static double intParameterOverwrittenAfterUse(double x, int n) {
                    double y = x * n;
                    n = n * 2;
                    y = y * n + x * n;
                    return y;
                }

                @Differentiable
                @SuppressWarnings("lossy-conversions") // the implicit narrowing is what this method is about
                public static double intCompoundAssignmentWithDoubleOperand(double x, int n) {
                    int k = n;
                    k += x;
                    k *= 1.5;
                    long m = n;
                    m -= x * 2;
                    return k * x + m;
                }
            }
            """;

    private static Compiled compiled;
    private static GradientCheck check;

    @BeforeAll
    static void compile() {
        compiled = Compiled.compile(CLASS, SOURCE);
        check = new GradientCheck(compiled, CLASS);
    }

    private static double[] gradient(String method, Object... args) {
        return check.gradient(method, args);
    }

    /** {@code actual} equals {@code expected} up to a few ulps of a closed form. */
    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-14 * Math.max(1.0, Math.abs(expected)), what);
    }

    // ---- arithmetic operators -------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-3.25, 0.5", "1e3, -7.0"})
    void additionPassesTheAdjointToBothOperands(double a, double b) {
        check.check("add", a, b);
        double[] g = gradient("add", a, b);
        assertEquals(1.0, g[1]);
        assertEquals(1.0, g[2]);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-3.25, 0.5", "1e3, -7.0"})
    void subtractionNegatesTheAdjointOfTheRightOperand(double a, double b) {
        check.check("subtract", a, b);
        double[] g = gradient("subtract", a, b);
        assertEquals(1.0, g[1]);
        assertEquals(-1.0, g[2]);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-3.25, 0.5", "1e3, -7.0"})
    void multiplicationGivesEachOperandTheOther(double a, double b) {
        check.check("multiply", a, b);
        double[] g = gradient("multiply", a, b);
        assertEquals(b, g[1]);
        assertEquals(a, g[2]);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-3.25, 0.5", "1e3, -7.0"})
    void divisionFollowsTheQuotientRule(double a, double b) {
        check.check("divide", a, b);
        double[] g = gradient("divide", a, b);
        assertClose(1 / b, g[1], "d/da");
        assertClose(-a / (b * b), g[2], "d/db");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, -2.5"})
    void unaryMinusAndPlusFlipAndKeepTheSign(double x, double y) {
        check.check("unarySigns", x, y);
        double[] g = gradient("unarySigns", x, y);
        assertClose(-y - 1 + 2 * x, g[1], "d/dx");
        assertClose(-x + 1 + 1, g[2], "d/dy");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0, 0.25", "-3.0, 0.5, 7.0", "10.0, -2.0, -4.0"})
    void parenthesisedSubtractionKeepsItsGrouping(double a, double b, double c) {
        check.check("rightGroupedSubtraction", a, b, c);
        double[] g = gradient("rightGroupedSubtraction", a, b, c);
        assertEquals(1.0, g[1]);
        assertEquals(-1.0, g[2]);
        assertEquals(1.0, g[3]);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0, 0.25", "-3.0, 0.5, 7.0", "10.0, -2.0, -4.5"})
    void parenthesisedDivisionAndProductKeepTheirGrouping(double a, double b, double c) {
        check.check("rightGroupedDivision", a, b, c);
    }

    // ---- numeric promotion and casts ------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-2.25, -4", "0.5, 0", "7.0, 100000"})
    void intOperandIsPromotedAndCarriesNoDerivative(double x, int n) {
        check.check("intTimesDouble", x, n);
        assertClose(n + 2.0 * n * x, gradient("intTimesDouble", x, n)[1], "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-2.25, 7", "0.5, -5", "3.0, 1"})
    void integerDivisionInsideDoubleExpressionTruncates(double x, int n) {
        check.check("integerDivisionInside", x, n);
        assertClose((n / 2) + 2.0 * (n / 2) * x + n / 2.0, gradient("integerDivisionInside", x, n)[1], "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-2.25, 7", "0.5, -5"})
    void castToDoubleBeforeDividingAvoidsIntegerDivision(double x, int n) {
        check.check("castIntBeforeDividing", x, n);
        assertClose(n / 3.0 + 4.0 / n, gradient("castIntBeforeDividing", x, n)[1], "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.234, 2.5", "-3.456, 0.75", "0.517, -1.6"})
    void castsToIntAndLongAreLocallyConstant(double x, double y) {
        check.check("castsToIntegersCarryNoDerivative", x, y);
        double[] g = gradient("castsToIntegersCarryNoDerivative", x, y);
        assertEquals((int) y, g[1], 0.0);
        assertEquals((int) x, g[2], 0.0);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 7", "-2.25, -10", "0.5, 10000000000"})
    void longParameterIsAnInputWithoutDerivative(double x, long k) {
        check.check("longParameter", x, k);
        assertClose(k + 2.0 * (k / 3) * x + k / 3.0, gradient("longParameter", x, k)[1], "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 7, 2", "-2.25, -10, 3", "0.5, 100, -4"})
    void intLongAndDoubleMixInOneExpression(double x, long k, int n) {
        check.check("mixedIntLongDouble", x, k, n);
    }

    // ---- literals and constants -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -2.75, 40.0})
    void doubleLiteralsInEveryFormHaveTheirValue(double x) {
        check.check("doubleLiteralForms", x);
        double expected = 1e-3 + 16 * x - 2 + 0.5 - 3 / (x * x) + 3 + 7;
        assertClose(expected, gradient("doubleLiteralForms", x)[1], "d/dx");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -2.75, 40.0})
    void intAndLongLiteralsInEveryFormHaveTheirValue(double x) {
        check.check("intAndLongLiteralForms", x);
        double expected = 2 + 3 - 1000 / (x * x) + 15 + 6 * x - 255 / (x * x);
        assertClose(expected, gradient("intAndLongLiteralForms", x)[1], "d/dx");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -2.75, 40.0})
    void publicConstantOfTheOwnClassIsReadSimpleAndQualified(double x) {
        check.check("publicConstant", x);
        assertClose(5 * x, gradient("publicConstant", x)[1], "d/dx");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -2.75, 40.0})
    void packagePrivateConstantIsRead(double x) {
        check.check("packagePrivateConstant", x);
        assertClose(2 * x + 0.75, gradient("packagePrivateConstant", x)[1], "d/dx");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -2.75, 40.0})
    void privateConstantsAreInlined(double x) {
        check.check("privateConstants", x);
        double expected = 0.3 * x + 3 + 2 * Math.PI / (x * x) - 4 - 1.0 / (x * x);
        assertClose(expected, gradient("privateConstants", x)[1], "d/dx");
    }

    @Test
    void privateConstantsDoNotAppearByNameInGeneratedCode() {
        // Code only: comments quote the source line, which does name the constants.
        String generated = compiled.generatedSource(CLASS + "Gradient").lines()
                .filter(line -> !line.strip().startsWith("//") && !line.strip().startsWith("*"))
                .collect(java.util.stream.Collectors.joining("\n"));
        for (String name : new String[] {"RATE", "COUNT", "BIG", "TWO_PI", "NEGATIVE"}) {
            assertFalse(generated.contains(name), name + " is private; the gradient class cannot name it");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -2.75, 40.0})
    void mathPiAndMathEAreConstants(double x) {
        check.check("mathConstants", x);
        assertClose(Math.PI + 2 * Math.E * x, gradient("mathConstants", x)[1], "d/dx");
    }

    // ---- locals and assignments -----------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, -2.5"})
    void declaredLocalsChainTheirDerivatives(double x, double y) {
        check.check("declaredLocals", x, y);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, -2.5"})
    void varLocalsInferDoubleAndInt(double x, double y) {
        check.check("varLocals", x, y);
        double[] g = gradient("varLocals", x, y);
        assertClose(2 * x * y / 3 + 3, g[1], "d/dx");
        assertClose(x * x / 3, g[2], "d/dy");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, -2.5"})
    void reassignedLocalUsesEachValueWhereItWasLive(double x, double y) {
        check.check("reassignedLocal", x, y);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, -2.5"})
    void reassignedParametersDifferentiateWithRespectToTheirInitialValues(double x, double y) {
        check.check("reassignedParameters", x, y);
        double[] g = gradient("reassignedParameters", x, y);
        // x^2 * (y + x^2)
        assertClose(2 * x * y + 4 * x * x * x, g[1], "d/dx");
        assertClose(x * x, g[2], "d/dy");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, -2.5"})
    void compoundAssignmentsApplyInOrder(double x, double y) {
        check.check("compoundAssignments", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.75, 4.0, -3.0})
    void compoundMultiplyByExpressionOfItselfUsesTheOldValue(double x) {
        check.check("compoundMultiplyBySelfPlusOne", x);
        assertClose(2 * x + 1, gradient("compoundMultiplyBySelfPlusOne", x)[1], "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, -2.5"})
    void compoundDivideByParameter(double x, double y) {
        check.check("compoundDivideByParameter", x, y);
        double[] g = gradient("compoundDivideByParameter", x, y);
        assertClose(2 * x / (y * y), g[1], "d/dx");
        assertClose(-2 * x * x / (y * y * y), g[2], "d/dy");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0, 0.5", "-0.75, 3.0, 1.25", "4.0, -2.5, 6.0"})
    void compoundAssignmentRightHandSideIsOneOperand(double x, double y, double z) {
        check.check("compoundWithGroupedRightHandSide", x, y, z);
        double[] g = gradient("compoundWithGroupedRightHandSide", x, y, z);
        // ((x - (y - z)) / (y * z)) * (y - z) + (z - y)
        assertClose((y - z) / (y * z), g[1], "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-2.25, -4", "0.5, 10"})
    void incrementedIntIsUsedLaterAsAConstant(double x, int n) {
        check.check("incrementedIntUsedLater", x, n);
        assertEquals(n + 1, gradient("incrementedIntUsedLater", x, n)[1], 0.0);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.75, 4.0})
    void incrementedDoubleKeepsItsDerivative(double x) {
        check.check("incrementedDouble", x);
        assertClose(3 * x * x + 1, gradient("incrementedDouble", x)[1], "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, -2.5"})
    void parameterTheResultDoesNotDependOnHasExactlyZeroPartial(double x, double y) {
        check.check("ignoresSecondParameter", x, y);
        double[] g = gradient("ignoresSecondParameter", x, y);
        assertEquals(2 * x, g[1]);
        assertEquals(0.0, g[2]); // exactly +0.0
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-2.25, 7", "4.5, -5"})
    void intResultWidenedToDoubleHasZeroGradient(double x, int n) {
        check.check("intExpressionWidened", x, n);
        double[] g = gradient("intExpressionWidened", x, n);
        assertEquals((double) (n * (int) x + n / 2), g[0]);
        assertEquals(0.0, g[1]);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 3.0", "4.0, 0.5"})
    void deeplyNestedExpression(double x, double y) {
        check.check("deepNesting", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.75, 4.0, 0.1})
    void sameVariableUsedFourTimesGivesFourTimesTheCube(double x) {
        check.check("fourthPower", x);
        assertClose(4 * x * x * x, gradient("fourthPower", x)[1], "d/dx");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, -1.2, 2.0, 3.0})
    void variableOverwrittenSeveralTimesRestoresOldValuesInReverse(double y) {
        check.check("overwrittenKeepsOldValues", y);
    }

    @ParameterizedTest
    @CsvSource({"5.3, 2.0", "-5.3, 2.0", "7.25, -1.5", "0.4, 3.0", "10.7, 0.3"})
    void doubleRemainderAwayFromItsJumps(double x, double y) {
        check.check("remainder", x, y);
        double[] g = gradient("remainder", x, y);
        assertEquals(1.0, g[1]);
        // x % y == x - y * trunc(x / y)
        assertEquals(-(double) (long) (x / y), g[2], 0.0);
    }

    @ParameterizedTest
    @CsvSource({"1.6, 2.0", "-2.6, 3.25", "0.3, 1.7"})
    void remainderByAndOfConstants(double x, double y) {
        check.check("remainderInsideProduct", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.75, 40.0})
    void staticIntHelperCalledWithConstantsIsAConstantFactor(double x) {
        check.check("intHelperAsConstant", x);
        assertClose(6 - 24 / (x * x), gradient("intHelperAsConstant", x)[1], "d/dx");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.75, 40.0})
    void extremePrivateConstantsAreInlinedAsValidLiterals(double x) {
        check.check("extremePrivateConstants", x);
        assertEquals((double) Integer.MIN_VALUE + (double) Long.MIN_VALUE + 1, gradient("extremePrivateConstants", x)[1],
                1e-15 * Math.abs((double) Long.MIN_VALUE));
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.75, 40.0})
    void constantsOfOtherAndNestedClassesAreRead(double x) {
        check.check("constantsOfOtherClasses", x);
        double expected = -Integer.MAX_VALUE / (x * x) + Long.MAX_VALUE + Double.MIN_NORMAL + 0.02 * x + 1.25 + Math.PI;
        assertEquals(expected, gradient("constantsOfOtherClasses", x)[1], 1e-15 * (double) Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.75})
    void constantResultHasZeroGradient(double x) {
        check.check("constantResult", x);
        assertArrayEquals(new double[] {2.5, 0.0}, gradient("constantResult", x));
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "-0.75, 0.5", "0.4, -1.25"})
    void localsNamedLikeGeneratedVariablesDoNotClash(double x, double y) {
        check.check("localsNamedLikeGeneratedCode", x, y);
    }

    @ParameterizedTest
    @CsvSource({"5.3, 2.0", "-5.3, 2.0", "7.25, -1.5"})
    void remainderAssignmentRestoresTheDividend(double x, double y) {
        check.check("remainderAssignment", x, y);
        double[] g = gradient("remainderAssignment", x, y);
        assertClose(y, g[1], "d/dx");
        assertClose(x % y - y * (long) (x / y), g[2], "d/dy");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.25, 4.0})
    void compoundAssignmentsReadingTheirOwnTarget(double x) {
        check.check("selfReferencingCompoundAssignments", x);
        // a = x/2; a = a/(a+1); a = a*a; a = 2a  ==>  2 * (x / (x + 2))^2
        double q = x / (x + 2);
        assertClose(2 * 2 * q * 2 / ((x + 2) * (x + 2)), gradient("selfReferencingCompoundAssignments", x)[1], "d/dx");
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-0.75, -2", "4.0, 0"})
    void intParameterOverwrittenAfterUseIsRestoredForTheReverseSweep(double x, int n) {
        check.check("intParameterOverwrittenAfterUse", x, n);
        assertEquals(2.0 * n * n + 2.0 * n, gradient("intParameterOverwrittenAfterUse", x, n)[1], 0.0);
    }

    @ParameterizedTest
    @CsvSource({"0.3, 2", "1.4, -3", "-2.2, 5"})
    void intCompoundAssignmentWithDoubleOperandNarrowsAndCarriesNoDerivative(double x, int n) {
        check.check("intCompoundAssignmentWithDoubleOperand", x, n);
        int k = (int) (n + x);
        k = (int) (k * 1.5);
        assertEquals(k, gradient("intCompoundAssignmentWithDoubleOperand", x, n)[1], 0.0);
    }

    @Test
    void parameterNamedLikeTheOwnClassDoesNotHideItsConstants() {
        // Legal Java: the parameter obscures the class name, but the simple name SCALE still means Force.SCALE.
        Compiled force = Compiled.compile("com.example.Force", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class Force {
                    public static final double SCALE = 2.5;

                    private Force() {
                    }

                    @Differentiable
                    public static double work(double Force, double distance) {
                        return SCALE * Force * distance;
                    }
                }
                """);
        new GradientCheck(force, "com.example.Force").check("work", 1.5, 4.0);
    }
}
