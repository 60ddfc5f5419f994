package dev.leibniz.samples;

import dev.leibniz.DerivativeOf;
import dev.leibniz.Differentiable;

/** The activation function of the article's network, and a softplus with a derivative of its own. */
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

    /**
     * Softplus, log(1 + e^x), written so that it neither overflows for large x nor loses digits for very negative x.
     * Not {@code @Differentiable}: its derivative is declared below, in a form as stable as the function.
     */
    public static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    /**
     * The derivative of {@link #softplus}: the logistic function, evaluated on the side where the exponential cannot
     * overflow. Differentiating {@code log1p(exp(x))} as written would give {@code exp(x) / (1 + exp(x))}, which is
     * NaN from x = 710 on.
     */
    @DerivativeOf("softplus")
    public static double softplusDerivative(double x) {
        return x > 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** A softplus unit: softplus(w x + b). Leibniz differentiates the call with {@link #softplusDerivative}. */
    @Differentiable
    public static double softplusUnit(double w, double x, double b) {
        return softplus(w * x + b);
    }
}
