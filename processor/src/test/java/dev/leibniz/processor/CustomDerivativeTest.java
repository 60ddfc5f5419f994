package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.GradientCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code @DerivativeOf}: a derivative the user supplies for a method Leibniz does not differentiate — in the same
 * class, in another class (a "library"), per parameter — used wherever a {@code @Differentiable} method calls the
 * original, including in loops and on array elements; and every misuse an error on the annotation.
 */
class CustomDerivativeTest {
    private static final String CLASS = "com.example.Model";

    private static final String SPECIAL = """
            package com.example.lib;

            /** A library the user cannot annotate: an erf approximation and a log-beta function. */
            public final class Special {
                private Special() {
                }

                /** Abramowitz and Stegun 7.1.26 is too coarse here; a Taylor series is fine near 0. */
                public static double erf(double x) {
                    double term = x;
                    double sum = x;
                    for (int n = 1; n < 40; n++) {
                        term *= -x * x / n;
                        sum += term / (2 * n + 1);
                    }
                    return 2 / Math.sqrt(Math.PI) * sum;
                }

                public static double scaledLogBeta(double a, int scale, double b) {
                    return scale * (lgamma(a) + lgamma(b) - lgamma(a + b));
                }

                /** Stirling's series, accurate for arguments above 5. */
                public static double lgamma(double x) {
                    return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x)
                            - 1 / (360 * x * x * x);
                }

                public static double digamma(double x) {
                    return Math.log(x) - 1 / (2 * x) - 1 / (12 * x * x) + 1 / (120 * x * x * x * x);
                }
            }
            """;

    private static final String MODEL = """
            package com.example;

            import com.example.lib.Special;
            import dev.leibniz.DerivativeOf;
            import dev.leibniz.Differentiable;

            public final class Model {
                private Model() {
                }

                /** log(1 + e^x) without overflow. */
                static double softplus(double x) {
                    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
                }

                @DerivativeOf("softplus")
                static double softplusDerivative(double x) {
                    return x > 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
                }

                @DerivativeOf(value = "erf", in = Special.class)
                static double erfDerivative(double x) {
                    return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
                }

                @DerivativeOf(value = "scaledLogBeta", in = Special.class, wrt = "a")
                static double scaledLogBetaDa(double a, int scale, double b) {
                    return scale * (Special.digamma(a) - Special.digamma(a + b));
                }

                @DerivativeOf(value = "scaledLogBeta", in = Special.class, wrt = "b")
                static double scaledLogBetaDb(double a, int scale, double b) {
                    return scale * (Special.digamma(b) - Special.digamma(a + b));
                }

                @Differentiable
                public static double softplusOfAffine(double w, double x, double b) {
                    return softplus(w * x + b) * x;
                }

                @Differentiable
                public static double erfSquared(double x) {
                    double e = Special.erf(0.5 * x);
                    return e * e;
                }

                @Differentiable
                public static double logBeta(double a, double b) {
                    return Special.scaledLogBeta(a * a, 2, b);
                }

                @Differentiable
                public static double softplusLoss(double[] w, double[] x) {
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        s += softplus(w[i] * x[i]);
                        s = s * 0.9;
                    }
                    return s;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, "com.example.lib.Special", SPECIAL, CLASS,
            MODEL);

    @Test
    void aDerivativeInTheSameClassServesCallsOfTheOriginal() {
        GradientCheck check = COMPILED.check();
        check.check("softplusOfAffine", 0.7, -1.3, 0.4);
        check.check("softplusOfAffine", 2.0, 3.0, -10.0);
    }

    @Test
    void theUsersFormulaIsUsedWhereTheTextbookOneOverflows() {
        // d/dw softplus(w x + b) x = x^2 sigmoid(w x + b); e^800 overflows, the supplied formula does not.
        Map<String, Object> g = gradient("softplusOfAffine", 400.0, 2.0, 0.0);
        assertEquals(4.0, (double) g.get("w"), 0.0);
        assertEquals(2.0, (double) g.get("b"), 0.0);
    }

    @Test
    void aLibraryFunctionGetsItsDerivativeFromTheUsersClass() {
        COMPILED.check().check("erfSquared", 0.3);
        COMPILED.check().check("erfSquared", -1.1);
    }

    @Test
    void eachParameterHasItsOwnPartialAndIntegerArgumentsArePassedThrough() {
        COMPILED.check().check("logBeta", 2.5, 6.0);
        COMPILED.check().check("logBeta", 3.0, 11.5);
    }

    @Test
    void aCustomDerivativeInsideALoopOverArrayElements() {
        new dev.leibniz.processor.testing.ArrayGradientCheck(COMPILED.get(), CLASS, MODEL)
                .check("softplusLoss", new double[] {0.5, -1.2, 2.0}, new double[] {1.5, 0.3, -0.7});
    }

    // ==== misuse: an error on the annotation ========================================================================

    @Test
    void aDerivativeMustBeStatic() {
        rejected("""
                    @DerivativeOf("f")
                    double fPrime(double x) {
                        return 2 * x;
                    }
                """, "@DerivativeOf method 'fPrime' must be static", "@DerivativeOf(\"f\")");
    }

    @Test
    void aDerivativeMustReturnDouble() {
        rejected("""
                    @DerivativeOf("f")
                    static float fPrime(double x) {
                        return 2;
                    }
                """, "@DerivativeOf method 'fPrime' must return double", "@DerivativeOf(\"f\")");
    }

    @Test
    void aDerivativeTakesExactlyTheOriginalsParameters() {
        rejected("""
                    @DerivativeOf("f")
                    static double fPrime(double x, double y) {
                        return 2 * x;
                    }
                """, "@DerivativeOf names com.example.Custom.f(double, double), which does not exist",
                "@DerivativeOf(\"f\")");
    }

    @Test
    void aMethodOfSeveralDoublesNeedsWrt() {
        rejected("""
                    @DerivativeOf("g")
                    static double gPrime(double x, double y) {
                        return y;
                    }
                """, "Custom.g has 2 double parameters [x, y]; say which one", "@DerivativeOf(\"g\")");
    }

    @Test
    void wrtMustNameADoubleParameter() {
        rejected("""
                    @DerivativeOf(value = "g", wrt = "z")
                    static double gPrime(double x, double y) {
                        return y;
                    }
                """, "Custom.g has no parameter 'z'; its double parameters are [x, y]", "@DerivativeOf(value");
        rejected("""
                    @DerivativeOf(value = "h", wrt = "n")
                    static double hPrime(double x, int n) {
                        return n;
                    }
                """, "'n' of Custom.h is int; derivatives are with respect to double parameters [x]",
                "@DerivativeOf(value");
    }

    @Test
    void aDerivativeThatDeclaresACheckedExceptionIsAnError() {
        // Generated code calls it, where nothing could catch or declare the exception.
        rejected("""
                    @DerivativeOf("f")
                    static double fPrime(double x) throws java.io.IOException {
                        return 2 * x;
                    }
                """, "@DerivativeOf method 'fPrime' declares throws IOException, which the generated code that calls it "
                + "could neither catch nor declare; catch it inside", "@DerivativeOf(\"f\")");
    }

    @Test
    void twoDerivativesForTheSameParameterAreAnError() {
        String src = source("""
                    @DerivativeOf("f")
                    static double fPrime(double x) {
                        return 2 * x;
                    }

