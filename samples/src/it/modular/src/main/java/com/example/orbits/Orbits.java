package com.example.orbits;

import dev.leibniz.Differentiable;

/** Gravitational potential energy of a body among point masses, and the circular orbit speed. */
public final class Orbits {
    public static final double G = 6.674e-11;

    private Orbits() {
    }

    /** Potential energy of a unit mass at (x, y) among masses {@code m} at {@code (px[i], py[i])}. */
    @Differentiable(wrt = {"x", "y", "m"})
    public static double potential(double x, double y, double[] m, double[] px, double[] py) {
        double u = 0;
        for (int i = 0; i < m.length; i++) {
            double dx = x - px[i];
            double dy = y - py[i];
            u -= G * m[i] / Math.sqrt(dx * dx + dy * dy);
        }
        return u;
    }

    @Differentiable
    public static double circularSpeed(double mass, double radius) {
        return Math.sqrt(G * mass / radius);
    }
}
