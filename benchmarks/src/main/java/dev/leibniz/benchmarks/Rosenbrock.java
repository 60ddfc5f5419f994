package dev.leibniz.benchmarks;

import dev.leibniz.Differentiable;
import org.apache.commons.math3.RealFieldElement;

/**
 * The extended Rosenbrock function in its chained form, a loop over an array:
 * f(x) = &Sigma;<sub>i &lt; n-1</sub> 100 (x<sub>i+1</sub> - x<sub>i</sub>&sup2;)&sup2; + (1 - x<sub>i</sub>)&sup2;.
 * Every element but the ends appears in two terms.
 */
public final class Rosenbrock {
    private Rosenbrock() {
    }

    /** The function; Leibniz generates {@code RosenbrockGradient.value} and its other forms from it. */
    @Differentiable
    public static double value(double[] x) {
        double f = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            f += 100 * a * a + b * b;
        }
        return f;
    }

    /**
     * The gradient by hand, in the same pass as the value: &part;f/&part;x<sub>i</sub> gets -400 a x<sub>i</sub> - 2 b
     * from term i and 200 a from term i - 1. Adds it into {@code g} and returns the value, the contract of
     * {@code RosenbrockGradient.valueAccumulate}.
     */
    public static double handWritten(double[] x, double[] g) {
        double f = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double xi = x[i];
            double a = x[i + 1] - xi * xi;
            double b = 1 - xi;
            f += 100 * a * a + b * b;
            g[i] += -400 * a * xi - 2 * b;
            g[i + 1] += 200 * a;
        }
        return f;
    }

    /**
     * The function over numbers that carry their derivatives, Commons Math's operator-overloading forward mode
     * ({@code DerivativeStructure} or {@code SparseGradient}).
     */
    public static <T extends RealFieldElement<T>> T overloaded(T[] x) {
        T f = x[0].getField().getZero();
        for (int i = 0; i + 1 < x.length; i++) {
            T a = x[i + 1].subtract(x[i].multiply(x[i]));
            T b = x[i].negate().add(1);
            f = f.add(a.multiply(a).multiply(100).add(b.multiply(b)));
        }
        return f;
    }
}
