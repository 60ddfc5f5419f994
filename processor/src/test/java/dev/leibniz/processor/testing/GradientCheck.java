package dev.leibniz.processor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a generated gradient against the original method: the value must be bit-for-bit the original's, every
 * partial must agree with Richardson-extrapolated central differences, and the pullback must scale with its seed.
 * Wherever a test reads a gradient, the differential (forward mode) must agree with it ({@link DifferentialCheck}).
 */
public final class GradientCheck {
    private final Compiled compiled;
    private final String className;

    public GradientCheck(Compiled compiled, String className) {
        this.compiled = compiled;
        this.className = className;
    }

    /**
     * The generated record for {@code method} at {@code args}: value first, then one entry per double parameter.
     * The differential must agree with it.
     */
    public double[] gradient(String method, Object... args) {
        Object record = Compiled.invoke(gradientMethod(method), args);
        double[] gradient = components(record);
        checkDifferential(method, args, gradient);
        return gradient;
    }

    private void checkDifferential(String method, Object[] args, double[] gradient) {
        Method original = original(method);
        Object[] after = ArrayGradientCheck.deepCopy(args);
        double value = (double) Compiled.invoke(original, after);
        List<Integer> differentiated = new ArrayList<>();
        Class<?>[] types = original.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == double.class) {
                differentiated.add(i);
            }
        }
        List<Object> partials = new ArrayList<>();
        for (int k = 1; k < gradient.length; k++) {
            partials.add(gradient[k]);
        }
        DifferentialCheck.check(compiled.method(className + "Gradient", method + "Differential"),
                method + Arrays.toString(args), args, differentiated, partials, value, after,
                () -> compiled.generatedSource(className + "Gradient"));
    }

    public double value(String method, Object... args) {
        return (double) Compiled.invoke(original(method), args);
    }

    /** Asserts the gradient of {@code method} at {@code args} against finite differences and the original. */
    public void check(String method, Object... args) {
        Method original = original(method);
        double[] result = gradient(method, args);
        double expectedValue = (double) Compiled.invoke(original, args);
        assertSameDouble(expectedValue, result[0], method + ": value must equal the original method's");

        List<Integer> differentiated = new ArrayList<>();
        Class<?>[] types = original.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == double.class) {
                differentiated.add(i);
            }
        }
        assertEquals(differentiated.size() + 1, result.length, method + ": one component per double parameter");
        for (int k = 0; k < differentiated.size(); k++) {
            int i = differentiated.get(k);
            double fd = centralDifference(original, args, i);
            double ad = result[k + 1];
            double scale = Math.max(1.0, Math.max(Math.abs(ad), Math.abs(fd)));
            if (!(Math.abs(ad - fd) <= 1e-6 * scale)) {
                fail(method + Arrays.toString(args) + ": d/d" + original.getParameters()[i].getName() + " = " + ad
                        + " but finite differences give " + fd + "\n" + compiled.generatedSource(className + "Gradient"));
            }
        }
        checkPullbackScalesWithSeed(method, args, result);
    }

    /** The pullback with seed s returns the value and s times the gradient. */
    private void checkPullbackScalesWithSeed(String method, Object[] args, double[] gradient) {
        double seed = -2.5;
        Object[] withSeed = Arrays.copyOf(args, args.length + 1);
        withSeed[args.length] = seed;
        Method pullback = compiled.method(className + "Gradient", method + "Pullback");
        double[] pulled = components(Compiled.invoke(pullback, withSeed));
        assertSameDouble(gradient[0], pulled[0], method + "Pullback: value");
        for (int k = 1; k < gradient.length; k++) {
            double expected = seed * gradient[k];
            assertEquals(expected, pulled[k], 1e-12 * Math.max(1, Math.abs(expected)), method + "Pullback: component " + k);
        }
    }

    private double centralDifference(Method original, Object[] args, int i) {
        double x = (double) args[i];
        double h = 1e-3 * Math.max(1.0, Math.abs(x));
        double coarse = difference(original, args, i, x, h);
        double fine = difference(original, args, i, x, h / 2);
        return (4 * fine - coarse) / 3; // Richardson: cancels the h^2 error term
    }

    private double difference(Method original, Object[] args, int i, double x, double h) {
        Object[] plus = args.clone();
        Object[] minus = args.clone();
        plus[i] = x + h;
        minus[i] = x - h;
        return ((double) Compiled.invoke(original, plus) - (double) Compiled.invoke(original, minus)) / (2 * h);
    }

    private Method original(String name) {
        return compiled.method(className, name);
    }

    private Method gradientMethod(String name) {
        return compiled.method(className + "Gradient", name);
    }

    private static double[] components(Object record) {
        return Compiled.components(record).values().stream().mapToDouble(v -> (double) v).toArray();
    }

    /** Bit for bit: the same double, NaN payloads and the sign of zero included. */
    static void assertSameDouble(double expected, double actual, String message) {
        if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
            fail(message + ": expected " + expected + " but was " + actual);
        }
    }
}
