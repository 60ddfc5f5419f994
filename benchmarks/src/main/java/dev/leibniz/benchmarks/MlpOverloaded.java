package dev.leibniz.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.RealFieldElement;

/** The samples' {@code dev.leibniz.samples.Mlp#loss}, written over Commons Math's numbers. */
final class MlpOverloaded {
    private MlpOverloaded() {
    }

    /**
     * The loss over numbers that carry their derivatives, Commons Math's operator-overloading forward mode
     * ({@code DerivativeStructure} or {@code SparseGradient}), one variable per weight.
     */
    static <T extends RealFieldElement<T>> T loss(T[][] w1, T[][] w2, T[] w3, double[] x, double t, double beta) {
        int inputs = x.length;
        int n1 = w1.length;
        int n2 = w2.length;
        List<T> h1 = new ArrayList<>(n1);
        for (int j = 0; j < n1; j++) {
            T z = w1[j][inputs];
            for (int i = 0; i < inputs; i++) {
                z = z.add(w1[j][i].multiply(x[i]));
            }
            h1.add(z.multiply(-beta).exp().add(1).reciprocal());
        }
        List<T> h2 = new ArrayList<>(n2);
        for (int k = 0; k < n2; k++) {
            T z = w2[k][n1];
            for (int j = 0; j < n1; j++) {
                z = z.add(w2[k][j].multiply(h1.get(j)));
            }
            h2.add(z.multiply(-beta).exp().add(1).reciprocal());
        }
        T y = w3[n2];
        for (int k = 0; k < n2; k++) {
            y = y.add(w3[k].multiply(h2.get(k)));
        }
        T e = y.subtract(t);
        return e.multiply(e).multiply(0.5);
    }
}
