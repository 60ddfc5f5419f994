package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.HessianCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Second order ({@code hessian = true}): Hessian-vector products and Hessians, checked by {@link HessianCheck}
 * against differences of the generated gradient, and against closed forms.
 */
class HessianTest {
    private static final String CLASS = "com.example.Curvature";
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Curvature {
                private Curvature() {
                }

                @Differentiable(hessian = true)
                public static double sigmoid(double x, double beta) {
                    return 1.0 / (1.0 + Math.exp(-beta * x));
                }

                @Differentiable(hessian = true)
                public static double rosenbrock(double x, double y) {
                    double a = 1 - x;
                    double b = y - x * x;
                    return a * a + 100 * b * b;
                }

                @Differentiable(hessian = true)
                public static double extendedRosenbrock(double[] x) {
                    double s = 0;
                    for (int i = 0; i + 1 < x.length; i++) {
                        double a = x[i + 1] - x[i] * x[i];
                        double b = 1 - x[i];
                        s += 100 * a * a + b * b;
                    }
                    return s;
                }

                /** log(sum(exp(z))), shifted by the maximum, whose derivative cancels at every order. */
                @Differentiable(hessian = true)
                public static double logSumExp(double[] z) {
                    double m = z[0];
                    for (int i = 1; i < z.length; i++) {
                        m = Math.max(m, z[i]);
                    }
                    double s = 0;
                    for (double zi : z) {
                        s += Math.exp(zi - m);
                    }
                    return m + Math.log(s);
                }

                /** Cross-entropy of the softmax of z against a label: logSumExp(z) - z[label]. */
                @Differentiable(hessian = true)
                public static double crossEntropy(double[] z, int label) {
                    double[] p = new double[z.length];
                    double sum = 0;
                    for (int i = 0; i < z.length; i++) {
                        p[i] = Math.exp(z[i]);
                        sum += p[i];
                    }
                    for (int i = 0; i < z.length; i++) {
                        p[i] = p[i] / sum;
                    }
                    return -Math.log(p[label]);
                }

                /** The logistic map: a loop that overwrites the value it needs. */
                @Differentiable(hessian = true)
                public static double logisticMap(double r, double v, int n) {
                    for (int i = 0; i < n; i++) {
                        v = r * v * (1 - v);
                    }
                    return v;
                }

                @Differentiable(hessian = true)
                public static double expLog(double x, double y) {
                    return Math.exp(0.3 * x * y) * Math.log(y) + Math.log(x * x + 1);
                }

                @Differentiable(hessian = true)
                public static double sinTanh(double x, double y) {
                    return Math.sin(x * y) + Math.tanh(x - 2 * y) * Math.cos(y);
                }

                @Differentiable(hessian = true)
                public static double powers(double x, double y) {
                    return Math.pow(x, y) + Math.pow(x, 3) + Math.pow(y, 2) + Math.sqrt(x * y) + Math.pow(x, 0.5);
                }

                @Differentiable(hessian = true)
                public static double polar(double x, double y) {
                    return Math.atan2(y, x) * Math.hypot(x, y) + Math.atan2(x, 2.0);
                }

                @Differentiable(hessian = true)
                public static double moreMath(double x) {
                    return Math.cbrt(x) + Math.log1p(x) + Math.expm1(x) * Math.asin(x / 2) + Math.acos(x / 3)
                            + Math.atan(x) * Math.sinh(x) + Math.cosh(x) / Math.tan(x + 1) + Math.log10(x)
                            + Math.toDegrees(x) * Math.toRadians(x) + Math.fma(x, x, x) + x % 0.3;
                }

                /** Piecewise: abs, max, min and floor are linear or constant here; the branch too. */
                @Differentiable(hessian = true)
                public static double piecewise(double x, double y) {
                    double base = Math.abs(x) * y + Math.max(x, y) * Math.min(x, 2 * y) + Math.floor(x) * y;
                    if (x * y > 1) {
                        return base * x;
                    }
                    return x > 0 ? base + x * x * x : base - y * y;
                }

                /** A quadratic form x' A x: the Hessian in x is A + A', in A zero, mixed terms between. */
                @Differentiable(hessian = true)
                public static double quadraticForm(double[][] a, double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        for (int j = 0; j < x.length; j++) {
                            s += x[i] * a[i][j] * x[j];
                        }
                    }
                    return s;
                }

                /** Every shape at once, with inputs between them. */
                @Differentiable(hessian = true)
                public static double mixed(double s, double[] w, int k, double[][] m, double t) {
                    double acc = s * t;
                    for (int i = 0; i < w.length; i++) {
                        acc += Math.sin(w[i] * s) * m[i % m.length][k];
                    }
                    for (double[] row : m) {
                        for (double e : row) {
                            acc += e * e * t;
                        }
                    }
                    return acc * acc / (1 + t * t);
                }

