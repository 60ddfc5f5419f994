package dev.leibniz.samples;

/**
 * The gradient of {@link Mlp#loss} derived by hand: the backpropagation algorithm, which is the article's chain rule
 * written out layer by layer. No generated code is involved; {@code MlpGradient} must agree with it.
 *
 * <p>With z the pre-activations of a layer (so h = &sigma;(z)), and the article's trick for the sigmoid's
 * derivative, &sigma;'(z) = &beta; &sigma;(z) (1 - &sigma;(z)):
 *
 * <pre>
 *   &part;E/&part;y       = y - t                                          =: &delta;3
 *   &part;E/&part;w3[k]   = &delta;3 h2[k]          (h2[n2] = 1 for the bias)
 *   &part;E/&part;z2[k]   = &delta;3 w3[k] &beta; h2[k] (1 - h2[k])                    =: &delta;2[k]
 *   &part;E/&part;w2[k][j] = &delta;2[k] h1[j]      (h1[n1] = 1 for the bias)
 *   &part;E/&part;z1[j]   = (&Sigma;_k &delta;2[k] w2[k][j]) &beta; h1[j] (1 - h1[j])      =: &delta;1[j]
 *   &part;E/&part;w1[j][i] = &delta;1[j] x[i]        (x[inputs] = 1 for the bias)
 * </pre>
 *
 * <p>It agrees with {@code MlpGradient} to a few units in the last place, not bit for bit: the generated reverse
 * sweep differentiates the sigmoid as written (&sigma;' = &sigma; e^(-&beta;z) &beta; / (1 + e^(-&beta;z))) and
 * visits the units of a layer in reverse order, so its sums associate differently.
 */
public final class MlpBackprop {
    private MlpBackprop() {
    }

    /**
     * Adds &part;E/&part;w1, &part;E/&part;w2, &part;E/&part;w3 of {@link Mlp#loss} into {@code dw1, dw2, dw3} and
     * returns E: the same contract as {@code MlpGradient.lossAccumulate}.
     */
    public static double lossAccumulate(double[][] w1, double[][] w2, double[] w3, double[] x, double t, double beta,
            double[][] dw1, double[][] dw2, double[] dw3) {
        int inputs = x.length;
        int n1 = w1.length;
        int n2 = w2.length;

        // Forward pass, keeping the activations.
        double[] h1 = new double[n1];
        for (int j = 0; j < n1; j++) {
            double z = w1[j][inputs];
            for (int i = 0; i < inputs; i++) {
                z += w1[j][i] * x[i];
            }
            h1[j] = 1.0 / (1.0 + Math.exp(-beta * z));
        }
        double[] h2 = new double[n2];
        for (int k = 0; k < n2; k++) {
            double z = w2[k][n1];
            for (int j = 0; j < n1; j++) {
                z += w2[k][j] * h1[j];
            }
            h2[k] = 1.0 / (1.0 + Math.exp(-beta * z));
        }
        double y = w3[n2];
        for (int k = 0; k < n2; k++) {
            y += w3[k] * h2[k];
        }
        double e = y - t;

        // Output layer.
        double delta3 = e;
        for (int k = 0; k < n2; k++) {
            dw3[k] += delta3 * h2[k];
        }
        dw3[n2] += delta3;

        // Second hidden layer.
        double[] delta2 = new double[n2];
        for (int k = 0; k < n2; k++) {
            delta2[k] = delta3 * w3[k] * beta * h2[k] * (1 - h2[k]);
            for (int j = 0; j < n1; j++) {
                dw2[k][j] += delta2[k] * h1[j];
            }
            dw2[k][n1] += delta2[k];
        }

        // First hidden layer.
        for (int j = 0; j < n1; j++) {
            double back = 0;
            for (int k = 0; k < n2; k++) {
                back += delta2[k] * w2[k][j];
            }
            double delta1 = back * beta * h1[j] * (1 - h1[j]);
            for (int i = 0; i < inputs; i++) {
                dw1[j][i] += delta1 * x[i];
            }
            dw1[j][inputs] += delta1;
        }

        return 0.5 * e * e;
    }
}
