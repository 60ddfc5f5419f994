package dev.leibniz.benchmarks;

import dev.leibniz.Differentiable;
import org.apache.commons.math3.RealFieldElement;

/**
 * The Huber loss of predictions against targets, summed over an array: quadratic for residuals within
 * {@code delta}, linear beyond, so every element takes one of three branches. Differentiated with respect to the
 * predictions.
 */
public final class Huber {
    private Huber() {
    }

    /** The loss; Leibniz generates {@code HuberGradient.loss} and its other forms from it. */
    @Differentiable(wrt = "pred")
    public static double loss(double[] pred, double[] target, double delta) {
        double sum = 0;
        for (int i = 0; i < pred.length; i++) {
            double r = pred[i] - target[i];
            if (r > delta) {
                sum += delta * (r - 0.5 * delta);
            } else if (r < -delta) {
                sum += -delta * (r + 0.5 * delta);
            } else {
                sum += 0.5 * r * r;
            }
        }
        return sum;
    }

    /**
     * The gradient by hand: &part;/&part;pred[i] is the residual clipped to [-delta, delta]. Adds it into
     * {@code dPred} and returns the loss, the contract of {@code HuberGradient.lossAccumulate}.
     */
    public static double handWritten(double[] pred, double[] target, double delta, double[] dPred) {
        double sum = 0;
        for (int i = 0; i < pred.length; i++) {
            double r = pred[i] - target[i];
            if (r > delta) {
                sum += delta * (r - 0.5 * delta);
                dPred[i] += delta;
            } else if (r < -delta) {
                sum += -delta * (r + 0.5 * delta);
                dPred[i] -= delta;
            } else {
                sum += 0.5 * r * r;
                dPred[i] += r;
            }
        }
        return sum;
    }

    /**
     * The loss over numbers that carry their derivatives, Commons Math's operator-overloading forward mode
     * ({@code DerivativeStructure} or {@code SparseGradient}).
     */
    public static <T extends RealFieldElement<T>> T overloaded(T[] pred, double[] target, double delta) {
        T sum = pred[0].getField().getZero();
        for (int i = 0; i < pred.length; i++) {
            T r = pred[i].subtract(target[i]);
            if (r.getReal() > delta) {
                sum = sum.add(r.subtract(0.5 * delta).multiply(delta));
            } else if (r.getReal() < -delta) {
                sum = sum.add(r.add(0.5 * delta).multiply(-delta));
            } else {
                sum = sum.add(r.multiply(r).multiply(0.5));
            }
        }
        return sum;
    }
}
