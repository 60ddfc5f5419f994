package dev.leibniz.processor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.leibniz.Tape;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks the second-order forms of a method with {@code hessian = true} against its generated gradient, whose own
 * checkers vouch for it against the original:
 *
 * <ul>
 *   <li>{@code fHessian} is {@code n × n} for {@code n} differentiated scalars and elements, symmetric up to
 *       rounding, and row {@code k} agrees with Richardson-extrapolated central differences of the gradient along the
 *       {@code k}-th unit vector;
 *   <li>{@code fHessianVector} along random directions returns the original's value bit for bit, agrees with the
 *       matrix times the direction and with central differences of the gradient along the direction,
 *       {@code (∇f(x + hv) − ∇f(x − hv)) / 2h}, and leaves the direction arrays alone;
 *   <li>{@code fHessianVectorAccumulate}, when there is one, adds exactly the record's {@code H·v} into buffers that
 *       already hold something, and returns the value, beside the record's {@code H·v} for the scalars bit for bit
 *       when scalars are differentiated, twice on one tape;
 *   <li>every form leaves the arguments exactly as the original leaves them.
 * </ul>
 *
 * <p>Vectors are flattened like the Hessian: the differentiated parameters in order, an array's elements in turn,
 * a matrix row by row.
 */
public final class HessianCheck {
    private final Compiled compiled;
    private final String className;
    private final int[] wrt;
    private final double step;

    public HessianCheck(Compiled compiled, String className) {
        this(compiled, className, null, 1e-3);
    }

    private HessianCheck(Compiled compiled, String className, int[] wrt, double step) {
        this.compiled = compiled;
        this.className = className;
        this.wrt = wrt;
        this.step = step;
    }

    /** The indices of the differentiated parameters, when {@code wrt} leaves some out. */
    public HessianCheck wrt(int... indices) {
        return new HessianCheck(compiled, className, indices.clone(), step);
    }

    /**
     * Another finite-difference step: {@code step * max(1, |x|)} (default 1e-3), for functions whose higher
     * derivatives are large enough to spoil the extrapolated differences.
     */
    public HessianCheck step(double relative) {
        return new HessianCheck(compiled, className, wrt, relative);
    }

    /** Checks every form at {@code args} and returns the Hessian. */
    public double[][] check(String method, Object... args) {
        Method original = compiled.method(className, method);
        Object[] afterOriginal = ArrayGradientCheck.deepCopy(args);
        double value = (double) Compiled.invoke(original, afterOriginal);
        int[] differentiated = differentiated(original);
        int n = flatten(args, differentiated).length;

        Object[] hessianArgs = ArrayGradientCheck.deepCopy(args);
        double[][] hessian = hessian(method, hessianArgs);
        assertSameArguments(afterOriginal, hessianArgs, method + "Hessian");
        assertEquals(n, hessian.length, method + "Hessian: one row per differentiated scalar or element");
        double scale = 1;
        for (double[] row : hessian) {
            assertEquals(n, row.length, method + "Hessian: square");
            for (double h : row) {
                scale = Math.max(scale, Math.abs(h));
            }
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                if (!(Math.abs(hessian[j][k] - hessian[k][j]) <= 1e-9 * scale)) {
                    fail(method + Arrays.toString(args) + ": H[" + j + "][" + k + "] = " + hessian[j][k] + " but H["
                            + k + "][" + j + "] = " + hessian[k][j] + "\n" + source());
                }
            }
        }
        for (int k = 0; k < n; k++) {
            double[] unit = new double[n];
            unit[k] = 1;
            assertClose(differenceOfGradient(method, args, differentiated, unit), hessian[k],
                    method + Arrays.toString(args) + ": row " + k + " against differences of the gradient");
        }

