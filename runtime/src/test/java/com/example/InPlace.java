package com.example;

/** A method that writes into its array argument. */
public final class InPlace {
    private InPlace() {
    }

    /** {@code @Differentiable}: normalizes {@code x} in place, then weighs its elements by 1, 2, 3, ... */
    public static double normalize(double[] x) {
        double norm = 0;
        for (double v : x) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] /= norm;
            s += (i + 1) * x[i];
        }
        return s;
    }
}
