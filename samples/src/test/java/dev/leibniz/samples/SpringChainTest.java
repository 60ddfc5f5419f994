package dev.leibniz.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.GradientCheck;
import org.junit.jupiter.api.Test;

class SpringChainTest {
    @Test
    void theEnergysGradientGoesBackThroughTheVoidHelpers() {
        GradientCheck.of(SpringChain.class, "energyAfter")
                .at(new double[] {0.3, -0.2, 0.5, 0.1, -0.4}, 1.3, 0.05, 20)
                .at(new double[] {1.0, 0.0, 0.0, 0.0, 0.0}, 0.7, 0.1, 5)
                .check();
    }

    /** accel's pullback takes the adjoint of the accelerations in dOut and gives back that of the old out: 0. */
    @Test
    void theVoidHelpersPullbackWorksInPlace() {
        double[] x = {0.3, -0.2, 0.5};
        double[] out = {9.0, 9.0, 9.0};
        double[] dx = new double[3];
        double[] dOut = {1.0, 0.0, 0.0};
        SpringChainGradient.Accel adjoints = SpringChainGradient.accelPullback(x, 2.0, out, dx, dOut);
        // out[0] = k (0 - 2 x0 + x1) - 0.1 x0^3, whose old value does not count
        assertEquals(-2 * 0.3 - 0.2, adjoints.k(), 1e-15);
        assertArrayEquals(new double[] {-2 * 2.0 - 0.3 * x[0] * x[0], 2.0, 0.0}, dx, 1e-15);
        assertArrayEquals(new double[] {0.0, 0.0, 0.0}, dOut, 0.0);
        double[] expected = {9.0, 9.0, 9.0};
        SpringChain.accel(x, 2.0, expected);
        assertArrayEquals(expected, out, 0.0); // the pullback leaves out as accel does

    }
}
