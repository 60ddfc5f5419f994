package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Tape;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free form returns every partial: {@code fAccumulate} of a method that differentiates scalars beside
 * arrays returns a record of the value and one component per differentiated scalar, while the array partials are
 * added into the caller's buffers; a method that differentiates arrays only still returns the value. Each scalar
 * partial is checked against central differences of the original, each buffer against the record form, and a
 * training loop that learns a bias through the accumulate form allocates nothing per step but that record.
 */
class AccumulatePartialsTest {
    private static final String CLASS = "com.example.Logistic";
    private static final String GRADIENT = CLASS + "Gradient";

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, """
            package com.example;

            import dev.leibniz.Differentiable;
            import dev.leibniz.Tape;

            final class Logistic {
                private Logistic() {
                }

                /** Mean negative log-likelihood of a logistic regression: weights w, bias b, rows x, labels y. */
                @Differentiable(wrt = {"w", "b"}, hessian = true)
                static double nll(double[] w, double b, double[][] x, double[] y) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        double z = b;
                        for (int j = 0; j < w.length; j++) {
                            z += w[j] * x[i][j];
                        }
                        s += Math.log1p(Math.exp(z)) - y[i] * z;
                    }
                    return s / x.length;
                }

                /** Two scalars differentiated around a matrix, and one scalar that is an input. */
                @Differentiable(wrt = {"a", "m", "c"})
                static double mixed(double a, double[][] m, double k, double c, double[] v) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        for (int j = 0; j < m[i].length; j++) {
                            s += Math.tanh(a * m[i][j] + c * v[j]) * k;
                        }
                    }
                    return s + a * c;
                }

                /** Straight-line code: its sweeps need no tape. */
                @Differentiable
                static double straight(double[] x, double k) {
                    return k * x[0] * x[1] + Math.sin(k);
                }

                /** Only the array is differentiated. */
                @Differentiable(wrt = "w")
                static double ridge(double[] w, double lambda) {
                    double s = 0;
                    for (int j = 0; j < w.length; j++) {
                        s += lambda * w[j] * w[j] + Math.sin(w[j]);
                    }
                    return s;
                }

                /** Gradient descent on nll by the accumulate form: w in place, the bias from its record. */
                static double trainByAccumulate(double[] w, double b, double[][] x, double[] y, double eta, int steps,
                        Tape tape) {
                    double[] dw = new double[w.length];
                    double bias = b;
                    for (int step = 0; step < steps; step++) {
                        java.util.Arrays.fill(dw, 0.0);
                        LogisticGradient.NllAccumulate partials = LogisticGradient.nllAccumulate(w, bias, x, y, dw, tape);
                        for (int j = 0; j < w.length; j++) {
                            w[j] -= eta * dw[j];
                        }
                        bias -= eta * partials.b();
                    }
                    return bias;
                }

                /** The same steps by the record form. */
                static double trainByGradient(double[] w, double b, double[][] x, double[] y, double eta, int steps) {
                    double bias = b;
                    for (int step = 0; step < steps; step++) {
                        LogisticGradient.Nll gradient = LogisticGradient.nll(w, bias, x, y);
                        for (int j = 0; j < w.length; j++) {
                            w[j] -= eta * gradient.w()[j];
                        }
                        bias -= eta * gradient.b();
                    }
                    return bias;
                }
            }
            """);

    /** Six points of three features, labelled so that the best bias is far from zero. */
    private static final double[][] X = {{0.5, -1.2, 0.3}, {1.5, 0.2, -0.7}, {-0.3, 0.8, 1.1}, {0.9, -0.4, 0.6},
            {-1.1, 0.1, -0.2}, {0.2, 1.3, 0.4}};
    private static final double[] Y = {1, 1, 0, 1, 1, 1};

    @Test
    void theBiasOfALogisticRegressionComesBackFromTheAccumulateFormAsFiniteDifferencesGiveIt() {
        double[] w = {0.3, -0.6, 0.2};
        double b = -0.4;
        double[] dw = new double[3];
        Map<String, Object> partials = components(invoke("nllAccumulate", w, b, X, Y, dw, new Tape()),
                "value", "b");
        assertEquals(Double.doubleToLongBits(nll(w, b)), Double.doubleToLongBits((double) partials.get("value")));
        assertClose(difference(t -> nll(w, t), b), (double) partials.get("b"), "d nll / d b");
        assertTrue(Math.abs((double) partials.get("b")) > 0.1, "the point is away from the optimal bias");
        Map<String, Object> record = Compiled.components(invoke("nll", w, b, X, Y));
        assertArrayEquals((double[]) record.get("w"), dw, 0.0, "dw is the record form's, bit for bit");
        for (int j = 0; j < 3; j++) {
            int k = j;
            assertClose(difference(t -> nll(with(w, k, t), b), w[j]), dw[j], "d nll / d w[" + j + "]");
        }
    }

    @Test
    void everyDifferentiatedScalarComesBackInOrderAndAnInputGetsNone() {
        double a = 0.7;
        double[][] m = {{0.5, -1.0, 0.25}, {1.5, 0.3, -0.8}};
        double k = 1.3;
        double c = -0.45;
        double[] v = {0.2, -0.6, 1.1};
        double[][] dm = {new double[3], new double[3]};
        Map<String, Object> partials = components(invoke("mixedAccumulate", a, m, k, c, v, dm, new Tape()),
                "value", "a", "c");
        Method original = COMPILED.get().method(CLASS, "mixed");
        DoubleUnaryOperator inA = t -> (double) Compiled.invoke(original, new Object[] {t, m, k, c, v});
        DoubleUnaryOperator inC = t -> (double) Compiled.invoke(original, new Object[] {a, m, k, t, v});
        assertEquals(inA.applyAsDouble(a), (double) partials.get("value"), 0.0);
        assertClose(difference(inA, a), (double) partials.get("a"), "d mixed / d a");
        assertClose(difference(inC, c), (double) partials.get("c"), "d mixed / d c");
        double[][] recordM = (double[][]) Compiled.components(invoke("mixed", a, m, k, c, v)).get("m");
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(recordM[i], dm[i], 0.0, "dm[" + i + "] is the record form's, bit for bit");
        }
    }

    @Test
    void oneTapeServesRepeatedCallsWithTheRecordFormsPartialsEachTime() {
        Tape tape = new Tape();
        double[][] weights = {{0.3, -0.6, 0.2}, {-1.0, 0.4, 0.9}, {0.3, -0.6, 0.2}};
        double[] biases = {-0.4, 0.8, -0.4};
        for (int call = 0; call < weights.length; call++) {
            double[] w = weights[call];
            double b = biases[call];
            double[] dw = new double[3];
            Map<String, Object> partials = components(invoke("nllAccumulate", w, b, X, Y, dw, tape), "value", "b");
            Map<String, Object> record = Compiled.components(invoke("nll", w, b, X, Y));
            String where = "call " + (call + 1) + " on one tape";
            assertEquals(Double.doubleToLongBits((double) record.get("b")),
                    Double.doubleToLongBits((double) partials.get("b")), where + ": db is the record form's");
            assertArrayEquals((double[]) record.get("w"), dw, 0.0, where + ": dw is the record form's");
            assertClose(difference(t -> nll(w, t), b), (double) partials.get("b"), where + ": d nll / d b");
            assertTrue(tape.isEmpty(), where + ": the tape is left as it was found");
        }
    }

    @Test
    void withoutATapeTheScalarsComeBackToo() {
        double[] x = {0.8, -1.7};
        double k = 0.9;
        double[] dx = new double[2];
        Map<String, Object> partials = components(invoke("straightAccumulate", x, k, dx, new Tape()), "value", "k");
        assertClose(x[0] * x[1] + Math.cos(k), (double) partials.get("k"), "d straight / d k, analytically");
        Method original = COMPILED.get().method(CLASS, "straight");
        assertClose(difference(t -> (double) Compiled.invoke(original, new Object[] {x, t}), k),
                (double) partials.get("k"), "d straight / d k");
        assertArrayEquals((double[]) Compiled.components(invoke("straight", x, k)).get("x"), dx, 0.0);
    }

    @Test
    void aMethodThatDifferentiatesOnlyArraysStillReturnsTheValueAlone() {
        Method accumulate = COMPILED.get().method(GRADIENT, "ridgeAccumulate");
        assertEquals(double.class, accumulate.getReturnType());
        List<String> records = Arrays.stream(COMPILED.get().load(GRADIENT).getDeclaredClasses())
                .map(Class::getSimpleName).sorted().toList();
        assertEquals(List.of("Mixed", "MixedAccumulate", "Nll", "NllAccumulate", "NllDifferential", "NllHessianVector",
                "NllHessianVectorAccumulate", "Ridge", "Straight", "StraightAccumulate"), records,
                "an accumulate record only beside a differentiated scalar");
        double[] w = {0.4, -1.1};
        double[] dw = new double[2];
        double value = (double) Compiled.invoke(accumulate, new Object[] {w, 0.3, dw, new Tape()});
        Map<String, Object> record = Compiled.components(invoke("ridge", w, 0.3));
        assertEquals((double) record.get("value"), value, 0.0);
        assertArrayEquals((double[]) record.get("w"), dw, 0.0);
    }

    @Test
    void aTrainingLoopLearnsTheBiasFromTheAccumulateFormAsFromTheRecordForm() {
        double[] start = {0.3, -0.6, 0.2};
        double b = -0.4;
        double[] byAccumulate = start.clone();
        double[] byGradient = start.clone();
        double biasByAccumulate = (double) invokeSource("trainByAccumulate", byAccumulate, b, X, Y, 0.5, 200,
                new Tape());
        double biasByGradient = (double) invokeSource("trainByGradient", byGradient, b, X, Y, 0.5, 200);
        assertEquals(biasByGradient, biasByAccumulate, 0.0, "the same steps, bit for bit");
        assertArrayEquals(byGradient, byAccumulate, 0.0);
        assertNotEquals(b, biasByAccumulate, "the bias is learnt");
        assertTrue(nll(byAccumulate, biasByAccumulate) < nll(start, b) - 0.1,
                "the loss falls: " + nll(start, b) + " to " + nll(byAccumulate, biasByAccumulate));
        // the bias alone: the learnt weights with the starting bias lose more
        assertTrue(nll(byAccumulate, biasByAccumulate) < nll(byAccumulate, b));
    }

    @Test
    void theTrainingLoopAllocatesNothingPerStepButTheRecord() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Tape tape = new Tape();
        invokeSource("trainByAccumulate", new double[] {0.3, -0.6, 0.2}, -0.4, X, Y, 0.01, 20_000, tape); // warm
        int steps = 20_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        invokeSource("trainByAccumulate", new double[] {0.3, -0.6, 0.2}, -0.4, X, Y, 0.01, steps, tape);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // a record of two doubles takes 32 bytes; anything more per step would be at least 16 more
        assertTrue(allocated <= 32L * steps + 4096, allocated + " bytes for " + steps + " steps");
    }

    @Test
    void theHessianVectorAccumulateFormReturnsHvForTheBias() {
        double[] w = {0.3, -0.6, 0.2};
        double b = -0.4;
        double[] vw = {0.5, 0.25, -1.0};
        double vb = 0.75;
        double[] hw = new double[3];
        Map<String, Object> product = components(
                invoke("nllHessianVectorAccumulate", w, b, X, Y, vw, vb, hw, new Tape()), "value", "b");
        Map<String, Object> record = Compiled.components(invoke("nllHessianVector", w, b, X, Y, vw, vb));
        assertEquals(Double.doubleToLongBits((double) record.get("b")), Double.doubleToLongBits((double) product.get("b")),
                "(H v) for b is the record form's, bit for bit");
        assertArrayEquals((double[]) record.get("w"), hw, 0.0);
        // the derivative of d nll / d b along v
        DoubleUnaryOperator gradientB = h -> (double) Compiled.components(invoke("nll", plus(w, h, vw), b + h * vb,
                X, Y)).get("b");
        assertClose(difference(gradientB, 0.0), (double) product.get("b"), "(H v) for b");
    }

    /** The record's components, which must be {@code names} in order. */
    private static Map<String, Object> components(Object record, String... names) {
        Map<String, Object> components = Compiled.components(record);
        assertEquals(List.of(names), new ArrayList<>(components.keySet()), record.getClass().getName());
        return components;
    }

    private static Object invoke(String method, Object... args) {
        return Compiled.invoke(COMPILED.get().method(GRADIENT, method), args);
    }

    private static Object invokeSource(String method, Object... args) {
        return Compiled.invoke(COMPILED.get().method(CLASS, method), args);
    }

    private static double nll(double[] w, double b) {
        return (double) invokeSource("nll", w.clone(), b, X, Y);
    }

    /** Central differences, Richardson-extrapolated. */
    private static double difference(DoubleUnaryOperator f, double x) {
        double h = 1e-3 * Math.max(1, Math.abs(x));
        double coarse = (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
        double fine = (f.applyAsDouble(x + h / 2) - f.applyAsDouble(x - h / 2)) / h;
        return (4 * fine - coarse) / 3;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-8 * Math.max(1, Math.abs(expected)), what);
    }

    private static double[] with(double[] x, int i, double value) {
        double[] y = x.clone();
        y[i] = value;
        return y;
    }

    private static double[] plus(double[] x, double h, double[] v) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] += h * v[i];
        }
        return y;
    }
}
