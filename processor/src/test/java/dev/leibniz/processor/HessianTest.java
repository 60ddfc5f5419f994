package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
