package dev.leibniz.benchmarks;

import dev.leibniz.Differentiable;
import org.apache.commons.math3.RealFieldElement;

/**
 * A damped oscillator x'' = -k x - c x', integrated by {@code steps} classical Runge-Kutta (RK4) steps of length
 * {@code h}; the result is its energy at the end, 1/2 (v&sup2; + k x&sup2;). The gradient is with respect to the
 * parameters {@code p = {k, c}} and the initial state {@code y0 = {x, v}}: every step overwrites x and v, so the
 * reverse sweep needs each step's state back.
 */
public final class Oscillator {
    private Oscillator() {
    }

    /** The energy after the steps; Leibniz generates {@code OscillatorGradient.energy} and its other forms from it. */
    @Differentiable(wrt = {"p", "y0"})
    public static double energy(double[] p, double[] y0, double h, int steps) {
        double k = p[0];
        double c = p[1];
        double x = y0[0];
        double v = y0[1];
        for (int s = 0; s < steps; s++) {
            // Stage i evaluates (x, v)' = (v, -k x - c v) at (xi, vi); stage 1 at (x, v).
            double a1 = -k * x - c * v;
            double x2 = x + 0.5 * h * v;
            double v2 = v + 0.5 * h * a1;
            double a2 = -k * x2 - c * v2;
            double x3 = x + 0.5 * h * v2;
            double v3 = v + 0.5 * h * a2;
            double a3 = -k * x3 - c * v3;
            double x4 = x + h * v3;
            double v4 = v + h * a3;
            double a4 = -k * x4 - c * v4;
            x += h / 6 * (v + 2 * v2 + 2 * v3 + v4);
            v += h / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
        }
        return 0.5 * (v * v + k * x * x);
    }

    /**
     * The gradient by hand: the forward pass keeps each step's state in {@code trajectory} (at least
     * {@code 2 * steps} long, the caller's, as the tape is for the accumulate form); the reverse pass recomputes
     * the step's stages from it and takes the adjoints (suffix {@code b}) back through them, last statement first.
     * Adds the gradient into {@code dp} and {@code dy0} and returns the energy, the contract of
     * {@code OscillatorGradient.energyAccumulate}.
     */
    public static double handWritten(double[] p, double[] y0, double h, int steps, double[] dp, double[] dy0,
            double[] trajectory) {
        double k = p[0];
        double c = p[1];
        double x = y0[0];
        double v = y0[1];
        for (int s = 0; s < steps; s++) {
            trajectory[2 * s] = x;
            trajectory[2 * s + 1] = v;
            double a1 = -k * x - c * v;
            double x2 = x + 0.5 * h * v;
            double v2 = v + 0.5 * h * a1;
            double a2 = -k * x2 - c * v2;
            double x3 = x + 0.5 * h * v2;
            double v3 = v + 0.5 * h * a2;
            double a3 = -k * x3 - c * v3;
            double x4 = x + h * v3;
            double v4 = v + h * a3;
            double a4 = -k * x4 - c * v4;
            x += h / 6 * (v + 2 * v2 + 2 * v3 + v4);
            v += h / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
        }
        double energy = 0.5 * (v * v + k * x * x);

        double xb = k * x;
        double vb = v;
        double kb = 0.5 * x * x;
        double cb = 0;
        double h2 = 0.5 * h;
        double h6 = h / 6;
        double h3 = h / 3;
        for (int s = steps - 1; s >= 0; s--) {
            x = trajectory[2 * s];
            v = trajectory[2 * s + 1];
            double a1 = -k * x - c * v;
            double x2 = x + h2 * v;
            double v2 = v + h2 * a1;
            double a2 = -k * x2 - c * v2;
            double x3 = x + h2 * v2;
            double v3 = v + h2 * a2;
            double a3 = -k * x3 - c * v3;
            double x4 = x + h * v3;
            double v4 = v + h * a3;
            // x' = x + h/6 (v + 2 v2 + 2 v3 + v4), v' = v + h/6 (a1 + 2 a2 + 2 a3 + a4), with xb, vb their adjoints.
            double v2b = h3 * xb;
            double v3b = h3 * xb;
            double v4b = h6 * xb;
            double a1b = h6 * vb;
            double a2b = h3 * vb;
            double a3b = h3 * vb;
            double a4b = h6 * vb;
            vb += h6 * xb;
            // a4 = -k x4 - c v4
            kb -= a4b * x4;
            cb -= a4b * v4;
            double x4b = -k * a4b;
            v4b -= c * a4b;
            // v4 = v + h a3, x4 = x + h v3
            vb += v4b;
            a3b += h * v4b;
            xb += x4b;
            v3b += h * x4b;
            // a3 = -k x3 - c v3
            kb -= a3b * x3;
            cb -= a3b * v3;
            double x3b = -k * a3b;
            v3b -= c * a3b;
            // v3 = v + h/2 a2, x3 = x + h/2 v2
            vb += v3b;
            a2b += h2 * v3b;
            xb += x3b;
            v2b += h2 * x3b;
            // a2 = -k x2 - c v2
            kb -= a2b * x2;
            cb -= a2b * v2;
            double x2b = -k * a2b;
            v2b -= c * a2b;
            // v2 = v + h/2 a1, x2 = x + h/2 v
            vb += v2b;
            a1b += h2 * v2b;
            xb += x2b;
            vb += h2 * x2b;
            // a1 = -k x - c v
            kb -= a1b * x;
            cb -= a1b * v;
            xb -= k * a1b;
            vb -= c * a1b;
        }
        dp[0] += kb;
        dp[1] += cb;
        dy0[0] += xb;
        dy0[1] += vb;
        return energy;
    }

    /**
     * The energy over numbers that carry their derivatives, Commons Math's operator-overloading forward mode
     * ({@code DerivativeStructure} or {@code SparseGradient}).
     */
    public static <T extends RealFieldElement<T>> T overloaded(T[] p, T[] y0, double h, int steps) {
        T k = p[0];
        T c = p[1];
        T x = y0[0];
        T v = y0[1];
        for (int s = 0; s < steps; s++) {
            T a1 = k.multiply(x).add(c.multiply(v)).negate();
            T x2 = x.add(v.multiply(0.5 * h));
            T v2 = v.add(a1.multiply(0.5 * h));
            T a2 = k.multiply(x2).add(c.multiply(v2)).negate();
            T x3 = x.add(v2.multiply(0.5 * h));
            T v3 = v.add(a2.multiply(0.5 * h));
            T a3 = k.multiply(x3).add(c.multiply(v3)).negate();
            T x4 = x.add(v3.multiply(h));
            T v4 = v.add(a3.multiply(h));
            T a4 = k.multiply(x4).add(c.multiply(v4)).negate();
            x = x.add(v.add(v2.multiply(2)).add(v3.multiply(2)).add(v4).multiply(h / 6));
            v = v.add(a1.add(a2.multiply(2)).add(a3.multiply(2)).add(a4).multiply(h / 6));
        }
        return v.multiply(v).add(k.multiply(x).multiply(x)).multiply(0.5);
    }
}
