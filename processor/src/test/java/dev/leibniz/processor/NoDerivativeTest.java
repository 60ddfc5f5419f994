package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Leibniz.noDerivative(x)} stops the derivative (JAX's {@code stop_gradient}): finite differences see
 * through it, so each gradient here is checked against its closed form with the stopped value held constant.
 */
class NoDerivativeTest {
    private static final String CLASS = "com.example.Stopped";
    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, """
            package com.example;

            import static dev.leibniz.Leibniz.noDerivative;

            import dev.leibniz.Differentiable;
            import dev.leibniz.Leibniz;

            public final class Stopped {
                private Stopped() {
                }

                @Differentiable
                public static double timesItselfHeld(double x) {
                    return x * Leibniz.noDerivative(x);
                }

                @Differentiable
                public static double heldProduct(double x, double y) {
                    double p = noDerivative(x * y);
                    return x + y * p;
                }

                /** Squared deviations from a mean held constant: the mean's own dependence on w is dropped. */
                @Differentiable
                public static double deviationsFromHeldMean(double[] w) {
                    double mean = 0;
                    for (double v : w) {
                        mean += v;
                    }
                    mean = Leibniz.noDerivative(mean / w.length);
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        double d = w[i] - mean;
                        s += d * d;
                    }
                    return s;
                }

                @Differentiable
                public static double heldInABranchCondition(double x) {
                    if (Leibniz.noDerivative(x * x) > 1) {
                        return 3 * x;
                    }
                    return x * x;
                }

                static double helper(double x, double y) {
                    return Math.floor(x * y) + x;
                }

                @Differentiable(wrt = "x")
                static double onlyX(double x, double y) {
                    return x * y;
                }

                /** Held: a call of a method that is not differentiable, a parameter a callee leaves out of wrt. */
                @Differentiable(hessian = true)
                public static double heldCalls(double x, double y) {
                    return Leibniz.noDerivative(helper(x, y)) + x * y + noDerivative(onlyX(x, x * y))
                            + noDerivative(Math.sin(x) * helper(y, x));
                }
            }
            """);

    @Test
    void aHeldFactorIsAConstantOfTheDerivative() {
        for (double x : new double[] {-1.5, 0.25, 3}) {
            Map<String, Object> g = gradient("timesItselfHeld", x);
            assertEquals(x * x, (double) g.get("value"), 0.0, "the value is the original's");
            assertEquals(x, (double) g.get("x"), 0.0, "d/dx of x * c is c, not 2x");
        }
    }

    @Test
    void aHeldIntermediateDropsItsOwnDependence() {
        double x = 0.7;
        double y = -1.3;
        Map<String, Object> g = gradient("heldProduct", x, y);
        assertEquals(x + y * (x * y), (double) g.get("value"), 0.0);
        assertEquals(1, (double) g.get("x"), 0.0);
        assertEquals(x * y, (double) g.get("y"), 0.0);
    }

    @Test
    void aMeanHeldConstantInsideLoopsOverAnArray() {
        double[] w = {0.5, -1.0, 2.5, 0.25};
        double mean = (0.5 - 1.0 + 2.5 + 0.25) / 4;
        double[] expected = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            expected[i] = 2 * (w[i] - mean);
        }
        assertArrayEquals(expected, (double[]) gradient("deviationsFromHeldMean", (Object) w).get("w"), 1e-15);
    }

    @Test
    void aHeldBranchConditionStillChoosesTheBranch() {
        assertEquals(3, (double) gradient("heldInABranchCondition", 2.0).get("x"), 0.0);
        assertEquals(2 * 0.5, (double) gradient("heldInABranchCondition", 0.5).get("x"), 0.0);
    }

    @Test
    void anyExpressionMayBeHeldACallOfAnyMethodIncludedInEveryForm() {
        double x = 0.7;
        double y = 1.3;
        double held = Math.floor(x * y) + x + x * (x * y) + Math.sin(x) * (Math.floor(y * x) + y);
        Map<String, Object> g = gradient("heldCalls", x, y);
        assertEquals(held + x * y, (double) g.get("value"), 0.0, "the value is the original's");
        assertEquals(y, (double) g.get("x"), 0.0, "the held terms are constants of the derivative");
        assertEquals(x, (double) g.get("y"), 0.0);
        Compiled compiled = COMPILED.get();
        Map<String, Object> d = Compiled.components(Compiled.invoke(
                compiled.method(CLASS + "Gradient", "heldCallsDifferential"), new Object[] {x, y, 2.0, -1.0}));
        assertEquals(2 * y - x, (double) d.get("differential"), 1e-15);
        double[][] h = (double[][]) Compiled.invoke(compiled.method(CLASS + "Gradient", "heldCallsHessian"),
                new Object[] {x, y});
        assertArrayEquals(new double[] {0, 1}, h[0], 0.0);
        assertArrayEquals(new double[] {1, 0}, h[1], 0.0);
    }

    private static Map<String, Object> gradient(String method, Object... args) {
        Compiled compiled = COMPILED.get();
        return Compiled.components(Compiled.invoke(compiled.method(CLASS + "Gradient", method), args));
    }
}