                /** A one-hidden-layer network's squared error, differentiated in its weights only. */
                @Differentiable(wrt = {"w1", "w2"}, hessian = true)
                public static double network(double[][] w1, double[] w2, double[] x, double t) {
                    double[] h = new double[w1.length];
                    for (int j = 0; j < w1.length; j++) {
                        double z = 0;
                        for (int i = 0; i < x.length; i++) {
                            z += w1[j][i] * x[i];
                        }
                        h[j] = Math.tanh(z);
                    }
                    double y = 0;
                    for (int j = 0; j < h.length; j++) {
                        y += w2[j] * h[j];
                    }
                    double e = y - t;
                    return 0.5 * e * e;
                }

                @Differentiable(wrt = {"x"}, hessian = true)
                public static double scaled(double x, double c) {
                    return c * x * x * x;
                }

                /** Writes into its parameter: the second-order forms keep the side effect, as the others do. */
                @Differentiable(hessian = true)
                public static double normalizeInPlace(double[] x) {
                    double n = 0;
                    for (double e : x) {
                        n += e * e;
                    }
                    n = Math.sqrt(n);
                    for (int i = 0; i < x.length; i++) {
                        x[i] = x[i] / n;
                    }
                    return x[0] * n * n + Math.sin(x[1]) * x[x.length - 1];
                }

                /** A while loop whose trip count depends on the parameter. */
                @Differentiable(hessian = true)
                public static double halveUntilSmall(double x) {
                    while (x > 1) {
                        x = x / 2;
                    }
                    return Math.exp(x) * x;
                }

