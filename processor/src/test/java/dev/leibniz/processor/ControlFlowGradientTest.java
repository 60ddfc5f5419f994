package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradients through if/else, else-if chains, nested ifs, boolean operators, comparisons, the ternary operator,
 * early returns and locals assigned in branches. Every method is checked at points on both sides of each of its
 * branches, at least 0.01 away from where a branch switches, so that finite differences never straddle a switch.
 */
class ControlFlowGradientTest {
    private static final String CLASS = "com.example.Flow";

    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Flow {
                private Flow() {
                }

                @Differentiable
                public static double ifWithoutElse(double x) {
                    double y = x * x;
                    if (x > 1) {
                        y = y + 3 * x;
                    }
                    return y;
                }

                @Differentiable
                public static double ifElseAssignsUninitializedLocal(double x, double y) {
                    double r;
                    if (x >= y) {
                        r = x * y;
                    } else {
                        r = Math.sin(x) + y * y;
                    }
                    return r * x;
                }

                @Differentiable
                public static double elseIfChain(double x) {
                    double r;
                    if (x < -1) {
                        r = -2 * x;
                    } else if (x <= 0) {
                        r = x * x + 1;
                    } else if (x < 2) {
                        r = Math.sqrt(x) * 3;
                    } else {
                        r = Math.exp(x / 4);
                    }
                    return r;
                }

                @Differentiable
                public static double nestedIfs(double x, double y) {
                    double r = x + y;
                    if (x > 0) {
                        if (y > 0) {
                            r = x * y;
                        } else {
                            r = x - y * y;
                        }
                    } else {
                        if (y < x) {
                            r = r * r;
                        }
                        r = r + Math.cos(x);
                    }
                    return r * 2;
                }

                @Differentiable
                public static double logicalOperators(double x, double y, boolean flag) {
                    double r = x * y;
                    if ((x > 0 && y > 0) || !flag) {
                        r = r + x * x;
                    }
                    if (!(x < y) && flag) {
                        r = r * y;
                    }
                    if (flag ^ y > 1) {
                        r = r - Math.sin(x);
                    }
                    return r;
                }

                @Differentiable
                public static double doubleComparisons(double x, double y) {
                    double r = 1;
                    if (x < y) {
                        r = r * x;
                    }
                    if (x <= y) {
                        r = r + y;
                    }
                    if (x > y) {
                        r = r * y * y;
                    }
                    if (x >= y) {
                        r = r - x;
                    }
                    if (x == 2.0) {
                        r = r * 100;
                    }
                    if (y != 3.0) {
                        r = r + x * y;
                    }
                    return r;
                }

                @Differentiable
                public static double intComparisons(double x, int n, int m) {
                    double r = x;
                    if (n == m) {
                        r = r * x;
                    }
                    if (n != 0) {
                        r = r + n * x;
                    }
                    if (n < m) {
                        r = r * 2;
                    }
                    if (n <= m) {
                        r = r - x * x * x;
                    }
                    if (n > m && m >= 0) {
                        r = r / (1 + x * x);
                    }
                    return r;
                }

                @Differentiable
                public static double ternaryInReturn(double x) {
                    return x > 0 ? x * x : -x * x * x;
                }

                @Differentiable
                public static double ternaryInsideExpression(double x, double y) {
                    return 2 * x + (x > y ? Math.sin(x) : Math.cos(y)) * y;
                }

                @Differentiable
                public static double nestedTernaries(double x) {
                    return x < -1 ? -x : x < 1 ? x * x * x : (x > 3 ? 9 * x : x * x);
                }

                @Differentiable
                public static double ternaryWithUntakenLog(double x) {
                    return x > 0 ? Math.log(x) : 0.0;
                }

                @Differentiable
                public static double ternaryWithUntakenSqrtInExpression(double x, double y) {
                    return y * (x >= 0 ? Math.sqrt(x) : x * x) + (y > 0 ? Math.log(y) * x : y);
                }

                @Differentiable
                public static double ifWithUntakenLog(double x) {
                    double r = x;
                    if (x > 0) {
                        r = Math.log(x) * x;
                    }
                    return r;
                }

                @Differentiable
                public static double sinc(double x) {
                    return x != 0 ? Math.sin(x) / x : 1.0;
                }

                @Differentiable
                public static double ternaryAsCondition(double x, double y, boolean useX) {
                    if ((useX ? x : y) > 1) {
                        return x * y;
                    }
                    return x + y;
                }

                @Differentiable
                public static double ternaryMixingIntAndDouble(double x, int n) {
                    double r = n > 0 ? n : x;
                    return r * x + (n > 1 ? x : 2);
                }

                @Differentiable
                public static double guardClause(double x) {
                    if (x < 0) {
                        return 0;
                    }
                    double y = x * x;
                    return y * Math.exp(-x);
                }

                @Differentiable
                public static double guardClausesInSequence(double x) {
                    if (x < 0) return -x;
                    if (x < 1) return x * x;
                    if (x < 2) return 2 * x - 1;
                    return Math.log(x) + 3;
                }

                @Differentiable
                public static double returnsInBothBranches(double x, double y) {
                    if (x > 1) {
                        return Math.log(x) * y;
                    } else {
                        return x - y * x;
                    }
                }

                @Differentiable
                public static double returnInsideNestedIf(double x, boolean a, int n) {
                    double y = x;
                    if (a) {
                        if (n > 2) {
                            return 1;
                        }
                        y = 2 * x * x;
                    }
                    return y * x;
                }

                @Differentiable
                public static double earlyReturnWhoseDerivativeReadsItsOwnValue(double x, double y, boolean a,
                        boolean b) {
                    double z = x * y;
                    if (a) {
                        if (b) {
                            return Math.exp(z);
                        }
                        z = z * x;
                    }
                    double w = Math.sqrt(z * z + 1);
                    return w * y;
                }

                @Differentiable
                public static double returnDependingOnXInsideNestedIf(double x, double z) {
                    double y = z;
                    if (x > 0) {
                        if (x > 2) {
                            return x * z * 3;
                        }
                        y = y * x;
                    } else {
                        y = y - x;
                    }
                    y = y * y;
                    return y + x;
                }

                @Differentiable
                public static double overwrittenInBranchOldValueNeeded(double x, double y) {
                    double t = x * y;
                    double old = t;
                    if (y > 0) {
                        t = t * t;
                        t = Math.sin(t) * t;
                    }
                    return t + old * t;
                }

                @Differentiable
                public static double conditionVariableReassignedInBranch(double x) {
                    if (x > 1) {
                        x = x / 2;
                    }
                    return x * x;
                }

                @Differentiable
                public static double parameterReassignedThenTestedAgain(double x) {
                    if (x > 1) {
                        x = x / 2;
                    }
                    if (x > 0.7) {
                        x = x * x;
                    }
                    return x * 3;
                }

                @Differentiable
                public static double intCounterInBranches(double x, double y) {
                    int count = 0;
                    if (x > 0) {
                        count++;
                    }
                    if (y > 0) {
                        count += 2;
                    }
                    if (x > y) {
                        ++count;
                    } else {
                        count--;
                    }
                    return count * x + y / (count + 4);
                }

                @Differentiable
                public static double longInput(double x, long n) {
                    if (n > 10L) {
                        return x * n;
                    }
                    long m = n * 3;
                    return x / (m + 1) + (n % 2 == 0 ? x : -x);
                }

                @Differentiable
                public static double booleanInput(double x, boolean negate) {
                    double r = x * x;
                    if (negate) {
                        r = -r;
                    }
                    if (!negate && x > 0) {
                        r = r + x;
                    }
                    return negate ? r * x : r;
                }

                @Differentiable
                public static double localDeclaredInsideBranch(double x) {
                    double r = 1;
                    if (x > 0) {
                        double s = Math.sqrt(x);
                        r = s * x;
                    } else {
                        double s = x * x;
                        r = s + r;
                    }
                    return r;
                }

                @Differentiable
                public static double compoundAssignmentsInBranches(double x, double y) {
                    double r = x;
                    if (x > y) {
                        r *= y;
                    } else {
                        r -= y * y;
                    }
                    if (y < 0) {
                        r /= 1 + y * y;
                    } else {
                        r += Math.exp(y);
                    }
                    return r;
                }

                @Differentiable
                public static double parameterOnlyInCondition(double x, @SuppressWarnings("leibniz") double threshold) {
                    if (x > threshold) {
                        return x * x;
                    }
                    return 3 * x;
                }

                @Differentiable
                public static double parameterOnlyInTernaryCondition(double x, @SuppressWarnings("leibniz") double threshold) {
                    return (threshold < 0 ? x : x * x) * 2;
                }

            @Differentiable
            public static double conditionLocalChangedAfterIf(double x, double y) {
                double t = x;
                double r = y;
                if (t > 1) {
                    r = t * y;
                }
                t = -t;
                return r + t;
            }

            @Differentiable
            public static double ternaryConditionLocalChangedLater(double x, double y) {
                double t = x;
                double r = t > 1 ? t * y : y * y;
                t = 0.5 * y;
                return r * t;
            }

            @Differentiable
            public static double intConditionChangedLater(double x, double y) {
                int k = 0;
                if (x > 0) {
                    k = 1;
                }
                double r = y;
                if (k == 1) {
                    r = r * x;
                }
                k = 5;
                return r + k * y;
            }

            @Differentiable
            public static double booleanLocalReassigned(double x, double y) {
                boolean big = x > 1 && y < 2;
                double r = x;
                if (big) {
                    r = r * y;
                }
                big = !big;
                if (big) {
                    r = r + y * y;
                }
                return r;
            }

            @Differentiable
            public static double innerConditionOnModifiedVariable(double x) {
                if (x > 0) {
                    x = x - 1;
                    if (x > 0) {
                        x = x * x;
                    }
                }
                return x * 3;
            }

            @Differentiable
            public static double twoStatementsOnOneLine(double x) {
                double y = x; if (x > 1) y = y * x; if (y > 2) y = y * y; y = y * x; y = y * y; return y;
            }

            @Differentiable
            public static double localsNamedLikeGeneratedOnes(double x, double y) {
                double value = x * y;
                boolean returned = x > 0;
                double dx = value * x;
                double t1 = dx + y;
                double sin = Math.sin(t1);
                double dValue = sin * y;
                double branch3 = dValue;
                if (returned) {
                    return branch3 * x;
                }
                double dy = branch3 - x;
                double dt = dy * dy;
                return dt + value;
            }

            @Differentiable
            public static double sequentialLocalsOfSameName(double x) {
                double r = 0;
                if (x > 0) {
                    double s = x * x;
                    r = s;
                }
                double s = Math.sin(x);
                return r + s * x;
            }

            @Differentiable
            public static double intFromCast(double x) {
                int k = (int) (x * 2);
                double frac = x - (long) x;
                return x * k + frac * frac;
            }

            @Differentiable
            public static double varLocalsAndLongCompound(double x, long n) {
                var m = n;
                m *= 3;
                m += x > 0 ? 1 : 2;
                var y = x * m;
                return y * x;
            }

            @Differentiable
            public static double returnInElseOfNestedIf(double x, boolean a) {
                double y;
                if (a) {
                    y = 1;
                } else {
                    if (x > 0) {
                        return x * x * x;
                    }
                    y = x * x;
                }
                y = y * 2 + x;
                return y * x;
            }

            @Differentiable
            public static double parameterModifiedBeforeGuardReturn(double x) {
                x = x * 2;
                if (x > 3) {
                    return x * x;
                }
                x = Math.sin(x);
                return x * x;
            }

            @Differentiable
            public static double emptyBranches(double x) {
                double r = x;
                if (x > 0) {
                } else {
                    r = r * r;
                }
                if (x > 1) {
                }
                return r;
            }

            @Differentiable
            public static double oldParameterValueKept(double x) {
                double x0 = x;
                if (x > 1) {
                    x = x * x;
                } else {
                    x = Math.sin(x);
                }
                return x * x0;
            }

            @Differentiable
            public static double deepReturns(double x, double y, int n) {
                double r = x;
                if (n > 0) {
                    r = r * y;
                    if (n > 1) {
                        r = r + x;
                        if (n > 2) {
                            if (x > y) {
                                return r * r;
                            }
                            r = r * x;
                        }
                        if (n > 3) {
                            return r + y;
                        }
                        r = Math.exp(r / 10);
                    }
                    r = r * 2;
                }
                return r * y;
            }

            @Differentiable
            public static double uninitializedLocalInElseIfChain(double x, int n) {
                double r;
                if (n == 0) {
                    r = x;
                } else if (n == 1) {
                    r = x * x;
                } else if (n == 2) {
                    r = Math.cos(x);
                } else {
                    r = 1;
                }
                double s;
                s = r * x;
                return s;
            }

            @Differentiable
            public static double shortCircuitGuardsIntDivision(double x, int n) {
                double r = x;
                if (n != 0 && 10 / n > 2) {
                    r = r * x;
                }
                if (n == 0 || 10 % n == 0) {
                    r = r + x;
                }
                return r * (n != 0 ? x * (10 / n) : 1.0) + (n == 0 ? x : x * x / n);
            }

            @Differentiable
            public static double shortCircuitOnDoubles(double x, double y) {
                double r = x * y;
                if (x > 0 && Math.log(x) * y > 0.5) {
                    r = r + Math.sqrt(x) * y;
                }
                if (y < 0 || Math.sqrt(y) > x) {
                    r = r - x * x;
                }
                return r;
            }
                @Differentiable
                public static double sameNamedLocalsOverwrittenInBothBranches(double x) {
                    double r;
                    if (x > 0) {
                        double s = x;
                        s = s * s;
                        double u;
                        u = s * x;
                        r = s * u;
                    } else {
                        double s = x + 1;
                        s = Math.sin(s) * s;
                        double u;
                        u = s * s;
                        r = u + s;
                    }
                    return r;
                }

                @Differentiable
                public static double intAndBooleanParametersReassignedInBranches(double x, int n, boolean flag) {
                    if (x > 0) {
                        n = n * 2;
                        flag = !flag;
                    } else {
                        n--;
                    }
                    if (flag) {
                        x = x * n;
                    }
                    return x * n + (flag ? 1 : x);
                }
                @Differentiable
                public static double initialValueOverwrittenBeforeBeingRead(double x, double y) {
                    double r = x * y;
                    r = Math.sin(x) + y;
                    return r * x;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static Compiled compiled() {
        return COMPILED.get();
    }

    private static GradientCheck check() {
        return COMPILED.check();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.5, 0.5, 0.98, 1.02, 2.5})
    void ifWithoutElseDifferentiatesTheBranchOnlyWhenTaken(double x) {
        check().check("ifWithoutElse", x);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 1.0", "1.0, 2.0", "-0.5, -1.5", "-1.5, -0.5", "0.7, 0.72"})
    void ifElseAssigningAnUninitializedLocalInBothBranches(double x, double y) {
        check().check("ifElseAssignsUninitializedLocal", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3.0, -1.02, -0.98, -0.5, -0.015, 0.02, 1.0, 1.98, 2.02, 4.0})
    void elseIfChainTakesTheDerivativeOfEachArm(double x) {
        check().check("elseIfChain", x);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2.0", "1.5, -2.0", "-1.0, -2.0", "-1.0, 0.5", "-2.0, -1.0"})
    void nestedIfsOnBothSidesOfEachCondition(double x, double y) {
        check().check("nestedIfs", x, y);
    }

    @ParameterizedTest
    @CsvSource({
            "1.0, 2.0, true", "1.0, 2.0, false", "-1.0, 2.0, true", "-1.0, 2.0, false",
            "3.0, 0.5, true", "3.0, 0.5, false", "-1.0, -2.0, true", "-1.0, -2.0, false",
            "2.0, 1.5, true", "0.5, -0.5, true"})
    void logicalAndOrNotXorInConditions(double x, double y, boolean flag) {
        check().check("logicalOperators", x, y, flag);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 2.0", "2.5, 1.0", "1.5, 2.5", "3.0, 2.0", "-1.0, 3.5", "1.5, -0.5"})
    void allDoubleComparisons(double x, double y) {
        check().check("doubleComparisons", x, y);
    }

    @Test
    void doubleEqualityTakesItsBranchAtTheExactValue() {
        // x == 2.0 and y == 3.0 hold on single points only, so finite differences cannot see them; the partials
        // are compared with the formula of the path taken. At (2, 1): r = 100 * (y*y - x) + x*y.
        double[] g = check().gradient("doubleComparisons", 2.0, 1.0);
        assertEquals(check().value("doubleComparisons", 2.0, 1.0), g[0]);
        assertEquals(-100 + 1.0, g[1], 1e-12);
        assertEquals(200 * 1.0 + 2.0, g[2], 1e-12);
        // At (1, 3): r = x + y, and y != 3.0 is false.
        g = check().gradient("doubleComparisons", 1.0, 3.0);
        assertEquals(check().value("doubleComparisons", 1.0, 3.0), g[0]);
        assertEquals(1.0, g[1], 1e-12);
        assertEquals(1.0, g[2], 1e-12);
    }

    @Test
    void doubleComparisonsWithEqualArgumentsTakeTheEqualBranches() {
        // x == y is a switch point of several conditions, so only the value and the (branch-local) formula are
        // compared: r = 1 + y, then r - x, then (x*y added as y != 3): value = 1 + y - x + x*y.
        double[] g = check().gradient("doubleComparisons", 1.25, 1.25);
        assertEquals(check().value("doubleComparisons", 1.25, 1.25), g[0]);
        assertEquals(-1 + 1.25, g[1], 1e-12);
        assertEquals(1 + 1.25, g[2], 1e-12);
    }

    @ParameterizedTest
    @CsvSource({
            "1.5, 2, 2", "1.5, 0, 0", "-0.7, 1, 3", "0.3, 3, 1", "2.0, 3, -1", "1.2, -2, -1", "-1.3, 0, 4"})
    void allIntComparisons(double x, int n, int m) {
        check().check("intComparisons", x, n, m);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.5, 0.5, 2.0})
    void ternaryInReturn(double x) {
        check().check("ternaryInReturn", x);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 0.5", "0.5, 1.0", "-2.0, -3.0", "-3.0, -2.0"})
    void ternaryInsideALargerExpression(double x, double y) {
        check().check("ternaryInsideExpression", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3.0, -1.1, -0.9, 0.0, 0.5, 0.98, 1.1, 2.5, 3.1, 5.0})
    void nestedTernaries(double x) {
        check().check("nestedTernaries", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.5, -0.02, 0.02, 0.5, 3.0})
    void ternaryWhoseUntakenBranchIsNaNHasAFiniteGradient(double x) {
        double[] g = check().gradient("ternaryWithUntakenLog", x);
        assertTrue(Double.isFinite(g[1]), "d/dx at " + x + " = " + g[1] + "\n"
                + compiled().generatedSource(CLASS + "Gradient"));
        assertEquals(x > 0 ? 1 / x : 0.0, g[1], 1e-12 * Math.max(1, Math.abs(1 / x)));
        check().check("ternaryWithUntakenLog", x);
    }

    @ParameterizedTest
    @CsvSource({"-2.0, -1.0", "-2.0, 1.5", "2.0, -1.0", "2.0, 1.5", "-0.5, -0.5"})
    void ternariesWithUntakenSqrtAndLogInsideAnExpression(double x, double y) {
        double[] g = check().gradient("ternaryWithUntakenSqrtInExpression", x, y);
        assertTrue(Double.isFinite(g[1]) && Double.isFinite(g[2]), "gradient at " + x + ", " + y + ": "
                + g[1] + ", " + g[2] + "\n" + compiled().generatedSource(CLASS + "Gradient"));
        check().check("ternaryWithUntakenSqrtInExpression", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.5, 0.5, 2.0})
    void ifWhoseUntakenBranchIsNaNHasAFiniteGradient(double x) {
        double[] g = check().gradient("ifWithUntakenLog", x);
        assertEquals(x > 0 ? Math.log(x) + 1 : 1.0, g[1], 1e-12);
        check().check("ifWithUntakenLog", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.5, -0.5, 0.5, 2.0})
    void sincAwayFromZero(double x) {
        check().check("sinc", x);
    }

    @Test
    void sincAtZeroTakesTheConstantBranchAndIgnoresTheDivisionByZero() {
        // The untaken branch sin(x)/x has derivative 0/0 at x = 0; the constant branch's derivative 0 is also
        // the true derivative of sinc at 0, so it must come out exactly, with no NaN.
        double[] g = check().gradient("sinc", 0.0);
        assertEquals(1.0, g[0]);
        assertEquals(0.0, g[1], 0.0, "d/dx sinc(0)\n" + compiled().generatedSource(CLASS + "Gradient"));
        check().check("sinc", 0.0);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 0.5, true", "0.5, 2.0, true", "2.0, 0.5, false", "0.5, 2.0, false"})
    void ternaryAsAnIfCondition(double x, double y, boolean useX) {
        check().check("ternaryAsCondition", x, y, useX);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 0", "1.5, 1", "-0.5, 2", "0.5, -3"})
    void ternaryMixingIntAndDoubleArms(double x, int n) {
        check().check("ternaryMixingIntAndDouble", x, n);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.02, 0.02, 1.0, 3.0})
    void guardClauseReturningAConstant(double x) {
        check().check("guardClause", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.1, 0.1, 0.9, 1.1, 1.9, 2.1, 4.0})
    void guardClausesInSequence(double x) {
        check().check("guardClausesInSequence", x);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 3.0", "1.02, -1.0", "0.98, 2.0", "-1.0, 0.5"})
    void returnsInBothBranches(double x, double y) {
        check().check("returnsInBothBranches", x, y);
    }

    /** Regression: the second return used to save and restore the result, so the record returned a stale value. */
    @ParameterizedTest
    @CsvSource({"0.7, 1.3, true, true", "0.7, 1.3, true, false", "0.7, 1.3, false, true", "-0.4, 0.9, false, false"})
    void earlyReturnWhoseDerivativeReadsItsOwnValueKeepsTheResult(double x, double y, boolean a, boolean b) {
        check().check("earlyReturnWhoseDerivativeReadsItsOwnValue", x, y, a, b);
    }

    @ParameterizedTest
    @CsvSource({
            "1.5, true, 3", "1.5, true, 2", "1.5, false, 3", "1.5, false, 0",
            "-0.5, true, 5", "-0.5, true, -1", "-0.5, false, 5"})
    void returnInsideNestedIfWithCodeAfterIt(double x, boolean a, int n) {
        check().check("returnInsideNestedIf", x, a, n);
        double expected = a && n > 2 ? 0.0 : a ? 6 * x * x : 2 * x;
        assertEquals(expected, check().gradient("returnInsideNestedIf", x, a, n)[1], 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"3.0, 1.5", "2.5, -1.0", "1.0, 2.0", "0.3, -0.5", "-1.0, 2.0", "-0.5, -3.0"})
    void returnDependingOnTheDifferentiatedVariableInsideNestedIf(double x, double z) {
        check().check("returnDependingOnXInsideNestedIf", x, z);
    }

    @ParameterizedTest
    @CsvSource({"0.7, 1.3", "-0.4, 0.9", "0.7, -1.3", "-1.1, -0.6"})
    void variableOverwrittenInABranchWhileItsOldValueIsStillNeeded(double x, double y) {
        check().check("overwrittenInBranchOldValueNeeded", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, 0.5, 0.98, 1.02, 3.0})
    void conditionVariableReassignedInsideTheBranch(double x) {
        check().check("conditionVariableReassignedInBranch", x);
        assertEquals(x > 1 ? x / 2 : 2 * x, check().gradient("conditionVariableReassignedInBranch", x)[1], 1e-12);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.8, 1.2, 1.5, 3.0})
    void parameterReassignedInABranchThenTestedAgain(double x) {
        check().check("parameterReassignedThenTestedAgain", x);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 2.0", "2.0, 1.0", "-1.0, 2.0", "1.0, -2.0", "-1.0, -2.0", "-2.0, -1.0"})
    void intCounterIncrementedInBranchesAndUsedInDoubleArithmetic(double x, double y) {
        check().check("intCounterInBranches", x, y);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 11", "1.5, 10", "-0.5, 3", "2.5, 4", "0.7, -6", "3.0, 9223372036854775807"})
    void longInput(double x, long n) {
        check().check("longInput", x, n);
    }

    @ParameterizedTest
    @CsvSource({"1.5, true", "1.5, false", "-1.5, true", "-1.5, false"})
    void booleanInput(double x, boolean negate) {
        check().check("booleanInput", x, negate);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.3, 0.3, 2.0})
    void localsOfTheSameNameDeclaredInsideEachBranch(double x) {
        check().check("localDeclaredInsideBranch", x);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 1.0", "2.0, -1.0", "-1.0, 0.5", "-3.0, -2.0"})
    void compoundAssignmentsInBranches(double x, double y) {
        check().check("compoundAssignmentsInBranches", x, y);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 1.0", "1.0, 2.0", "-1.0, -3.0", "-3.0, -1.0"})
    void parameterOnlyInAConditionHasAZeroPartial(double x, double threshold) {
        check().check("parameterOnlyInCondition", x, threshold);
        double[] g = check().gradient("parameterOnlyInCondition", x, threshold);
        assertTrue(g[2] == 0.0, "d/dthreshold must be exactly 0 but was " + g[2]);
        assertEquals(x > threshold ? 2 * x : 3.0, g[1], 0.0);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 1.0", "2.0, -1.0", "-0.5, 0.5", "-0.5, -0.5"})
    void parameterOnlyInATernaryConditionHasAZeroPartial(double x, double threshold) {
        check().check("parameterOnlyInTernaryCondition", x, threshold);
        double[] g = check().gradient("parameterOnlyInTernaryCondition", x, threshold);
        assertTrue(g[2] == 0.0, "d/dthreshold must be exactly 0 but was " + g[2]);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 1.5", "0.5, 1.5", "-1.0, 2.0"})
    void conditionOnALocalThatIsReassignedAfterTheIf(double x, double y) {
        check().check("conditionLocalChangedAfterIf", x, y);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 1.5", "0.5, 1.5", "3.0, -1.0", "0.5, -1.0"})
    void ternaryConditionOnALocalThatIsReassignedLater(double x, double y) {
        check().check("ternaryConditionLocalChangedLater", x, y);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 2.0", "-1.0, 2.0", "0.5, -0.5"})
    void intConditionVariableReassignedAfterItsLastTest(double x, double y) {
        check().check("intConditionChangedLater", x, y);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 1.0", "2.0, 3.0", "0.5, 1.0", "0.5, 3.0"})
    void booleanLocalTestedNegatedAndTestedAgain(double x, double y) {
        check().check("booleanLocalReassigned", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, 0.5, 1.5, 3.0})
    void innerConditionOnAVariableModifiedInTheOuterBranch(double x) {
        check().check("innerConditionOnModifiedVariable", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.2, 1.6, 3.0})
    void severalStatementsAndIfsOnOneSourceLine(double x) {
        check().check("twoStatementsOnOneLine", x);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 0.5", "-1.0, 0.5", "-0.5, -2.0"})
    void userLocalsNamedLikeGeneratedVariables(double x, double y) {
        check().check("localsNamedLikeGeneratedOnes", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, 1.0})
    void localDeclaredInABranchThenAgainAfterIt(double x) {
        check().check("sequentialLocalsOfSameName", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.8, 1.3, -0.8})
    void intAndLongLocalsFromCastsOfDoublesAreConstants(double x) {
        check().check("intFromCast", x);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 2", "-1.5, 2", "0.5, -3"})
    void varLocalsAndCompoundAssignmentsOnALong(double x, long n) {
        check().check("varLocalsAndLongCompound", x, n);
    }

    @ParameterizedTest
    @CsvSource({"1.5, true", "1.5, false", "-1.5, true", "-1.5, false"})
    void returnInTheElseOfANestedIfWithCodeAfterIt(double x, boolean a) {
        check().check("returnInElseOfNestedIf", x, a);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, 1.0, 2.0})
    void parameterModifiedBeforeAGuardReturn(double x) {
        check().check("parameterModifiedBeforeGuardReturn", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, 0.5, 2.0})
    void emptyThenAndEmptyIfBodies(double x) {
        check().check("emptyBranches", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, 0.5, 2.0})
    void parameterOverwrittenInBothBranchesWhileACopyOfItsOldValueIsUsed(double x) {
        check().check("oldParameterValueKept", x);
    }

    @ParameterizedTest
    @CsvSource({
            "1.5, 0.5, 0", "1.5, 0.5, 1", "1.5, 0.5, 2", "1.5, 0.5, 3", "1.5, 0.5, 4",
            "0.5, 1.5, 0", "0.5, 1.5, 1", "0.5, 1.5, 2", "0.5, 1.5, 3", "0.5, 1.5, 4"})
    void returnsAtSeveralDepthsOfNesting(double x, double y, int n) {
        check().check("deepReturns", x, y, n);
    }

    @ParameterizedTest
    @CsvSource({"0.7, 0", "0.7, 1", "0.7, 2", "0.7, 3", "-1.2, 0", "-1.2, 1", "-1.2, 2", "-1.2, 7"})
    void uninitializedLocalAssignedInEveryArmOfAnElseIfChain(double x, int n) {
        check().check("uninitializedLocalInElseIfChain", x, n);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 0", "1.5, 2", "1.5, 3", "1.5, 5", "-0.7, -4", "-0.7, 0", "-0.7, 1"})
    void shortCircuitOperatorsAndTernariesGuardAnIntDivisionByZero(double x, int n) {
        check().check("shortCircuitGuardsIntDivision", x, n);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 1.0", "1.2, 1.0", "0.5, 4.0", "-1.0, 2.0", "2.0, -1.0"})
    void shortCircuitOperatorsOnDoubleConditionsWithNaNOnTheSkippedSide(double x, double y) {
        check().check("shortCircuitOnDoubles", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.5, 0.5, 2.0})
    void localsOfTheSameNameOverwrittenInBothBranches(double x) {
        check().check("sameNamedLocalsOverwrittenInBothBranches", x);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3, true", "1.5, 3, false", "-1.5, 3, true", "-1.5, -2, false"})
    void intAndBooleanParametersReassignedInBranches(double x, int n, boolean flag) {
        check().check("intAndBooleanParametersReassignedInBranches", x, n, flag);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 1.5", "-1.2, 0.7"})
    void localWhoseInitialValueIsOverwrittenBeforeBeingRead(double x, double y) {
        check().check("initialValueOverwrittenBeforeBeingRead", x, y);
        double[] g = check().gradient("initialValueOverwrittenBeforeBeingRead", x, y);
        assertEquals(Math.cos(x) * x + Math.sin(x) + y, g[1], 1e-12);
        assertEquals(x, g[2], 1e-12);
    }
}
