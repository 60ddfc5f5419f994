package dev.leibniz.benchmarks;

import java.util.Random;

/** The benchmarks' inputs: uniform pseudo-random numbers from a fixed seed, the same in every run. */
final class Inputs {
    private Inputs() {
    }

    static double[] uniform(Random random, int n, double low, double high) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = low + (high - low) * random.nextDouble();
        }
        return x;
    }

    static double[][] uniform(Random random, int rows, int columns, double low, double high) {
        double[][] w = new double[rows][];
        for (int r = 0; r < rows; r++) {
            w[r] = uniform(random, columns, low, high);
        }
        return w;
    }
}
