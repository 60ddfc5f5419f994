package dev.leibniz.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.ArrayDifferential;
import dev.leibniz.GradientCheck;
import org.junit.jupiter.api.Test;

class SystemsTest {
    @Test
    void theJacobianIsTheClosedForm() {
        double[] p = {1.5, -0.5};
        double[][] j = SystemsGradient.residualJacobian(p);
        assertArrayEquals(new double[][] {{3.0, -1.0}, {-0.5, 1.5}}, j);
    }

    @Test
    void vjpAndJvpAgreeWithTheJacobian() {
        double[] p = {1.5, -0.5};
        double[] dp = new double[2];
        double dot = SystemsGradient.residualPullback(p, new double[] {2.0, -1.0}, dp);
        assertArrayEquals(new double[] {2 * 3.0 + 0.5, 2 * -1.0 - 1.5}, dp, 1e-15);
        double[] r = Systems.residual(p);
        assertEquals(2 * r[0] - r[1], dot, 1e-15);
        ArrayDifferential d = SystemsGradient.residualDifferential(p, new double[] {1.0, 2.0});
        assertArrayEquals(r, d.value(), 0.0);
        assertArrayEquals(new double[] {3.0 - 2.0, -0.5 + 3.0}, d.differential(), 1e-15);
    }

    @Test
    void newtonFindsTheIntersectionQuickly() {
        Systems.Root root = Systems.newton(new double[] {2.0, 0.5}, 1e-12, 50);
        assertTrue(root.residualNorm() < 1e-12, root.toString());
        assertTrue(root.iterations() < 10, root.toString());
        double x = root.point()[0];
        double y = root.point()[1];
        assertEquals(4.0, x * x + y * y, 1e-12);
        assertEquals(1.0, x * y, 1e-12);
    }

    @Test
    void theJacobianVjpAndJvpAgreeWithDifferencesOfTheResidual() {
        GradientCheck.of(Systems.class, "residual").at(new double[] {1.5, -0.5}).at(new double[] {2.0, 0.5}).check();
    }
}
