package com.example;

/** Methods whose {@code wrt} leaves out parameters of the same types as the differentiated ones. */
public final class Losses {
    private Losses() {
    }

    /**
     * {@code @Differentiable(wrt = "w")}: the squared error of a linear model, divided by {@code n}; {@code x}, a
     * {@code double[]} like {@code w}, and {@code t} are data.
     */
    public static double loss(double[] w, double[] x, double t, int n) {
        double y = 0;
        for (int i = 0; i < w.length; i++) {
            y += w[i] * x[i];
        }
        return (y - t) * (y - t) / n;
    }

    /** {@code @Differentiable(wrt = {"w", "b"})}: the square of a linear model with a bias; {@code x} is data. */
    public static double biased(double[] w, double b, double[] x) {
        double y = b;
        for (int i = 0; i < w.length; i++) {
            y += w[i] * x[i];
        }
        return y * y;
    }

    /** {@code @Differentiable(wrt = {"w", "b"})}: {@link #biased}, whose accumulate form drops the bias's partial. */
    public static double droppedBias(double[] w, double b, double[] x) {
        return biased(w, b, x);
    }

    /** {@code @Differentiable(wrt = "b")}. */
    public static double product(double a, double b) {
        return a * b * b;
    }
}
