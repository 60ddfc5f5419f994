package dev.leibniz.benchmarks;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.apache.commons.math3.RealFieldElement;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link Oscillator}: 1,000 RK4 steps of a damped oscillator, its final energy and the gradient with respect to the
 * parameters and the initial state, each way.
 */
public class OscillatorBenchmark extends GradientBenchmark {
    static final int STEPS = 1000;
    static final double H = 0.01;

    final double[] p = {4.0, 0.3};
    final double[] y0 = {1.0, -0.5};
    /** The hand-written gradient's record of the states, the caller's as the tape is. */
    final double[] trajectory = new double[2 * STEPS];
    final double[] dp = new double[2];
    final double[] dy0 = new double[2];

    @Benchmark
    @Override
    public double primal() {
        return Oscillator.energy(p, y0, H, STEPS);
    }

    @Benchmark
    public OscillatorGradient.Energy generated() {
        return OscillatorGradient.energy(p, y0, H, STEPS);
    }

    @Benchmark
    @Override
    public double generatedAccumulate() {
        zeroGradient();
        return OscillatorGradient.energyAccumulate(p, y0, H, STEPS, dp, dy0, tape);
    }

    @Benchmark
    @Override
    public double handWritten() {
        zeroGradient();
        return Oscillator.handWritten(p, y0, H, STEPS, dp, dy0, trajectory);
    }

    @Override
    void zeroGradient() {
        Arrays.fill(dp, 0.0);
        Arrays.fill(dy0, 0.0);
    }

    @Override
    double addDifferences() {
        DoubleSupplier energy = () -> Oscillator.energy(p, y0, H, STEPS);
        CentralDifferences.addGradient(energy, p, dp);
        return CentralDifferences.addGradient(energy, y0, dy0);
    }

    @Override
    <T extends RealFieldElement<T>> T overloaded(ForwardNumbers<T> numbers) {
        return Oscillator.overloaded(numbers.variables(p, 0, 4), numbers.variables(y0, 2, 4), H, STEPS);
    }

    @Override
    <T extends RealFieldElement<T>> void addGradient(ForwardNumbers<T> numbers, T f) {
        numbers.addGradient(f, 0, dp);
        numbers.addGradient(f, 2, dy0);
    }

    @Override
    double[] gradient() {
        return new double[] {dp[0], dp[1], dy0[0], dy0[1]};
    }
}
