package com.example;

import dev.leibniz.Differentiable;

/** A user's own code: the range of a projectile launched at speed v and angle theta, g fixed. */
public final class Projectile {
    static final double G = 9.81;

    private Projectile() {
    }

    @Differentiable
    public static double range(double v, double theta) {
        return v * v * Math.sin(2 * theta) / G;
    }

    @Differentiable
    public static double rangeAt45Degrees(double v) {
        return range(v, Math.PI / 4);
    }
}
