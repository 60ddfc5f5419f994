package dev.leibniz.benchmarks;

import java.util.function.DoubleSupplier;

/**
 * The gradient by central differences, (f(x + h e<sub>i</sub>) - f(x - h e<sub>i</sub>)) / 2h, two evaluations of
 * the function per element: the baseline every AD tool is measured against. The step is
 * h = &epsilon;<sup>1/3</sup> max(1, |x<sub>i</sub>|), which balances truncation against rounding error.
 */
public final class CentralDifferences {
    private static final double STEP = Math.cbrt(Math.ulp(1.0));

    private CentralDifferences() {
    }

    /**
     * Adds the central-difference estimate of &part;f/&part;x[i] into {@code g[i]} for every element of {@code x},
     * which {@code f} reads: each element is moved in place and put back. Returns f at {@code x}.
     */
    public static double addGradient(DoubleSupplier f, double[] x, double[] g) {
        addPartials(f, x, g);
        return f.getAsDouble();
    }

    /** The same for every element of {@code w}, row by row. */
    public static double addGradient(DoubleSupplier f, double[][] w, double[][] g) {
        for (int r = 0; r < w.length; r++) {
            addPartials(f, w[r], g[r]);
        }
        return f.getAsDouble();
    }

    private static void addPartials(DoubleSupplier f, double[] x, double[] g) {
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double h = STEP * Math.max(1, Math.abs(xi));
            double up = xi + h;
            double down = xi - h;
            x[i] = up;
            double fUp = f.getAsDouble();
            x[i] = down;
            double fDown = f.getAsDouble();
            x[i] = xi;
            g[i] += (fUp - fDown) / (up - down);
        }
    }
}
