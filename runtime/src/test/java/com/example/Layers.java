package com.example;

/** A package-private class with private methods over matrices; {@code LayersGradient} is package-private too. */
final class Layers {
    private Layers() {
    }

    /** {@code @Differentiable}: the sum of tanh over the rows of {@code w x}. Its derivatives are right. */
    private static double energy(double[][] w, double[] x) {
        double e = 0;
        for (double[] row : w) {
            double z = 0;
            for (int i = 0; i < x.length; i++) {
                z += row[i] * x[i];
            }
            e += Math.tanh(z);
        }
        return e;
    }

    /** The same function; its generated gradient is off by 0.01 at {@code w[1][2]} in every form. */
    static double skewedEnergy(double[][] w, double[] x) {
        return energy(w, x);
    }

    /** The same function; its pullback and accumulate form assign into the buffers instead of adding. */
    static double overwritingEnergy(double[][] w, double[] x) {
        return energy(w, x);
    }

    /** {@code @Differentiable}: a method whose only parameter is a matrix. */
    static double sumOfSquares(double[][] m) {
        double s = 0;
        for (double[] row : m) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }
}
