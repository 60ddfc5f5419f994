package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.HessianCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Assignments, compound assignments, {@code ++} and {@code --} inside expressions, in Java's order of evaluation:
 * loop conditions that assign, chained assignments, {@code return x *= 2;}, array indices that count, operands read
 * before a later operand assigns them, side effects on one side of {@code &&}, {@code ||} and {@code ?:} only. Every
 * method is checked by {@link ArrayGradientCheck}: the value and the arrays bit for bit against the original (so
 * the order of evaluation is Java's), every partial against central differences, every form.
 */
class SideEffectsTest {
    private static final String CLASS = "com.example.Effects";
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Effects {
                private Effects() {
                }

                @Differentiable
                public static double halvedUntilSmall(double t) {
                    double s = 0;
                    while ((t = t * 0.5) > 1e-3) {
                        s += t * t;
                    }
                    return s + t;
                }

                @Differentiable
                public static double forConditionThatAssigns(double x) {
                    double s = 0;
                    double p = 1;
                    for (int i = 0; (p *= x) < 4 && i < 10; i++) {
                        if (i == 1) {
                            continue;
                        }
                        s += p;
                    }
                    return s + p;
                }

                @Differentiable
                public static double doWhileConditionThatAssigns(double x) {
                    double s = 0;
                    int n = 0;
                    do {
                        s += x * n;
                    } while ((x = x * 0.9) > 0.5 && ++n < 20);
                    return s + x;
                }

                @Differentiable
                public static double chained(double x, double z) {
                    double y;
                    x = y = z * z;
                    return x * y;
                }

                @Differentiable
                public static double returnsACompoundAssignment(double x) {
                    return x *= 2;
                }

                @Differentiable
                public static double countingIndices(double[] v, double c) {
                    double[] a = new double[3];
                    int i = 0;
                    a[i++] = c;
                    a[i++] = c * c;
                    double s = 0;
                    int k = 0;
                    s += v[k++] * a[0];
                    s += v[k++] * a[1];
                    double[] t = {c};
                    double x = ++t[0];
                    return s + x * c + (k = 5) * c + a[--i];
                }

                @Differentiable
                public static double operandsReadBeforeTheyAreAssigned(double x) {
                    double a = x + (x = 2 * x);
                    double b = x * (x = 3) + Math.max(x, x = 0.5);
                    double s = 1;
                    s += (s = x * a);
                    return a + b + s;
                }

                @Differentiable
                public static double elementAssignedWithItsIndexCounting(double[] v) {
                    double[] a = {1, 2, 3};
                    int i = 0;
                    a[i] = v[i++] * v[i];
                    return a[0] * a[1] + i;
                }

                @Differentiable
                public static double sideEffectsOnOnePathOnly(double x, double y) {
                    double a = x;
                    double b = y;
                    boolean both = x > 0 && (a = a * a) > 0.25;
                    boolean either = y > 10 || (b *= x) > 0;
                    double c = both ? (b += x) : (b -= x);
                    double d = either ? a : (a = 1);
                    return a + b + c + d;
                }

                /** The first row is read before the second row's assignment changes a. */
                @Differentiable
                public static double initialiserRowsInOrder(double a, double[] w) {
                    double[][] table = {{a, 1.0}, {1.0, (a *= 1.25)}, {w[0]++, w[0]}};
                    double[] flat = {a, a++, a};
                    return table[0][0] * table[1][1] + table[2][0] - table[2][1] + flat[0] * flat[1] + flat[2] + a;
                }

                @Differentiable
                public static double postfixValues(double x) {
                    double y = x;
                    double z = y++ * x;
                    int n = 0;
                    for (int i = 0; i < 3; i++) {
                        z += n++ * y--;
                    }
                    double[] w = {x, 2 * x};
                    z += w[0]++ * w[1]--;
                    return z + y + w[0] * w[1];
                }

                @Differentiable
                public static double argumentsInOrder(double x) {
                    double k = 1;
                    return Math.pow(k, k = 2) + Math.atan2(x * k, (k += x)) + sq(k, k = x);
                }

                @Differentiable
                static double sq(double a, double b) {
                    return a * a + b;
                }

                @Differentiable
                public static double switchArmsThatAssign(double x, int k) {
                    double y = switch (k) {
                        case 0 -> x *= 2;
                        case 1 -> x++;
                        default -> x;
                    };
                    return y * x + switch (k) {
                        case 0 -> 1.0;
                        default -> 2.0;
                    };
                }

                @Differentiable(hessian = true)
                public static double secondOrder(double x, double y) {
                    double s = 0;
                    double t = x;
                    while ((t = t * y) < 2 && s < 10) {
                        s += t * x;
                    }
                    return s + (x *= y) * x;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static ArrayGradientCheck check() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    @Test
    void aLoopConditionThatAssignsRunsItsAssignmentEachTimeItIsEvaluated() {
        check().check("halvedUntilSmall", 0.9);
        check().check("halvedUntilSmall", 1e-4);
        check().check("forConditionThatAssigns", 1.3);
        check().check("doWhileConditionThatAssigns", 1.7);
    }

    @Test
    void chainedAssignmentsAndAReturnedCompoundAssignment() {
        check().check("chained", 1.5, 0.7);
        assertEquals(2.0, check().check("returnsACompoundAssignment", 1.5).scalar("x"));
    }

    @Test
    void indicesThatCountStoreAndReadWhereJavaDoes() {
        check().check("countingIndices", new double[] {0.5, -2}, 0.7);
        check().check("elementAssignedWithItsIndexCounting", new double[] {0.5, -2, 1.5});
    }

    @Test
    void anOperandKeepsTheValueItHadBeforeALaterOperandAssignsIt() {
        check().check("operandsReadBeforeTheyAreAssigned", 0.7);
        check().check("argumentsInOrder", 0.7);
    }

    @Test
    void sideEffectsOnOneSideOfShortCircuitsAndChoicesRunOnlyThere() {
        for (double[] xy : new double[][] {{0.7, 0.4}, {0.3, 0.4}, {-0.7, 20}, {0.9, -1.5}}) {
            check().check("sideEffectsOnOnePathOnly", xy[0], xy[1]);
        }
    }

    @Test
    void anArmOfASwitchThatAssignsAssignsOnlyWhenChosen() {
        for (int k = 0; k < 3; k++) {
            check().check("switchArmsThatAssign", 0.7, k);
        }
    }

    @Test
    void initialiserElementsAndRowsAreEvaluatedInOrder() {
        check().check("initialiserRowsInOrder", -0.5784, new double[] {0.9778, -1.3594});
    }

    @Test
    void postfixIncrementsGiveTheValueBefore() {
        check().check("postfixValues", 0.7);
    }

    @Test
    void secondDerivativesThroughAssigningConditions() {
        check().checkWrt("secondOrder", List.of("x", "y"), 0.5, 1.3);
        new HessianCheck(COMPILED.get(), CLASS).check("secondOrder", 0.5, 1.3);
    }

    private static final String REFUSED = """
            package com.example;

            import dev.leibniz.Differentiable;

            final class Refused {
                @Differentiable
                static double doWhileWithContinue(double x) {
                    int n = 0;
                    do {
                        if (n == 2) {
                            continue;
                        }
                        x *= 1.1;
                    } while ((n += 1) < 5);
                    return x;
                }

                @Differentiable
                static double inASwitchExpression(double x, int k) {
                    return 1 + Math.exp(switch (k) {
                        case 0 -> x = 2;
                        default -> x;
                    });
                }

                @Differentiable
                static double arrayAssignedInAnExpression(double[] a, double[] b) {
                    double[] c;
                    double s = (c = a)[0];
                    return s * b[0];
                }
            }
            """;

    @Test
    void whatStaysRefusedIsAnErrorAtTheExpression() {
        assertRejected("com.example.Refused", REFUSED,
                error("a do-while loop whose condition assigns is not supported in a @Differentiable method when its "
                        + "body has a continue", at(REFUSED, "((n += 1) < 5)")),
                error("assignments and '++'/'--' inside a switch expression are not supported",
                        at(REFUSED, "switch (k)")),
                error("assigning an array inside an expression is not supported", at(REFUSED, "(c = a)", "= a")));
    }
}
