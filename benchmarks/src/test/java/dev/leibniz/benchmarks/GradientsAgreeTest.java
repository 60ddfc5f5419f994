package dev.leibniz.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Buffers;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a benchmark computes a gradient gives the same gradient, on the benchmark's own inputs and through its
 * own benchmark methods: the generated allocation-free form (twice, reusing its tape), the hand-written gradient,
 * Commons Math's two and central differences, each against the generated record form.
 */
class GradientsAgreeTest {
    /** Hand-written and forward-mode gradients differ from the generated one only by rounding. */
    static final double ROUNDING = 1e-12;
    /** Central differences are off by about h&sup2; f''' and by the rounding of f over 2h. */
    static final double DIFFERENCES = 1e-6;

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void rosenbrock(int n) {
        RosenbrockBenchmark b = new RosenbrockBenchmark();
        b.n = n;
        b.setUp();
        RosenbrockGradient.Value generated = b.generated();
        agree(b, generated.value(), generated.x());
    }

    /** The hand-edited copies of the generated Rosenbrock gradient compute it too. */
    @Test
    void rosenbrockVariants() {
        RosenbrockVariants v = new RosenbrockVariants();
        v.n = 1000;
        v.setUp();
        RosenbrockGradient.Value generated = RosenbrockGradient.value(v.x);
        for (DoubleSupplier variant : List.<DoubleSupplier>of(v::combinedTerms, v::oneUpdatePerElement, v::fused,
                v::fusedLocals)) {
            double value = variant.getAsDouble();
            assertEquals(generated.value(), value, ROUNDING * Math.abs(value));
            for (int i = 0; i < v.n; i++) {
                assertEquals(generated.x()[i], v.g[i], ROUNDING * Math.abs(value));
            }
        }
    }

    /** The hand-edited copy of the generated Huber gradient computes it too. */
    @Test
    void huberVariant() {
        HuberVariants v = new HuberVariants();
        HuberGradient.Loss generated = v.inputs.generated();
        agree(v.inputs, generated.value(), generated.pred(), "fused", v::fused, ROUNDING);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 32})
    void mlp(int hidden) {
        MlpBenchmark b = new MlpBenchmark();
        b.hidden = hidden;
        b.setUp();
        var generated = b.generated();
        double[] expected = new double[Buffers.size(b.w1) + Buffers.size(b.w2) + b.w3.length];
        Buffers.flattenInto(generated.w1(), expected, 0);
        Buffers.flattenInto(generated.w2(), expected, Buffers.size(b.w1));
        Buffers.flattenInto(generated.w3(), expected, expected.length - b.w3.length);
        agree(b, generated.value(), expected);
    }

    @Test
    void oscillator() {
        OscillatorBenchmark b = new OscillatorBenchmark();
        OscillatorGradient.Energy generated = b.generated();
        agree(b, generated.value(), new double[] {generated.p()[0], generated.p()[1], generated.y0()[0],
                generated.y0()[1]});
    }

    @Test
    void huber() {
        HuberBenchmark b = new HuberBenchmark();
        b.setUp();
        HuberGradient.Loss generated = b.generated();
        agree(b, generated.value(), generated.pred());
    }

    /** The residuals of the Huber benchmark take each branch about a third of the time, as its Javadoc says. */
    @Test
    void huberTakesEveryBranch() {
        HuberBenchmark b = new HuberBenchmark();
        b.setUp();
        int above = 0;
        int below = 0;
        for (int i = 0; i < HuberBenchmark.N; i++) {
            double r = b.pred[i] - b.target[i];
            above += r > HuberBenchmark.DELTA ? 1 : 0;
            below += r < -HuberBenchmark.DELTA ? 1 : 0;
        }
        int within = HuberBenchmark.N - above - below;
        for (int count : new int[] {above, below, within}) {
            assertTrue(count > 250 && count < 420, above + " above, " + below + " below, " + within + " within");
        }
    }

    /**
     * The primal gives the generated record's value bit for bit, and every other form of {@code b} its value and
     * gradient.
     */
    static void agree(GradientBenchmark b, double value, double[] gradient) {
        assertEquals(value, b.primal(), 0.0, "primal");
        agree(b, value, gradient, "accumulate", b::generatedAccumulate, ROUNDING);
        agree(b, value, gradient, "accumulate again", b::generatedAccumulate, ROUNDING);
        agree(b, value, gradient, "hand-written", b::handWritten, ROUNDING);
        agree(b, value, gradient, "DerivativeStructure", b::derivativeStructure, ROUNDING);
        agree(b, value, gradient, "SparseGradient", b::sparseGradient, ROUNDING);
        agree(b, value, gradient, "central differences", b::centralDifferences, DIFFERENCES);
    }

    /**
     * Runs {@code form} and compares the value it returns and the gradient it leaves in the buffers with the expected
     * ones, to {@code tolerance} times the largest of 1, |value| and the partials.
     */
    static void agree(GradientBenchmark b, double value, double[] expected, String form, DoubleSupplier run,
            double tolerance) {
        double actualValue = run.getAsDouble();
        double[] actual = b.gradient();
        double scale = Math.max(1, Math.abs(value));
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double allowed = tolerance * scale;
        assertEquals(value, actualValue, allowed, form + ": value");
        assertEquals(expected.length, actual.length, form + ": gradient length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], allowed, form + ": partial " + i);
        }
    }
}
