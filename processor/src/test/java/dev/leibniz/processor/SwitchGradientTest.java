package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.GradientCheck;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gradients through {@code switch} on an {@code int}, which the front end desugars into if/else chains and
 * conditional expressions: both statement forms (groups with fall-through, {@code default} anywhere; arrow rules),
 * switch expressions (expression arms, block arms with {@code yield}, the classic form with {@code yield}) as
 * initialisers, assignments, returns and inside larger expressions, inside loops with {@code continue}, labelled
 * {@code break} and {@code return} in the cases, nested switches, and arrays written in cases. Every method is
 * checked at points that take each of its cases, away from where a branch on a {@code double} switches.
 */
class SwitchGradientTest {
    private static final String CLASS = "com.example.Cases";

    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            @SuppressWarnings("fallthrough") // the tests compile with -Xlint:all -Werror; falling through is the point
            public final class Cases {
                private Cases() {
                }

                static final int LOW = 1;
                static final int HIGH = LOW + 2;

                /** Groups: 0 falls into 1 and 2; default, in the middle, falls into 5. */
                @Differentiable
                public static double fallThrough(double x, int k) {
                    double y = x;
                    switch (k) {
                        case 0:
                            y = y * x;
                        case 1:
                        case 2:
                            y += Math.sin(x);
                            break;
                        default:
                            y = 3 * y;
                        case 5:
                            y = y - x * x;
                    }
                    return y;
                }

                /** Default first, falling into a case; constants and constant arithmetic as labels. */
                @Differentiable
                public static double defaultFirst(double x, int k) {
                    double y = 1;
                    switch (k) {
                        default:
                            y = y + x;
                        case LOW:
                            y = y * x;
                            break;
                        case HIGH:
                            y = Math.exp(x);
                        case HIGH * 2 - 1:
                            y += x / 2;
                    }
                    return y * x;
                }

                /** Arrow rules, several labels, a block; no default: a value that matches nothing changes nothing. */
                @Differentiable
                public static double arrows(double x, int k) {
                    double y = x;
                    switch (k) {
                        case 0 -> y = x * x;
                        case 1, 2, 3 -> {
                            double t = Math.sin(x);
                            y = t * t + y;
                        }
                        case 4 -> y *= Math.cos(x);
                    }
                    return y;
                }

                /** Breaks inside ifs of a case: what follows the if runs only when it did not break. */
                @Differentiable
                public static double breakInsideIf(double x, int k) {
                    double y = x;
                    switch (k) {
                        case 0:
                            if (x > 1) {
                                y = Math.log(x);
                                break;
                            }
                            y = y * y;
                        case 1:
                            y = y + 1;
                            if (y > 2) {
                                if (x < 3) {
                                    y = y * x;
                                    break;
                                }
                                y = y / x;
                            }
                            y = y - x;
                            break;
                        default:
                            y = -x;
                    }
                    return y;
                }

                /** A break inside a loop inside a case leaves the loop, not the switch. */
                @Differentiable
                public static double breakOfALoopInACase(double x, int k) {
                    double y = 0;
                    switch (k) {
                        case 0:
                            for (int i = 0; i < 5; i++) {
                                if (i * x > 2) {
                                    break;
                                }
                                y += x * i;
                            }
                            y = y * 2;
                        case 1:
                            y += Math.cos(x);
                    }
                    return y;
                }

                /** In a loop: continue, a labelled break and a return from cases; a break leaves the switch. */
                @Differentiable
                public static double inLoop(double x, int n) {
                    double s = 0;
                    outer:
                    for (int i = 0; i < n; i++) {
                        switch (i % 4) {
                            case 0:
                                s += x * i;
                                continue;
                            case 1:
                                if (s > 50) {
                                    break outer;
                                }
                                s = s * x;
                                break;
                            case 2:
                                if (s < -40) {
                                    return s * x;
                                }
                                s -= Math.sin(x * i);
                            default:
                                s += 1;
                        }
                        s = s + x / (i + 1);
                    }
                    return s;
                }

