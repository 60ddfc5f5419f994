package dev.leibniz.processor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Checks the in-place forms of a method that writes into its array parameters (or returns void) against the
 * original, through the scalar {@code L = seed * f(args) + Σ_out <out after the call, u_out>} for random cotangents
 * {@code u} of the written arrays:
 *
 * <ul>
 *   <li>the pullback ({@code fPullback} of a void method, {@code fPullbackInPlace} of another), given each written
 *       array's cotangent in its shadow and a prefilled buffer for every other array, returns the value bit for bit,
 *       leaves the arrays as the original leaves them, hands back in each written array's shadow the partials of
 *       {@code L} with respect to the contents passed in, adds those of the other arrays into their buffers, and
 *       returns those of the scalars; every partial agrees with central differences of {@code L};
 *   <li>the differential ({@code fDifferential} / {@code fDifferentialInPlace}) along random tangents leaves in each
 *       written array's tangent the directional derivative of the array the original leaves, and returns the value
 *       and the directional derivative of the value for a method that has one.
 * </ul>
 *
 * <p>Arguments are {@code double}, {@code int}, {@code double[]} or {@code double[][]}; every {@code double} array
 * and number is differentiated (no {@code wrt}); {@code written} names the indices of the arrays the method writes.
 */
public final class InPlaceCheck {
    private static final double SEED = -1.5;
    private final Compiled compiled;
    private final String className;

    public InPlaceCheck(Compiled compiled, String className) {
        this.compiled = compiled;
        this.className = className;
    }