                    @DerivativeOf(value = "f", wrt = "x")
                    static double fPrimeAgain(double x) {
                        return 2 * x;
                    }
                """);
        assertRejected("com.example.Custom", src, error("another @DerivativeOf already gives the derivative of "
                + "Custom.f with respect to 'x'", at(src, "@DerivativeOf(value = \"f\", wrt = \"x\")")));
    }

    @Test
    void aDifferentiableMethodOrAMathFunctionNeedsNoDerivative() {
        rejected("""
                    @DerivativeOf("twice")
                    static double twicePrime(double x) {
                        return 2;
                    }
                """, "Custom.twice is @Differentiable, so Leibniz differentiates it already", "@DerivativeOf(\"twice\")");
        rejected("""
                    @DerivativeOf(value = "sin", in = Math.class)
                    static double sinPrime(double x) {
                        return Math.cos(x);
                    }
                """, "Math.sin is differentiated by Leibniz already; remove this @DerivativeOf", "@DerivativeOf(value");
    }

    @Test
    void aCallNeedsADerivativeForEveryParameterItsArgumentsVaryIn() {
        String src = source("""
                    @DerivativeOf(value = "g", wrt = "x")
                    static double gDx(double x, double y) {
                        return y;
                    }

                    @Differentiable
                    static double uses(double a) {
                        return g(1.0, a);
                    }
                """);
        assertRejected("com.example.Custom", src, error("'g' has a @DerivativeOf for some parameters but not for "
                + "parameter 2", at(src, "g(1.0, a)", "(")));
    }

    private static void rejected(String members, String message, String snippet) {
        String src = source(members);
        assertRejected("com.example.Custom", src, error(message, at(src, snippet)));
    }

    /** A class with originals f(x), g(x, y), h(x, n) and a @Differentiable twice(x), plus {@code members}. */
    private static String source(String members) {
        return """
                package com.example;

                import dev.leibniz.DerivativeOf;
                import dev.leibniz.Differentiable;

                final class Custom {
                    static double f(double x) {
                        return x * x;
                    }

                    static double g(double x, double y) {
                        return x * y;
                    }

                    static double h(double x, int n) {
                        return n * x;
                    }

                    @Differentiable
                    static double twice(double x) {
                        return 2 * x;
                    }

                """ + members + "}\n";
    }

    private static Map<String, Object> gradient(String method, Object... args) {
        Compiled compiled = COMPILED.get();
        return Compiled.components(Compiled.invoke(compiled.method(CLASS + "Gradient", method), args));
    }
}
