package dev.leibniz.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.GradientCheck;
import org.junit.jupiter.api.Test;

/** Newton's method with the generated Hessian, against gradient descent, on Rosenbrock's function. */
class OptimizationTest {
    @Test
    void newtonReachesTheMinimumInAFewDozenIterationsWhereGradientDescentNeedsThousands() {
        Optimization.Result newton = Optimization.newton(-1.2, 1, 1e-8, 1000);
        Optimization.Result descent = Optimization.gradientDescent(-1.2, 1, 1e-8, 1_000_000);
        assertTrue(newton.converged());
        assertEquals(1, newton.x(), 1e-8);
        assertEquals(1, newton.y(), 1e-8);
        assertTrue(newton.iterations() <= 36, "Newton took " + newton.iterations() + " iterations");
        assertTrue(descent.converged());
        assertEquals(1, descent.x(), 1e-6);
        assertEquals(1, descent.y(), 1e-6);
        assertTrue(descent.iterations() >= 1000, "gradient descent took " + descent.iterations() + " iterations");
    }

    @Test
    void theGeneratedHessianIsTheClosedFormAlongTheWay() {
        for (double[] p : new double[][] {{-1.2, 1}, {0.3, -0.4}, {1, 1}}) {
            double x = p[0];
            double y = p[1];
            double[][] h = OptimizationGradient.rosenbrockHessian(x, y);
            assertArrayEquals(new double[] {2 - 400 * (y - x * x) + 800 * x * x, -400 * x}, h[0], 1e-12);
            assertArrayEquals(new double[] {-400 * x, 200}, h[1], 1e-12);
            OptimizationGradient.RosenbrockHessianVector hv = OptimizationGradient.rosenbrockHessianVector(x, y, 1, 2);
            assertEquals(Optimization.rosenbrock(x, y), hv.value());
            assertEquals(h[0][0] + 2 * h[0][1], hv.x(), 1e-12);
            assertEquals(h[1][0] + 2 * h[1][1], hv.y(), 1e-12);
        }
    }

    @Test
    void theGeneratedGradientAgreesWithDifferencesAlongTheWayAndAtTheMinimum() {
        GradientCheck.of(Optimization.class, "rosenbrock").at(-1.2, 1).at(0.3, -0.4).at(1, 1).check();
    }
}