                /** A return from inside a loop. */
                @Differentiable(hessian = true)
                public static double firstAbove(double[] x, double limit) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += x[i] * x[i] * limit;
                        if (s > limit) {
                            return s * x[i];
                        }
                    }
                    return s;
                }

                @Differentiable(hessian = true)
                public static double constant(@SuppressWarnings("leibniz") double x) {
                    return 3;
                }

                /** The result assigned in a loop, read by its tangent: the reverse sweep restores it. */
                @Differentiable(hessian = true)
                public static double firstExpAbove(double[] x, double limit) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += x[i] * x[i] * limit;
                        if (s > limit) {
                            return Math.exp(s);
                        }
                    }
                    return Math.sqrt(s);
                }

                /** Distinct curvature per flattened position: 2 (k + 1) on the diagonal at position k. */
                @Differentiable(hessian = true)
                public static double positions(double s, double[] w, double[][] m, double t) {
                    double acc = s * s;
                    int k = 1;
                    for (double e : w) {
                        k++;
                        acc += k * e * e;
                    }
                    for (double[] row : m) {
                        for (double e : row) {
                            k++;
                            acc += k * e * e;
                        }
                    }
                    return acc + (k + 1) * t * t;
                }

                /** Counts its calls in an int array: every form keeps the side effect exactly once. */
                @Differentiable(hessian = true)
                public static double counted(double x, double y, int[] calls) {
                    calls[0]++;
                    x = x * y;
                    return Math.sin(x) * y;
                }

                @Differentiable(hessian = true)
                public static double nothingDifferentiated(int k, boolean b) {
                    return b ? k : 2 * k;
                }
            }
            """;
    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static HessianCheck check() {
        return new HessianCheck(COMPILED.get(), CLASS);
    }

    @ParameterizedTest
    @CsvSource({"-1.2, 1.0", "1.0, 1.0", "0.3, -0.7"})
    void rosenbrockAgainstItsClosedForm(double x, double y) {
        double[][] h = check().check("rosenbrock", x, y);
        assertEquals(2 - 400 * (y - x * x) + 800 * x * x, h[0][0], 1e-12 * Math.abs(h[0][0]));
        assertEquals(-400 * x, h[0][1], 1e-12 * Math.abs(h[0][1]));
        assertEquals(200, h[1][1], 1e-12);
    }

    @Test
    void sigmoid() {
        check().check("sigmoid", 0.7, 1.3);
    }

    @Test
    void extendedRosenbrock() {
        check().check("extendedRosenbrock", (Object) new double[] {-1.2, 1.0, 0.5, 0.8});
    }

    @Test
    void logSumExp() {
        check().check("logSumExp", (Object) new double[] {0.3, -1.0, 2.0, 0.5});
    }

    @Test
    void crossEntropy() {
        check().check("crossEntropy", new double[] {0.3, -1.0, 2.0}, 1);
    }

    @Test
    void logisticMapAgainstDerivativesInEightyDigits() {
        // Five steps of a chaotic map: second differences in 80-digit arithmetic (h = 1e-15) give the reference.
        double[][] h = check().step(1e-4).check("logisticMap", 3.3, 0.4, 5);
        assertEquals(-2.060242916563027, h[1][1], 1e-13);
        assertEquals(-2.637420808395911, h[0][1], 1e-13);
    }

    @Test
    void expLog() {
        check().check("expLog", 0.7, 1.9);
    }

    @Test
    void sinTanh() {
        check().check("sinTanh", 0.7, -0.4);
    }

    @Test
    void powers() {
        check().check("powers", 1.7, 0.6);
    }

    @Test
    void polar() {
        check().check("polar", -0.8, 1.3);
    }

    @Test
    void moreMath() {
        check().check("moreMath", 0.7);
    }

    @Test
    void piecewise() {
        check().check("piecewise", 1.4, 0.9);
        check().check("piecewise", 0.4, 0.9);
        check().check("piecewise", -0.4, 0.9);
    }

    @Test
    void quadraticForm() {
        check().check("quadraticForm", new double[][] {{1, 2}, {-3, 0.5}}, new double[] {0.7, -1.1});
    }

    @Test
    void mixed() {
        check().check("mixed", 0.4, new double[] {0.3, -0.2, 0.9}, 1, new double[][] {{0.5, -0.5}, {0.25, 1.0}}, 0.8);
    }

    @Test
    void network() {
        check().wrt(0, 1).check("network", new double[][] {{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.2}},
                new double[] {0.7, -0.3, 0.2}, new double[] {1.0, -2.0}, 0.5);
    }

    @Test
    void scaled() {
        check().wrt(0).check("scaled", 0.7, 1.5);
    }

    @Test
    void normalizeInPlace() {
        check().check("normalizeInPlace", (Object) new double[] {0.3, -1.0, 2.0});
    }

    @Test
    void halveUntilSmall() {
        check().check("halveUntilSmall", 5.3);
    }

    @Test
    void firstAbove() {
        check().check("firstAbove", new double[] {0.3, 0.9, 2.0}, 0.7);
        check().check("firstAbove", new double[] {0.3, 0.1, 0.2}, 0.7);
    }

    @Test
    void constant() {
        check().check("constant", 0.7);
    }

    @Test
    void theValueOfAResultTheReverseSweepRestoresIsKept() {
        check().check("firstExpAbove", new double[] {0.3, 0.9, 2.0}, 0.7);
        check().check("firstExpAbove", new double[] {0.3, 0.1, 0.2}, 0.7);
        String generated = COMPILED.get().generatedSource(CLASS + "Gradient");
        assertTrue(generated.contains("double valueAfter = value;"), "the value is copied before the reverse sweep");
    }

    @Test
    void theHessianFlattensScalarsArraysAndRaggedRowsInParameterOrder() {
        double[] w = {0.5, -1.0};
        double[][] m = {{0.25, 2.0, -0.5}, {}, {1.5}};
        double[][] h = check().check("positions", 0.3, w, m, -0.7);
        assertEquals(8, h.length);
        for (int k = 0; k < 8; k++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(j == k ? 2.0 * (k + 1) : 0.0, h[k][j], 1e-12, "H[" + k + "][" + j + "]");
            }
        }
    }

    @Test
    void everyRowStartsFromTheArgumentsTheMethodWritesInto() {
        int[] calls = {0};
        double[][] h = check().hessian("counted", 0.7, -1.3, calls);
        assertEquals(1, calls[0], "the Hessian keeps the method's side effect once, as the method does");
        check().check("counted", 0.7, -1.3, new int[] {5});
        double x = 0.7;
        double y = -1.3;
        // f = sin(x y) y: f_xx = -y^3 sin(xy), f_xy = 2y cos(xy) - x y^2 sin(xy)
        assertEquals(-y * y * y * Math.sin(x * y), h[0][0], 1e-12);
        assertEquals(2 * y * Math.cos(x * y) - x * y * y * Math.sin(x * y), h[0][1], 1e-12);
    }

    @Test
    void aMethodWithoutDifferentiatedParametersHasAnEmptyHessian() {
        assertEquals(0, check().hessian("nothingDifferentiated", 3, true).length);
        Object gradient = Compiled.invoke(COMPILED.get().method(CLASS + "Gradient", "nothingDifferentiated"),
                new Object[] {3, true});
        assertEquals(java.util.Map.of("value", 3.0), Compiled.components(gradient));
        check().check("nothingDifferentiated", 3, false);
    }

    @Test
    void namesTheGeneratedCodeUsesGiveWayToTheMethodsOwn() {
        Compiled compiled = Compiled.compile("com.example.Names", """
                package com.example;

                import dev.leibniz.Differentiable;

                final class Names {
                    @Differentiable(hessian = true)
                    static double collide(double n, double row, double hessian, double x, double vx, double[] tape) {
                        double vValue = n * row * hessian;
                        for (int i = 0; i < tape.length; i++) {
                            vValue += Math.exp(x * vx * tape[i]);
                            n = n * 2;
                        }
                        return vValue * n;
                    }
                }
                """);
        new HessianCheck(compiled, "com.example.Names").check("collide", 0.3, -0.4, 0.5, 0.6, -0.7,
                new double[] {0.2, -0.1});
        String generated = compiled.generatedSource("com.example.NamesGradient");
        assertTrue(generated.contains("collideHessianVector(double n, double row, double hessian, double x,\n"
                + "            double vx, double[] tape, double vn, double vRow, double vHessian, double vx2,\n"
                + "            double vVx, double[] vTape)"), generated);
    }

    // ==== user-declared derivatives, and calls ====================================================================

    private static final String SMOOTH = """
            package com.example;

            import dev.leibniz.DerivativeOf;
            import dev.leibniz.Differentiable;

            final class Smooth {
                static double softplus(double x) {
                    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
                }

                @DerivativeOf("softplus")
                static double logistic(double x) {
                    return 1 / (1 + Math.exp(-x));
                }

                @DerivativeOf("logistic")
                static double logisticSlope(double x) {
                    double s = logistic(x);
                    return s * (1 - s);
                }

                @Differentiable
                static double ridge(double w) {
                    return 0.5 * w * w;
                }

                @Differentiable(hessian = true)
                static double smoothLoss(double w, double x) {
                    return softplus(w * x) + 0.1 * w * w * ridge(2.0);
                }
            }
            """;

    @Test
    void aDeclaredDerivativeWithADerivativeOfItsOwnIsDifferentiatedTwice() {
        Compiled compiled = Compiled.compile("com.example.Smooth", SMOOTH);
        double w = 0.8;
        double x = -1.3;
        double[][] h = new HessianCheck(compiled, "com.example.Smooth").check("smoothLoss", w, x);
        double s = 1 / (1 + Math.exp(-w * x));
        double slope = s * (1 - s);
        assertEquals(x * x * slope + 0.4, h[0][0], 1e-12);
        assertEquals(s + w * x * slope, h[0][1], 1e-12);
        assertEquals(w * w * slope, h[1][1], 1e-12);
    }

    @Test
    void aDeclaredDerivativeWithoutADerivativeOfItsOwnIsAnErrorAtTheCall() {
        String src = SMOOTH.replace("@DerivativeOf(\"logistic\")", "");
        assertRejected("com.example.Smooth", src, error("hessian = true needs the derivative of 'logistic', the "
                + "@DerivativeOf derivative of 'softplus', and it has none: declare one with "
                + "@DerivativeOf(\"logistic\") (a second derivative of 'softplus'), or remove hessian = true",
                at(src, "softplus(w * x)", "(")));
    }

    @Test
    void aDeclaredDerivativeMissingOneOfItsOwnPartialsIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.DerivativeOf;
                import dev.leibniz.Differentiable;
                final class Scaled {
                    static double f(double x, double a) {
                        return a * x * x;
                    }
                    @DerivativeOf(value = "f", wrt = "x")
                    static double fx(double x, double a) {
                        return 2 * a * x;
                    }
                    @DerivativeOf(value = "f", wrt = "a")
                    static double fa(double x, double a) {
                        return x * x;
                    }
                    @DerivativeOf(value = "fx", wrt = "x")
                    static double fxx(double x, double a) {
                        return 2 * a;
                    }
                    @Differentiable(hessian = true)
                    static double g(double x, double a) {
                        return f(x * 2, a + x);
                    }
                }
                """;
        assertRejected("com.example.Scaled", src, error("hessian = true needs the derivative of 'fx', the "
                + "@DerivativeOf derivative of 'f', and it has none with respect to its parameter 2: declare one with "
                + "@DerivativeOf(value = \"fx\", wrt = ...) (a second derivative of 'f'), or remove hessian = true",
                at(src, "f(x * 2, a + x)", "(")));
    }

    @Test
    void aCallWithoutDerivativeOfAnotherDifferentiableMethodIsAConstant() {
        // ridge(2.0) in smoothLoss: no derivative flows through it, so the Hessian does not need its own
        Compiled compiled = Compiled.compile("com.example.Smooth", SMOOTH);
        assertEquals(0.1 * 2 * 2.0, new HessianCheck(compiled, "com.example.Smooth").hessian("smoothLoss", 0.0, 0.0)[0][0],
                1e-15);
    }

    @Test
    void theSecondOrderMembersMayNotCollideWithAnotherMethodsMembers() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Names {
                    @Differentiable(hessian = true)
                    static double f(double x) {
                        return x * x * x;
                    }
                    @Differentiable
                    static double fHessian(double x) {
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Names", src, error("@Differentiable methods 'f' and 'fHessian' would generate "
                + "members with the same name (fHessian); rename one of them", at(src, "fHessian(double x)")));
    }
}
