package dev.leibniz.samples;

import dev.leibniz.Differentiable;

/**
 * A chain of masses joined by springs, time-stepped by semi-implicit Euler with helpers that write into arrays, as
 * simulation code is written: {@code accel} fills the accelerations, {@code axpy} updates velocities and positions in
 * place. The gradient of the energy after the steps with respect to the initial positions, the stiffness and the
 * time step goes back through every call, through the helpers' in-place pullbacks.
 */
public final class SpringChain {
    private SpringChain() {
    }

    /** The acceleration of each mass: the springs to its neighbours (the ends fixed at 0), and a cubic term. */
    @Differentiable
    public static void accel(double[] x, double k, double[] out) {
        for (int i = 0; i < x.length; i++) {
            double left = i > 0 ? x[i - 1] : 0.0;
            double right = i + 1 < x.length ? x[i + 1] : 0.0;
            double stretch = left - 2 * x[i] + right;
            out[i] = k * stretch - 0.1 * x[i] * x[i] * x[i];
        }
    }

    /** {@code y += alpha * x}, in place. */
    @Differentiable
    public static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** The kinetic and potential energy after {@code steps} steps from rest at {@code x0}. */
    @Differentiable
    public static double energyAfter(double[] x0, double k, double dt, int steps) {
        double[] x = x0.clone();
        double[] v = new double[x.length];
        double[] a = new double[x.length];
        for (int s = 0; s < steps; s++) {
            accel(x, k, a);
            axpy(dt, a, v);
            axpy(dt, v, x);
        }
        double e = 0;
        for (int i = 0; i < x.length; i++) {
            double right = i + 1 < x.length ? x[i + 1] : 0.0;
            e += 0.5 * v[i] * v[i] + 0.5 * k * (right - x[i]) * (right - x[i]);
        }
        return e;
    }
}
