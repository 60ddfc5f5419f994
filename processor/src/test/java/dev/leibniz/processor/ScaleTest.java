package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Tape;
import dev.leibniz.processor.testing.Compiled;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sizes far beyond hand-written code: long expressions and methods either compile with exact derivatives or stop at
 * the JVM's 64 KB per method with a clear error at the source method, never a {@code StackOverflowError}; hundreds of
 * methods in one class; a tape of ten million entries within a known number of bytes per iteration.
 */
class ScaleTest {
    private static final String BIG = "com.example.Big";
    private static final String SIZE_ERROR = "the derivatives of f would exceed the JVM's limit of 64 KB of bytecode "
            + "per method";

    @Test
    void aSumOf5000TermsIsTheMethodSizeErrorAtTheMethodEvenOnADefaultStack() {
        String src = big("static double f(double x)", "return " + terms(5000) + ";");
        // the processor recurses over the whole sum; javac's thread has the JVM's default stack
        DeepStack.onThread("javac-with-a-default-stack", 1L << 20,
                () -> assertRejected(BIG, src, error(SIZE_ERROR, at(src, "f(double x)"))));
    }

    @Test
    void aSumOf1000TermsCompilesAndItsDerivativeIsTheClosedForm() {
        Compiled compiled = Compiled.compile(BIG, big("static double f(double x)", "return " + terms(1000) + ";"));
        double x = 0.7;
        Map<String, Object> g = Compiled.components(
                Compiled.invoke(compiled.method(BIG + "Gradient", "f"), new Object[] {x}));
        double derivative = 0;
        for (int i = 0; i < 1000; i++) {
            derivative += coefficient(i) * Math.cos(coefficient(i) * x);
        }
        assertEquals(Compiled.invoke(compiled.method(BIG, "f"), new Object[] {x}), g.get("value"));
        assertEquals(derivative, (double) g.get("x"), 1e-12 * 1000);
    }

    @Test
    void aMethodOf10000StatementsIsTheMethodSizeErrorAtTheMethod() {
        StringBuilder body = new StringBuilder("double s = 0;\n");
        for (int i = 0; i < 10_000; i++) {
            body.append(i % 2 == 0 ? "s += x;\n" : "s -= y;\n");
        }
        String src = big("static double f(double x, double y)", body + "return s;");
        assertRejected(BIG, src, error(SIZE_ERROR, at(src, "f(double x, double y)")));
    }

    @Test
    void aMethodOf1200StatementsWithBranchesAndBookkeepingCompilesWithExactPartials() {
        StringBuilder body = new StringBuilder("double s = 0;\nint k = 0;\n");
        for (int i = 0; i < 1200; i++) {
            body.append(switch (i % 4) {
                case 0 -> "s += x;\n";
                case 1 -> "k++;\n";
                case 2 -> "if (k % 3 == 0) s -= y;\n";
                default -> "s *= 0.75;\n";
            });
        }
        Compiled compiled = Compiled.compile(BIG, big("static double f(double x, double y)", body + "return s;"));
        // s is linear in x and y: replay the recurrence on the partials themselves
        double s = 0;
        double dx = 0;
        double dy = 0;
        int k = 0;
        for (int i = 0; i < 1200; i++) {
            switch (i % 4) {
                case 0 -> {
                    s += 1.5;
                    dx += 1;
                }
                case 1 -> k++;
                case 2 -> {
                    if (k % 3 == 0) {
                        s -= -2.5;
                        dy -= 1;
                    }
                }
                default -> {
                    s *= 0.75;
                    dx *= 0.75;
                    dy *= 0.75;
                }
            }
        }
        Map<String, Object> g = Compiled.components(
                Compiled.invoke(compiled.method(BIG + "Gradient", "f"), new Object[] {1.5, -2.5}));
        assertEquals(s, (double) g.get("value"), 1e-12);
        assertEquals(dx, (double) g.get("x"), 1e-12);
        assertEquals(dy, (double) g.get("y"), 1e-12);
    }

