package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Tape;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * An accumulate form called while another uses the same tape — from a {@code @DerivativeOf} derivative, which the
 * enclosing sweeps call between their pushes and pops — works in a frame above the enclosing call's values and
 * leaves them alone: both gradients are right, and the tape ends as it began.
 */
class NestedTapeTest {
    private static final String CLASS = "com.example.Nested";
    private static final String GRADIENT = CLASS + "Gradient";

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, """
            package com.example;

            import dev.leibniz.DerivativeOf;
            import dev.leibniz.Differentiable;
            import dev.leibniz.Tape;

            final class Nested {
                /** The tape of the test's calls, which the derivative below uses too. */
                static final Tape TAPE = new Tape();

                /** The product of v's elements: its sweeps push the running product. */
                @Differentiable
                static double product(double[] v) {
                    double p = 1;
                    for (int i = 0; i < v.length; i++) {
                        p = p * v[i];
                    }
                    return p;
                }

                static double cube(double x) {
                    return x * x * x;
                }

                /** 3 x^2, as the gradient of x * x * x by the accumulate form of product, on the shared tape. */
                @DerivativeOf("cube")
                static double cubeDerivative(double x) {
                    double[] v = {x, x, x};
                    double[] dv = new double[3];
                    NestedGradient.productAccumulate(v, dv, TAPE);
                    return dv[0] + dv[1] + dv[2];
                }

                /** Its loop pushes s, and each iteration's derivative of cube runs between the pushes and the pops. */
                @Differentiable
                static double series(double[] w) {
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        s = Math.sin(s) * w[i] + cube(w[i]);
                    }
                    return s;
                }
            }
            """);

    @Test
    void anAccumulateFormNestedInAnotherOnTheSameTapeLeavesTheEnclosingSweepAlone() throws Exception {
        Method accumulate = COMPILED.get().method(GRADIENT, "seriesAccumulate");
        Method pullback = COMPILED.get().method(GRADIENT, "seriesPullback");
        java.lang.reflect.Field field = COMPILED.get().load(CLASS).getDeclaredField("TAPE");
        field.setAccessible(true);
        Tape shared = (Tape) field.get(null);
        double[] w = {0.7, -0.4, 1.3, 0.2};
        double[] expected = AliasingTest.differences(t -> series(t), w);

        double[] onOwnTape = new double[4];
        double pulled = (double) Compiled.invoke(pullback, new Object[] {w, 1.0, onOwnTape});
        AliasingTest.assertClose(expected, onOwnTape);

        for (int step = 0; step < 3; step++) { // the same tape again: it ends each call as it began
            double[] dw = new double[4];
            double value = (double) Compiled.invoke(accumulate, new Object[] {w, dw, shared});
            assertEquals(pulled, value);
            AliasingTest.assertClose(expected, dw);
            assertTrue(shared.isEmpty());
        }
    }

    private static double series(double[] w) {
        double s = 0;
        for (double wi : w) {
            s = Math.sin(s) * wi + wi * wi * wi;
        }
        return s;
    }
}
