package dev.leibniz.benchmarks;

import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the generated gradient of {@link Huber} would cost with its reverse loop run inside the forward loop: a copy
 * of {@code HuberGradient.lossAccumulate} edited by hand, with the generated form and the hand-written gradient
 * beside it, on {@link HuberBenchmark}'s inputs. Not part of the README's table; run with
 * {@code java -jar benchmarks/target/benchmarks.jar HuberVariants}.
 */
@State(Scope.Thread)
public class HuberVariants {
    final HuberBenchmark inputs = new HuberBenchmark();

    public HuberVariants() {
        inputs.setUp();
    }

    @Benchmark
    public double generated() {
        return inputs.generatedAccumulate();
    }

    @Benchmark
    public double handWritten() {
        return inputs.handWritten();
    }

    @Benchmark
    public double fused() {
        Arrays.fill(inputs.dPred, 0.0);
        return fused(inputs.pred, inputs.target, HuberBenchmark.DELTA, inputs.dPred);
    }

    /**
     * The generated sweeps with the reverse loop's body run right after the forward loop's, in one loop: the loop
     * only adds into {@code sum}, whose adjoint is {@code dValue} in every iteration, so each iteration's adjoints
     * are known as soon as it has run, and the three-way branch is decided once per element instead of twice.
     */
    static double fused(double[] pred, double[] target, double delta, double[] dPred) {
        double dValue = 1.0;
        double dSum = dValue;
        double sum = 0;
        for (int i = 0; i < pred.length; i++) {
            double r = pred[i] - target[i];
            double dr = 0.0;
            if (r > delta) {
                sum += delta * (r - 0.5 * delta);
                dr += dSum * delta;
            } else if (r < -delta) {
                sum += -delta * (r + 0.5 * delta);
                dr += dSum * -delta;
            } else {
                sum += 0.5 * r * r;
                dr += dSum * r * 0.5;
                dr += dSum * (0.5 * r);
            }
            dPred[i] += dr;
        }
        return sum;
    }
}