                /** A switch on the loop counter itself. */
                @Differentiable
                public static double onCounter(double x, int n) {
                    double p = 1;
                    for (int i = 0; i < n; i++) {
                        switch (i) {
                            case 0 -> p = p * x;
                            case 1 -> p = p + x * x;
                            case 2 -> p = Math.sin(p) * x;
                            default -> p = p * 0.5 + x;
                        }
                    }
                    return p;
                }

                /** A computed selector is evaluated once, though the case assigns what it reads. */
                @Differentiable
                public static double computedSelectorReassigned(double x, int k) {
                    double y = x;
                    switch (k * 2 + 1) {
                        case 1:
                            k = 3;
                            y = y * x;
                        case 7:
                            y = y + k * x;
                            break;
                        case 3:
                            k = 0;
                            y = Math.exp(x);
                            break;
                    }
                    return y + k;
                }

                /** A variable selector that a case assigns: the case that runs is the one the old value chose. */
                @Differentiable
                public static double variableSelectorReassigned(double x, int k) {
                    double y = x;
                    switch (k) {
                        case 0:
                            k = 2;
                            y = y * x;
                            break;
                        case 2:
                            k = 0;
                            y = y * 3;
                        case 1:
                            y = y + k * Math.cos(x);
                            break;
                    }
                    switch (k) {
                        case 2 -> y = y * y;
                        default -> y = y + x;
                    }
                    return y;
                }

                /** Returns from cases, and a parameter assigned in one. */
                @Differentiable
                public static double returnsFromCases(double x, int k) {
                    switch (k) {
                        case 0:
                            return x * x;
                        case 1:
                            if (x > 0) {
                                return Math.sqrt(x);
                            }
                        case 2:
                            x = x * 3;
                            break;
                        default:
                            return -x;
                    }
                    return x + 1;
                }

                /** A local declared by one group and assigned and used by the next ones (one switch block). */
                @Differentiable
                public static double localAcrossGroups(double x, int k) {
                    double r = 0;
                    switch (k) {
                        case 0:
                            double t = x * x;
                            r = t;
                            break;
                        case 1:
                            t = Math.sin(x);
                            r = t * x;
                        case 2:
                            t = x + 1;
                            r += t * t;
                    }
                    return r;
                }

                /** A switch with only default, and a case that cannot complete normally (so does not fall through). */
                @Differentiable
                public static double onlyDefaultAndEndlessLoop(double x, int k) {
                    double y = x;
                    switch (k) {
                        default:
                            y = y * 2;
                    }
                    switch (k) {
                        case 0:
                            for (int i = 0; ; i++) {
                                y = y * x;
                                if (i >= 2) {
                                    return y;
                                }
                            }
                        case 1:
                            y += 1;
                    }
                    return y * x;
                }

                /** Every group returns, so nothing follows the switch; an empty switch still evaluates its selector. */
                @Differentiable
                public static double everyCaseReturns(double x, int k) {
                    switch (Math.abs(k)) {
                    }
                    switch (k) {
                        case 0:
                        case 1:
                            return x * x * k;
                        case 2:
                            if (x < 0) {
                                return -x;
                            }
                        default:
                            return Math.atan(x);
                    }
                }

                /** A yield inside a switch statement inside an arm leaves the switch expression. */
                @Differentiable
                public static double yieldFromANestedSwitchStatement(double x, int k, int j) {
                    double y = switch (k) {
                        case 0 -> {
                            switch (j) {
                                case 1:
                                    yield x * x;
                                case 2:
                                    if (x > 1) {
                                        yield Math.log(x);
                                    }
                                    break;
                                default:
                                    break;
                            }
                            yield 2 * x;
                        }
                        default -> x;
                    };
                    return y + x;
                }

                /** Switch expressions whose arms are expressions: an initialiser, and inside a larger expression. */
                @Differentiable
                public static double expressionInDeclaration(double x, double a, int k) {
                    double y = switch (k) {
                        case 0 -> a * x;
                        case 1, 2 -> Math.sin(x);
                        default -> x;
                    };
                    return y * a + Math.exp(switch (k) { case 2 -> x * a; default -> 0.5; });
                }

