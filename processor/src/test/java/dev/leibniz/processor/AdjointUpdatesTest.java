package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.CompiledOnce;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * How the reverse code of a loop updates adjoints: contributions of different source statements to one adjoint
 * element added in one update when the statements between are independent of it ({@code Increments},
 * {@code Independence}), product-rule terms that differ only in constants added as one ({@code Scaled}), a
 * per-iteration adjoint assigned instead of added to zero, and a primal element read into a local where a store
 * into an adjoint array would make the JIT read it again ({@code ElementLocals}). Each method is checked by
 * {@link ArrayGradientCheck}, and the shape of the code where the change must or must not happen.
 */
class AdjointUpdatesTest {
    private static final String CLASS = "com.example.Updates";

    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Updates {
                private Updates() {
                }

                @Differentiable
                public static double rosenbrock(double[] x) {
                    double f = 0;
                    for (int i = 0; i + 1 < x.length; i++) {
                        double a = x[i + 1] - x[i] * x[i];
                        double b = 1 - x[i];
                        f += 100 * a * a + b * b;
                    }
                    return f;
                }

                @Differentiable
                public static double dot(double[] a, double[] b) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * b[i];
                    }
                    return s;
                }

                /** i and n - 1 - i are the same element in the middle: their updates are not merged across. */
                @Differentiable
                public static double mirrored(double[] x) {
                    double f = 0;
                    int n = x.length;
                    for (int i = 0; i < n; i++) {
                        double a = x[n - 1 - i] * x[i];
                        f += a * x[i];
                    }
                    return f;
                }

                /** k changes between the reads of x[k]: the updates of dx[k] stay on their side of the change. */
                @Differentiable
                public static double indexChangesBetween(double[] x) {
                    int k = 0;
                    double a = x[k] * x[k + 1];
                    k = k + 1;
                    double b = x[k] * x[k];
                    k = k - 1;
                    return a * b + 3 * x[k];
                }

                /** Two names for one array: an update through one may change what the other reads. */
                @Differentiable
                public static double twoNames(double[] x) {
                    double[] y = x;
                    double f = 0;
                    for (int i = 0; i + 1 < x.length; i++) {
                        f += x[i] * y[i + 1] + y[i] * y[i];
                    }
                    return f;
                }

                @Differentiable
                static double sq(double v) {
                    return v * v;
                }

                /** A call between the updates: nothing moves past it. */
                @Differentiable
                public static double callBetween(double[] x) {
                    double f = 0;
                    for (int i = 0; i + 1 < x.length; i++) {
                        double a = x[i] * x[i + 1];
                        double b = sq(x[i]);
                        f += a * b + x[i];
                    }
                    return f;
                }

                /** The loop writes a primal array: no element of it, nor of another, is kept in a local. */
                @Differentiable
                public static double writesAnArray(double[] x) {
                    double[] w = new double[x.length];
                    double f = 0;
                    for (int i = 0; i < x.length; i++) {
                        w[i] = x[i] * x[i];
                        f += w[i] * x[i];
                    }
                    return f;
                }

                /** x[i + 1] is read only when there is one: no local may read it before the test. */
                @Differentiable
                public static double guardedNext(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        double a = x[i] * x[i];
                        if (i + 1 < x.length) {
                            s += a * x[i + 1];
                        } else {
                            s += a;
                        }
                    }
                    return s;
                }

                @Differentiable
                public static double smoothness(double[] x, double[] w) {
                    double s = 0;
                    for (int i = 1; i < x.length; i++) {
                        double d = x[i] - x[i - 1];
                        s += w[0] * d * d * x[i] + w[i] * x[i - 1];
                    }
                    return s;
                }

                @Differentiable
                public static double pairs(double[] x) {
                    double s = 0;
                    for (int i = 0; 2 * i + 1 < x.length; i++) {
                        double p = x[2 * i] * x[2 * i + 1];
                        s += p * x[2 * i] + Math.sin(x[2 * i + 1]);
                    }
                    return s;
                }

                @Differentiable
                public static double huberSum(double[] r) {
                    double s = 0;
                    for (int i = 0; i < r.length; i++) {
                        double a = r[i];
                        if (Math.abs(a) < 1) {
                            s += 0.5 * a * a * r[i];
                        } else {
                            s += Math.abs(r[i]) - 0.5;
                        }
                    }
                    return s;
                }

                @Differentiable
                public static double rowProducts(double[][] m) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        s += m[i][0] * m[i][1] * m[i][0];
                    }
                    return s;
                }

                /** Each factor's update needs a temporary declared between them: the first update moves down. */
                @Differentiable
                public static double quartic(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += x[i] * x[i] * (x[i] * x[i]);
                    }
                    return s;
                }

                /** The loop moves its counter: its elements are not kept in locals. */
                @Differentiable
                public static double counterMovedInTheBody(double[] x) {
                    double f = 0;
                    for (int i = 0; i + 1 < x.length; i++) {
                        f += x[i] * x[i + 1] * x[i];
                        i++;
                    }
                    return f;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static ArrayGradientCheck check() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    /** The body of the generated method {@code name}, up to the next method. */
    /** The body of a generated method; for a pullback that calls the sweeps it shares, the sweeps' body. */
    private static String generated(String name) {
        String all = COMPILED.get().generatedSource(CLASS + "Gradient");
        String sweeps = name.replaceFirst("Pullback$", "Sweeps");
        if (all.contains("static double " + sweeps + "(")) {
            name = sweeps;
        }
        Matcher declaration = Pattern.compile("static \\S+ " + name + "\\(").matcher(all);
        int start = declaration.find() ? declaration.start() : -1;
        int end = all.indexOf("\n    }\n", start);
        return all.substring(start, end);
    }

    @Test
    void rosenbrockUpdatesEachElementOnceWithItsConstantsFolded() {
        double[] x = {-1.2, 1, 0.8, 1.1, -0.3};
        double[] g = check().check("rosenbrock", (Object) x).array("x");
        double[] expected = new double[x.length];
        for (int i = 0; i + 1 < x.length; i++) {
            expected[i] += -400 * x[i] * (x[i + 1] - x[i] * x[i]) - 2 * (1 - x[i]);
            expected[i + 1] += 200 * (x[i + 1] - x[i] * x[i]);
        }
        assertArrayEquals(expected, g, 1e-12);
        String code = generated("rosenbrockPullback");
        assertTrue(code.contains("da = 200.0 * (df * a);"), code);
        assertTrue(code.contains("db = 2.0 * (df * b);"), code);
        assertTrue(code.contains("dx[i] += -2.0 * (da * x[i]) - db;"), code);
        assertTrue(code.contains("dx[i + 1] += da;"), code);
        assertFalse(code.contains("double xi"), "x[i] is read before any store\n" + code);
    }

    @Test
    void dotReadsTheElementItNeedsAfterAStoreIntoALocal() {
        check().check("dot", new double[] {0.3, -1.1, 2.0}, new double[] {2.2, 0.7, -0.4});
        String code = generated("dotPullback");
        assertTrue(code.contains("double ai = a[i];"), code);
        assertTrue(code.contains("db[i] += ds * ai;"), code);
    }

    @Test
    void elementsThatMayBeTheSameKeepTheirOrder() {
        check().check("mirrored", (Object) new double[] {0.3, -1.1, 2.0, 0.7, -0.4});
        check().check("mirrored", (Object) new double[] {0.9, -0.2});
        String code = generated("mirroredPullback");
        assertTrue(code.contains("dx[n - 1 - i] += da * xi;\n            dx[i] += da * xElement;"), code);
    }

    @Test
    void anIndexWrittenBetweenStopsTheMove() {
        check().check("indexChangesBetween", (Object) new double[] {0.3, -1.1, 2.0});
        String code = generated("indexChangesBetweenPullback");
        assertTrue(code.contains("dx[k] += dValue * 3;"), code);
        assertTrue(code.contains("dx[k] += 2.0 * (db * x[k]);"), code);
    }

    @Test
    void twoNamesForOneArrayStopTheMove() {
        check().check("twoNames", (Object) new double[] {0.3, -1.1, 2.0, 0.7});
    }

    @Test
    void aCallBetweenStopsTheMove() {
        check().check("callBetween", (Object) new double[] {0.3, -1.1, 2.0, 0.7});
        assertTrue(generated("callBetweenPullback").contains("dx[i] += sqAdjoints.v();"));
    }

    @Test
    void aLoopThatWritesAnArrayKeepsNoElementInALocal() {
        check().check("writesAnArray", (Object) new double[] {0.3, -1.1, 2.0});
        assertFalse(generated("writesAnArrayPullback").contains("double xi"));
    }

    @Test
    void aLoopThatMovesItsCounterKeepsNoElementInALocal() {
        check().check("counterMovedInTheBody", (Object) new double[] {0.3, -1.1, 2.0, 0.7, 1.3});
        assertFalse(generated("counterMovedInTheBodyPullback").contains("double xi"));
    }

    @Test
    void aGuardedReadIsNotHoistedAboveItsGuard() {
        check().check("guardedNext", (Object) new double[] {0.3, -1.1, 2.0});
        check().check("guardedNext", (Object) new double[] {0.7});
        String code = generated("guardedNextPullback");
        assertTrue(code.contains("double xi = x[i];"), code);
        assertFalse(code.contains("= x[i + 1];"), code);
    }

    @Test
    void neighboursAConstantIndexAndASecondArray() {
        check().check("smoothness", new double[] {0.3, -1.1, 2.0, 0.5}, new double[] {1.5, -0.5, 0.25, 2.0});
        String code = generated("smoothnessPullback");
        assertTrue(code.contains("double xPrev = x[i - 1];"), code);
        assertTrue(code.contains("double w0 = w[0];"), code);
    }

    @Test
    void elementsAtComputedIndicesGetLocalsNamedAfterTheirIndex() {
        check().check("pairs", (Object) new double[] {0.3, -1.1, 2.0, 0.5, 0.9});
        String code = generated("pairsPullback");
        assertTrue(code.contains("double x2i = x[2 * i];"), code);
        assertTrue(code.contains("double x2i1 = x[2 * i + 1];"), code);
    }

    @Test
    void branchesInAFusedLoop() {
        check().check("huberSum", (Object) new double[] {0.3, -1.7, 2.0, -0.5});
    }

    @Test
    void rowsOfAMatrixAreLeftAlone() {
        check().check("rowProducts", (Object) new double[][] {{0.3, -1.1}, {2.0, 0.5}, {-0.4, 1.2}});
    }

    @Test
    void anUpdateMovesDownPastADeclarationTheNextOneReads() {
        check().check("quartic", (Object) new double[] {0.3, -1.1, 2.0});
        String code = generated("quarticPullback");
        assertTrue(code.split("dx\\[i\\] \\+=", -1).length == 2, code);
    }
}
