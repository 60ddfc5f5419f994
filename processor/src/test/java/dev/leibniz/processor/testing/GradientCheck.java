package dev.leibniz.processor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a generated gradient against the original method: the value must be bit-for-bit the original's, every
 * partial must agree with Richardson-extrapolated central differences, and the pullback must scale with its seed.
 */
public final class GradientCheck {
    private final Compiled compiled;
    private final String className;

    public GradientCheck(Compiled compiled, String className) {
        this.compiled = compiled;
        this.className = className;
    }

    /** The generated record for {@code method} at {@code args}: value first, then one entry per double parameter. */
    public double[] gradient(String method, Object... args) {
        Object record = invoke(gradientMethod(method), args);
        return components(record);
    }

    public double value(String method, Object... args) {
        return (double) invoke(original(method), args);
    }

    /** Asserts the gradient of {@code method} at {@code args} against finite differences and the original. */
    public void check(String method, Object... args) {
        Method original = original(method);
        double[] result = gradient(method, args);
        double expectedValue = (double) invoke(original, args);
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
        double[] pulled = components(invoke(method(className + "Gradient", method + "Pullback"), withSeed));
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
        return ((double) invoke(original, plus) - (double) invoke(original, minus)) / (2 * h);
    }

    private Method original(String name) {
        return method(className, name);
    }

    private Method gradientMethod(String name) {
        return method(className + "Gradient", name);
    }

    private Method method(String owner, String name) {
        Method found = null;
        for (Method m : compiled.load(owner).getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                if (found != null) {
                    throw new AssertionError(owner + "." + name + " is overloaded; the checker needs a unique name");
                }
                found = m;
            }
        }
        if (found == null) {
            throw new AssertionError("no method " + owner + "." + name);
        }
        found.setAccessible(true);
        return found;
    }

    private static Object invoke(Method m, Object[] args) {
        try {
            return m.invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getName() + " threw " + e.getCause(), e.getCause());
        }
    }

    private static double[] components(Object record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        double[] values = new double[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                values[i] = (double) accessor.invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }

    private static void assertSameDouble(double expected, double actual, String message) {
        if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
            fail(message + ": expected " + expected + " but was " + actual);
        }
    }
}
