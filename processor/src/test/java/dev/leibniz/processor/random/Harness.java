package dev.leibniz.processor.random;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.InMemoryClassLoader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles generated programs with the Leibniz processor (the options of every test: -Xlint:all -Werror), bisects
 * a batch that does not compile down to the programs that break it, and checks each method of a compiled program
 * against the original at random points: the value bit for bit, every partial against finite differences, the
 * pullback against its seed.
 */
final class Harness {
    static final String PACKAGE = "rnd";
    private static final AtomicInteger CLASSES = new AtomicInteger();

    /** Finite differences: two Richardson-extrapolated central differences, at these steps (times max(1, |x|)). */
    static final double COARSE_STEP = 1e-3;
    static final double FINE_STEP = 1e-5;
    /** Forward and backward differences at this step must agree too (no kink at x itself). */
    static final double ONE_SIDED_STEP = 1e-4;
    /** Where the gradient is compared again when it disagrees at x (times max(1, |x|)). */
    static final double ISOLATED_STEP = 1e-7;

    private Harness() {
    }

    enum Kind {
        /** The generator wrote something javac rejects without the processor, or the original throws. */
        INVALID_PROGRAM(false),
        /** The processor reported an error on (supported) source, or said it has a bug. */
        PROCESSOR_ERROR(false),
        /** The generated class does not compile, or warns. */
        GENERATED_CODE_ERROR(false),
        WRONG_VALUE(true),
        WRONG_DERIVATIVE(true),
        WRONG_PULLBACK(true),
        WRONG_RECORD(true),
        GRADIENT_THREW(true);

        final boolean runtime;

        Kind(boolean runtime) {
            this.runtime = runtime;
        }
    }

    /**
     * One failure. {@code args} (runtime kinds) maps each parameter of {@code method} to the point; {@code key}
     * tells failures of one kind apart well enough for the shrinker to keep the same bug.
     */
    record Failure(Kind kind, Program program, String method, Map<String, Object> args, String key, String detail,
            String generated) {
        String describe() {
            StringBuilder out = new StringBuilder();
            out.append(kind).append(" in ").append(method);
            if (args != null) {
                out.append(" at ").append(args);
            }
            out.append("\n").append(detail.strip()).append("\n");
            return out.toString();
        }
    }

    static final class Stats {
        final AtomicLong programs = new AtomicLong();
        final AtomicLong methods = new AtomicLong();
        final AtomicLong points = new AtomicLong();
        final AtomicLong partials = new AtomicLong();
        final AtomicLong inconclusive = new AtomicLong();
        final AtomicLong skippedPoints = new AtomicLong();
        final AtomicLong isolated = new AtomicLong();
        final AtomicLong compilations = new AtomicLong();

        @Override
        public String toString() {
            return programs + " programs, " + methods + " methods, " + points + " points, " + partials
                    + " partials compared with finite differences (" + inconclusive + " more inconclusive: a kink or"
                    + " branch switch nearby; " + isolated + " at a branch taken only at that point; " + skippedPoints
                    + " points with a non-finite value), " + compilations + " compilations";
        }
    }

    // ------------------------------------------------------------------------------------------------ compiling

    static String classSource(String simpleName, List<Method> methods) {
        StringBuilder body = new StringBuilder();
        for (Method m : methods) {
            body.append("\n").append(Ast.print(m, "    "));
        }
        return classSource(simpleName, body.toString());
    }

