package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.GradientCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loops over scalars: every loop form, nested loops, every kind of jump out of them, and trip counts that depend
 * on differentiated values. Each method is checked against central differences at points away from where the
 * trip count or a branch changes.
 */
class LoopGradientTest {
    private static final String CLASS = "com.example.Loops";

    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Loops {
                private Loops() {
                }

                /** The trip count depends on x: d/dx is 2^-k for the k halvings taken. */
                @Differentiable
                public static double halveUntilSmall(double x) {
                    while (x > 1) x /= 2;
                    return x;
                }

                @Differentiable
                public static double power(double x, int n) {
                    double p = 1;
                    for (int i = 0; i < n; i++) {
                        p *= x;
                    }
                    return p;
                }

                /** A fixed-count Newton iteration for sqrt(a): d/da converges to 1 / (2 sqrt(a)). */
                @Differentiable
                public static double newtonSqrt(double a) {
                    double x = a;
                    for (int k = 0; k < 8; k++) {
                        x = 0.5 * (x + a / x);
                    }
                    return x;
                }

                @Differentiable
                public static double doWhileRunsAtLeastOnce(double x, int n) {
                    double s = 0;
                    int i = 0;
                    do {
                        s = s * 0.5 + Math.sin(x + i);
                        i++;
                    } while (i < n);
                    return s;
                }

                @Differentiable
                public static double breakAndContinue(double x, int n) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        if (s > 10) break;
                        if (i % 2 == 0) continue;
                        s += Math.sin(x * i) + x;
                    }
                    return s;
                }

                @Differentiable
                public static double labelledContinueAndReturnInsideNestedLoops(double x, int n) {
                    double s = 0;
                    outer:
                    for (int i = 0; i < n; i++) {
                        double t = x;
                        for (int j = 0; j < i; j++) {
                            t = t * x + 1;
                            if (t > 100) continue outer;
                            if (t < -100) return t;
                        }
                        s += t;
                    }
                    return s;
                }

                @Differentiable
                public static double labelledBreakLeavesBothLoops(double x, double y) {
                    double s = 0;
                    search:
                    for (int i = 1; i < 6; i++) {
                        for (int j = 1; j < 6; j++) {
                            s += x * i - y / j;
                            if (s > 8) break search;
                        }
                        s *= 0.9;
                    }
                    return s * y;
                }

                @Differentiable
                public static double returnFromInsideALoop(double x) {
                    double v = x;
                    for (int k = 0; k < 50; k++) {
                        v = v * 1.5 + 0.1;
                        if (v > 20) return v / x;
                    }
                    return -v;
                }

                /** The loop overwrites v every iteration; the reverse sweep needs each old value. */
                @Differentiable
                public static double logisticMap(double r, double x0) {
                    double v = x0;
                    for (int k = 0; k < 12; k++) {
                        v = r * v * (1 - v);
                    }
                    return v;
                }

                /** Accumulation only: nothing overwritten is read, so nothing should be taped but the counter. */
                @Differentiable
                public static double sumOfSquares(double x, int n) {
                    double s = 0;
                    for (int i = 1; i <= n; i++) {
                        s += (x - i) * (x - i);
                    }
                    return s;
                }

                @Differentiable
                public static double nestedLoopsWithOverwrites(double x, double y) {
                    double s = y;
                    for (int i = 0; i < 4; i++) {
                        double t = s;
                        for (int j = 0; j < 3; j++) {
                            t = Math.tanh(t * x + j);
                        }
                        s = s * 0.5 + t * y;
                    }
                    return s;
                }

                @Differentiable
                public static double branchInsideALoop(double x, int n) {
                    double s = x;
                    for (int i = 0; i < n; i++) {
                        if (s > 1) {
                            s = Math.sqrt(s);
                        } else {
                            s = s * s + x;
                        }
                    }
                    return s;
                }

                @Differentiable
                public static double ternaryInsideALoop(double x) {
                    double s = 0;
                    for (int i = -3; i <= 3; i++) {
                        s += i < 0 ? Math.exp(x * i) : Math.log1p(x * x * (i + 1));
                    }
                    return s;
                }

                @Differentiable
                public static double square(double x) {
                    return x * x;
                }

                /** Each iteration's call record is needed in the reverse sweep: it goes on the tape. */
                @Differentiable
                public static double callInsideALoop(double x, int n) {
                    double s = x;
                    for (int i = 0; i < n; i++) {
                        s = square(s) * 0.5 + Math.sin(square(x + i));
                    }
                    return s;
                }

                @Differentiable
                public static double whileTrueWithBreak(double x) {
                    double v = x;
                    int steps = 0;
                    while (true) {
                        v = Math.cos(v) + 0.5 * x;
                        steps++;
                        if (steps >= 7) break;
                    }
                    return v;
                }

                @Differentiable
                public static double loopUpdateWithSeveralVariables(double x) {
                    double s = 0;
                    for (int i = 0, j = 10; i < j; i++, j--) {
                        s += x * i / j;
                    }
                    return s;
                }

                @Differentiable
                public static double parameterOverwrittenInALoop(double x, int n) {
                    for (int i = 0; i < n; i++) {
                        x = x * x - 0.5;
                    }
                    return x;
                }

                @Differentiable
                public static double emptyLoopBodyKeepsTheGradient(double x, int n) {
                    int k = 0;
                    while (k < n) k++;
                    return x * k;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static GradientCheck check() {
        return COMPILED.check();
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.7, 1.5, 3.3, 5.3, 17.0})
    void whileLoopWhoseTripCountDependsOnX(double x) {
        check().check("halveUntilSmall", x);
        int halvings = 0;
        for (double v = x; v > 1; v /= 2) {
            halvings++;
        }
        assertEquals(Math.pow(0.5, halvings), check().gradient("halveUntilSmall", x)[1], 0.0);
    }

    @ParameterizedTest
    @CsvSource({"1.3, 5", "-0.7, 3", "2.0, 0", "0.5, 1"})
    void forLoopPowerHasDerivativeNTimesXToTheNMinusOne(double x, int n) {
        check().check("power", x, n);
        assertEquals(n * Math.pow(x, n - 1), check().gradient("power", x, n)[1], 1e-12 * Math.max(1, Math.pow(x, n)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 2.0, 9.0})
    void fixedCountNewtonIterationConvergesToTheDerivativeOfSqrt(double a) {
        check().check("newtonSqrt", a);
        assertEquals(0.5 / Math.sqrt(a), check().gradient("newtonSqrt", a)[1], 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"0.3, 0", "0.3, 1", "1.1, 5"})
    void doWhileRunsItsBodyBeforeTheFirstTest(double x, int n) {
        check().check("doWhileRunsAtLeastOnce", x, n);
    }

    @ParameterizedTest
    @CsvSource({"0.7, 9", "2.1, 30", "-0.4, 12", "0.7, 0"})
    void breakAndContinueReplayExactlyInTheReverseSweep(double x, int n) {
        check().check("breakAndContinue", x, n);
    }

    @ParameterizedTest
    @CsvSource({"1.2, 7", "0.5, 9", "-1.3, 6", "3.1, 5"})
    void labelledContinueAndAReturnInsideNestedLoops(double x, int n) {
        check().check("labelledContinueAndReturnInsideNestedLoops", x, n);
    }

    @ParameterizedTest
    @CsvSource({"0.3, 0.2", "1.7, 0.4", "0.05, 1.5"})
    void labelledBreakLeavesBothLoops(double x, double y) {
        check().check("labelledBreakLeavesBothLoops", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 1.7, -0.8})
    void returnFromInsideALoop(double x) {
        check().check("returnFromInsideALoop", x);
    }

    @ParameterizedTest
    @CsvSource({"2.5, 0.3", "3.2, 0.6", "1.5, 0.9"})
    void loopCarriedOverwritesAreTaped(double r, double x0) {
        check().check("logisticMap", r, x0);
    }

    @ParameterizedTest
    @CsvSource({"0.4, 5", "3.5, 9", "-2.0, 0"})
    void accumulationInALoop(double x, int n) {
        check().check("sumOfSquares", x, n);
        double expected = 0;
        for (int i = 1; i <= n; i++) {
            expected += 2 * (x - i);
        }
        assertEquals(expected, check().gradient("sumOfSquares", x, n)[1], 1e-12 * Math.max(1, Math.abs(expected)));
    }

    @ParameterizedTest
    @CsvSource({"0.3, 0.7", "-0.5, 1.2", "1.1, -0.4"})
    void nestedLoopsWithOverwritesInBoth(double x, double y) {
        check().check("nestedLoopsWithOverwrites", x, y);
    }

    @ParameterizedTest
    @CsvSource({"0.3, 6", "2.7, 6", "0.9, 10"})
    void branchDecisionsInsideALoopAreReplayed(double x, int n) {
        check().check("branchInsideALoop", x, n);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, -0.6, 1.4})
    void ternaryInsideALoop(double x) {
        check().check("ternaryInsideALoop", x);
    }

    @ParameterizedTest
    @CsvSource({"0.4, 3", "-0.9, 4", "1.1, 0"})
    void callOfAnotherDifferentiableMethodInsideALoop(double x, int n) {
        check().check("callInsideALoop", x, n);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 1.0, -0.7})
    void whileTrueLeftByABreak(double x) {
        check().check("whileTrueWithBreak", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, -1.5})
    void forLoopWithSeveralVariablesInItsHeader(double x) {
        check().check("loopUpdateWithSeveralVariables", x);
    }

    @ParameterizedTest
    @CsvSource({"0.3, 4", "-0.6, 3", "1.2, 0"})
    void parameterOverwrittenInALoopHasTheDerivativeWithRespectToItsInput(double x, int n) {
        check().check("parameterOverwrittenInALoop", x, n);
    }

    @ParameterizedTest
    @CsvSource({"0.3, 4", "2.0, 0"})
    void loopWithoutDerivativeLeavesTheGradientAlone(double x, int n) {
        check().check("emptyLoopBodyKeepsTheGradient", x, n);
        assertEquals(n, check().gradient("emptyLoopBodyKeepsTheGradient", x, n)[1], 0.0);
    }
}