    @Test
    void aMethodOf5000StatementsOfMostlyIntegerBookkeepingCompilesWithExactPartials() {
        StringBuilder body = new StringBuilder("double s = 0;\nint k = 0;\n");
        for (int i = 0; i < 5000; i++) {
            body.append(i % 10 == 9 ? "s = s * 0.5 + x;\n" : "k += " + i % 7 + ";\n");
        }
        Compiled compiled = Compiled.compile(BIG, big("static double f(double x, double y)", body + "return s * y + k;"));
        double s = 0;
        double ds = 0; // ds/dx
        int k = 0;
        for (int i = 0; i < 5000; i++) {
            if (i % 10 == 9) {
                s = s * 0.5 + 1.25;
                ds = ds * 0.5 + 1;
            } else {
                k += i % 7;
            }
        }
        Map<String, Object> g = Compiled.components(
                Compiled.invoke(compiled.method(BIG + "Gradient", "f"), new Object[] {1.25, -0.5}));
        assertEquals(s * -0.5 + k, (double) g.get("value"), 1e-9);
        assertEquals(ds * -0.5, (double) g.get("x"), 1e-12);
        assertEquals(s, (double) g.get("y"), 1e-12);
    }

    @Test
    void aClassOf500DifferentiableMethodsCompilesAndEveryGradientIsRight() {
        StringBuilder methods = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            methods.append("@Differentiable\nstatic double f").append(i).append("(double x, double y) {\n")
                    .append("    double t = Math.sin(x * ").append(i + 1).append(") * y;\n")
                    .append("    return t * t + Math.exp(-y * x);\n}\n");
        }
        Compiled compiled = Compiled.compile(BIG, """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Big {
                """ + methods.toString().indent(4) + "}\n");
        double x = 0.3;
        double y = 1.1;
        for (int i = 0; i < 500; i++) {
            int c = i + 1;
            double t = Math.sin(x * c) * y;
            double e = Math.exp(-y * x);
            Map<String, Object> g = Compiled.components(
                    Compiled.invoke(compiled.method(BIG + "Gradient", "f" + i), new Object[] {x, y}));
            assertEquals(2 * t * Math.cos(x * c) * c * y - y * e, (double) g.get("x"), 1e-12, "f" + i);
            assertEquals(2 * t * Math.sin(x * c) - x * e, (double) g.get("y"), 1e-12, "f" + i);
        }
    }

    /**
     * Ten million iterations of the logistic map, each overwriting {@code v}: the tape holds one double per iteration.
     * At r = 2.5 the map converges to v* = 1 - 1/r, so dv/dr = 1/r^2 = 0.16 and the start no longer matters.
     */
    @Test
    void aLoopOf10MillionIterationsTapesAtMost16BytesPerIteration() {
        Compiled compiled = Compiled.compile(BIG, """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Big {
                    @Differentiable
                    static double logistic(double[] p, int n) {
                        double r = p[0];
                        double v = p[1];
                        for (int i = 0; i < n; i++) {
                            v = r * v * (1 - v);
                        }
                        return v;
                    }
                }
                """);
        Method accumulate = compiled.method(BIG + "Gradient", "logisticAccumulate");
        int n = 10_000_000;
        double[] dp = new double[2];
        Tape tape = new Tape();
        double v = (double) Compiled.invoke(accumulate, new Object[] {new double[] {2.5, 0.3}, n, dp, tape});
        assertEquals(0.6, v, 1e-12);
        assertEquals(0.16, dp[0], 1e-12);
        assertEquals(0.0, dp[1], 1e-12);
        long bytes = tape.capacityBytes();
        assertTrue(bytes >= 8L * n && bytes <= 16L * n, "tape of " + bytes + " bytes for " + n + " iterations");
    }

    /** {@code sin(x) + sin(x * c1) + ...}, a sum of {@code n} terms. */
    private static String terms(int n) {
        StringBuilder terms = new StringBuilder("Math.sin(x)");
        for (int i = 1; i < n; i++) {
            terms.append(" + Math.sin(x * ").append(coefficient(i)).append(")");
        }
        return terms.toString();
    }

    private static double coefficient(int term) {
        return term == 0 ? 1 : 1 + term * 1e-4;
    }

    private static String big(String signature, String body) {
        return """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Big {
                    @Differentiable
                """ + (signature + " {\n" + body.indent(4) + "}\n").indent(4) + "}\n";
    }
}