    /**
     * A class of the package {@value #PACKAGE} holding {@code members} (indented Java source), with the constants
     * and plain helpers the generator may use ({@link Generator#CONSTANTS}, {@link Generator#HELPERS}).
     */
    static String classSource(String simpleName, String members) {
        return "package " + PACKAGE + ";\n\nimport static java.lang.Math.*;\n\nimport dev.leibniz.Differentiable;\n\n"
                + "public final class " + simpleName + " {\n"
                + "    private static final double SCALE = 0.75;\n"
                + "    static final double OFFSET = 1.5e-1;\n"
                + "    private static final int STEPS = 3;\n"
                + "    public static final long LIMIT = 4L;\n"
                + "\n"
                + "    private " + simpleName + "() {\n    }\n"
                + "\n"
                + "    static int twice(int n) {\n        return 2 * n;\n    }\n"
                + "\n"
                + "    static double halfOf(int n) {\n        return n * 0.5;\n    }\n"
                + members
                + "}\n";
    }

    static String newClassName() {
        return "R" + CLASSES.incrementAndGet();
    }

    static Compilation compile(String simpleName, List<Method> methods, boolean withProcessor, Stats stats) {
        if (stats != null) {
            stats.compilations.incrementAndGet();
        }
        return compileSource(simpleName, classSource(simpleName, methods), withProcessor);
    }

    static Compilation compileSource(String simpleName, String source, boolean withProcessor) {
        Compiler compiler = withProcessor ? Compiled.compiler()
                : Compiler.javac().withOptions(append(Compiled.OPTIONS, "-proc:none"));
        return compiler.compile(JavaFileObjects.forSourceString(PACKAGE + "." + simpleName, source));
    }

    private static List<String> append(List<String> list, String extra) {
        List<String> out = new ArrayList<>(list);
        out.add(extra);
        return out;
    }

    static boolean clean(Compilation c) {
        return c.status() == Compilation.Status.SUCCESS
                && c.diagnostics().stream().allMatch(d -> d.getKind() == Diagnostic.Kind.NOTE);
    }

    static List<Method> methods(List<Program> programs) {
        List<Method> out = new ArrayList<>();
        for (Program p : programs) {
            out.addAll(p.methods());
        }
        return out;
    }

    /**
     * Compiles the programs together and checks them; a batch that does not compile is split in halves until the
     * programs that break it are found (one failure each), and the others are checked.
     */
    static void run(List<Program> programs, int pointsPerMethod, Stats stats, Consumer<Failure> failures) {
        String simpleName = newClassName();
        Compilation c = compile(simpleName, methods(programs), true, stats);
        if (clean(c)) {
            Loaded loaded = new Loaded(c, simpleName);
            for (Program p : programs) {
                stats.programs.incrementAndGet();
                Failure f = checkProgram(loaded, p, pointsPerMethod, stats);
                if (f != null) {
                    failures.accept(f);
                }
            }
            return;
        }
        if (programs.size() == 1) {
            stats.programs.incrementAndGet();
            failures.accept(compileFailure(programs.get(0), c, stats));
            return;
        }
        int half = programs.size() / 2;
        List<Program> left = programs.subList(0, half);
        List<Program> right = programs.subList(half, programs.size());
        AtomicInteger found = new AtomicInteger();
        Consumer<Failure> counting = f -> {
            found.incrementAndGet();
            failures.accept(f);
        };
        run(left, pointsPerMethod, stats, counting);
        run(right, pointsPerMethod, stats, counting);
        if (found.get() == 0) {
            failures.accept(new Failure(Kind.GENERATED_CODE_ERROR, new Program(0, methods(programs)), "(batch)", null,
                    "interaction", "the batch does not compile, but each half does:\n" + diagnostics(c), ""));
        }
    }

