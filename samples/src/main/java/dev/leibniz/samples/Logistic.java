package dev.leibniz.samples;

import dev.leibniz.Differentiable;
import dev.leibniz.Tape;
import java.util.Arrays;

/**
 * Logistic regression with a bias, trained by gradient descent through the allocation-free form: the weights'
 * partials go into a buffer the loop reuses, the bias's comes back beside the value.
 */
public final class Logistic {
    private Logistic() {
    }

    /** Mean negative log-likelihood of labels {@code y} (0 or 1) under weights {@code w} and bias {@code b}. */
    @Differentiable(wrt = {"w", "b"})
    public static double nll(double[] w, double b, double[][] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double z = b;
            for (int j = 0; j < w.length; j++) {
                z += w[j] * x[i][j];
            }
            s += Math.log1p(Math.exp(z)) - y[i] * z; // -log sigmoid(z) for y = 1, -log(1 - sigmoid(z)) for y = 0
        }
        return s / x.length;
    }

    /** The bias after {@code steps} steps of size {@code eta} from {@code b}; {@code w} is updated in place. */
    public static double train(double[] w, double b, double[][] x, double[] y, double eta, int steps) {
        double[] dw = new double[w.length];
        Tape tape = new Tape();
        double bias = b;
        for (int step = 0; step < steps; step++) {
            Arrays.fill(dw, 0.0);
            LogisticGradient.NllAccumulate partials = LogisticGradient.nllAccumulate(w, bias, x, y, dw, tape);
            for (int j = 0; j < w.length; j++) {
                w[j] -= eta * dw[j];
            }
            bias -= eta * partials.b();
        }
        return bias;
    }
}
