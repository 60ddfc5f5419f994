package dev.leibniz.processor.random;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Type;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Second order on random programs: the methods the random generator writes ({@link Generator}) with scalar
 * parameters get {@code hessian = true} (the helpers they call go along as written, and second order goes through
 * them; a call of a helper that returns a value and writes into its arrays is refused, and counted), are compiled under -Xlint:all (no warning but Leibniz's at a
 * parameter whose partial is always 0: {@link Harness#PROCESSOR_OPTIONS}), and at random points
 *
 * <ul>
 *   <li>column {@code k} of {@code fHessian} agrees with central differences of the generated gradient along the
 *       {@code k}-th parameter, wherever two step sizes agree (elsewhere a kink, a branch switch or a changed trip
 *       count is near, and the point proves nothing);
 *   <li>{@code fHessianVector} along a random direction returns the original's value bit for bit and the Hessian
 *       times the direction.
 * </ul>
 *
 * <p>The points avoid the exact special values the first-order harness tries (0, 1, ...): at some of them the
 * second derivative is the derivative of a first-derivative convention (documented, and not what differences see).
 * {@code -Dleibniz.random.hessianPrograms=N} checks more programs, {@code -Dleibniz.random.seed} sets the run seed.
 */
class RandomHessianTest {
    private static final int DEFAULT_PROGRAMS = 300;
    private static final int BATCH = 40;
    private static final int POINTS = 2;

    @Test
    void randomMethodsHaveHessiansThatAgreeWithDifferencesOfTheirGradients() {
        long seed = Long.getLong("leibniz.random.seed", RandomProgramTest.DEFAULT_SEED);
        int programs = Integer.getInteger("leibniz.random.hessianPrograms", DEFAULT_PROGRAMS);
        // Scalar parameters (bodies may still loop over local arrays, and call the program's helpers, which go
        // along, as written); array parameters are HessianTest's. Every double differentiated (no wrt): the checks
        // below take a direction per double parameter. Helpers returning arrays have no Hessian.
        List<Method> methods = new ArrayList<>();
        for (ScalarMethods.Found found : ScalarMethods.of(seed, programs)) {
            java.util.Map<String, Method> byName = new java.util.HashMap<>();
            found.program().methods().forEach(m -> byName.put(m.name(), m));
            methods.add(found.method());
            helpers.put(found.method().name(), callees(found.method(), byName));
        }
        List<String> failures = new ArrayList<>();
        int[] counts = new int[5]; // entries compared, inconclusive, methods, methods calling helpers, refused
        for (int from = 0; from < methods.size() && failures.size() < 5; from += BATCH) {
            check(methods.subList(from, Math.min(methods.size(), from + BATCH)), seed, counts, failures);
        }
        System.out.println("[random hessian] run seed " + seed + ": " + counts[2] + " methods (" + counts[3]
                + " calling helpers; " + counts[4] + " more refused calling helpers that return a value and write "
                + "arrays), " + counts[0]
                + " second derivatives compared with differences of the gradient (" + counts[1]
                + " inconclusive); " + failures.size() + " failures");
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures));
        }
    }

    /** Each method's helpers of its program, called directly or through each other, in the program's order. */
    private final java.util.Map<String, List<Method>> helpers = new java.util.HashMap<>();

    private static List<Method> callees(Method m, java.util.Map<String, Method> byName) {
        Set<String> found = new HashSet<>();
        List<Method> pending = new ArrayList<>(List.of(m));
        while (!pending.isEmpty()) {
            Ast.mapExprs(pending.remove(pending.size() - 1).body(), e -> {
                if (e instanceof Ast.Call c && byName.containsKey(c.function()) && found.add(c.function())) {
                    pending.add(byName.get(c.function()));
                }
                return e;
            });
        }
        return byName.values().stream().filter(h -> found.contains(h.name()) && !h.name().equals(m.name()))
                .sorted(java.util.Comparator.comparing(Method::name)).toList();
    }

    /** What second order refuses on purpose: a call of a helper that returns a value and writes into its arrays. */
    private static final String REFUSED = "second derivatives do not go through calls of methods that return a value "
            + "and write into their arrays yet";

    private void check(List<Method> methods, long seed, int[] counts, List<String> failures) {
        String simpleName = Harness.newClassName();
        StringBuilder members = new StringBuilder();
        Set<String> printed = new HashSet<>();
        for (Method m : methods) {
            printed.add(m.name());
            members.append("\n").append(Ast.print(m, "    ").replace("@Differentiable\n",
                    "@Differentiable(hessian = true)\n"));
        }
        for (Method m : methods) {
            for (Method helper : helpers.get(m.name())) {
                if (printed.add(helper.name())) {
                    members.append("\n").append(Ast.print(helper, "    "));
                }
            }
        }
        String source = Harness.classSource(simpleName, members.toString());
        Compilation c = Harness.compileSource(simpleName, source, true);
        if (!Harness.clean(c)) {
            if (methods.size() == 1) {
                if (ScalarMethods.refusedOnPurpose(c, REFUSED)) {
                    counts[4]++;
                    return;
                }
                failures.add("does not compile with hessian = true:\n" + Harness.diagnostics(c) + "\n" + source);
            } else { // find the methods that break it
                int half = methods.size() / 2;
                check(methods.subList(0, half), seed, counts, failures);
                check(methods.subList(half, methods.size()), seed, counts, failures);
            }
            return;
        }
        Harness.Loaded loaded = new Harness.Loaded(c, simpleName);
        Random random = new Random(seed ^ simpleName.hashCode());
        for (Method m : methods) {
            counts[2]++;
            counts[3] += helpers.get(m.name()).isEmpty() ? 0 : 1;
            for (int k = 0; k < POINTS; k++) {
                String failure = checkPoint(loaded, m, point(m, random), random, counts);
                if (failure != null) {
                    failures.add(failure + "\n" + Ast.print(m, "") + "\n"
                            + Harness.enclosingMethod(loaded.generatedSource,
                                    lineOf(loaded.generatedSource, " " + m.name() + "HessianVector(")));
                    break;
                }
            }
        }
    }

    private static int lineOf(String source, String text) {
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        return 1;
    }

    /** Uniform in [-2, 2], four decimals, never one of the exact special values. */
    private static Object[] point(Method m, Random random) {
        Object[] args = new Object[m.params().size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (m.params().get(i).type()) {
                case DOUBLE -> {
                    double x;
                    do {
                        x = Math.round((random.nextDouble() * 4 - 2) * 1e4) / 1e4;
                    } while (x == Math.rint(x * 2) / 2);
                    yield x;
                }
                case INT -> random.nextInt(7) - 3;
                case LONG -> (long) (random.nextInt(7) - 3);
                case BOOLEAN -> random.nextBoolean();
                default -> throw new IllegalArgumentException("array parameters are filtered out");
            };
        }
        return args;
    }

    private static String checkPoint(Harness.Loaded loaded, Method m, Object[] args, Random random, int[] counts) {
        List<Integer> doubles = doubleParameters(m);
        int n = doubles.size();
        String at = m.name() + Arrays.toString(args);
        double value;
        double[][] hessian;
        double[] product;
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = 2 * random.nextDouble() - 1;
        }
        try {
            value = (double) invoke(loaded.original, m.name(), m.params(), 0, args);
            hessian = (double[][]) invoke(loaded.gradient, m.name() + "Hessian", m.params(), 0, args);
            Object[] withDirection = Arrays.copyOf(args, args.length + n);
            for (int k = 0; k < n; k++) {
                withDirection[args.length + k] = v[k];
            }
            double[] record = scalars(invoke(loaded.gradient, m.name() + "HessianVector", m.params(), n,
                    withDirection));
            if (Double.doubleToLongBits(record[0]) != Double.doubleToLongBits(value)) {
                return at + ": fHessianVector's value " + record[0] + " is not the original's " + value;
            }
            product = Arrays.copyOfRange(record, 1, record.length);
        } catch (InvocationTargetException e) {
            return at + ": throws " + e.getCause();
        }
        if (!Double.isFinite(value)) {
            return null;
        }
        for (int j = 0; j < n; j++) {
            double byMatrix = 0;
            double scale = 1;
            for (int k = 0; k < n; k++) {
                byMatrix += hessian[j][k] * v[k];
                scale = Math.max(scale, Math.abs(hessian[j][k]));
            }
            if (Double.isFinite(byMatrix) && !(Math.abs(byMatrix - product[j]) <= 1e-9 * n * scale)) {
                return at + ": (H v)[" + j + "] = " + product[j] + " but the Hessian times v is " + byMatrix;
            }
        }
        for (int k = 0; k < n; k++) {
            int parameter = doubles.get(k);
            double x = (double) args[parameter];
            double h = 1e-4 * Math.max(1, Math.abs(x));
            double[] coarse = difference(loaded, m, args, parameter, h);
            double[] fine = difference(loaded, m, args, parameter, h / 4);
            // a third, finer step: where the gradient itself is evaluated with a rounding error far above its
            // last bit (1 - tanh(x)^2 near saturation, a difference of nearly equal numbers), the differences
            // follow that error's steps, which grow as the step shrinks, rather than the derivative
            double[] finest = difference(loaded, m, args, parameter, h / 16);
            if (coarse == null || fine == null || finest == null || !firstOrderHolds(loaded, m, args, k, h)) {
                counts[1] += n;
                continue;
            }
            for (int j = 0; j < n; j++) {
                double ad = hessian[j][k];
                double scale = Math.max(1, Math.max(Math.abs(ad), Math.abs(fine[j])));
                // the two steps agree by their own size: a huge entry of the Hessian must not make differences
                // that do not converge (sin of a huge argument) look as if they did
                double steps = Math.max(1, Math.max(Math.abs(coarse[j]), Math.abs(fine[j])));
                if (!Double.isFinite(ad) || !Double.isFinite(fine[j])
                        || !(Math.abs(coarse[j] - fine[j]) <= 1e-6 * steps)
                        || !(Math.abs(finest[j] - fine[j]) <= 1e-6 * steps)) {
                    counts[1]++;
                    continue;
                }
                counts[0]++;
                if (!(Math.abs(ad - fine[j]) <= 1e-5 * scale)) {
                    return at + ": H[" + j + "][" + k + "] = " + ad + " but differences of the gradient give "
                            + fine[j] + " (with a 4 times coarser step " + coarse[j] + ")";
                }
            }
        }
        return null;
    }

    /**
     * Whether the gradient's {@code k}-th partial agrees with central differences of the value along that parameter
     * at the point: where it does not, the first order is the first-order run's to judge, and the second proves
     * nothing (a perturbation absorbed by a sum with a huge number leaves the value flat in floating point, while
     * both the derivative of the real-number computation and its own derivative are not).
     */
    private static boolean firstOrderHolds(Harness.Loaded loaded, Method m, Object[] args, int k, double h) {
        int parameter = doubleParameters(m).get(k);
        Object[] plus = args.clone();
        Object[] minus = args.clone();
        plus[parameter] = (double) args[parameter] + h;
        minus[parameter] = (double) args[parameter] - h;
        try {
            double partial = scalars(invoke(loaded.gradient, m.name(), m.params(), 0, args))[1 + k];
            double difference = ((double) invoke(loaded.original, m.name(), m.params(), 0, plus)
                    - (double) invoke(loaded.original, m.name(), m.params(), 0, minus)) / (2 * h);
            return Double.isFinite(partial) && Double.isFinite(difference)
                    && Math.abs(partial - difference) <= 1e-4 * Math.max(1, Math.abs(partial));
        } catch (InvocationTargetException e) {
            return false;
        }
    }

    private static List<Integer> doubleParameters(Method m) {
        List<Integer> doubles = new ArrayList<>();
        for (int i = 0; i < m.params().size(); i++) {
            if (m.params().get(i).type() == Type.DOUBLE) {
                doubles.add(i);
            }
        }
        return doubles;
    }

    /** Central differences of the gradient along one parameter, or {@code null} where the gradient throws. */
    private static double[] difference(Harness.Loaded loaded, Method m, Object[] args, int parameter, double h) {
        Object[] plus = args.clone();
        Object[] minus = args.clone();
        plus[parameter] = (double) args[parameter] + h;
        minus[parameter] = (double) args[parameter] - h;
        try {
            double[] gPlus = scalars(invoke(loaded.gradient, m.name(), m.params(), 0, plus));
            double[] gMinus = scalars(invoke(loaded.gradient, m.name(), m.params(), 0, minus));
            double[] out = new double[gPlus.length - 1];
            for (int j = 0; j < out.length; j++) {
                out[j] = (gPlus[j + 1] - gMinus[j + 1]) / (2 * h);
            }
            return out;
        } catch (InvocationTargetException e) {
            return null;
        }
    }

    /** Calls {@code name} with the parameters' types and {@code extraDoubles} more doubles. */
    private static Object invoke(Class<?> owner, String name, List<Param> params, int extraDoubles, Object[] args)
            throws InvocationTargetException {
        List<Class<?>> types = new ArrayList<>();
        for (Param p : params) {
            types.add(switch (p.type()) {
                case DOUBLE -> double.class;
                case INT -> int.class;
                case LONG -> long.class;
                case BOOLEAN -> boolean.class;
                default -> throw new IllegalArgumentException("array parameters are filtered out: " + p.type());
            });
        }
        for (int i = 0; i < extraDoubles; i++) {
            types.add(double.class);
        }
        try {
            java.lang.reflect.Method method = owner.getDeclaredMethod(name, types.toArray(new Class<?>[0]));
            method.setAccessible(true);
            return method.invoke(null, args);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new AssertionError(owner.getName() + "." + name + " is missing or inaccessible", e);
        }
    }

    /** A record of doubles as an array, in component order. */
    private static double[] scalars(Object record) {
        return dev.leibniz.processor.testing.Compiled.components(record).values().stream()
                .mapToDouble(v -> (double) v).toArray();
    }
}
