package dev.leibniz.processor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.leibniz.Tape;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the generated gradient of a method with array parameters against the original method, as
 * {@link GradientCheck} does for scalars:
 *
 * <ul>
 *   <li>the value is bit for bit the original's, and every array argument is left exactly as the original leaves
 *       it (a method that writes into its parameters keeps that side effect; one that does not leaves them alone);
 *   <li>every element of every differentiated {@code double[]} / {@code double[][]} parameter, and every
 *       differentiated {@code double} parameter, agrees with Richardson-extrapolated central differences, taken on
 *       fresh copies of the arguments as they were passed in;
 *   <li>the record has one component per differentiated parameter, named like it, arrays freshly allocated in the
 *       shape of the argument;
 *   <li>the pullback adds {@code dValue * gradient} into the buffers it is given (called twice with the same
 *       buffers, they hold twice that) and returns the value, and the scaled scalar partials when a scalar is
 *       differentiated;
 *   <li>the {@code Accumulate} form adds exactly the record's gradient into zeroed buffers and returns the value,
 *       in a record with the differentiated scalars' partials, bit for bit the gradient's, when there are any;
 *   <li>the differential (forward mode) agrees with the gradient along random tangents, and leaves the caller's
 *       tangent arrays alone ({@link DifferentialCheck}).
 * </ul>
 *
 * <p>Parameter names come from the test's source text (test classes are compiled without {@code -parameters}).
 */
public final class ArrayGradientCheck {
    private static final double SEED = -2.5;

    private final Compiled compiled;
    private final String className;
    private final String source;
    private final double tolerance;
    private final double step;

    public ArrayGradientCheck(Compiled compiled, String className, String source) {
        this(compiled, className, source, 1e-6, 1e-3);
    }

    private ArrayGradientCheck(Compiled compiled, String className, String source, double tolerance, double step) {
        this.compiled = compiled;
        this.className = className;
        this.source = source;
        this.tolerance = tolerance;
        this.step = step;
    }

    /**
     * The same check with another finite-difference step: {@code step * max(1, |x|)} for an argument {@code x}
     * (default 1e-3), for arguments such as a small time step that the function varies on at a finer scale.
     */
    public ArrayGradientCheck step(double relative) {
        return new ArrayGradientCheck(compiled, className, source, tolerance, relative);
    }

    /** The gradient of a method: its value and its partials, keyed by parameter name. */
    public record Gradient(double value, Map<String, Object> partials) {
        public double[] array(String name) {
            return (double[]) partials.get(name);
        }

        public double[][] matrix(String name) {
            return (double[][]) partials.get(name);
        }

        public double scalar(String name) {
            return (double) partials.get(name);
        }
    }

    /** Checks {@code method} at {@code args}, differentiated with respect to every double and double-array parameter. */
    public Gradient check(String method, Object... args) {
        return checkWrt(method, null, args);
    }

    /**
     * Checks {@code method} at {@code args}, differentiated with respect to exactly the parameters named in
     * {@code wrt} (null: every double and double-array parameter).
     */
    public Gradient checkWrt(String method, List<String> wrt, Object... args) {
        Method original = compiled.method(className, method);
        List<String> names = parameterNames(method);
        Class<?>[] types = original.getParameterTypes();
        assertEquals(types.length, names.size(), method + ": parameters in the source text");
        assertEquals(types.length, args.length, method + ": arguments");

        // The original, on copies: its value and what it leaves in the arrays.
        Object[] originalArgs = deepCopy(args);
        double expectedValue = (double) Compiled.invoke(original, originalArgs);

        // The gradient, on other copies.
        Object[] gradientArgs = deepCopy(args);
        Object record = Compiled.invoke(compiled.method(className + "Gradient", method), gradientArgs);
        String where = method + at(args);
        assertSameArguments(originalArgs, gradientArgs, where + ": gradient");
        Map<String, Object> components = Compiled.components(record);
        Object value = components.remove("value");
        GradientCheck.assertSameDouble(expectedValue, (double) value, where + ": value must equal the original method's");

        List<Integer> differentiated = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            boolean differentiable = types[i] == double.class || types[i] == double[].class
                    || types[i] == double[][].class;
            if (differentiable && (wrt == null || wrt.contains(names.get(i)))) {
                differentiated.add(i);
            }
        }
        List<String> expectedComponents = differentiated.stream().map(names::get).toList();
        assertEquals(expectedComponents, List.copyOf(components.keySet()),
                where + ": one record component per differentiated parameter, in order");

