package dev.leibniz.processor.random;

import dev.leibniz.Tape;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.processor.random.Harness.Failure;
import dev.leibniz.processor.random.Harness.Kind;
import dev.leibniz.processor.random.Harness.Loaded;
import dev.leibniz.processor.random.Harness.Stats;
import dev.leibniz.processor.testing.Elements;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Calls with aliased array arguments ({@link Generator#ALIASED_CALLS}): two {@code double[]} parameters bound to
 * one array ({@code f(x, x)}), or two {@code double[][]} parameters to one matrix or to matrices sharing their first
 * row. The original is the reference:
 * <ul>
 *   <li>where the original writes the shared storage, every generated form must refuse the call with an
 *       {@link IllegalArgumentException} naming both parameters;
 *   <li>where the method only reads it (statically: it writes no array it was given), no form may refuse: the value
 *       is the original's bit for bit, the arguments are left as the original leaves them, and the partials of the
 *       two parameters at a shared element add up to the central differences along that element;
 *   <li>in between (the method may write, but this call left the shared array as it was), refusing is allowed.
 * </ul>
 */
final class Aliasing {
    private Aliasing() {
    }

    static Failure check(Loaded loaded, Program p, Method m, Map<String, Object> point, Random random, Stats stats) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < m.params().size(); i++) {
            for (int j = i + 1; j < m.params().size(); j++) {
                Type t = m.params().get(i).type();
                if ((t == Type.DOUBLE_ARRAY || t == Type.DOUBLE_MATRIX) && m.params().get(j).type() == t) {
                    pairs.add(new int[] {i, j});
                }
            }
        }
        if (pairs.isEmpty()) {
            return null;
        }
        Object[] given = point.values().toArray();
        int[] pair = null;
        boolean wholeMatrix = true;
        for (int[] q : pairs) {
            // a point that shares already (the shrinker's, from a failure) keeps its sharing
            if (given[q[0]] == given[q[1]] || given[q[0]] instanceof double[][] a && given[q[1]] instanceof double[][] b
                    && a.length > 0 && b.length > 0 && a[0] == b[0]) {
                pair = q;
                wholeMatrix = given[q[0]] == given[q[1]];
            }
        }
        Object[] args;
        if (pair != null) {
            args = copy(given);
        } else {
            pair = pairs.get(random.nextInt(pairs.size()));
            args = Harness.copyArgs(given);
            if (m.params().get(pair[0]).type() == Type.DOUBLE_ARRAY || random.nextBoolean()) {
                args[pair[1]] = args[pair[0]];
            } else {
                wholeMatrix = false;
                ((double[][]) args[pair[1]])[0] = ((double[][]) args[pair[0]])[0];
            }
        }
        Param first = m.params().get(pair[0]);
        Param second = m.params().get(pair[1]);
        Map<String, Object> at = new LinkedHashMap<>();
        for (int k = 0; k < args.length; k++) {
            at.put(m.params().get(k).name(), args[k]);
        }
        String sharing = first.name() + " and " + second.name() + (wholeMatrix ? " are one array" : " share row 0");
        stats.aliasedPoints.incrementAndGet();

        List<Class<?>> types = Harness.types(m.params());
        java.lang.reflect.Method original = Harness.find(loaded.original, m.name(), types);
        java.lang.reflect.Method gradient = Harness.find(loaded.gradient, m.name(), types);
        Object[] originalArgs = copy(args);
        Object value;
        try {
            value = original.invoke(null, originalArgs);
        } catch (InvocationTargetException | IllegalArgumentException e) {
            return null; // the original throws on this sharing (or the shrinker's point does not fit): nothing to compare
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        boolean writes = !Arrays.deepEquals(new Object[] {args[pair[0]]}, new Object[] {originalArgs[pair[0]]});
        boolean mayWrite = writesArrays(m);
        String source = Harness.pullbackSource(loaded.generatedSource, m.name());

        Object[] gradientArgs = copy(args);
        Object record;
        try {
            record = gradient.invoke(null, gradientArgs);
        } catch (InvocationTargetException e) {
            return refusal(e.getCause(), mayWrite, p, m, at, sharing, first, second, stats, source);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        if (writes) {
            return new Failure(Kind.WRONG_SIDE_EFFECT, p, m.name(), at, "aliased write not refused",
                    "with " + sharing + ", which the original writes, the gradient does not refuse the call", source);
        }
        Object[] grad = Harness.components(record);
        if (!Harness.same((double) value, (double) grad[0])) {
            return new Failure(Kind.WRONG_VALUE, p, m.name(), at, "aliased value", "with " + sharing
                    + ", the original returns " + value + " but the gradient's value is " + grad[0], source);
        }
        if (!Arrays.deepEquals(originalArgs, gradientArgs)) {
            return new Failure(Kind.WRONG_SIDE_EFFECT, p, m.name(), at, "aliased arguments", "with " + sharing
                    + ", the gradient leaves the arguments " + Harness.formatValue(gradientArgs) + ", the original "
                    + Harness.formatValue(originalArgs), source);
        }
        Failure pullback = otherForms(loaded, m, args, types, mayWrite, p, at, sharing, first, second, stats, source);
        if (pullback != null) {
            return pullback;
        }
        List<Param> differentiated = m.differentiated();
        int ci = differentiated.indexOf(first);
        int cj = differentiated.indexOf(second);
        if (ci < 0 || cj < 0 || !Double.isFinite((double) value)) {
            return null;
        }
        // the rules of Harness.checkPoint: no derivative compared where the original overflows or meets a singularity
        Harness.Sampler sampler = new Harness.Sampler(loaded, original, types, m.name());
        sampler.start(copy(args));
        if (sampler.overflows || sampler.singular || sampler.cancels) {
            (sampler.overflows ? stats.skippedPoints : sampler.singular ? stats.singularPoints
                    : stats.cancelledPoints).incrementAndGet();
            return null;
        }
        for (int[] element : sharedElements(args[pair[0]], wholeMatrix)) {
            double ad = Elements.get(grad[ci + 1], element) + Elements.get(grad[cj + 1], element);
            double x = Elements.get(args[pair[0]], element);
            double scale = Math.max(1, Math.abs(x));
            double coarse = richardson(original, args, pair[0], element, Harness.COARSE_STEP * scale);
            double fine = richardson(original, args, pair[0], element, Harness.FINE_STEP * scale);
            if (!Double.isFinite(coarse) || !Double.isFinite(fine) || !Harness.agree(coarse, fine, (double) value)) {
                stats.inconclusive.incrementAndGet();
                continue;
            }
            if (!Harness.close(ad, coarse, (double) value) && !Harness.close(ad, fine, (double) value)) {
                // as in Harness.checkPoint: a branch taken only at x, a gradient that jumps around beside x (a
                // function oscillating faster than the steps resolve), or a number next to a huge value
                double[] beside = new double[2];
                for (int side = 0; side < 2; side++) {
                    beside[side] = aliasedPartial(gradient, args, pair[0], element,
                            x + (side == 0 ? 1 : -1) * Harness.ISOLATED_STEP * scale, ci, cj);
                }
                if (Harness.close(beside[0], coarse, (double) value) || Harness.close(beside[1], coarse, (double) value)) {
                    stats.isolated.incrementAndGet();
                    continue;
                }
                if (!Harness.consistent(ad, beside[0]) || !Harness.consistent(ad, beside[1])
                        || Math.abs((double) value) > Harness.ABSORBING) {
                    stats.inconclusive.incrementAndGet();
                    continue;
                }
                return new Failure(Kind.WRONG_DERIVATIVE, p, m.name(), at, "aliased derivative", "with " + sharing
                        + ", at element " + Arrays.toString(element) + " the partials add up to " + ad
                        + " but finite differences give " + coarse + " and " + fine + "; gradient "
                        + Harness.formatValue(grad), source);
            }
            stats.partials.incrementAndGet();
        }
        return null;
    }

    /** The pullback and the accumulate form: they refuse the same calls, or give the record's value. */
    private static Failure otherForms(Loaded loaded, Method m, Object[] args, List<Class<?>> types, boolean mayWrite,
            Program p, Map<String, Object> at, String sharing, Param first, Param second, Stats stats,
            String source) {
        List<Param> shadows = m.differentiated().stream().filter(q -> q.type().isArray()).toList();
        List<Class<?>> pullbackTypes = new ArrayList<>(types);
        pullbackTypes.add(double.class);
        pullbackTypes.addAll(Harness.types(shadows));
        List<Class<?>> accumulateTypes = new ArrayList<>(types);
        accumulateTypes.addAll(Harness.types(shadows));
        accumulateTypes.add(Tape.class);
        java.lang.reflect.Method pullback = Harness.find(loaded.gradient, m.name() + "Pullback", pullbackTypes);
        java.lang.reflect.Method accumulate = shadows.isEmpty() ? null
                : Harness.find(loaded.gradient, m.name() + "Accumulate", accumulateTypes);
        for (java.lang.reflect.Method form : new java.lang.reflect.Method[] {pullback, accumulate}) {
            if (form == null) {
                continue;
            }
            Object[] copies = copy(args);
            List<Object> all = new ArrayList<>(Arrays.asList(copies));
            if (form == pullback) {
                all.add(1.0);
            }
            for (Param q : shadows) {
                all.add(zerosLike(copies[m.params().indexOf(q)]));
            }
            if (form == accumulate) {
                all.add(new Tape());
            }
            try {
                form.invoke(null, all.toArray());
            } catch (InvocationTargetException e) {
                Failure f = refusal(e.getCause(), mayWrite, p, m, at, sharing, first, second, stats, source);
                if (f != null) {
                    return new Failure(f.kind(), f.program(), f.method(), f.args(), f.key(), form.getName() + ": "
                            + f.detail(), source);
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return null;
    }

    /** An exception from a generated form: a refusal where the method may write, naming both; else a failure. */
    private static Failure refusal(Throwable thrown, boolean mayWrite, Program p, Method m, Map<String, Object> at,
            String sharing, Param first, Param second, Stats stats, String source) {
        if (thrown instanceof IllegalArgumentException && mayWrite) {
            String message = String.valueOf(thrown.getMessage());
            if (!message.contains(first.name()) || !message.contains(second.name())) {
                return new Failure(Kind.GRADIENT_THREW, p, m.name(), at, "aliasing refusal unnamed", "with " + sharing
                        + ", the refusal does not name both parameters: " + thrown, source);
            }
            stats.aliasedRefused.incrementAndGet();
            return null;
        }
        return new Failure(Kind.GRADIENT_THREW, p, m.name(), at, "aliased " + thrown.getClass().getName(), "with "
                + sharing + (mayWrite ? "" : ", which the method only reads,") + " a generated form throws " + thrown
                + Harness.stackTop(thrown), source);
    }

    /**
     * Whether the method may write an array it was given: an element write, or a call that writes ({@code scale},
     * {@code tick}, {@code System.arraycopy}, {@code Arrays.fill}), through a parameter or a name bound to one (an
     * alias, a row, an enhanced for's row), flow-insensitively.
     */
    static boolean writesArrays(Method m) {
        java.util.Set<String> bound = new java.util.HashSet<>();
        m.params().stream().filter(q -> q.type().isArray()).forEach(q -> bound.add(q.name()));
        List<Ast.Stmt> all = new ArrayList<>();
        walk(m.body(), all::add);
        for (int round = 0; round < all.size() + 1; round++) {
            int before = bound.size();
            for (Ast.Stmt s : all) {
                if (s instanceof Ast.Decl d && d.init() != null && d.init().type().isArray()
                        && bound.contains(root(d.init()))) {
                    bound.add(d.name());
                } else if (s instanceof Ast.Assign a && a.value().type().isArray() && bound.contains(root(a.value()))) {
                    bound.add(a.name());
                } else if (s instanceof Ast.ForEach f && f.type().isArray() && bound.contains(root(f.array()))) {
                    bound.add(f.name());
                }
            }
            if (bound.size() == before) {
                break;
            }
        }
        for (Ast.Stmt s : all) {
            if (s instanceof Ast.Store st && bound.contains(root(st.array()))) {
                return true;
            }
            if (s instanceof Ast.Eval ev && Ast.unmark(ev.call()) instanceof Ast.Call c) {
                int target = c.function().endsWith("arraycopy") ? 2 : 0;
                if (c.args().size() > target && bound.contains(root(c.args().get(target)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The variable an array expression reads: {@code a} for {@code a}, {@code m[i]}; null for anything else. */
    private static String root(Ast.Expr e) {
        e = Ast.unmark(e);
        if (e instanceof Ast.Var v) {
            return v.name();
        }
        if (e instanceof Ast.Index i) {
            return root(i.array());
        }
        if (e instanceof Ast.Paren p) {
            return root(p.inner());
        }
        return null;
    }

    private static void walk(List<Ast.Stmt> body, java.util.function.Consumer<Ast.Stmt> visit) {
        for (Ast.Stmt s : body) {
            visit.accept(s);
            for (List<Ast.Stmt> b : Ast.bodies(s)) {
                walk(b, visit);
            }
            if (s instanceof Ast.For f) {
                visit.accept(f.update());
            }
        }
    }

    /** A deep copy that keeps the sharing between the arguments (and between rows). */
    static Object[] copy(Object[] args) {
        Map<Object, Object> copies = new IdentityHashMap<>();
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = copy(args[i], copies);
        }
        return out;
    }

    private static Object copy(Object v, Map<Object, Object> copies) {
        if (v == null || !v.getClass().isArray()) {
            return v;
        }
        Object done = copies.get(v);
        if (done != null) {
            return done;
        }
        Object out;
        if (v instanceof double[][] m) {
            double[][] rows = new double[m.length][];
            copies.put(v, rows);
            for (int r = 0; r < m.length; r++) {
                rows[r] = (double[]) copy(m[r], copies);
            }
            out = rows;
        } else {
            out = Harness.copy(v);
        }
        copies.put(v, out);
        return out;
    }

    private static Object zerosLike(Object v) {
        if (v instanceof double[][] m) {
            double[][] out = new double[m.length][];
            for (int r = 0; r < m.length; r++) {
                out[r] = new double[m[r].length];
            }
            return out;
        }
        return new double[((double[]) v).length];
    }

    private static List<int[]> sharedElements(Object array, boolean wholeMatrix) {
        List<int[]> out = new ArrayList<>();
        if (array instanceof double[] a) {
            for (int k = 0; k < a.length; k++) {
                out.add(new int[] {k});
            }
        } else {
            double[][] m = (double[][]) array;
            for (int r = 0; r < (wholeMatrix ? m.length : 1); r++) {
                for (int c = 0; c < m[r].length; c++) {
                    out.add(new int[] {r, c});
                }
            }
        }
        return out;
    }

    /** The sum of the two aliased parameters' partials at a shared element, with that element moved to {@code x}. */
    private static double aliasedPartial(java.lang.reflect.Method gradient, Object[] args, int param, int[] at,
            double x, int ci, int cj) {
        Object[] copies = copy(args);
        Elements.set(copies[param], at, x);
        try {
            Object[] grad = Harness.components(gradient.invoke(null, copies));
            return Elements.get(grad[ci + 1], at) + Elements.get(grad[cj + 1], at);
        } catch (ReflectiveOperationException e) {
            return Double.NaN;
        }
    }

    /** Richardson-extrapolated central difference of the original along a shared element. */
    private static double richardson(java.lang.reflect.Method original, Object[] args, int param, int[] at, double h) {
        double d1 = central(original, args, param, at, h);
        double d2 = central(original, args, param, at, h / 2);
        return (4 * d2 - d1) / 3;
    }

    private static double central(java.lang.reflect.Method original, Object[] args, int param, int[] at, double h) {
        double x = Elements.get(args[param], at);
        return (valueAt(original, args, param, at, x + h) - valueAt(original, args, param, at, x - h)) / (2 * h);
    }

    private static double valueAt(java.lang.reflect.Method original, Object[] args, int param, int[] at, double x) {
        Object[] copies = copy(args);
        Elements.set(copies[param], at, x);
        try {
            return (double) original.invoke(null, copies);
        } catch (ReflectiveOperationException e) {
            return Double.NaN;
        }
    }
}
