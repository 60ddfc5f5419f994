package dev.leibniz.benchmarks;

import dev.leibniz.Buffers;
import dev.leibniz.samples.Mlp;
import dev.leibniz.samples.MlpBackprop;
import dev.leibniz.samples.MlpGradient;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.apache.commons.math3.RealFieldElement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The samples' {@link Mlp}, the article's network with 4 inputs and two hidden layers of {@code hidden} units: its
 * loss at one data point and the gradient with respect to all its weights, each way. The hand-written gradient is
 * the samples' {@link MlpBackprop}.
 */
public class MlpBenchmark extends GradientBenchmark {
    static final int INPUTS = 4;

    @Param({"8", "32"})
    public int hidden;

    double[][] w1;
    double[][] w2;
    double[] w3;
    double[] x;
    final double t = 0.25;
    final double beta = 1.0;
    double[][] dw1;
    double[][] dw2;
    double[] dw3;

    @Setup
    public void setUp() {
        Random random = new Random(2);
        w1 = Inputs.uniform(random, hidden, INPUTS + 1, -1, 1);
        w2 = Inputs.uniform(random, hidden, hidden + 1, -0.5, 0.5);
        w3 = Inputs.uniform(random, hidden + 1, -0.5, 0.5);
        x = Inputs.uniform(random, INPUTS, -1, 1);
        dw1 = Buffers.zerosLike(w1);
        dw2 = Buffers.zerosLike(w2);
        dw3 = new double[w3.length];
    }

    @Benchmark
    @Override
    public double primal() {
        return Mlp.loss(w1, w2, w3, x, t, beta);
    }

    @Benchmark
    public MlpGradient.Loss generated() {
        return MlpGradient.loss(w1, w2, w3, x, t, beta);
    }

    @Benchmark
    @Override
    public double generatedAccumulate() {
        zeroGradient();
        return MlpGradient.lossAccumulate(w1, w2, w3, x, t, beta, dw1, dw2, dw3, tape);
    }

    @Benchmark
    @Override
    public double handWritten() {
        zeroGradient();
        return MlpBackprop.lossAccumulate(w1, w2, w3, x, t, beta, dw1, dw2, dw3);
    }

    @Override
    void zeroGradient() {
        for (double[] row : dw1) {
            Arrays.fill(row, 0.0);
        }
        for (double[] row : dw2) {
            Arrays.fill(row, 0.0);
        }
        Arrays.fill(dw3, 0.0);
    }

    @Override
    double addDifferences() {
        DoubleSupplier loss = () -> Mlp.loss(w1, w2, w3, x, t, beta);
        CentralDifferences.addGradient(loss, w1, dw1);
        CentralDifferences.addGradient(loss, w2, dw2);
        return CentralDifferences.addGradient(loss, w3, dw3);
    }

    /** The variables are the weights of w1, then w2, then w3, row by row. */
    @Override
    <T extends RealFieldElement<T>> T overloaded(ForwardNumbers<T> numbers) {
        int count = Buffers.size(w1) + Buffers.size(w2) + w3.length;
        return MlpOverloaded.loss(numbers.variables(w1, 0, count), numbers.variables(w2, Buffers.size(w1), count),
                numbers.variables(w3, count - w3.length, count), x, t, beta);
    }

    @Override
    <T extends RealFieldElement<T>> void addGradient(ForwardNumbers<T> numbers, T f) {
        numbers.addGradient(f, 0, dw1);
        numbers.addGradient(f, Buffers.size(w1), dw2);
        numbers.addGradient(f, Buffers.size(w1) + Buffers.size(w2), dw3);
    }

    @Override
    double[] gradient() {
        double[] flat = new double[Buffers.size(dw1) + Buffers.size(dw2) + dw3.length];
        Buffers.flattenInto(dw1, flat, 0);
        Buffers.flattenInto(dw2, flat, Buffers.size(dw1));
        Buffers.flattenInto(dw3, flat, flat.length - dw3.length);
        return flat;
    }
}
