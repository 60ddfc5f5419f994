package dev.leibniz.samples;

import dev.leibniz.Differentiable;

/**
 * Newton's method for a system of nonlinear equations {@code F(p) = 0}, with the Jacobian Leibniz generates from
 * {@link #residual}, a method returning {@code double[]}: each step solves {@code J(p) Δ = -F(p)}.
 */
public final class Systems {
    private Systems() {
    }

    /**
     * Where the circle {@code x² + y² = 4} meets the hyperbola {@code x y = 1}: both components are zero there.
     *
     * @param p the point {@code (x, y)}
     * @return {@code (x² + y² - 4, x y - 1)}
     */
    @Differentiable
    public static double[] residual(double[] p) {
        double[] r = new double[2];
        r[0] = p[0] * p[0] + p[1] * p[1] - 4;
        r[1] = p[0] * p[1] - 1;
        return r;
    }

    /** Where Newton's method ended and how many steps it took. */
    public record Root(double[] point, double residualNorm, int iterations) {
    }

    /** Newton's method from {@code start} until the residual's norm is below {@code tolerance}. */
    public static Root newton(double[] start, double tolerance, int maxIterations) {
        double[] p = start.clone();
        for (int k = 0; k < maxIterations; k++) {
            double[] f = residual(p);
            double norm = Math.hypot(f[0], f[1]);
            if (norm < tolerance) {
                return new Root(p, norm, k);
            }
            double[][] j = SystemsGradient.residualJacobian(p);
            double det = j[0][0] * j[1][1] - j[0][1] * j[1][0];
            // Cramer's rule for J delta = -f
            p[0] += (-f[0] * j[1][1] + f[1] * j[0][1]) / det;
            p[1] += (-f[1] * j[0][0] + f[0] * j[1][0]) / det;
        }
        double[] f = residual(p);
        return new Root(p, Math.hypot(f[0], f[1]), maxIterations);
    }
}
