package dev.leibniz.benchmarks;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.RealFieldElement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** {@link Rosenbrock}: the function and its gradient, each way, at one point of n dimensions. */
public class RosenbrockBenchmark extends GradientBenchmark {
    @Param({"10", "100", "1000"})
    public int n;

    double[] x;
    double[] g;

    @Setup
    public void setUp() {
        x = Inputs.uniform(new Random(1), n, -1.5, 1.5);
        g = new double[n];
    }

    @Benchmark
    @Override
    public double primal() {
        return Rosenbrock.value(x);
    }

    @Benchmark
    public RosenbrockGradient.Value generated() {
        return RosenbrockGradient.value(x);
    }

    @Benchmark
    @Override
    public double generatedAccumulate() {
        zeroGradient();
        return RosenbrockGradient.valueAccumulate(x, g, tape);
    }

    @Benchmark
    @Override
    public double handWritten() {
        zeroGradient();
        return Rosenbrock.handWritten(x, g);
    }

    @Override
    void zeroGradient() {
        Arrays.fill(g, 0.0);
    }

    @Override
    double addDifferences() {
        return CentralDifferences.addGradient(() -> Rosenbrock.value(x), x, g);
    }

    @Override
    <T extends RealFieldElement<T>> T overloaded(ForwardNumbers<T> numbers) {
        return Rosenbrock.overloaded(numbers.variables(x, 0, n));
    }

    @Override
    <T extends RealFieldElement<T>> void addGradient(ForwardNumbers<T> numbers, T f) {
        numbers.addGradient(f, 0, g);
    }

    @Override
    double[] gradient() {
        return g.clone();
    }
}