    /** Why a single program does not compile: the generator's fault, the processor's, or the generated code's. */
    static Failure compileFailure(Program p, Compilation c, Stats stats) {
        String last = p.last().name();
        Compilation plain = compile(newClassName(), p.methods(), false, stats);
        if (!clean(plain)) {
            String code = plain.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(Diagnostic::getCode).findFirst().orElse("");
            return new Failure(Kind.INVALID_PROGRAM, p, last, null, "invalid " + code,
                    "javac rejects the source without the processor:\n" + diagnostics(plain), "");
        }
        List<Diagnostic<? extends JavaFileObject>> generated = new ArrayList<>();
        List<Diagnostic<? extends JavaFileObject>> other = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE) {
                continue;
            }
            if (d.getSource() != null && d.getSource().getName().endsWith("Gradient.java")) {
                generated.add(d);
            } else {
                other.add(d);
            }
        }
        if (!generated.isEmpty()) {
            Diagnostic<? extends JavaFileObject> first = generated.get(0);
            String source = content(first.getSource());
            String method = enclosingMethod(source, (int) first.getLineNumber());
            return new Failure(Kind.GENERATED_CODE_ERROR, p, last, null, first.getCode(),
                    "the generated code does not compile cleanly:\n" + diagnostics(c), method);
        }
        String message = other.isEmpty() ? "(no diagnostic)" : other.get(0).getMessage(null);
        return new Failure(Kind.PROCESSOR_ERROR, p, last, null, processorErrorKey(message),
                "the processor rejects the program:\n" + diagnostics(c), "");
    }

    /** The message without names and numbers, so that the shrinker keeps the same error. */
    static String processorErrorKey(String message) {
        String first = message.lines().findFirst().orElse("");
        int bug = first.indexOf("This is a bug in Leibniz");
        if (bug >= 0) {
            int open = first.indexOf('(');
            int close = first.lastIndexOf(')', bug);
            String exception = open >= 0 && close > open ? first.substring(open + 1, close) : first;
            return "bug " + exception.replaceAll("\\b[A-Za-z_]*\\d[A-Za-z_\\d]*\\b", "_");
        }
        return first.replaceAll("'[^']*'", "'_'").replaceAll("\\b[A-Za-z_]*\\d[A-Za-z_\\d]*\\b", "_");
    }

    static String diagnostics(Compilation c) {
        return c.diagnostics().stream()
                .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName().replaceAll(".*/", "")
                        + ":" + d.getLineNumber() + ": ") + d.getMessage(null) + (d.getSource() == null ? ""
                        : "\n      > " + line(content(d.getSource()), (int) d.getLineNumber()).strip()))
                .collect(Collectors.joining("\n"));
    }

    private static String line(String source, int number) {
        String[] lines = source.split("\n", -1);
        return number >= 1 && number <= lines.length ? lines[number - 1] : "";
    }

    static String content(JavaFileObject file) {
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The generated method (from its signature to its closing brace) containing a line. */
    static String enclosingMethod(String source, int lineNumber) {
        String[] lines = source.split("\n", -1);
        int start = Math.min(lineNumber - 1, lines.length - 1);
        while (start > 0 && !lines[start].startsWith("    public static") && !lines[start].startsWith("    static")) {
            start--;
        }
        int end = start;
        while (end < lines.length - 1 && !lines[end].equals("    }")) {
            end++;
        }
        return String.join("\n", Arrays.asList(lines).subList(start, end + 1));
    }

    /** The pullback of {@code method} in a generated class. */
    static String pullbackSource(String generatedSource, String method) {
        String[] lines = generatedSource.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(" " + method + "Pullback(") && lines[i].trim().matches("(public |protected )?static .*")) {
                return enclosingMethod(generatedSource, i + 1);
            }
        }
        return "(no pullback " + method + "Pullback in the generated source)";
    }

    // ------------------------------------------------------------------------------------------------ checking

    /** A compiled class, its gradient class, and their generated source. */
    static final class Loaded {
        final Class<?> original;
        final Class<?> gradient;
        final String generatedSource;

        Loaded(Compilation c, String simpleName) {
            ClassLoader loader = new InMemoryClassLoader(Harness.class.getClassLoader(), c);
            try {
                original = Class.forName(PACKAGE + "." + simpleName, true, loader);
                gradient = Class.forName(PACKAGE + "." + simpleName + "Gradient", true, loader);
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            generatedSource = c.generatedSourceFiles().stream()
                    .filter(f -> f.getName().endsWith(simpleName + "Gradient.java"))
                    .map(Harness::content).findFirst().orElse("");
        }
    }

    static Failure checkProgram(Loaded loaded, Program p, int pointsPerMethod, Stats stats) {
        Random random = new Random(p.seed() * 0x5DEECE66DL + 11);
        for (Method m : p.methods()) {
            stats.methods.incrementAndGet();
            for (int k = 0; k < pointsPerMethod; k++) {
                Map<String, Object> args = point(m, random);
                Failure f = checkPoint(loaded, p, m, args, stats);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    private static final double[] SPECIAL = {0, 1, -1, 0.5, -0.5, 2, 1.5};

    static Map<String, Object> point(Method m, Random random) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (Param p : m.params()) {
            Object v = switch (p.type()) {
                case DOUBLE -> random.nextDouble() < 0.08 ? SPECIAL[random.nextInt(SPECIAL.length)]
                        : Math.round((random.nextDouble() * 4 - 2) * 1e4) / 1e4;
                case INT -> random.nextInt(7) - 3;
                case LONG -> (long) (random.nextInt(7) - 3);
                case BOOLEAN -> random.nextBoolean();
            };
            args.put(p.name(), v);
        }
        return args;
    }

    private static Class<?> javaType(Type t) {
        return switch (t) {
            case DOUBLE -> double.class;
            case INT -> int.class;
            case LONG -> long.class;
            case BOOLEAN -> boolean.class;
        };
    }

    private static java.lang.reflect.Method find(Class<?> owner, String name, List<Param> params, boolean seed) {
        List<Class<?>> types = new ArrayList<>();
        for (Param p : params) {
            types.add(javaType(p.type()));
        }
        if (seed) {
            types.add(double.class);
        }
        try {
            java.lang.reflect.Method m = owner.getDeclaredMethod(name, types.toArray(new Class<?>[0]));
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** An exception thrown by invoked code, or the value it returned. */
    private record Outcome(Object value, Throwable thrown) {
    }

    private static Outcome call(java.lang.reflect.Method m, Object[] args) {
        try {
            return new Outcome(m.invoke(null, args), null);
        } catch (InvocationTargetException e) {
            return new Outcome(null, e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static double[] components(Object record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        double[] values = new double[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                java.lang.reflect.Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                values[i] = (double) accessor.invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }

    private static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    static Failure checkPoint(Loaded loaded, Program p, Method m, Map<String, Object> point, Stats stats) {
        Object[] args = point.values().toArray();
        java.lang.reflect.Method original = find(loaded.original, m.name(), m.params(), false);
        java.lang.reflect.Method gradient = find(loaded.gradient, m.name(), m.params(), false);
        java.lang.reflect.Method pullback = find(loaded.gradient, m.name() + "Pullback", m.params(), true);
        String pullbackSource = pullbackSource(loaded.generatedSource, m.name());
        if (original == null || gradient == null || pullback == null) {
            return new Failure(Kind.WRONG_RECORD, p, m.name(), point, "missing",
                    "the generated class lacks " + m.name() + " or " + m.name() + "Pullback", pullbackSource);
        }
        stats.points.incrementAndGet();
        Outcome o = call(original, args);
        if (o.thrown() != null) {
            return new Failure(Kind.INVALID_PROGRAM, p, m.name(), point, "throws", "the original throws " + o.thrown(), "");
        }
        double expected = (double) o.value();
        Outcome g = call(gradient, args);
        if (g.thrown() != null) {
            return new Failure(Kind.GRADIENT_THREW, p, m.name(), point, g.thrown().getClass().getName(),
                    "the gradient throws " + g.thrown() + " where the original returns " + expected, pullbackSource);
        }
        double[] grad = components(g.value());
        List<String> doubles = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < m.params().size(); i++) {
            if (m.params().get(i).type() == Type.DOUBLE) {
                doubles.add(m.params().get(i).name());
                indices.add(i);
            }
        }
        List<String> expectedNames = new ArrayList<>();
        expectedNames.add("value");
        expectedNames.addAll(doubles);
        List<String> names = Arrays.stream(g.value().getClass().getRecordComponents()).map(RecordComponent::getName).toList();
        if (!names.equals(expectedNames)) {
            return new Failure(Kind.WRONG_RECORD, p, m.name(), point, "components",
                    "the record's components are " + names + ", expected " + expectedNames, pullbackSource);
        }
        if (!same(expected, grad[0])) {
            return new Failure(Kind.WRONG_VALUE, p, m.name(), point, "value",
                    "value: the original returns " + expected + " but the gradient's value is " + grad[0]
                            + " (difference " + (grad[0] - expected) + ")", pullbackSource);
        }
        Failure pb = checkPullback(pullback, p, m, point, grad, pullbackSource);
        if (pb != null) {
            return pb;
        }
        if (!Double.isFinite(expected)) {
            stats.skippedPoints.incrementAndGet();
            return null;
        }
        for (int k = 0; k < doubles.size(); k++) {
            int i = indices.get(k);
            double ad = grad[k + 1];
            double x = (double) args[i];
            double scale = Math.max(1, Math.abs(x));
            double coarse = richardson(original, args, i, COARSE_STEP * scale);
            double fine = richardson(original, args, i, FINE_STEP * scale);
            // At a kink or a jump at x itself central differences give the mean of the one-sided slopes at every
            // step, so the two steps agree; the one-sided differences do not.
            double forward = oneSided(original, args, i, ONE_SIDED_STEP * scale);
            double backward = oneSided(original, args, i, -ONE_SIDED_STEP * scale);
            if (!Double.isFinite(coarse) || !Double.isFinite(fine) || !agree(coarse, fine, expected)
                    || !Double.isFinite(forward) || !Double.isFinite(backward) || !close(forward, backward, expected)) {
                stats.inconclusive.incrementAndGet();
                continue;
            }
            if (!close(ad, coarse, expected) && !close(ad, fine, expected)) {
                // A branch taken only at x itself (x == 0 ? x * x : x) is differentiated as taken: the
                // gradient is right there, and right beside x. Only a gradient wrong beside x too is a failure.
                double[] beside = {Double.NaN, Double.NaN};
                for (int side = 0; side < 2; side++) {
                    Object[] moved = args.clone();
                    moved[i] = x + (side == 0 ? 1 : -1) * ISOLATED_STEP * scale;
                    Outcome o2 = call(gradient, moved);
                    if (o2.thrown() == null) {
                        beside[side] = components(o2.value())[k + 1];
                    }
                }
                if (close(beside[0], coarse, expected) || close(beside[1], coarse, expected)
                        || close(beside[0], fine, expected) || close(beside[1], fine, expected)) {
                    stats.isolated.incrementAndGet();
                    continue;
                }
                // A gradient that jumps around beside x belongs to a function oscillating faster than finite
                // differences resolve (sin of a huge argument); a staircase far finer than the steps (round of a
                // steep function) takes integer values everywhere. Neither says anything about the processor.
                if (!consistent(ad, beside[0]) || !consistent(ad, beside[1])
                        || (coarse != 0 || fine != 0) && integerValued(original, args, i, scale)
                        || jumpsNear(original, args, i, scale, fine, expected)
                        || staircase(original, args, i, scale, fine, expected)) {
                    stats.inconclusive.incrementAndGet();
                    continue;
                }
                stats.partials.incrementAndGet();
                return new Failure(Kind.WRONG_DERIVATIVE, p, m.name(), point,
                        Double.isFinite(ad) ? "derivative" : "derivative not finite",
                        "d/d" + doubles.get(k) + ": the gradient says " + ad + " but finite differences give "
                                + coarse + " (h=" + COARSE_STEP * scale + ") and " + fine + " (h=" + FINE_STEP * scale
                                + "); value " + expected + "; whole gradient " + Arrays.toString(grad)
                                + "; the gradient beside x: " + beside[0] + " and " + beside[1], pullbackSource);
            }
            stats.partials.incrementAndGet();
        }
        return null;
    }

    /**
     * Agreement of the two finite differences: like {@link #close} but with the absolute floor of their rounding
     * error only, so that two differences that are both tiny but unrelated (a sawtooth of tiny values) disagree.
     */
    static boolean agree(double a, double b, double value) {
        double tolerance = 1e-5 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12 + 1e-9 * Math.abs(value);
        return Math.abs(a - b) <= tolerance;
    }

    /** Agreement of two derivatives of a function whose value is {@code value}: relative 1e-5, absolute floor. */
    static boolean close(double a, double b, double value) {
        double tolerance = 1e-5 * Math.max(Math.abs(a), Math.abs(b)) + 1e-7 + 1e-9 * Math.abs(value);
        return Math.abs(a - b) <= tolerance;
    }

    private static double richardson(java.lang.reflect.Method f, Object[] args, int i, double h) {
        double coarse = central(f, args, i, h);
        double fine = central(f, args, i, h / 2);
        return (4 * fine - coarse) / 3;
    }

    /** Two gradients of nearby points that differ by no more than smoothness allows (or are both NaN). */
    static boolean consistent(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
            return Double.compare(a, b) == 0;
        }
        return Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b)) + 1e-6;
    }

    /**
     * Whether the original jumps near x: at random points x + t within the coarse step (and very close to x) it
     * does not follow f(x) + t * slope up to curvature. Branches decided by rounding ({@code u > u + 1.0 - 1.0})
     * switch back and forth at random, and the points finite differences sample may happen to agree.
     */
    private static boolean jumpsNear(java.lang.reflect.Method f, Object[] args, int i, double scale, double slope,
            double value) {
        double x = (double) args[i];
        Random random = new Random(Double.doubleToLongBits(x));
        for (int k = 0; k < 24; k++) {
            double t = (k < 16 ? (random.nextDouble() * 2 - 1) * COARSE_STEP
                    : (k % 2 == 0 ? 1 : -1) * Math.pow(10, -5 - (k - 16) / 2)) * scale;
            Object[] at = args.clone();
            at[i] = x + t;
            Outcome o = call(f, at);
            if (o.thrown() != null) {
                return true;
            }
            double v = (double) o.value();
            double deviation = Math.abs(v - (value + t * slope));
            if (!(deviation <= 1e-4 * (1 + Math.abs(value)) + 1e-2 * Math.abs(t * slope))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the original is a staircase finer than the finite-difference steps ({@code log1p(round(z))} with z
     * near 1e10): two points within 1e-11 times the scale of x where it takes exactly the same value, although the
     * slope finite differences see would change it by a hundred ulps. A smooth function cannot do that; the
     * gradient of a staircase is that of its steps, not of the stairs.
     */
    private static boolean staircase(java.lang.reflect.Method f, Object[] args, int i, double scale, double slope,
            double value) {
        double x = (double) args[i];
        double[] offsets = {0, 1e-13, -1e-13, 1e-12, -1e-12, 1e-11, -1e-11};
        double[] values = new double[offsets.length];
        for (int k = 0; k < offsets.length; k++) {
            Object[] at = args.clone();
            at[i] = x + offsets[k] * scale;
            Outcome o = call(f, at);
            if (o.thrown() != null) {
                return false;
            }
            values[k] = (double) o.value();
        }
        for (int a = 0; a < offsets.length; a++) {
            for (int b = a + 1; b < offsets.length; b++) {
                if (values[a] == values[b]
                        && Math.abs(slope * (offsets[a] - offsets[b]) * scale) > 100 * Math.ulp(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the original takes integer values at x and at every point finite differences looked at. */
    private static boolean integerValued(java.lang.reflect.Method f, Object[] args, int i, double scale) {
        double x = (double) args[i];
        for (double h : new double[] {0, COARSE_STEP, COARSE_STEP / 2, FINE_STEP, FINE_STEP / 2, ONE_SIDED_STEP,
            ONE_SIDED_STEP / 2}) {
            for (int sign = -1; sign <= 1; sign += 2) {
                Object[] at = args.clone();
                at[i] = x + sign * h * scale;
                Outcome o = call(f, at);
                if (o.thrown() != null) {
                    return false;
                }
                double v = (double) o.value();
                if (!Double.isFinite(v) || v != Math.rint(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Richardson-extrapolated one-sided difference (backward for negative h): error O(h^2). */
    private static double oneSided(java.lang.reflect.Method f, Object[] args, int i, double h) {
        double x = (double) args[i];
        Outcome at = call(f, args);
        Object[] far = args.clone();
        Object[] near = args.clone();
        far[i] = x + h;
        near[i] = x + h / 2;
        Outcome farValue = call(f, far);
        Outcome nearValue = call(f, near);
        if (at.thrown() != null || farValue.thrown() != null || nearValue.thrown() != null) {
            return Double.NaN;
        }
        double fx = (double) at.value();
        double coarse = ((double) farValue.value() - fx) / h;
        double fine = ((double) nearValue.value() - fx) / (h / 2);
        return 2 * fine - coarse;
    }

    private static double central(java.lang.reflect.Method f, Object[] args, int i, double h) {
        double x = (double) args[i];
        Object[] plus = args.clone();
        Object[] minus = args.clone();
        plus[i] = x + h;
        minus[i] = x - h;
        Outcome up = call(f, plus);
        Outcome down = call(f, minus);
        if (up.thrown() != null || down.thrown() != null) {
            return Double.NaN;
        }
        return ((double) up.value() - (double) down.value()) / (2 * h);
    }

    /**
     * The pullback with seed -2 returns exactly -2 times the gradient (scaling by a power of two is exact in
     * linear code); with seed 3, 3 times it up to rounding (loosely: the reverse sweep may sum large terms that
     * cancel, and rounding them differently is fine).
     */
    private static Failure checkPullback(java.lang.reflect.Method pullback, Program p, Method m, Map<String, Object> point,
            double[] grad, String source) {
        for (double seed : new double[] {-2.0, 3.0}) {
            Object[] args = point.values().toArray(new Object[point.size() + 1]);
            args[point.size()] = seed;
            Outcome o = call(pullback, args);
            if (o.thrown() != null) {
                return new Failure(Kind.GRADIENT_THREW, p, m.name(), point, o.thrown().getClass().getName(),
                        "the pullback with seed " + seed + " throws " + o.thrown(), source);
            }
            double[] pulled = components(o.value());
            if (!same(pulled[0], grad[0])) {
                return new Failure(Kind.WRONG_PULLBACK, p, m.name(), point, "pullback",
                        "pullback value with seed " + seed + " is " + pulled[0] + ", the gradient's " + grad[0], source);
            }
            for (int k = 1; k < grad.length; k++) {
                double want = seed * grad[k];
                boolean ok = seed == -2.0
                        ? want == pulled[k] || Double.isNaN(want) && Double.isNaN(pulled[k])
                        : Math.abs(want - pulled[k]) <= 1e-6 * Math.max(1, Math.abs(want))
                                || Double.isNaN(want) && Double.isNaN(pulled[k]) || want == pulled[k];
                if (!ok) {
                    return new Failure(Kind.WRONG_PULLBACK, p, m.name(), point, "pullback",
                            "pullback with seed " + seed + ": component " + k + " is " + pulled[k] + ", expected "
                                    + seed + " * " + grad[k] + " = " + want + "; gradient " + Arrays.toString(grad)
                                    + ", pullback " + Arrays.toString(pulled), source);
                }
            }
        }
        return null;
    }
}