    public void check(String name, boolean returnsVoid, List<Integer> written, Object... args) {
        Method original = compiled.method(className, name);
        Random random = new Random(name.hashCode());
        Object[] cotangents = new Object[args.length];
        for (int i : written) {
            cotangents[i] = randomLike(args[i], random);
        }
        double seed = returnsVoid ? 0 : SEED;

        // the original, for the value and the arrays it leaves
        Object[] expectedArgs = ArrayGradientCheck.deepCopy(args);
        Object value = Compiled.invoke(original, expectedArgs);

        // the pullback: arguments, seed, then a shadow per array parameter
        List<Object> call = new ArrayList<>(List.of(ArrayGradientCheck.deepCopy(args)));
        if (!returnsVoid) {
            call.add(seed);
        }
        List<Integer> arrays = new ArrayList<>();
        List<Object> prefilled = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof double[] || args[i] instanceof double[][]) {
                arrays.add(i);
                Object shadow = written.contains(i) ? copy(cotangents[i]) : randomLike(args[i], random);
                prefilled.add(copy(shadow));
                call.add(shadow);
            }
        }
        Object[] pullbackArgs = call.toArray();
        Object[] passed = java.util.Arrays.copyOf(pullbackArgs, args.length);
        Object result = Compiled.invoke(compiled.method(className + "Gradient",
                name + "Pullback" + (returnsVoid ? "" : "InPlace")), pullbackArgs);
        for (int i : arrays) {
            assertTrue(ArrayGradientCheck.sameBits(expectedArgs[i], passed[i]),
                    name + ": the pullback must leave argument " + i + " as the original does");
        }
        Map<String, Object> record = result == null || result instanceof Double ? Map.of()
                : Compiled.components(result);
        if (!returnsVoid) {
            double got = result instanceof Double d ? d : (double) record.get("value");
            assertEquals((double) value, got, 0.0, name + ": the pullback's value");
        }
        int shadowStart = args.length + (returnsVoid ? 0 : 1);
        // the record: the value (unless void), then a component per differentiated parameter, in order
        List<Object> components = new ArrayList<>(record.values()).subList(returnsVoid ? 0 : 1, record.size())
                .stream().filter(c -> c instanceof Double).toList();
        int scalarComponent = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Double) {
                double fd = centralDifference(original, args, cotangents, seed, i, null);
                double ad = (double) components.get(scalarComponent++);
                assertClose(fd, ad, name + ": the adjoint of argument " + i);
            } else if (arrays.contains(i)) {
                Object shadow = pullbackArgs[shadowStart + arrays.indexOf(i)];
                Object before = prefilled.get(arrays.indexOf(i));
                for (int[] at : Elements.of(args[i])) {
                    double fd = centralDifference(original, args, cotangents, seed, i, at);
                    double ad = Elements.get(shadow, at) - (written.contains(i) ? 0 : Elements.get(before, at));
                    assertClose(fd, ad, name + ": the adjoint of argument " + i + " at "
                            + java.util.Arrays.toString(at) + (written.contains(i) ? " (in place)" : " (added)"));
                }
            }
        }

        // the differential: arguments, then a tangent per differentiated parameter
        List<Object> tangents = new ArrayList<>();
        for (Object arg : args) {
            if (arg instanceof Double) {
                tangents.add(random.nextDouble() - 0.5);
            } else if (arg instanceof double[] || arg instanceof double[][]) {
                tangents.add(randomLike(arg, random));
            }
        }
        List<Object> differentialCall = new ArrayList<>(List.of(ArrayGradientCheck.deepCopy(args)));
        differentialCall.addAll(tangents.stream().map(InPlaceCheck::copy).toList());
        Object[] differentialArgs = differentialCall.toArray();
        Object differential = Compiled.invoke(compiled.method(className + "Gradient",
                name + "Differential" + (returnsVoid ? "" : "InPlace")), differentialArgs);
        double h = 1e-6;
        Object[] plus = along(args, tangents, h);
        Object[] minus = along(args, tangents, -h);
        Object valuePlus = Compiled.invoke(original, plus);
        Object valueMinus = Compiled.invoke(original, minus);
        if (!returnsVoid) {
            dev.leibniz.Differential d = (dev.leibniz.Differential) differential;
            assertEquals((double) value, d.value(), 0.0, name + ": the differential's value");
            assertClose(((double) valuePlus - (double) valueMinus) / (2 * h), d.differential(),
                    name + ": the differential");
        }
        int t = args.length;
        for (int i = 0; i < args.length; i++) {
            if (!(args[i] instanceof Double || arrays.contains(i))) {
                continue;
            }
            if (written.contains(i)) {
                for (int[] at : Elements.of(args[i])) {
                    double fd = (Elements.get(plus[i], at) - Elements.get(minus[i], at)) / (2 * h);
                    assertClose(fd, Elements.get(differentialArgs[t], at), name + ": the tangent of written argument "
                            + i + " at " + java.util.Arrays.toString(at));
                }
            }
            t++;
        }
    }

    private static Object[] along(Object[] args, List<Object> tangents, double h) {
        Object[] moved = ArrayGradientCheck.deepCopy(args);
        int t = 0;
        for (int i = 0; i < moved.length; i++) {
            if (moved[i] instanceof Double x) {
                moved[i] = x + h * (double) tangents.get(t++);
            } else if (moved[i] instanceof double[] || moved[i] instanceof double[][]) {
                Object tangent = tangents.get(t++);
                for (int[] at : Elements.of(moved[i])) {
                    Elements.set(moved[i], at, Elements.get(moved[i], at) + h * Elements.get(tangent, at));
                }
            }
        }
        return moved;
    }

    /** Central difference of L along one number of the arguments (an element, or a scalar when at is null). */
    private double centralDifference(Method original, Object[] args, Object[] cotangents, double seed, int i,
            int[] at) {
        double h = 1e-6;
        return (objective(original, args, cotangents, seed, i, at, h)
                - objective(original, args, cotangents, seed, i, at, -h)) / (2 * h);
    }

    private static double objective(Method original, Object[] args, Object[] cotangents, double seed, int i, int[] at,
            double h) {
        Object[] moved = ArrayGradientCheck.deepCopy(args);
        if (at == null) {
            moved[i] = (double) moved[i] + h;
        } else {
            Elements.set(moved[i], at, Elements.get(moved[i], at) + h);
        }
        Object value = Compiled.invoke(original, moved);
        double l = value instanceof Double d ? seed * d : 0;
        for (int k = 0; k < args.length; k++) {
            if (cotangents[k] != null) {
                for (int[] index : Elements.of(moved[k])) {
                    l += Elements.get(moved[k], index) * Elements.get(cotangents[k], index);
                }
            }
        }
        return l;
    }

    private static void assertClose(double expected, double actual, String message) {
        assertEquals(expected, actual, 1e-6 * Math.max(1, Math.abs(expected)), message);
    }

    private static Object randomLike(Object array, Random random) {
        Object out = copy(array);
        for (int[] at : Elements.of(out)) {
            Elements.set(out, at, Math.round((random.nextDouble() * 2 - 1) * 100) / 100.0);
        }
        return out;
    }

    private static Object copy(Object array) {
        return ArrayGradientCheck.deepCopy(new Object[] {array})[0];
    }
}
