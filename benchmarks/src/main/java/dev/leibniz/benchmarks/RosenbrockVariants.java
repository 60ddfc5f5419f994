package dev.leibniz.benchmarks;

import dev.leibniz.Tape;
import java.util.Arrays;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the generated gradient of {@link Rosenbrock} would cost if the processor wrote it differently: copies of
 * {@code RosenbrockGradient.valueAccumulate}, edited by hand one change at a time, the generated form and the
 * hand-written gradient beside them. Not part of the README's table; run with
 * {@code java -jar benchmarks/target/benchmarks.jar RosenbrockVariants}.
 */
@State(Scope.Thread)
public class RosenbrockVariants {
    @Param({"1000"})
    public int n;

    double[] x;
    double[] g;
    final Tape tape = new Tape();

    @Setup
    public void setUp() {
        x = Inputs.uniform(new Random(1), n, -1.5, 1.5);
        g = new double[n];
    }

    @Benchmark
    public double generated() {
        Arrays.fill(g, 0.0);
        return RosenbrockGradient.valueAccumulate(x, g, tape);
    }

    @Benchmark
    public double handWritten() {
        Arrays.fill(g, 0.0);
        return Rosenbrock.handWritten(x, g);
    }

    @Benchmark
    public double generatedBefore() {
        Arrays.fill(g, 0.0);
        return generatedBefore(x, g);
    }

    @Benchmark
    public double mergedWithNegations() {
        Arrays.fill(g, 0.0);
        return mergedWithNegations(x, g);
    }

    @Benchmark
    public double combinedTerms() {
        Arrays.fill(g, 0.0);
        return combinedTerms(x, g);
    }

    @Benchmark
    public double oneUpdatePerElement() {
        Arrays.fill(g, 0.0);
        return oneUpdatePerElement(x, g);
    }

    @Benchmark
    public double fused() {
        Arrays.fill(g, 0.0);
        return fused(x, g);
    }

    @Benchmark
    public double fusedLocals() {
        Arrays.fill(g, 0.0);
        return fusedLocals(x, g);
    }

    /**
     * What the processor generated before it merged updates across blocks, folded constants and assigned
     * per-iteration adjoints: the loop fused, each block adding into an adjoint once.
     */
    static double generatedBefore(double[] x, double[] dx) {
        double dValue = 1.0;
        double f = 0;
        double a = 0.0;
        double b = 0.0;
        double df = dValue;
        double da = 0.0;
        double db = 0.0;
        for (int i = 0; i + 1 < x.length; i++) {
            a = x[i + 1] - x[i] * x[i];
            b = 1 - x[i];
            f += 100 * a * a + b * b;
            da += df * a * 100 + df * (100 * a);
            db += 2.0 * (df * b);
            dx[i] += -db;
            db = 0.0;
            dx[i + 1] += da;
            dx[i] += 2.0 * (-da * x[i]);
            da = 0.0;
        }
        return f;
    }

    /**
     * The generated reverse sweep with the two terms of each square ({@code a * a}, {@code b * b}, and the
     * {@code x[i] * x[i]} of a's statement) added as one: {@code db += df * b; db += df * b;} becomes
     * {@code db += 2 * (df * b)}, which is the same number.
     */
    static double combinedTerms(double[] x, double[] dx) {
        double dValue = 1.0;
        double f = 0;
        int trips19 = 0;
        double a = 0.0;
        double b = 0.0;
        for (int i = 0; i + 1 < x.length; i++) {
            trips19++;
            a = x[i + 1] - x[i] * x[i];
            b = 1 - x[i];
            f += 100 * a * a + b * b;
        }
        double value = f;
        double df = dValue;
        double da = 0.0;
        double db = 0.0;
        for (int i = trips19 - 1; i >= 0; i--) {
            a = x[i + 1] - x[i] * x[i];
            b = 1 - x[i];
            da += 2 * (df * (100 * a));
            db += 2 * (df * b);
            dx[i] += -db;
            db = 0.0;
            dx[i + 1] += da;
            dx[i] += 2 * (-da * x[i]);
            da = 0.0;
        }
        return value;
    }

    /** {@link #combinedTerms}, and each element's adjoint updated once per iteration, from a local sum. */
    static double oneUpdatePerElement(double[] x, double[] dx) {
        double dValue = 1.0;
        double f = 0;
        int trips19 = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            trips19++;
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            f += 100 * a * a + b * b;
        }
        double value = f;
        double df = dValue;
        for (int i = trips19 - 1; i >= 0; i--) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            double da = 2 * (df * (100 * a));
            double db = 2 * (df * b);
            dx[i + 1] += da;
            dx[i] += -db + 2 * (-da * x[i]);
        }
        return value;
    }

    /**
     * {@link #oneUpdatePerElement} with the reverse sweep's loop run forwards inside the forward sweep's: the loop
     * only adds into {@code f}, so the adjoint of {@code f} is {@code dValue} in every iteration, known before the
     * loop, and no iteration's adjoints depend on another's.
     */
    static double fused(double[] x, double[] dx) {
        double dValue = 1.0;
        double df = dValue;
        double f = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            f += 100 * a * a + b * b;
            double da = 2 * (df * (100 * a));
            double db = 2 * (df * b);
            dx[i + 1] += da;
            dx[i] += -db + 2 * (-da * x[i]);
        }
        return f;
    }

    /**
     * {@link #fused} with {@code x[i]} and {@code x[i + 1]} read once, into locals, before the adjoints are stored:
     * {@code x} and {@code dx} are both {@code double[]}, so the JIT must assume that a store into {@code dx} may
     * change {@code x} and reads {@code x[i]} again after each one.
     */
    static double fusedLocals(double[] x, double[] dx) {
        double dValue = 1.0;
        double df = dValue;
        double f = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double xi = x[i];
            double xNext = x[i + 1];
            double a = xNext - xi * xi;
            double b = 1 - xi;
            f += 100 * a * a + b * b;
            double da = 2 * (df * (100 * a));
            double db = 2 * (df * b);
            dx[i + 1] += da;
            dx[i] += -db + 2 * (-da * xi);
        }
        return f;
    }
    /**
     * The loop as generated now but with each term's sign as a negation, as {@code Increments} wrote it before
     * {@code Signed}: {@code dx[i] += -db + 2.0 * (-da * x[i])} where it now writes {@code -2.0 * (da * x[i]) - db},
     * the same number.
     */
    static double mergedWithNegations(double[] x, double[] dx) {
        double dValue = 1.0;
        double f = 0;
        double a = 0.0;
        double b = 0.0;
        double df = dValue;
        double da = 0.0;
        double db = 0.0;
        for (int i = 0; i + 1 < x.length; i++) {
            a = x[i + 1] - x[i] * x[i];
            b = 1 - x[i];
            f += 100 * a * a + b * b;
            da = 200.0 * (df * a);
            db = 2.0 * (df * b);
            dx[i] += -db + 2.0 * (-da * x[i]);
            db = 0.0;
            dx[i + 1] += da;
            da = 0.0;
        }
        return f;
    }
}