        Random random = new Random(Arrays.deepHashCode(args) * 31L + method.hashCode());
        for (int trial = 0; trial < 2; trial++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = 2 * random.nextDouble() - 1;
            }
            Object[] vectorArgs = ArrayGradientCheck.deepCopy(args);
            Object[] record = hessianVectorRecord(method, vectorArgs, differentiated, v);
            assertSameArguments(afterOriginal, vectorArgs, method + "HessianVector");
            assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits((double) record[0]),
                    method + "HessianVector: the value must be the original's, bit for bit");
            double[] product = flatten(Arrays.copyOfRange(record, 1, record.length));
            double[] byMatrix = new double[n];
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    byMatrix[j] += hessian[j][k] * v[k];
                }
            }
            for (int j = 0; j < n; j++) {
                double tol = 1e-9 * Math.max(1, Math.abs(byMatrix[j]) + n * scale);
                assertEquals(byMatrix[j], product[j], tol, method + "HessianVector: component " + j + " against H * v");
            }
            assertClose(differenceOfGradient(method, args, differentiated, v), product,
                    method + Arrays.toString(args) + ": H*v against differences of the gradient along v");
            checkAccumulate(method, args, differentiated, v, record, value, afterOriginal);
        }
        return hessian;
    }

    /** The Hessian, row by row. */
    public double[][] hessian(String method, Object... args) {
        return (double[][]) Compiled.invoke(generated(method + "Hessian"), args);
    }

    /** {@code H·v}, flattened, for a flattened direction. */
    public double[] hessianVector(String method, Object[] args, double[] v) {
        Method original = compiled.method(className, method);
        Object[] record = hessianVectorRecord(method, ArrayGradientCheck.deepCopy(args), differentiated(original), v);
        return flatten(Arrays.copyOfRange(record, 1, record.length));
    }

    /** The value, then {@code H·v} per differentiated parameter. */
    private Object[] hessianVectorRecord(String method, Object[] args, int[] differentiated, double[] v) {
        Object[] directions = unflatten(args, differentiated, v);
        Object[] all = Arrays.copyOf(args, args.length + differentiated.length);
        System.arraycopy(directions, 0, all, args.length, directions.length);
        Object[] before = ArrayGradientCheck.deepCopy(directions);
        Map<String, Object> components = Compiled.components(Compiled.invoke(generated(method + "HessianVector"), all));
        assertArrayEquals(before, directions, method + "HessianVector must only read the directions");
        return components.values().toArray();
    }

    /** The accumulate form adds the record's {@code H·v} into buffers and returns the scalars', on one tape called twice. */
    private void checkAccumulate(String method, Object[] args, int[] differentiated, double[] v, Object[] record,
            double value, Object[] afterOriginal) {
        Method accumulate = null;
        for (Method m : compiled.load(className + "Gradient").getDeclaredMethods()) {
            if (m.getName().equals(method + "HessianVectorAccumulate")) {
                accumulate = m;
                accumulate.setAccessible(true);
            }
        }
        List<Integer> arrays = new ArrayList<>();
        for (int k = 0; k < differentiated.length; k++) {
            if (!(args[differentiated[k]] instanceof Double)) {
                arrays.add(k);
            }
        }
        if (accumulate == null) {
            assertEquals(List.of(), arrays, method + "HessianVectorAccumulate must exist for array parameters");
            return;
        }
        // H*v for the scalars, which the accumulate form returns beside the value
        RecordComponent[] components = generated(method + "HessianVector").getReturnType().getRecordComponents();
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (int k = 0; k < differentiated.length; k++) {
            if (!arrays.contains(k)) {
                scalars.put(components[1 + k].getName(), (double) record[1 + k]);
            }
        }
        Tape tape = new Tape();
        for (int call = 0; call < 2; call++) {
            Object[] callArgs = ArrayGradientCheck.deepCopy(args);
            List<Object> all = new ArrayList<>(Arrays.asList(callArgs));
            all.addAll(Arrays.asList(unflatten(args, differentiated, v)));
            List<Object> buffers = new ArrayList<>();
            for (int k : arrays) {
                Object buffer = ones(args[differentiated[k]]);
                buffers.add(buffer);
                all.add(buffer);
            }
            all.add(tape);
            Object returned = Compiled.invoke(accumulate, all.toArray());
            ArrayGradientCheck.assertAccumulateResult(accumulate, returned, value, scalars,
                    method + "HessianVectorAccumulate");
            assertSameArguments(afterOriginal, callArgs, method + "HessianVectorAccumulate");
            for (int b = 0; b < buffers.size(); b++) {
                double[] added = flatten(new Object[] {buffers.get(b)});
                double[] expected = flatten(new Object[] {record[1 + arrays.get(b)]});
                for (int i = 0; i < added.length; i++) {
                    assertEquals(1 + expected[i], added[i], 1e-12 * Math.max(1, Math.abs(expected[i])),
                            method + "HessianVectorAccumulate adds H*v into the buffer");
                }
            }
        }
    }

    private static Object ones(Object like) {
        Object copy = ArrayGradientCheck.deepCopy(new Object[] {like})[0];
        if (copy instanceof double[] a) {
            Arrays.fill(a, 1.0);
        } else {
            for (double[] row : (double[][]) copy) {
                Arrays.fill(row, 1.0);
            }
        }
        return copy;
    }

    /**
     * {@code (∇f(x + hv) − ∇f(x − hv)) / 2h}, Richardson-extrapolated, from the generated gradient: the derivative of
     * the gradient along {@code v}.
     */
    private double[] differenceOfGradient(String method, Object[] args, int[] differentiated, double[] v) {
        double[] x = flatten(args, differentiated);
        double size = 1;
        for (double xi : x) {
            size = Math.max(size, Math.abs(xi));
        }
        double h = step * size;
        double[] coarse = difference(method, args, differentiated, x, v, h);
        double[] fine = difference(method, args, differentiated, x, v, h / 2);
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (4 * fine[i] - coarse[i]) / 3;
        }
        return out;
    }

    private double[] difference(String method, Object[] args, int[] differentiated, double[] x, double[] v,
            double h) {
        double[] plus = new double[x.length];
        double[] minus = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            plus[i] = x[i] + h * v[i];
            minus[i] = x[i] - h * v[i];
        }
        double[] gPlus = gradient(method, with(args, differentiated, plus));
        double[] gMinus = gradient(method, with(args, differentiated, minus));
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (gPlus[i] - gMinus[i]) / (2 * h);
        }
        return out;
    }

    /** The generated gradient, flattened. */
    private double[] gradient(String method, Object[] args) {
        Object[] components = Compiled.components(Compiled.invoke(generated(method), args)).values().toArray();
        return flatten(Arrays.copyOfRange(components, 1, components.length));
    }

    private void assertClose(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1.0, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
            if (!(Math.abs(expected[i] - actual[i]) <= 1e-6 * scale)) {
                fail(what + ": component " + i + " is " + actual[i] + " but differences give " + expected[i] + "\n"
                        + source());
            }
        }
    }

    private int[] differentiated(Method original) {
        if (wrt != null) {
            return wrt.clone();
        }
        List<Integer> out = new ArrayList<>();
        Class<?>[] types = original.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == double.class || types[i] == double[].class || types[i] == double[][].class) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The differentiated arguments as one vector. */
    private static double[] flatten(Object[] args, int[] differentiated) {
        Object[] chosen = new Object[differentiated.length];
        for (int k = 0; k < differentiated.length; k++) {
            chosen[k] = args[differentiated[k]];
        }
        return flatten(chosen);
    }

    private static double[] flatten(Object[] values) {
        List<Double> out = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Double d) {
                out.add(d);
            } else if (value instanceof double[] a) {
                Arrays.stream(a).forEach(out::add);
            } else {
                for (double[] row : (double[][]) value) {
                    Arrays.stream(row).forEach(out::add);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A vector in the shapes of the differentiated arguments, one value per differentiated parameter. */
    private static Object[] unflatten(Object[] args, int[] differentiated, double[] flat) {
        Object[] out = new Object[differentiated.length];
        int at = 0;
        for (int k = 0; k < differentiated.length; k++) {
            Object like = args[differentiated[k]];
            if (like instanceof Double) {
                out[k] = flat[at++];
            } else if (like instanceof double[] a) {
                out[k] = Arrays.copyOfRange(flat, at, at + a.length);
                at += a.length;
            } else {
                double[][] m = (double[][]) like;
                double[][] rows = new double[m.length][];
                for (int r = 0; r < m.length; r++) {
                    rows[r] = Arrays.copyOfRange(flat, at, at + m[r].length);
                    at += m[r].length;
                }
                out[k] = rows;
            }
        }
        return out;
    }

    /** Copies of the arguments with the differentiated ones set from {@code flat}. */
    private static Object[] with(Object[] args, int[] differentiated, double[] flat) {
        Object[] copy = ArrayGradientCheck.deepCopy(args);
        Object[] values = unflatten(args, differentiated, flat);
        for (int k = 0; k < differentiated.length; k++) {
            copy[differentiated[k]] = values[k];
        }
        return copy;
    }

    private static void assertSameArguments(Object[] expected, Object[] actual, String form) {
        assertArrayEquals(expected, actual, form + " must leave the arguments exactly as the original does");
    }

    private Method generated(String name) {
        return compiled.method(className + "Gradient", name);
    }

    private String source() {
        return compiled.generatedSource(className + "Gradient");
    }
}
