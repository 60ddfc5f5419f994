package dev.leibniz.processor.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Checks a generated differential (forward mode) against the gradient a checker has just checked, so that forward
 * and reverse mode must agree wherever the reverse mode is tested: for a few seeded random tangents,
 *
 * <ul>
 *   <li>the value is bit for bit the original's;
 *   <li>the differential is {@code Σ gradient · tangent} to 1e-12 relative to {@code Σ |gradient · tangent|} (where
 *       either is NaN or infinite, both are the same: NaN, or the same infinity);
 *   <li>the caller's tangent arrays are left exactly as passed, and the parameter arrays exactly as the original
 *       method leaves them.
 * </ul>
 */
final class DifferentialCheck {
    private static final int TANGENTS = 3;
    private static final double TOLERANCE = 1e-12;

    private DifferentialCheck() {
    }

    /**
     * @param where the method and point, for messages; it seeds the tangents too
     * @param args the arguments, copied for each call
     * @param differentiated the indices of the differentiated parameters
     * @param partials the gradient with respect to each of them: a {@code Double}, {@code double[]} or
     *     {@code double[][]} shaped like the argument
     * @param argumentsAfter what the original method leaves in the arguments
     */
    static void check(Method differential, String where, Object[] args, List<Integer> differentiated,
            List<Object> partials, double value, Object[] argumentsAfter, Supplier<String> generated) {
        Random random = new Random(where.hashCode());
        for (int n = 0; n < TANGENTS; n++) {
            List<Object> tangents = new ArrayList<>();
            for (int i : differentiated) {
                tangents.add(randomLike(args[i], random));
            }
            Object[] passed = ArrayGradientCheck.deepCopy(tangents.toArray());
            Object[] callArgs = ArrayGradientCheck.deepCopy(args);
            List<Object> all = new ArrayList<>(Arrays.asList(callArgs));
            all.addAll(Arrays.asList(passed));
            Object result = Compiled.invoke(differential, all.toArray());
            String call = where + " with tangents " + Arrays.deepToString(tangents.toArray());
            for (int i = 0; i < args.length; i++) {
                if (args[i] != null && args[i].getClass().isArray()
                        && !ArrayGradientCheck.sameBits(argumentsAfter[i], callArgs[i])) {
                    fail(call + ": argument " + i + " must be left as the original leaves it: "
                            + Arrays.deepToString(new Object[] {argumentsAfter[i]}) + " but is "
                            + Arrays.deepToString(new Object[] {callArgs[i]}) + "\n" + generated.get());
                }
            }
            for (int k = 0; k < tangents.size(); k++) {
                if (!ArrayGradientCheck.sameBits(tangents.get(k), passed[k])) {
                    fail(call + ": the differential must not write the caller's tangents, but left "
                            + Arrays.deepToString(new Object[] {passed[k]}) + "\n" + generated.get());
                }
            }
            var components = Compiled.components(result);
            GradientCheck.assertSameDouble(value, (double) components.get("value"),
                    call + ": the differential's value must equal the original method's");
            double expected = 0;
            double scale = 0;
            for (int k = 0; k < tangents.size(); k++) {
                double[] products = products(partials.get(k), tangents.get(k));
                for (double p : products) {
                    expected += p;
                    scale += Math.abs(p);
                }
            }
            double actual = (double) components.get("differential");
            boolean agree = Double.isFinite(expected) && Double.isFinite(actual)
                    ? Math.abs(actual - expected) <= TOLERANCE * scale
                    : Double.compare(actual, expected) == 0 || Double.isNaN(actual) && Double.isNaN(expected);
            if (!agree) {
                fail(call + ": the differential is " + actual + " but gradient . tangents = " + expected
                        + " (gradient " + Arrays.deepToString(partials.toArray()) + ")\n" + generated.get());
            }
        }
    }

    /** A tangent of the argument's shape, elements uniform in [-1, 1). */
    private static Object randomLike(Object arg, Random random) {
        if (arg instanceof double[] a) {
            double[] t = new double[a.length];
            Arrays.setAll(t, i -> 2 * random.nextDouble() - 1);
            return t;
        }
        if (arg instanceof double[][] m) {
            double[][] t = new double[m.length][];
            for (int r = 0; r < m.length; r++) {
                t[r] = m[r] == null ? null : (double[]) randomLike(m[r], random);
            }
            return t;
        }
        return 2 * random.nextDouble() - 1;
    }

    /** The products partial · tangent, element by element. */
    private static double[] products(Object partial, Object tangent) {
        if (partial instanceof double[] g) {
            double[] t = (double[]) tangent;
            double[] p = new double[g.length];
            Arrays.setAll(p, i -> g[i] * t[i]);
            return p;
        }
        if (partial instanceof double[][] g) {
            double[][] t = (double[][]) tangent;
            List<Double> p = new ArrayList<>();
            for (int r = 0; r < g.length; r++) {
                for (double v : products(g[r], t[r])) {
                    p.add(v);
                }
            }
            return p.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new double[] {(double) partial * (double) tangent};
    }
}
