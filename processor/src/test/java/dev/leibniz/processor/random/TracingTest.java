package dev.leibniz.processor.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.random.Ast.Binary;
import dev.leibniz.processor.random.Ast.Call;
import dev.leibniz.processor.random.Ast.Expr;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Return;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.processor.random.Ast.Var;
import com.google.testing.compile.Compilation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness's rules for points where no derivative can be compared, each shown on the smallest program the random
 * test found it in: the traced twin notes the point, the harness skips it, and without the rule the point would have
 * failed (the gradient there is NaN or noise where finite differences see a finite slope).
 */
class TracingTest {
    private static final Var X = new Var("x", Type.DOUBLE);

    /** {@code sqrt(x - x)}: the value is 0 everywhere, its derivative 0 * infinity in every mode. */
    @Test
    void aDerivativeSingularityOfTheOriginalIsSkippedNotCompared() {
        Method m = method(math("sqrt", new Binary("-", X, X)));
        Harness.Stats stats = new Harness.Stats();
        Checked c = check(m, 0.3, stats);
        assertTrue(c.sampler.singular, "sqrt(0) must be noted as a singularity");
        assertNull(c.failure, () -> c.failure.describe());
        assertEquals(1, stats.singularPoints.get());
        assertTrue(Double.isNaN(c.partial), "without the rule the point would fail: the partial is " + c.partial);
    }

    /** {@code asin(x * 0 + 1)}: asin's derivative at 1 is infinite. */
    @Test
    void anArcSineAtOneIsASingularity() {
        Method m = method(math("asin", new Binary("+", new Binary("*", X, Generator.lit("0.0")), Generator.lit("1.0"))));
        Checked c = check(m, 0.3, new Harness.Stats());
        assertTrue(c.sampler.singular);
        assertNull(c.failure, () -> c.failure.describe());
    }

    /**
     * {@code log10(x + tan(atan(-x)))} at a point where the sum is not 0 but one rounding error: the result is the
     * logarithm of noise, whose derivative each mode rounds its own way.
     */
    @Test
    void aSumThatCancelsToRoundingNoiseIsSkippedNotCompared() {
        double x = residuePoint();
        Method m = method(math("log10", new Call("Math.abs", List.of(new Binary("+", X,
                math("tan", math("atan", new Ast.Unary("-", X))))), Type.DOUBLE)));
        Harness.Stats stats = new Harness.Stats();
        Checked c = check(m, x, stats);
        assertTrue(c.sampler.cancels, "a sum of " + (x + Math.tan(Math.atan(-x))) + " must be noted as cancelled");
        assertNull(c.failure, () -> c.failure.describe());
        assertEquals(1, stats.cancelledPoints.get());
    }

    /** A sum that is small because its operands are, not because they cancel, is compared as usual. */
    @Test
    void aSmallSumOfSmallOperandsIsCompared() {
        Method m = method(math("log10", new Binary("+", new Binary("*", X, Generator.lit("1e-20")),
                Generator.lit("1e-20"))));
        Harness.Stats stats = new Harness.Stats();
        Checked c = check(m, 0.3, stats);
        assertFalse(c.sampler.cancels);
        assertNull(c.failure, () -> c.failure.describe());
        assertEquals(0, stats.cancelledPoints.get());
        assertEquals(1, stats.partials.get());
    }

    /** A point of the random range where {@code x + tan(atan(-x))} is a rounding error, not 0. */
    private static double residuePoint() {
        for (int k = 1; k < 20_000; k++) {
            double x = k / 1e4;
            double sum = x + Math.tan(Math.atan(-x));
            if (sum != 0 && Math.abs(sum) < 1e-15) {
                return x;
            }
        }
        throw new AssertionError("no point where tan(atan(-x)) rounds");
    }

    private record Checked(Harness.Sampler sampler, Harness.Failure failure, double partial) {
    }

    private static Checked check(Method m, double x, Harness.Stats stats) {
        String simpleName = Harness.newClassName();
        Compilation c = Harness.compile(simpleName, List.of(m), true, null);
        assertTrue(Harness.clean(c), () -> Harness.diagnostics(c));
        Harness.Loaded loaded = new Harness.Loaded(c, simpleName);
        List<Class<?>> types = Harness.types(m.params());
        Harness.Sampler sampler = new Harness.Sampler(loaded, Harness.find(loaded.original, m.name(), types), types,
                m.name());
        sampler.start(new Object[] {x});
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("x", x);
        Harness.Failure failure = Harness.checkPoint(loaded, new Program(0, List.of(m)), m, point, stats);
        Object record = Harness.find(loaded.gradient, m.name(), types);
        double partial;
        try {
            partial = (double) Harness.components(((java.lang.reflect.Method) record).invoke(null, x))[1];
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return new Checked(sampler, failure, partial);
    }

    private static Method method(Expr value) {
        return new Method("", "f", List.of(new Param(Type.DOUBLE, "x")), List.of(new Return(value)));
    }

    private static Expr math(String function, Expr arg) {
        return new Call("Math." + function, List.of(arg), Type.DOUBLE);
    }
}
