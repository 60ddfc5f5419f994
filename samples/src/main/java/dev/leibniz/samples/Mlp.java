package dev.leibniz.samples;

import dev.leibniz.Differentiable;

/**
 * The reference article's neural network: a multi-layer perceptron with two hidden layers of sigmoid units and one
 * output, fitted by minimising the squared error of one data point at a time.
 *
 * <pre>
 *   h1 = &sigma;(W1 [x; 1])          first hidden layer,  W1 is n1 &times; (inputs + 1)
 *   h2 = &sigma;(W2 [h1; 1])         second hidden layer, W2 is n2 &times; (n1 + 1)
 *   y  = w3 &middot; [h2; 1]              output (linear),     w3 has n2 + 1 entries
 *   E  = 1/2 (y - t)&sup2;
 * </pre>
 *
 * <p>&sigma; is the sigmoid 1 / (1 + e^(-&beta;z)) with steepness &beta;, a hyperparameter the article does not
 * tune: here an input without derivative. Each weight matrix carries its layer's biases in its last column
 * ({@code w3} in its last entry), multiplying a constant 1 appended to the layer's input.
 *
 * <p>The sigmoid is written out, as the article writes it, rather than calling {@link Activations#sigmoid}. Leibniz
 * differentiates that call just as well (inside a loop through the callee's pullback, which evaluates the sigmoid
 * again in the reverse sweep); written out, the reverse sweep reuses the forward sweep's exponential.
 *
 * <p>The output unit is linear rather than a sigmoid: the network is a regression model, and a linear output can
 * reach any target value (the sample fits targets in [-1, 1], which a sigmoid output could only approach).
 *
 * <p>Leibniz generates {@code MlpGradient} from this class. {@link MlpBackprop} is the same gradient derived by hand.
 */
public final class Mlp {
    private Mlp() {
    }

    /**
     * The squared error E = 1/2 (y - t)&sup2; of the network's output y for one input {@code x} and its target
     * {@code t}. Differentiated with respect to the weights only: the data and &beta; are inputs.
     *
     * @param w1   first hidden layer's weights, one row per unit: {@code x.length} weights, then the bias
     * @param w2   second hidden layer's weights, one row per unit: {@code w1.length} weights, then the bias
     * @param w3   output weights: {@code w2.length} weights, then the bias
     * @param x    the input
     * @param t    the target
     * @param beta the sigmoid's steepness
     */
    @Differentiable(wrt = {"w1", "w2", "w3"})
    public static double loss(double[][] w1, double[][] w2, double[] w3, double[] x, double t, double beta) {
        int inputs = x.length;
        int n1 = w1.length;
        int n2 = w2.length;

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
        return 0.5 * e * e;
    }

    /**
     * One hidden layer: &sigma;(W [x; 1]) unit by unit, each row of {@code w} a unit's weights followed by its bias.
     * {@link #lossWithLayers} builds the same network from it; Leibniz differentiates through the call by this
     * method's vector-Jacobian product, {@code MlpGradient.layerPullback}.
     *
     * @param w    the layer's weights, one row per unit: {@code x.length} weights, then the bias
     * @param x    the layer's input
     * @param beta the sigmoid's steepness
     */
    @Differentiable(wrt = {"w", "x"})
    static double[] layer(double[][] w, double[] x, double beta) {
        int inputs = x.length;
        double[] h = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            double z = w[j][inputs];
            for (int i = 0; i < inputs; i++) {
                z += w[j][i] * x[i];
            }
            h[j] = 1.0 / (1.0 + Math.exp(-beta * z));
        }
        return h;
    }

    /** {@link #loss}, written as most code bases would write it: one helper call per hidden layer. */
    @Differentiable(wrt = {"w1", "w2", "w3"})
    public static double lossWithLayers(double[][] w1, double[][] w2, double[] w3, double[] x, double t,
            double beta) {
        double[] h1 = layer(w1, x, beta);
        double[] h2 = layer(w2, h1, beta);
        int n2 = h2.length;
        double y = w3[n2];
        for (int k = 0; k < n2; k++) {
            y += w3[k] * h2[k];
        }
        double e = y - t;
        return 0.5 * e * e;
    }
}
