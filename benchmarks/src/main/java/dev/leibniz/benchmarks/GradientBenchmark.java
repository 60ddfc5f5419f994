package dev.leibniz.benchmarks;

import dev.leibniz.Tape;
import org.apache.commons.math3.RealFieldElement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What every workload's benchmark measures, on the same inputs: the function ({@code primal}), the generated
 * gradient as a record ({@code generated}, declared by each workload, since its record type is the workload's) and
 * in its allocation-free form ({@code generatedAccumulate}), a hand-written gradient, Commons Math's
 * {@code DerivativeStructure} and {@code SparseGradient}, and central differences. Every form but the record adds its
 * gradient into the benchmark's buffers, which it zeroes first, and returns the function's value.
 */
@State(Scope.Thread)
public abstract class GradientBenchmark {
    /** The tape of the allocation-free form, reused across calls as a training loop reuses it. */
    final Tape tape = new Tape();

    public abstract double primal();

    public abstract double generatedAccumulate();

    public abstract double handWritten();

    @Benchmark
    public double derivativeStructure() {
        return overloadedGradient(ForwardNumbers.DERIVATIVE_STRUCTURE);
    }

    @Benchmark
    public double sparseGradient() {
        return overloadedGradient(ForwardNumbers.SPARSE_GRADIENT);
    }

    @Benchmark
    public double centralDifferences() {
        zeroGradient();
        return addDifferences();
    }

    /** Zeroes the gradient buffers. */
    abstract void zeroGradient();

    /** Adds the central-difference gradient into the buffers; returns the value. */
    abstract double addDifferences();

    /** The function over Commons Math's numbers, one variable per differentiated element. */
    abstract <T extends RealFieldElement<T>> T overloaded(ForwardNumbers<T> numbers);

    /** Adds the partial derivatives {@code f} carries into the buffers. */
    abstract <T extends RealFieldElement<T>> void addGradient(ForwardNumbers<T> numbers, T f);

    /** A copy of the gradient buffers, flattened in the order of the variables of {@link #overloaded}. */
    abstract double[] gradient();

    private <T extends RealFieldElement<T>> double overloadedGradient(ForwardNumbers<T> numbers) {
        T f = overloaded(numbers);
        zeroGradient();
        addGradient(numbers, f);
        return f.getReal();
    }
}