        Map<String, Object> partials = new LinkedHashMap<>();
        for (int i : differentiated) {
            String name = names.get(i);
            Object ad = components.get(name);
            partials.put(name, ad);
            if (types[i] == double.class) {
                compare(where, name, (double) ad, centralDifference(original, args, i, null, step));
            } else if (types[i] == double[].class) {
                double[] x = (double[]) args[i];
                double[] g = (double[]) ad;
                assertNotSame(x, g, where + ": d/d" + name + " must be a new array");
                assertEquals(x.length, g.length, where + ": d/d" + name + " has the length of " + name);
                for (int k = 0; k < x.length; k++) {
                    compare(where, name + "[" + k + "]", g[k], centralDifference(original, args, i, new int[] {k}, step));
                }
            } else {
                double[][] x = (double[][]) args[i];
                double[][] g = (double[][]) ad;
                assertNotSame(x, g, where + ": d/d" + name + " must be a new array");
                assertEquals(x.length, g.length, where + ": d/d" + name + " has the shape of " + name);
                for (int r = 0; r < x.length; r++) {
                    assertNotSame(x[r], g[r], where + ": d/d" + name + "[" + r + "] must be a new array");
                    assertEquals(x[r].length, g[r].length, where + ": d/d" + name + "[" + r + "] has the shape of " + name);
                    for (int c = 0; c < x[r].length; c++) {
                        compare(where, name + "[" + r + "][" + c + "]", g[r][c],
                                centralDifference(original, args, i, new int[] {r, c}, step));
                    }
                }
            }
        }
        Gradient gradient = new Gradient(expectedValue, partials);
        DifferentialCheck.check(compiled.method(className + "Gradient", method + "Differential"), where, args,
                differentiated, List.copyOf(partials.values()), expectedValue, originalArgs, this::generated);
        checkPullback(method, original, args, differentiated, names, gradient, originalArgs);
        checkAccumulate(method, original, args, differentiated, names, gradient, originalArgs);
        return gradient;
    }

    /** The pullback with seed s adds s times the gradient into its buffers; twice, twice that. */
    private void checkPullback(String method, Method original, Object[] args, List<Integer> differentiated,
            List<String> names, Gradient gradient, Object[] originalAfter) {
        Class<?>[] types = original.getParameterTypes();
        List<Object> buffers = zeroBuffers(args, differentiated, types);
        boolean scalarDifferentiated = differentiated.stream().anyMatch(i -> types[i] == double.class);
        Method pullback = compiled.method(className + "Gradient", method + "Pullback");
        String where = method + "Pullback" + at(args);
        for (int call = 1; call <= 2; call++) {
            Object[] callArgs = deepCopy(args);
            List<Object> all = new ArrayList<>(Arrays.asList(callArgs));
            all.add(SEED);
            all.addAll(buffers);
            Object result = Compiled.invoke(pullback, all.toArray());
            assertSameArguments(originalAfter, callArgs, where + " (call " + call + ")");
            if (scalarDifferentiated) {
                Map<String, Object> components = Compiled.components(result);
                GradientCheck.assertSameDouble(gradient.value(), (double) components.get("value"), where + ": value");
                for (int i : differentiated) {
                    if (types[i] == double.class) {
                        double expected = SEED * gradient.scalar(names.get(i));
                        assertEquals(expected, (double) components.get(names.get(i)),
                                1e-12 * Math.max(1, Math.abs(expected)), where + ": d" + names.get(i) + " (call " + call + ")");
                    }
                }
            } else {
                assertEquals(double.class, pullback.getReturnType(), where + ": returns the value when only arrays are differentiated");
                GradientCheck.assertSameDouble(gradient.value(), (double) result, where + ": value (call " + call + ")");
            }
            int b = 0;
            for (int i : differentiated) {
                if (types[i] != double.class) {
                    compareScaled(where + " (call " + call + ")", names.get(i), partial(gradient, names.get(i)),
                            buffers.get(b++), call * SEED);
                }
            }
        }
    }

    /**
     * The Accumulate form adds exactly the record's gradient into zeroed buffers and returns the value, beside the
     * scalars' partials when scalars are differentiated.
     */
    private void checkAccumulate(String method, Method original, Object[] args, List<Integer> differentiated,
            List<String> names, Gradient gradient, Object[] originalAfter) {
        Class<?>[] types = original.getParameterTypes();
        List<Object> buffers = zeroBuffers(args, differentiated, types);
        if (buffers.isEmpty()) {
            return;
        }
        Method accumulate = compiled.method(className + "Gradient", method + "Accumulate");
        String where = method + "Accumulate" + at(args);
        // Two calls on one tape: the second must not see what the first left on it.
        Tape tape = new Tape();
        for (int call = 0; call < 2; call++) {
            buffers = zeroBuffers(args, differentiated, types);
            Object[] callArgs = deepCopy(args);
            List<Object> all = new ArrayList<>(Arrays.asList(callArgs));
            all.addAll(buffers);
            all.add(tape);
            Object result = Compiled.invoke(accumulate, all.toArray());
            assertSameArguments(originalAfter, callArgs, where);
            Map<String, Double> scalars = new LinkedHashMap<>();
            differentiated.stream().filter(i -> types[i] == double.class)
                    .forEach(i -> scalars.put(names.get(i), gradient.scalar(names.get(i))));
            assertAccumulateResult(accumulate, result, gradient.value(), scalars, where + " (call " + (call + 1) + ")");
        }
        int b = 0;
        for (int i : differentiated) {
            if (types[i] != double.class) {
                Object expected = partial(gradient, names.get(i));
                Object actual = buffers.get(b++);
                if (!Arrays.deepEquals(new Object[] {expected}, new Object[] {actual})) {
                    fail(where + ": d" + names.get(i) + " must equal the record's exactly: expected "
                            + Arrays.deepToString(new Object[] {expected}) + " but was "
                            + Arrays.deepToString(new Object[] {actual}));
                }
            }
        }
    }

    /**
     * What an accumulate form returns: the value alone when only arrays are differentiated; otherwise a record of the
     * value and one component per differentiated scalar, in order, each bit for bit the one in {@code scalars}, which
     * the record form computes by the same arithmetic.
     */
    static void assertAccumulateResult(Method accumulate, Object result, double value, Map<String, Double> scalars,
            String where) {
        if (scalars.isEmpty()) {
            assertEquals(double.class, accumulate.getReturnType(),
                    where + ": returns the value alone when only arrays are differentiated");
            GradientCheck.assertSameDouble(value, (double) result, where + ": value");
            return;
        }
        Map<String, Object> components = Compiled.components(result);
        List<String> expected = new ArrayList<>(List.of("value"));
        expected.addAll(scalars.keySet());
        assertEquals(expected, List.copyOf(components.keySet()),
                where + ": the record holds the value and one component per differentiated scalar, in order");
        GradientCheck.assertSameDouble(value, (double) components.get("value"), where + ": value");
        scalars.forEach((name, partial) -> GradientCheck.assertSameDouble(partial, (double) components.get(name),
                where + ": " + name + " must equal the record form's exactly"));
    }

    private static Object partial(Gradient gradient, String name) {
        return gradient.partials().get(name);
    }

    private static List<Object> zeroBuffers(Object[] args, List<Integer> differentiated, Class<?>[] types) {
        List<Object> buffers = new ArrayList<>();
        for (int i : differentiated) {
            if (types[i] == double[].class) {
                buffers.add(new double[((double[]) args[i]).length]);
            } else if (types[i] == double[][].class) {
                double[][] x = (double[][]) args[i];
                double[][] zeros = new double[x.length][];
                for (int r = 0; r < x.length; r++) {
                    zeros[r] = new double[x[r].length];
                }
                buffers.add(zeros);
            }
        }
        return buffers;
    }

    private void compareScaled(String where, String name, Object gradient, Object buffer, double factor) {
        if (gradient instanceof double[] g) {
            double[] actual = (double[]) buffer;
            for (int k = 0; k < g.length; k++) {
                double expected = factor * g[k];
                if (!(Math.abs(actual[k] - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) {
                    fail(where + ": d" + name + "[" + k + "] must hold " + factor + " times the gradient " + g[k]
                            + ", " + expected + ", but holds " + actual[k] + "\n" + generated());
                }
            }
        } else {
            double[][] g = (double[][]) gradient;
            double[][] actual = (double[][]) buffer;
            for (int r = 0; r < g.length; r++) {
                for (int c = 0; c < g[r].length; c++) {
                    double expected = factor * g[r][c];
                    if (!(Math.abs(actual[r][c] - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) {
                        fail(where + ": d" + name + "[" + r + "][" + c + "] must hold " + factor + " times the gradient "
                                + g[r][c] + ", " + expected + ", but holds " + actual[r][c] + "\n" + generated());
                    }
                }
            }
        }
    }

    private void compare(String where, String name, double ad, double fd) {
        double scale = Math.max(1.0, Math.max(Math.abs(ad), Math.abs(fd)));
        if (!(Math.abs(ad - fd) <= tolerance * scale)) {
            fail(where + ": d/d" + name + " = " + ad + " but finite differences give " + fd + "\n" + generated());
        }
    }

    private String generated() {
        return compiled.generatedSource(className + "Gradient");
    }

    /** d original / d args[i] (the element at {@code index} of an array), on fresh copies of the arguments. */
    private static double centralDifference(Method original, Object[] args, int i, int[] index, double step) {
        double x = get(args[i], index);
        double h = step * Math.max(1.0, Math.abs(x));
        double coarse = difference(original, args, i, index, x, h);
        double fine = difference(original, args, i, index, x, h / 2);
        return (4 * fine - coarse) / 3; // Richardson: cancels the h^2 error term
    }

    private static double difference(Method original, Object[] args, int i, int[] index, double x, double h) {
        Object[] plus = deepCopy(args);
        Object[] minus = deepCopy(args);
        plus[i] = set(plus[i], index, x + h);
        minus[i] = set(minus[i], index, x - h);
        return ((double) Compiled.invoke(original, plus) - (double) Compiled.invoke(original, minus)) / (2 * h);
    }

    private static double get(Object arg, int[] index) {
        if (index == null) {
            return (double) arg;
        }
        return index.length == 1 ? ((double[]) arg)[index[0]] : ((double[][]) arg)[index[0]][index[1]];
    }

    private static Object set(Object arg, int[] index, double v) {
        if (index == null) {
            return v;
        }
        if (index.length == 1) {
            ((double[]) arg)[index[0]] = v;
        } else {
            ((double[][]) arg)[index[0]][index[1]] = v;
        }
        return arg;
    }

    /** Copies of the arguments; arrays (of any element type and up to two dimensions) copied deeply. */
    public static Object[] deepCopy(Object[] args) {
        Object[] copy = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            copy[i] = deepCopy(args[i]);
        }
        return copy;
    }

    private static Object deepCopy(Object arg) {
        if (arg instanceof Object[] rows) {
            Object[] copy = rows.clone();
            for (int r = 0; r < copy.length; r++) {
                copy[r] = deepCopy(copy[r]);
            }
            return copy;
        }
        if (arg instanceof double[] a) {
            return a.clone();
        }
        if (arg instanceof int[] a) {
            return a.clone();
        }
        if (arg instanceof long[] a) {
            return a.clone();
        }
        if (arg instanceof boolean[] a) {
            return a.clone();
        }
        return arg;
    }

    /** Arrays left by a generated method must hold bit for bit what the original left in them. */
    private void assertSameArguments(Object[] expected, Object[] actual, String where) {
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != null && expected[i].getClass().isArray()
                    && !sameBits(expected[i], actual[i])) {
                fail(where + ": argument " + i + " must be left as the original method leaves it: "
                        + Arrays.deepToString(new Object[] {expected[i]}) + " but is "
                        + Arrays.deepToString(new Object[] {actual[i]}) + "\n" + generated());
            }
        }
    }

    public static boolean sameBits(Object a, Object b) {
        if (a instanceof double[] x && b instanceof double[] y) {
            if (x.length != y.length) {
                return false;
            }
            for (int k = 0; k < x.length; k++) {
                if (Double.doubleToRawLongBits(x[k]) != Double.doubleToRawLongBits(y[k])) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Object[] x && b instanceof Object[] y) {
            if (x.length != y.length) {
                return false;
            }
            for (int k = 0; k < x.length; k++) {
                if (!sameBits(x[k], y[k])) {
                    return false;
                }
            }
            return true;
        }
        return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
    }

    private static String at(Object[] args) {
        return Arrays.deepToString(args).replaceFirst("^\\[", "(").replaceFirst("]$", ")");
    }

    /** The parameter names of {@code static double method(...)} in the source text. */
    private List<String> parameterNames(String method) {
        Matcher m = Pattern.compile("\\bstatic\\s+double\\s+" + Pattern.quote(method) + "\\s*\\(([^)]*)\\)")
                .matcher(source);
        assertTrue(m.find(), "no declaration of " + method + " in the source");
        List<String> names = new ArrayList<>();
        String list = m.group(1).trim();
        if (!list.isEmpty()) {
            for (String parameter : list.split(",")) {
                String[] words = parameter.trim().split("\\s+");
                names.add(words[words.length - 1]);
            }
        }
        return names;
    }

}