                /** A switch expression with a block arm and yields as the value of a return. */
                @Differentiable
                public static double expressionInReturn(double x, int k) {
                    return switch (k % 3) {
                        case 0 -> x * x;
                        case 1 -> {
                            double t = Math.exp(x);
                            if (t > 5) {
                                yield t - 5;
                            }
                            yield Math.sqrt(t);
                        }
                        default -> -x;
                    };
                }

                /** Assigned to the variable an arm reads and assigns before it yields. */
                @Differentiable
                public static double expressionInAssignment(double x, int k) {
                    double y = x + 1;
                    y = switch (k) {
                        case 0 -> y * 2;
                        default -> {
                            double t = y * y;
                            y = Math.sin(x);
                            yield t + y;
                        }
                    };
                    return y * x;
                }

                /** The classic form with yield, falling through, default last. */
                @Differentiable
                public static double classicExpression(double x, int k) {
                    double z = 1;
                    double y = switch (k) {
                        case 0:
                            z = x * x;
                        case 1:
                            yield z + x;
                        case 2:
                        case 3:
                            yield Math.cos(x) * z;
                        default:
                            z = 2;
                            yield z * x;
                    };
                    return y * z;
                }

                /** var takes the arms' promoted type; a computed selector in a compound assignment; a sum. */
                @Differentiable
                public static double varAndCompound(double x, int k) {
                    var scale = switch (k) {
                        case 0 -> 1;
                        case 1 -> 2L;
                        default -> 0.5;
                    };
                    double y = x * scale;
                    y += switch (k * k) {
                        case 0 -> x;
                        case 1 -> Math.sin(x);
                        default -> 1;
                    };
                    y *= 1 + switch (k) {
                        case 0 -> x * x;
                        default -> 0;
                    };
                    return y;
                }

                /** Nested switches: the inner break leaves only the inner switch; a switch statement inside an arm. */
                @Differentiable
                public static double nested(double x, int i, int j) {
                    double y = 0;
                    switch (i) {
                        case 0:
                            switch (j) {
                                case 0:
                                    y = x;
                                    break;
                                case 1:
                                    y = x * x;
                                default:
                                    y += 1;
                            }
                            y = y * 3;
                            break;
                        case 1:
                            y = switch (j) {
                                case 0 -> Math.exp(x);
                                default -> {
                                    double t = 0;
                                    switch (j) {
                                        case 1 -> t = x;
                                        default -> t = -x;
                                    }
                                    yield t * x;
                                }
                            };
                        default:
                            y -= x;
                    }
                    return y;
                }

                /** A selector read from an int array, inside a loop; a switch expression over array elements. */
                @Differentiable
                public static double arraySelector(double[] w, int[] pick) {
                    double s = 0;
                    for (int j = 0; j < pick.length; j++) {
                        switch (pick[j]) {
                            case 0 -> s += w[0] * w[1];
                            case 1 -> s += Math.sin(w[j % w.length]);
                            default -> s -= w[pick[j] % w.length] * 0.5;
                        }
                    }
                    double last = switch (pick.length) {
                        case 0 -> w[0];
                        default -> w[1] * w[2];
                    };
                    return s * last;
                }

                /** Array elements written in cases, a parameter array among them. */
                @Differentiable
                public static double writesArrays(double[] v, int mode) {
                    double[] out = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        switch ((mode + i) % 3) {
                            case 0:
                                out[i] = v[i] * v[i];
                                break;
                            case 1:
                                out[i] = Math.sin(v[i]);
                                v[i] = v[i] * 2;
                            default:
                                out[i] += v[i];
                        }
                    }
                    double s = 0;
                    for (int i = 0; i < v.length; i++) {
                        s += out[i] * v[i];
                    }
                    return s;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static GradientCheck check() {
        return COMPILED.check();
    }

