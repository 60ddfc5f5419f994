package dev.leibniz.benchmarks;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.RealFieldElement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@link Huber}: the loss of 1,000 predictions and its gradient, each way. The residuals are uniform in [-3, 3] with
 * {@code delta = 1}, so each of the three branches is taken a third of the time, in no pattern a predictor learns.
 */
public class HuberBenchmark extends GradientBenchmark {
    static final int N = 1000;
    static final double DELTA = 1.0;

    double[] pred;
    double[] target;
    final double[] dPred = new double[N];

    @Setup
    public void setUp() {
        Random random = new Random(3);
        target = Inputs.uniform(random, N, -2, 2);
        pred = Inputs.uniform(random, N, -3, 3);
        for (int i = 0; i < N; i++) {
            pred[i] += target[i];
        }
    }

    @Benchmark
    @Override
    public double primal() {
        return Huber.loss(pred, target, DELTA);
    }

    @Benchmark
    public HuberGradient.Loss generated() {
        return HuberGradient.loss(pred, target, DELTA);
    }

    @Benchmark
    @Override
    public double generatedAccumulate() {
        zeroGradient();
        return HuberGradient.lossAccumulate(pred, target, DELTA, dPred, tape);
    }

    @Benchmark
    @Override
    public double handWritten() {
        zeroGradient();
        return Huber.handWritten(pred, target, DELTA, dPred);
    }

    @Override
    void zeroGradient() {
        Arrays.fill(dPred, 0.0);
    }

    @Override
    double addDifferences() {
        return CentralDifferences.addGradient(() -> Huber.loss(pred, target, DELTA), pred, dPred);
    }

    @Override
    <T extends RealFieldElement<T>> T overloaded(ForwardNumbers<T> numbers) {
        return Huber.overloaded(numbers.variables(pred, 0, N), target, DELTA);
    }

    @Override
    <T extends RealFieldElement<T>> void addGradient(ForwardNumbers<T> numbers, T f) {
        numbers.addGradient(f, 0, dPred);
    }

    @Override
    double[] gradient() {
        return dPred.clone();
    }
}
