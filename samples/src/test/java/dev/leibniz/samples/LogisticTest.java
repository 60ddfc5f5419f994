package dev.leibniz.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.GradientCheck;
import org.junit.jupiter.api.Test;

/** A logistic regression learns its bias through the accumulate form, whose every partial the gradient check compares. */
class LogisticTest {
    /** Mostly positive labels: the best bias is well above the starting one. */
    private static final double[][] X = {{0.5, -1.2}, {1.5, 0.2}, {-0.3, 0.8}, {0.9, -0.4}, {-1.1, 0.1}, {0.2, 1.3}};
    private static final double[] Y = {1, 1, 0, 1, 1, 1};

    @Test
    void everyFormOfTheLossAgreesWithDifferencesTheBiasIncluded() {
        GradientCheck.of(Logistic.class, "nll").at(new double[] {0.3, -0.6}, -0.4, X, Y)
                .at(new double[] {-1.0, 0.4}, 0.8, X, Y).check();
    }

    @Test
    void trainingThroughTheAccumulateFormLearnsTheBias() {
        double[] w = {0.3, -0.6};
        double b = Logistic.train(w, -0.4, X, Y, 0.5, 5000);
        assertTrue(b > 0.5, "the bias rises towards the labels' majority: " + b);
        // at the end the loss is flat in the bias: its partial, from the record form, is near zero
        assertEquals(0, LogisticGradient.nll(w, b, X, Y).b(), 1e-3);
        assertTrue(Logistic.nll(w, b, X, Y) < Logistic.nll(new double[] {0.3, -0.6}, -0.4, X, Y));
    }
}