    private static ArrayGradientCheck arrays() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    private static String generated() {
        return COMPILED.get().generatedSource(CLASS + "Gradient");
    }

    // ==== switch statements =========================================================================================

    @ParameterizedTest(name = "{0}({1}, {2})")
    @CsvSource(textBlock = """
            # groups: 0 falls into 1 and 2; default (3, -7), in the middle, falls into 5
            fallThrough,                 1.3,  0
            fallThrough,                -0.7,  0
            fallThrough,                 1.3,  1
            fallThrough,                 0.4,  2
            fallThrough,                 1.3,  3
            fallThrough,                -2.2, -7
            fallThrough,                 0.9,  5
            # default (0, 4) first, falling into LOW; HIGH falls into HIGH * 2 - 1
            defaultFirst,                1.3,  0
            defaultFirst,               -0.6,  1
            defaultFirst,                0.8,  3
            defaultFirst,                1.1,  5
            defaultFirst,                2.0,  4
            # rules with several labels; 9 matches nothing
            arrows,                      1.3,  0
            arrows,                      0.7,  1
            arrows,                     -1.2,  3
            arrows,                      2.1,  4
            arrows,                      1.5,  9
            # a break in an if, with the rest moved into the else (case 0) or guarded by a flag (case 1)
            breakInsideIf,               2.0,  0
            breakInsideIf,               0.5,  0
            breakInsideIf,               1.5,  1
            breakInsideIf,               4.0,  1
            breakInsideIf,               0.5,  1
            breakInsideIf,              -1.5,  1
            breakInsideIf,               0.3,  7
            # the loop in case 0 stops after 2, 3 or all 5 trips
            breakOfALoopInACase,         0.3,  0
            breakOfALoopInACase,         0.9,  0
            breakOfALoopInACase,         1.7,  0
            breakOfALoopInACase,         0.9,  1
            breakOfALoopInACase,         0.9,  2
            # n trips of a loop whose cases continue, break, break the loop (3.1, 10 and 2.5, 12) or return (-3.5, 11)
            inLoop,                      1.3,  0
            inLoop,                      1.3,  1
            inLoop,                      1.3,  2
            inLoop,                      1.3,  3
            inLoop,                      1.3,  7
            inLoop,                      0.6,  9
            inLoop,                     -1.1,  8
            inLoop,                      3.1, 10
            inLoop,                      2.5, 12
            inLoop,                     -3.5, 11
            onCounter,                   0.8,  0
            onCounter,                   0.8,  1
            onCounter,                  -1.3,  2
            onCounter,                   1.4,  3
            onCounter,                   0.6,  6
            computedSelectorReassigned,  0.7,  0
            computedSelectorReassigned, -1.2,  3
            computedSelectorReassigned,  1.1,  1
            computedSelectorReassigned,  0.9,  2
            variableSelectorReassigned,  0.7,  0
            variableSelectorReassigned, -1.2,  1
            variableSelectorReassigned,  1.1,  2
            variableSelectorReassigned,  0.9,  5
            returnsFromCases,            1.3,  0
            returnsFromCases,            2.5,  1
            returnsFromCases,           -0.5,  1
            returnsFromCases,           -0.5,  2
            returnsFromCases,            0.7,  3
            localAcrossGroups,           1.3,  0
            localAcrossGroups,           0.4,  1
            localAcrossGroups,          -2.1,  2
            localAcrossGroups,           0.4,  3
            onlyDefaultAndEndlessLoop,   1.3,  0
            onlyDefaultAndEndlessLoop,   0.7,  1
            onlyDefaultAndEndlessLoop,  -0.4,  2
            everyCaseReturns,            1.3,  0
            everyCaseReturns,            1.3,  1
            everyCaseReturns,           -0.8,  2
            everyCaseReturns,            0.8,  2
            everyCaseReturns,            0.8, -4
            """)
    void switchStatementAtEachCase(String method, double x, int k) {
        check().check(method, x, k);
    }

