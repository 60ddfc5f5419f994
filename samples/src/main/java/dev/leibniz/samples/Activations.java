package dev.leibniz.samples;

import dev.leibniz.Differentiable;

/** The activation function of the article's network. */
public final class Activations {
    private Activations() {
    }

    /**
     * The logistic sigmoid with steepness {@code beta}: 1 / (1 + e^(-&beta;x)). The article treats &beta; as a
     * hyperparameter; Leibniz differentiates with respect to both, so the effect of &beta; is one call away.
     */
    @Differentiable
    public static double sigmoid(double x, double beta) {
        return 1.0 / (1.0 + Math.exp(-beta * x));
    }
}
