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
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code float} on random programs: the generator's methods with scalar parameters that call no other generated
 * method are made {@code float} — each {@code double} parameter and local becomes a {@code float}, each value stored
 * into one is rounded to {@code float} ({@code x = (float) (...)}, a compound {@code x += e} written
 * {@code x = (float) (x + e)}) — and compiled beside the original (its {@code double} twin, renamed). At random points,
 * where the two values agree to float precision (a rounding that flips a branch makes them differ, and proves
 * nothing), each partial of the {@code float} method must be a {@code float} that agrees with the twin's partial to
 * float precision, and with its own forward mode. The rounding has derivative 1, so the derivative is the same
 * function's: a wrong promotion, a lost cast, a derivative rule on a {@code float} gone wrong, or generated code that
 * does not compile without warnings shows.
 *
 * <p>{@code -Dleibniz.random.floatPrograms=N} checks more programs, {@code -Dleibniz.random.seed} sets the run seed.
 */
class RandomFloatTest {
    private static final int DEFAULT_PROGRAMS = 300;
    private static final int BATCH = 40;
    private static final int POINTS = 3;

    @Test
    void randomMethodsMadeFloatHaveTheDerivativesOfTheirDoubleTwinsToFloatPrecision() {
        long seed = Long.getLong("leibniz.random.seed", RandomProgramTest.DEFAULT_SEED);
        int programs = Integer.getInteger("leibniz.random.floatPrograms", DEFAULT_PROGRAMS);
        List<Method> methods = new ArrayList<>();
        for (ScalarMethods.Found found : ScalarMethods.of(seed, programs)) {
            Set<String> names = new HashSet<>();
            found.program().methods().forEach(m -> names.add(m.name()));
            if (!callsAny(found.method(), names)) {
                methods.add(found.method());
            }
        }
        if (Boolean.getBoolean("leibniz.random.showFloat") && !methods.isEmpty()) {
            System.out.println(Ast.print(floatMethod(methods.get(0)), ""));
        }
        List<String> failures = new ArrayList<>();
        int[] counts = new int[4]; // methods, partials compared, points skipped, methods refused
        for (int from = 0; from < methods.size() && failures.size() < 5; from += BATCH) {
            check(methods.subList(from, Math.min(methods.size(), from + BATCH)), seed, counts, failures);
        }
        System.out.println("[random float] run seed " + seed + ": " + counts[0] + " methods made float, " + counts[1]
                + " partials compared with the double twin's (" + counts[2] + " points skipped where the values "
                + "differ beyond float precision); " + counts[3] + " refused at a construct marked as possibly "
                + "refused; " + failures.size() + " failures");
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures));
        }
    }

    private static boolean callsAny(Method m, Set<String> names) {
        boolean[] found = {false};
        Ast.mapExprs(m.body(), e -> {
            found[0] |= e instanceof Ast.Call c && names.contains(c.function());
            return e;
        });
        return found[0];
    }

    private static void check(List<Method> methods, long seed, int[] counts, List<String> failures) {
        String simpleName = Harness.newClassName();
        StringBuilder members = new StringBuilder();
        for (Method m : methods) {
            // the rounding casts are redundant where the value is a float already: the source may say so
            members.append("\n").append(Ast.print(floatMethod(m), "    ").replaceFirst("@Differentiable",
                    "@SuppressWarnings(\"cast\") @Differentiable"));
            members.append("\n").append(Ast.print(twin(m), "    "));
        }
        String source = Harness.classSource(simpleName, members.toString());
        Compilation c = Harness.compileSource(simpleName, source, true);
        if (!Harness.clean(c)) {
            if (methods.size() == 1) {
                if (ScalarMethods.refusedOnPurpose(c, null)) {
                    counts[3]++;
                    if (Boolean.getBoolean("leibniz.random.showRefused")) {
                        System.out.println("[random float] refused:\n" + Harness.diagnostics(c));
                    }
                    return;
                }
                failures.add("does not compile made float:\n" + Harness.diagnostics(c) + "\n" + source);
            } else {
                int half = methods.size() / 2;
                check(methods.subList(0, half), seed, counts, failures);
                check(methods.subList(half, methods.size()), seed, counts, failures);
            }
            return;
        }
        Harness.Loaded loaded = new Harness.Loaded(c, simpleName);
        Random random = new Random(seed ^ simpleName.hashCode());
        for (Method m : methods) {
            counts[0]++;
            for (int k = 0; k < POINTS; k++) {
                String failure = checkPoint(loaded, m, Harness.point(floatMethod(m), random), counts);
                if (failure != null) {
                    failures.add(failure + "\n" + Ast.print(floatMethod(m), ""));
                    break;
                }
            }
        }
    }

    private static String checkPoint(Harness.Loaded loaded, Method m, Map<String, Object> point, int[] counts) {
        Method f = floatMethod(m);
        Object[] args = point.values().toArray();
        Object[] twinArgs = args.clone();
        for (int i = 0; i < twinArgs.length; i++) {
            if (twinArgs[i] instanceof Float x) {
                twinArgs[i] = (double) x;
            }
        }
        String at = m.name() + Arrays.toString(args);
        try {
            double value = ((Number) invoke(loaded.original, f.name(), f.params(), args)).doubleValue();
            double twinValue = (double) invoke(loaded.original, twinName(m), twin(m).params(), twinArgs);
            if (!Double.isFinite(value) || !Double.isFinite(twinValue)
                    || !(Math.abs(value - twinValue) <= 1e-5 * Math.max(1, Math.abs(twinValue)))) {
                counts[2]++;
                return null;
            }
            Map<String, Object> gradient = dev.leibniz.processor.testing.Compiled.components(invoke(loaded.gradient, f.name(), f.params(), args));
            Map<String, Object> twinGradient = dev.leibniz.processor.testing.Compiled.components(invoke(loaded.gradient, twinName(m),
                    twin(m).params(), twinArgs));
            if (((Number) gradient.get("value")).doubleValue() != value) {
                return at + ": the gradient's value " + gradient.get("value") + " is not the original's " + value;
            }
            for (Param p : f.params()) {
                if (p.type() != Type.FLOAT) {
                    continue;
                }
                Object partial = gradient.get(p.name());
                if (!(partial instanceof Float)) {
                    return at + ": the partial of float " + p.name() + " is not a float: " + partial;
                }
                double expected = (double) twinGradient.get(p.name());
                double actual = (float) partial;
                if (!Double.isFinite(expected)) {
                    continue;
                }
                counts[1]++;
                if (!(Math.abs(actual - expected) <= 1e-3 * Math.max(1, Math.abs(expected)))) {
                    return at + ": d/d" + p.name() + " = " + actual + " but the double twin's is " + expected;
                }
            }
        } catch (InvocationTargetException e) {
            return null; // the original throws there too, or both do: the first-order run judges exceptions
        }
        return null;
    }

    private static Object invoke(Class<?> owner, String name, List<Param> params, Object[] args)
            throws InvocationTargetException {
        List<Class<?>> types = params.stream().<Class<?>>map(p -> Harness.javaType(p.type())).toList();
        try {
            return Harness.find(owner, name, types).invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static String twinName(Method m) {
        return m.name() + "Twin";
    }

    /** The method as generated, renamed: the derivative the float one must have. */
    private static Method twin(Method m) {
        return new Method(m.modifiers(), twinName(m), m.params(), m.body(), m.wrt());
    }

    /** The method with its double parameters and locals made float, and every value stored into one rounded. */
    static Method floatMethod(Method m) {
        Set<String> floats = new HashSet<>();
        List<Param> params = new ArrayList<>();
        for (Param p : m.params()) {
            if (p.type() == Type.DOUBLE) {
                floats.add(p.name());
                params.add(new Param(Type.FLOAT, p.name()));
            } else {
                params.add(p);
            }
        }
        declaredDoubles(m.body(), floats);
        return new Method(m.modifiers(), m.name(), params, floatBody(m.body(), floats), m.wrt());
    }

    private static void declaredDoubles(List<Ast.Stmt> body, Set<String> out) {
        for (Ast.Stmt s : body) {
            if (s instanceof Ast.Decl d && isDouble(d)) {
                out.add(d.name());
            } else if (s instanceof Ast.For f && isDouble(f.init())) {
                out.add(f.init().name());
            }
            Ast.bodies(s).forEach(b -> declaredDoubles(b, out));
        }
    }

    private static boolean isDouble(Ast.Decl d) {
        return d != null && (d.type() == Type.DOUBLE);
    }

    private static List<Ast.Stmt> floatBody(List<Ast.Stmt> body, Set<String> floats) {
        List<Ast.Stmt> out = new ArrayList<>();
        for (Ast.Stmt s : body) {
            out.add(floatStmt(s, floats));
        }
        return out;
    }

    private static Ast.Stmt floatStmt(Ast.Stmt s, Set<String> floats) {
        Ast.Stmt mapped = Ast.rebuild(s, e -> floatExpr(e, floats), b -> floatBody(b, floats));
        if (mapped instanceof Ast.Decl d && floats.contains(d.name()) && d.type() == Type.DOUBLE) {
            return new Ast.Decl(Type.FLOAT, false, d.name(), d.init() == null ? null : rounded(d.init()));
        }
        if (mapped instanceof Ast.Assign a && floats.contains(a.name())) {
            return new Ast.Assign(a.name(), "=", rounded(stored(a.name(), a.op(), a.value())));
        }
        if (mapped instanceof Ast.For f && f.init() != null && floats.contains(f.init().name())) {
            Ast.Decl init = f.init();
            return new Ast.For(f.label(), new Ast.Decl(Type.FLOAT, false, init.name(),
                    init.init() == null ? null : rounded(init.init())), f.cond(), f.update(), f.body());
        }
        return mapped;
    }

    /** Assignments inside expressions, of a variable made float, rounded the same way. */
    private static Ast.Expr floatExpr(Ast.Expr e, Set<String> floats) {
        return Ast.mapExpr(e, x -> x instanceof Ast.AssignExpr a && floats.contains(a.name())
                ? new Ast.AssignExpr(a.name(), "=", rounded(stored(a.name(), a.op(), a.value())), Type.FLOAT) : x);
    }

    /** {@code x op= v} as {@code x op v}; {@code x = v} as {@code v}. */
    private static Ast.Expr stored(String name, String op, Ast.Expr value) {
        if (op.equals("=")) {
            return value;
        }
        return new Ast.Binary(op.substring(0, op.length() - 1), new Ast.Var(name, Type.FLOAT), new Ast.Paren(value));
    }

    private static Ast.Expr rounded(Ast.Expr value) {
        return new Ast.Cast(Type.FLOAT, new Ast.Paren(value));
    }
}