    // ==== switch expressions ========================================================================================

    @ParameterizedTest(name = "{0}({1}, {2})")
    @CsvSource(textBlock = """
            # a block arm with an if and two yields, as the value of a return
            expressionInReturn,      0.7,  0
            expressionInReturn,      2.0,  1
            expressionInReturn,      0.5,  4
            expressionInReturn,     -0.5,  2
            # assigned to the variable that the block arm reads, and assigns before it yields
            expressionInAssignment,  0.7,  0
            expressionInAssignment, -1.3,  1
            # the classic form: case 0 falls into case 1's yield
            classicExpression,       0.7,  0
            classicExpression,      -1.3,  1
            classicExpression,       0.4,  2
            classicExpression,       1.2,  3
            classicExpression,       0.8,  4
            varAndCompound,          0.7,  0
            varAndCompound,         -1.3,  1
            varAndCompound,          0.4,  2
            varAndCompound,          1.2, -1
            """)
    void switchExpressionAtEachCase(String method, double x, int k) {
        check().check(method, x, k);
    }

    @ParameterizedTest
    @CsvSource({"0.7, 1.5, 0", "0.7, 1.5, 1", "-0.3, 2.0, 2", "1.9, -0.5, 3"})
    void switchExpressionAsInitialiserAndInsideACall(double x, double a, int k) {
        check().check("expressionInDeclaration", x, a, k);
    }

    @ParameterizedTest
    @CsvSource({"0.7, 0, 0", "0.7, 0, 1", "-1.1, 0, 2", "0.6, 1, 0", "0.6, 1, 1", "1.4, 1, 5", "0.9, 2, 0"})
    void nestedSwitches(double x, int i, int j) {
        check().check("nested", x, i, j);
    }

    @ParameterizedTest
    @CsvSource({"0.7, 0, 1", "2.5, 0, 2", "0.5, 0, 2", "0.7, 0, 3", "0.7, 4, 1"})
    void yieldFromASwitchStatementInsideAnArm(double x, int k, int j) {
        check().check("yieldFromANestedSwitchStatement", x, k, j);
    }

    // ==== arrays ====================================================================================================

    @Test
    void selectorReadFromAnIntArrayInsideALoop() {
        arrays().check("arraySelector", new double[] {0.5, -1.2, 0.8}, new int[] {0, 1, 2, 1, 7, 0});
        arrays().check("arraySelector", new double[] {1.5, 0.3, -0.4}, new int[] {});
        arrays().check("arraySelector", new double[] {1.5, 0.3, -0.4, 2.0}, new int[] {5, 1});
    }

    @Test
    void arrayElementsWrittenInCasesIncludingAParameter() {
        arrays().check("writesArrays", new double[] {0.5, -1.2, 0.8, 1.1, -0.3}, 0);
        arrays().check("writesArrays", new double[] {0.5, -1.2, 0.8, 1.1}, 1);
        arrays().check("writesArrays", new double[] {1.4, 0.2, -0.7}, 2);
    }

    // ==== what the desugaring leaves ================================================================================

    @Test
    void generatedCodeIsAnElseIfChainWithoutSwitchesOrTheirLabels() {
        String code = generated();
        assertFalse(code.lines().map(String::trim).filter(l -> !l.startsWith("//") && !l.startsWith("*"))
                .anyMatch(l -> l.contains("switch")), "no switch left in the generated code:\n" + code);
        assertTrue(code.contains("} else if (k == 1 || k == 2) {"), code);
        // a computed selector is evaluated once, into a local
        assertTrue(code.contains("int selector = k * 2 + 1;"), code);
    }

    @Test
    void reverseSweepCommentsQuoteTheCaseLines() {
        String code = generated();
        assertTrue(Pattern.compile("// Cases\\.java:\\d+: case 1, 2, 3 ->").matcher(code).find(), code);
        assertTrue(Pattern.compile("// Cases\\.java:\\d+: y = t \\* t \\+ y;").matcher(code).find(), code);
    }
}
