package dev.leibniz.processor.random;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.Tape;
import dev.leibniz.processor.LeibnizProcessor;
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
 * Compiles generated programs with the Leibniz processor (the options of every test, -Xlint:all, where any warning
 * fails but Leibniz's at a parameter whose partial is always 0, which is then checked: {@link #PROCESSOR_OPTIONS}),
 * together with a traced twin of each method ({@link Tracing}); finds the programs that break a batch that does not compile
 * (from the lines its diagnostics point at, else by bisection) and checks the others. Each method of a compiled
 * program is checked against the original at random points: the value bit for bit and the array arguments as the
 * original leaves them, every partial (every element of every differentiated array) against finite differences, the
 * pullback against its seed and into arrays that already hold numbers, the Accumulate form against the gradient,
 * forward mode ({@code fDifferential}) against the gradient along a random tangent,
 * twice on one tape.
 */
final class Harness {
    static final String PACKAGE = "rnd";
    private static final AtomicInteger CLASSES = new AtomicInteger();

    /** Finite differences: two Richardson-extrapolated central differences, at these steps (times max(1, |x|)). */
    static final double COARSE_STEP = 1e-3;
    static final double FINE_STEP = 1e-5;
    /** Forward and backward differences at this step must agree too (no kink at x itself). */
    static final double ONE_SIDED_STEP = 1e-4;
    /**
     * Intermediates beyond this magnitude absorb the finite-difference steps of the numbers added to them (the
     * rounding error of a difference quotient grows with them): a disagreement there is inconclusive.
     */
    static final double ABSORBING = 1e6;
    /**
     * Beyond this magnitude the product of two intermediates overflows. The adjoint of an intermediate is such a
     * product (the derivative of the result with respect to it), so it may exceed the double range where the
     * derivative with respect to the arguments does not: w *= (long) (w * w - 1) cubes w each time, and after a
     * first factor of 0 forward mode carries a tangent of 0, while reverse mode multiplies the 0 by an adjoint of
     * infinity. Next to such intermediates a non-finite gradient beside a finite differential is inconclusive.
     */
    static final double SQUARE_OVERFLOWS = 1e154;
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
        /** The Accumulate form disagrees with the gradient. */
        WRONG_ACCUMULATE(true),
        /** Forward mode ({@code fDifferential}) disagrees with reverse mode along a random tangent. */
        WRONG_DIFFERENTIAL(true),
        WRONG_RECORD(true),
        /** Leibniz warns that a parameter's partial is always 0, and it is not (or the parameter has none). */
        WRONG_WARNING(true),
        /** After a generated method, an array argument does not hold what the original method leaves in it. */
        WRONG_SIDE_EFFECT(true),
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
                out.append(" at ").append(format(args));
            }
            out.append("\n").append(detail.strip()).append("\n");
            return out.toString();
        }
    }

    /** A point as text, arrays element by element. */
    static String format(Map<String, Object> args) {
        return args.entrySet().stream().map(e -> e.getKey() + "=" + formatValue(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    static String formatValue(Object v) {
        if (v instanceof Object[] rows) {
            return Arrays.stream(rows).map(Harness::formatValue).collect(Collectors.joining(", ", "{", "}"));
        } else if (v instanceof double[] d) {
            return Arrays.stream(d).mapToObj(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
        } else if (v instanceof int[] i) {
            return Arrays.stream(i).mapToObj(String::valueOf).collect(Collectors.joining(", ", "{", "}"));
        } else if (v instanceof boolean[] b) {
            StringBuilder out = new StringBuilder("{");
            for (int k = 0; k < b.length; k++) {
                out.append(k == 0 ? "" : ", ").append(b[k]);
            }
            return out.append("}").toString();
        }
        return String.valueOf(v);
    }

    static final class Stats {
        final AtomicLong programs = new AtomicLong();
        final AtomicLong methods = new AtomicLong();
        final AtomicLong points = new AtomicLong();
        final AtomicLong partials = new AtomicLong();
        final AtomicLong inconclusive = new AtomicLong();
        final AtomicLong skippedPoints = new AtomicLong();
        /** Points where the original meets a derivative singularity, or cancels a sum to rounding noise (Tracing). */
        final AtomicLong singularPoints = new AtomicLong();
        final AtomicLong cancelledPoints = new AtomicLong();
        final AtomicLong isolated = new AtomicLong();
        final AtomicLong compilations = new AtomicLong();
        final AtomicLong loopMethods = new AtomicLong();
        final AtomicLong arrayMethods = new AtomicLong();
        /** Methods that call a helper returning {@code double[]}. */
        final AtomicLong arrayHelperCallers = new AtomicLong();
        /** Methods that call a void helper writing into an array they pass. */
        final AtomicLong voidHelperCallers = new AtomicLong();
        final AtomicLong elementPartials = new AtomicLong();
        final AtomicLong pathChanges = new AtomicLong();
        final AtomicLong compileNanos = new AtomicLong();
        final AtomicLong checkNanos = new AtomicLong();
        /** Programs the processor refused at a construct marked as possibly refused, and by which message. */
        final AtomicLong refused = new AtomicLong();
        final java.util.concurrent.ConcurrentHashMap<String, Long> refusals = new java.util.concurrent.ConcurrentHashMap<>();
        /** Points called with aliased arrays; of them, calls refused with an IllegalArgumentException. */
        final AtomicLong aliasedPoints = new AtomicLong();
        final AtomicLong aliasedRefused = new AtomicLong();
        /** Partials Leibniz warned are always 0 (at a parameter, per point), found exactly 0. */
        final AtomicLong warnedZero = new AtomicLong();

        @Override
        public String toString() {
            return programs + " programs, " + methods + " methods (" + loopMethods + " with loops, " + arrayMethods
                    + " with arrays, " + arrayHelperCallers + " calling helpers that return arrays, " + voidHelperCallers
                    + " calling void helpers), " + points
                    + " points, " + partials + " partials compared with finite differences"
                    + " (" + elementPartials + " of them array elements, " + isolated + " at a branch taken only at that"
                    + " point); not compared: " + pathChanges + " partials where a branch, trip count or integer"
                    + " conversion changes within the steps, " + inconclusive + " inconclusive (a kink nearby), "
                    + skippedPoints + " points with a non-finite value or intermediate, " + singularPoints
                    + " at a derivative singularity (sqrt(0), asin(1)), " + cancelledPoints
                    + " after a sum cancelled to rounding noise; "
                    + compilations + " compilations ("
                    + compileNanos.get() / 1_000_000 / 1000.0 + " s of CPU), checking " + checkNanos.get() / 1_000_000
                    / 1000.0 + " s of CPU"
                    + (refused.get() == 0 ? "" : "; " + refused + " programs refused at a construct marked as possibly"
                            + " refused " + refusals)
                    + (aliasedPoints.get() == 0 ? "" : "; " + aliasedPoints + " points with aliased arrays ("
                            + aliasedRefused + " refused with IllegalArgumentException)")
                    + "; " + warnedZero + " partials of parameters Leibniz warned about, all exactly 0";
        }
    }

    // ------------------------------------------------------------------------------------------------ compiling

    static String classSource(String simpleName, List<Method> methods) {
        StringBuilder body = new StringBuilder();
        for (Method m : methods) {
            body.append("\n").append(Ast.print(m, "    "));
        }
        body.append(Tracing.twins(methods));
        return classSource(simpleName, body.toString());
    }

    /**
     * A class of the package {@value #PACKAGE} holding {@code members} (indented Java source), with the constants
     * and plain helpers the generator may use ({@link Generator#CONSTANTS}, {@link Generator#HELPERS}).
     */
    static String classSource(String simpleName, String members) {
        return "package " + PACKAGE + ";\n\nimport static java.lang.Math.*;\n"
                + (Generator.STAR_IMPORTS ? "import static java.util.Objects.*;\n" : "")
                + "\nimport dev.leibniz.Differentiable;\n" + (Generator.STAR_IMPORTS ? "import java.util.*;\n" : "") + "\n"
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
                + (Generator.WRITING_HELPERS ? WRITING_HELPERS : "")
                + (Generator.CONSTANT_DATA ? "\n" + Generator.CONSTANT_DATA_TABLES : "")
                + members
                + "}\n";
    }

    /** The plain helpers that write into the arrays they are given ({@link Generator#WRITING_HELPERS}). */
    private static final String WRITING_HELPERS = """

                static void scale(double[] w, double c) {
                    for (int i = 0; i < w.length; i++) {
                        w[i] *= c;
                    }
                }

                static int tick(int[] n) {
                    n[0]++;
                    return n[0];
                }
            """;

    static String newClassName() {
        return "R" + CLASSES.incrementAndGet();
    }

    static Compilation compile(String simpleName, List<Method> methods, boolean withProcessor, Stats stats) {
        if (stats != null) {
            stats.compilations.incrementAndGet();
        }
        return compileSource(simpleName, classSource(simpleName, methods), withProcessor);
    }

    /**
     * Compiles one class. A compilation that cannot read a class file of the class path (another build rewriting
     * the runtime jar in the local repository meanwhile) is tried again, up to five times.
     */
    static Compilation compileSource(String simpleName, String source, boolean withProcessor) {
        Compilation c = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            // a new processor each time: a processor is initialised once
            Compiler compiler = withProcessor ? Compiler.javac().withProcessors(new LeibnizProcessor())
                    .withOptions(PROCESSOR_OPTIONS)
                    : Compiler.javac().withOptions(append(Compiled.OPTIONS, "-proc:none"));
            c = compiler.compile(JavaFileObjects.forSourceString(PACKAGE + "." + simpleName, source));
            if (!unreadableClassPath(c)) {
                return c;
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return c;
            }
        }
        return c;
    }

    private static boolean unreadableClassPath(Compilation c) {
        return c.diagnostics().stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR && d.getMessage(null)
                .matches("(?s).*(bad class file|error reading|unable to access file|ZipException|EOFException).*"));
    }

    private static List<String> append(List<String> list, String extra) {
        List<String> out = new ArrayList<>(list);
        out.add(extra);
        return out;
    }

    /**
     * The options of a compilation with the processor: those of every test ({@link Compiled#OPTIONS}) but
     * {@code -Werror}, under which the warning at a parameter whose partial is always 0 would stop the compilation.
     * Generated methods have such parameters all the time; {@link #clean} accepts that warning and no other, and
     * {@link #checkPoint} checks that each warned parameter's partial is indeed exactly 0.
     */
    static final List<String> PROCESSOR_OPTIONS = Compiled.OPTIONS.stream().filter(o -> !o.equals("-Werror")).toList();

    /** Leibniz's warning at a differentiated parameter whose partial is always 0: its method, then its parameter. */
    private static final java.util.regex.Pattern ZERO_PARTIAL = java.util.regex.Pattern.compile(
            "parameter '(\\w+)' of '(\\w+)' is differentiated but .*, so its partial is always 0; .*",
            java.util.regex.Pattern.DOTALL);

    /**
     * The method and parameter of a diagnostic that is Leibniz's warning at a parameter whose partial is always 0,
     * in the source (never in generated code), or null.
     */
    static String[] zeroPartialWarning(Diagnostic<? extends JavaFileObject> d) {
        if (d.getKind() != Diagnostic.Kind.WARNING || d.getSource() == null
                || d.getSource().getName().endsWith("Gradient.java")) {
            return null;
        }
        java.util.regex.Matcher m = ZERO_PARTIAL.matcher(d.getMessage(null));
        return m.matches() ? new String[] {m.group(2), m.group(1)} : null;
    }

    /** Compiled, with no diagnostic but notes and warnings at parameters whose partial is always 0. */
    static boolean clean(Compilation c) {
        return c.status() == Compilation.Status.SUCCESS && c.diagnostics().stream()
                .allMatch(d -> d.getKind() == Diagnostic.Kind.NOTE || zeroPartialWarning(d) != null);
    }

    /** Whether a diagnostic says something is wrong: neither a note nor a warning at a parameter of partial 0. */
    static boolean complaint(Diagnostic<? extends JavaFileObject> d) {
        return d.getKind() != Diagnostic.Kind.NOTE && zeroPartialWarning(d) == null;
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
        long start = cpuNanos();
        Compilation c = compile(simpleName, methods(programs), true, stats);
        stats.compileNanos.addAndGet(cpuNanos() - start);
        if (clean(c)) {
            start = cpuNanos();
            Loaded loaded = new Loaded(c, simpleName);
            for (Program p : programs) {
                stats.programs.incrementAndGet();
                Failure f = checkProgram(loaded, p, pointsPerMethod, stats);
                if (f != null) {
                    failures.accept(f);
                }
            }
            stats.checkNanos.addAndGet(cpuNanos() - start);
            return;
        }
        if (programs.size() == 1) {
            stats.programs.incrementAndGet();
            Failure f = compileFailure(programs.get(0), c, stats);
            if (f != null) {
                failures.accept(f);
            }
            return;
        }
        AtomicInteger found = new AtomicInteger();
        long refusedBefore = REFUSED_HERE.get()[0];
        Consumer<Failure> counting = f -> {
            found.incrementAndGet();
            failures.accept(f);
        };
        List<Program> blamed = blamed(c, simpleName, programs);
        if (!blamed.isEmpty() && blamed.size() < programs.size()) {
            // the programs the diagnostics point at, each alone; the others together
            List<Program> rest = new ArrayList<>(programs);
            rest.removeAll(blamed);
            for (Program p : blamed) {
                run(List.of(p), pointsPerMethod, stats, counting);
            }
            run(rest, pointsPerMethod, stats, counting);
            if (found.get() == 0 && REFUSED_HERE.get()[0] == refusedBefore) {
                failures.accept(new Failure(Kind.GENERATED_CODE_ERROR, new Program(0, methods(programs)), "(batch)",
                        null, "interaction", "the batch does not compile, but its parts do:\n" + diagnostics(c), ""));
            }
            return;
        }
        int half = programs.size() / 2;
        List<Program> left = programs.subList(0, half);
        List<Program> right = programs.subList(half, programs.size());
        run(left, pointsPerMethod, stats, counting);
        run(right, pointsPerMethod, stats, counting);
        if (found.get() == 0 && REFUSED_HERE.get()[0] == refusedBefore) {
            failures.accept(new Failure(Kind.GENERATED_CODE_ERROR, new Program(0, methods(programs)), "(batch)", null,
                    "interaction", "the batch does not compile, but each half does:\n" + diagnostics(c), ""));
        }
    }

    /** Refusals found by this thread, so that a batch that does not compile only because of them is no failure. */
    private static final ThreadLocal<long[]> REFUSED_HERE = ThreadLocal.withInitial(() -> new long[1]);

    private static final java.util.regex.Pattern DECLARATION = java.util.regex.Pattern.compile(
            "^    (?:public |protected |private )?static \\S+ (\\w+)\\(");

    /**
     * The programs whose methods the diagnostics of a compilation point at (by line, in the source or in the
     * generated class), or none if a diagnostic points at none of them (an error about the whole class).
     */
    private static List<Program> blamed(Compilation c, String simpleName, List<Program> programs) {
        java.util.Set<Program> out = new java.util.LinkedHashSet<>();
        for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
            if (!complaint(d)) {
                continue;
            }
            String method = d.getSource() == null ? null
                    : declaredAt(content(d.getSource()), (int) d.getLineNumber());
            Program owner = null;
            for (Program p : programs) {
                for (Method m : p.methods()) {
                    if (method != null && (method.equals(m.name()) || method.equals(m.name() + Tracing.SUFFIX)
                            || method.equals(m.name() + "Pullback") || method.equals(m.name() + "Accumulate"))) {
                        owner = p;
                    }
                }
            }
            if (owner == null) {
                return List.of();
            }
            out.add(owner);
        }
        return new ArrayList<>(out);
    }

    /** The name of the method whose declaration is at or above a line of a source, if the line is in one. */
    private static String declaredAt(String source, int lineNumber) {
        String[] lines = source.split("\n", -1);
        for (int i = Math.min(lineNumber, lines.length) - 1; i >= 0; i--) {
            if (lines[i].equals("    }") && i < lineNumber - 1) {
                return null; // between methods
            }
            java.util.regex.Matcher m = DECLARATION.matcher(lines[i]);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** The CPU time of the current thread: the run's phases measured so, not disturbed by a busy machine. */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
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
            if (!complaint(d)) {
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
        if (!other.isEmpty() && other.stream().allMatch(d -> d.getKind() != Diagnostic.Kind.ERROR
                || d.getSource() != null && line(content(d.getSource()), (int) d.getLineNumber())
                        .contains(Ast.Marked.COMMENT))) {
            // the processor refuses a construct the generator marked as possibly refused, at that construct
            REFUSED_HERE.get()[0]++;
            stats.refused.incrementAndGet();
            stats.refusals.merge(refusalKey(other.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .findFirst().map(d -> d.getMessage(null)).orElse("")), 1L, Long::sum);
            return null;
        }
        String message = other.isEmpty() ? "(no diagnostic)" : other.get(0).getMessage(null);
        return new Failure(Kind.PROCESSOR_ERROR, p, last, null, processorErrorKey(message),
                "the processor rejects the program:\n" + diagnostics(c), "");
    }

    /** A refusal's message, short: its first clause without names and numbers, for the run's figures. */
    static String refusalKey(String message) {
        String key = processorErrorKey(message);
        int comma = key.indexOf(',', 30);
        return comma < 0 ? key : key.substring(0, comma);
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
                .filter(Harness::complaint)
                .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName().replaceAll(".*/", "")
                        + ":" + d.getLineNumber() + ": ") + d.getMessage(null) + (d.getSource() == null ? ""
                        : "\n      > " + line(content(d.getSource()), (int) d.getLineNumber()).strip()))
                .collect(Collectors.joining("\n"));
    }

    static String line(String source, int number) {
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
        /**
         * The largest magnitude of a floating-point literal in the source: what stands in for the largest
         * intermediate of a method without a traced twin (a pinned method written as text).
         */
        final double largestLiteral;
        /** By method, the parameters Leibniz warned about: their partials must be exactly 0. */
        final Map<String, java.util.Set<String>> zeroPartials = new HashMap<>();

        Loaded(Compilation c, String simpleName) {
            for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
                String[] warned = zeroPartialWarning(d);
                if (warned != null) {
                    zeroPartials.computeIfAbsent(warned[0], k -> new java.util.TreeSet<>()).add(warned[1]);
                }
            }
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
            largestLiteral = c.sourceFiles().stream().map(Harness::content)
                    .flatMap(text -> FLOATING_LITERAL.matcher(text).results())
                    .mapToDouble(r -> Math.abs(Double.parseDouble(r.group()))).max().orElse(0);
        }
    }

    private static final java.util.regex.Pattern FLOATING_LITERAL =
            java.util.regex.Pattern.compile("(?<![\\w.])(\\d+\\.\\d*|\\.\\d+|\\d+(?=[eE]))([eE][+-]?\\d+)?");

    static Failure checkProgram(Loaded loaded, Program p, int pointsPerMethod, Stats stats) {
        Random random = new Random(p.seed() * 0x5DEECE66DL + 11);
        for (Method m : p.methods()) {
            if (m.returnsArray() || m.returnsVoid()) {
                continue; // a helper returning an array, or void: checked through the methods that call it
            }
            stats.methods.incrementAndGet();
            if (hasLoops(m.body())) {
                stats.loopMethods.incrementAndGet();
            }
            if (m.params().stream().anyMatch(q -> q.type().isArray()) || Ast.anyExpr(m.body(),
                    e -> e.type().isArray())) {
                stats.arrayMethods.incrementAndGet();
            }
            if (Ast.anyExpr(m.body(), e -> e instanceof Ast.Call c && c.type() == Type.DOUBLE_ARRAY)) {
                stats.arrayHelperCallers.incrementAndGet();
            }
            if (Ast.anyExpr(m.body(), e -> e instanceof Ast.Call c && c.type() == Type.VOID)) {
                stats.voidHelperCallers.incrementAndGet();
            }
            for (int k = 0; k < pointsPerMethod; k++) {
                Map<String, Object> args = point(m, random);
                Failure f = checkPoint(loaded, p, m, args, stats);
                if (f == null && Generator.ALIASED_CALLS) {
                    f = Aliasing.check(loaded, p, m, args, random, stats);
                }
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    static boolean hasLoops(List<Ast.Stmt> body) {
        for (Ast.Stmt s : body) {
            if (s instanceof Ast.For || s instanceof Ast.ForEach || s instanceof Ast.While || s instanceof Ast.DoWhile) {
                return true;
            }
            for (List<Ast.Stmt> b : Ast.bodies(s)) {
                if (hasLoops(b)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final double[] SPECIAL = {0, 1, -1, 0.5, -0.5, 2, 1.5};

    private static double number(Random random) {
        return random.nextDouble() < 0.08 ? SPECIAL[random.nextInt(SPECIAL.length)]
                : Math.round((random.nextDouble() * 4 - 2) * 1e4) / 1e4;
    }

    private static double[] numbers(Random random, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = number(random);
        }
        return out;
    }

    /** An array length: 1 to 4 (generated code may index any array at 0, so never empty). */
    private static int length(Random random) {
        return 1 + random.nextInt(4);
    }

    /**
     * A random point: doubles within [-2, 2] (sometimes a special value), ints within [-3, 3]; arrays of 1 to 4
     * elements (a double[][] has 1 to 3 rows, sometimes of different lengths); the elements of an int[] are within
     * [0, 5], since generated code indexes with them.
     */
    static Map<String, Object> point(Method m, Random random) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (Param p : m.params()) {
            Object v = switch (p.type()) {
                case DOUBLE -> number(random);
                case FLOAT -> (float) number(random);
                case INT -> random.nextInt(7) - 3;
                case LONG -> (long) (random.nextInt(7) - 3);
                case BOOLEAN -> random.nextBoolean();
                case DOUBLE_ARRAY -> numbers(random, length(random));
                case DOUBLE_MATRIX -> {
                    int rows = 1 + random.nextInt(3);
                    int columns = 1 + random.nextInt(3);
                    boolean ragged = random.nextDouble() < 0.25;
                    double[][] matrix = new double[rows][];
                    for (int r = 0; r < rows; r++) {
                        matrix[r] = numbers(random, ragged ? 1 + random.nextInt(3) : columns);
                    }
                    yield matrix;
                }
                case VOID -> throw new IllegalArgumentException("no parameter is void");
                case INT_ARRAY -> {
                    int[] ints = new int[length(random)];
                    for (int i = 0; i < ints.length; i++) {
                        ints[i] = random.nextInt(6);
                    }
                    yield ints;
                }
                case BOOLEAN_ARRAY -> {
                    boolean[] booleans = new boolean[1 + random.nextInt(3)];
                    for (int i = 0; i < booleans.length; i++) {
                        booleans[i] = random.nextBoolean();
                    }
                    yield booleans;
                }
            };
            args.put(p.name(), v);
        }
        return args;
    }

    static Class<?> javaType(Type t) {
        return switch (t) {
            case DOUBLE -> double.class;
            case FLOAT -> float.class;
            case INT -> int.class;
            case LONG -> long.class;
            case BOOLEAN -> boolean.class;
            case DOUBLE_ARRAY -> double[].class;
            case DOUBLE_MATRIX -> double[][].class;
            case INT_ARRAY -> int[].class;
            case BOOLEAN_ARRAY -> boolean[].class;
            case VOID -> void.class;
        };
    }

    static java.lang.reflect.Method find(Class<?> owner, String name, List<Class<?>> types) {
        try {
            java.lang.reflect.Method m = owner.getDeclaredMethod(name, types.toArray(new Class<?>[0]));
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static List<Class<?>> types(List<Param> params) {
        List<Class<?>> out = new ArrayList<>();
        for (Param p : params) {
            out.add(javaType(p.type()));
        }
        return out;
    }

    /** An exception thrown by invoked code, or the value it returned; and the arguments as the call left them. */
    private record Outcome(Object value, Throwable thrown, Object[] after) {
    }

    /** Calls {@code m} on deep copies of {@code args}, which it may write into. */
    private static Outcome call(java.lang.reflect.Method m, Object[] args) {
        return invoke(m, copyArgs(args));
    }

    /** Calls {@code m} on {@code copies} themselves. */
    private static Outcome invoke(java.lang.reflect.Method m, Object[] copies) {
        try {
            return new Outcome(m.invoke(null, copies), null, copies);
        } catch (InvocationTargetException e) {
            return new Outcome(null, e.getCause(), copies);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, e, copies); // arguments that do not fit (a shrunk method's point)
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static Object[] copyArgs(Object[] args) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = copy(args[i]);
        }
        return out;
    }

    /** A deep copy of an argument (arrays); scalars as they are. */
    static Object copy(Object v) {
        if (v instanceof double[][] m) {
            double[][] out = new double[m.length][];
            for (int i = 0; i < m.length; i++) {
                out[i] = m[i] == null ? null : m[i].clone();
            }
            return out;
        } else if (v instanceof double[] d) {
            return d.clone();
        } else if (v instanceof int[] i) {
            return i.clone();
        } else if (v instanceof boolean[] b) {
            return b.clone();
        }
        return v;
    }

    /** An array of zeros (or of {@code fill}'s numbers) shaped like {@code like}, a double[] or double[][]. */
    private static Object shaped(Object like, Random fill) {
        if (like instanceof double[][] m) {
            double[][] out = new double[m.length][];
            for (int i = 0; i < m.length; i++) {
                out[i] = (double[]) shaped(m[i], fill);
            }
            return out;
        }
        double[] out = new double[((double[]) like).length];
        if (fill != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.round((fill.nextDouble() * 2 - 1) * 1e4) / 1e4;
            }
        }
        return out;
    }

    private static boolean sameShape(Object a, Object b) {
        if (a instanceof double[][] x && b instanceof double[][] y) {
            if (x.length != y.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (!sameShape(x[i], y[i])) {
                    return false;
                }
            }
            return true;
        }
        return a instanceof double[] x && b instanceof double[] y && x.length == y.length;
    }

    /** Where the arguments after two calls differ (arrays bit for bit), or null. */
    private static String argsDiffer(Method m, Object[] expected, Object[] actual) {
        for (int i = 0; i < m.params().size(); i++) {
            Object e = expected[i];
            Object a = actual[i];
            boolean same = e instanceof Object[] x && a instanceof Object[] y ? Arrays.deepEquals(x, y)
                    : e instanceof double[] x && a instanceof double[] y ? Arrays.equals(x, y)
                    : e instanceof int[] x && a instanceof int[] y ? Arrays.equals(x, y)
                    : e instanceof boolean[] x && a instanceof boolean[] y ? Arrays.equals(x, y)
                    : true;
            if (!same) {
                return m.params().get(i).name() + " is " + formatValue(a) + " but the original leaves "
                        + formatValue(e);
            }
        }
        return null;
    }

    static Object[] components(Object record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            try {
                java.lang.reflect.Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                values[i] = accessor.invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }

    static boolean same(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    /**
     * One differentiated number: a double parameter ({@code row} -1), an element of a double[] ({@code column}
     * -1) or of a double[][]. {@code component} is its parameter's index in the gradient record.
     */
    record Coord(int param, int component, int row, int column, String label) {
        double get(Object[] args) {
            Object v = args[param];
            if (row < 0) {
                return (double) v;
            }
            return column < 0 ? ((double[]) v)[row] : ((double[][]) v)[row][column];
        }

        /** Deep copies of the arguments with this number set to {@code value}. */
        Object[] with(Object[] args, double value) {
            Object[] out = copyArgs(args);
            if (row < 0) {
                out[param] = value;
            } else if (column < 0) {
                ((double[]) out[param])[row] = value;
            } else {
                ((double[][]) out[param])[row][column] = value;
            }
            return out;
        }

        /** This number's partial derivative in a gradient record's components. */
        double in(Object[] components) {
            Object c = components[component];
            if (row < 0) {
                return (double) c;
            }
            return column < 0 ? ((double[]) c)[row] : ((double[][]) c)[row][column];
        }
    }

    static List<Coord> coordinates(Method m, Object[] args) {
        List<Coord> out = new ArrayList<>();
        List<Param> differentiated = m.differentiated();
        for (int k = 0; k < differentiated.size(); k++) {
            Param p = differentiated.get(k);
            int i = m.params().indexOf(p);
            if (p.type() == Type.DOUBLE) {
                out.add(new Coord(i, k + 1, -1, -1, p.name()));
            } else if (p.type() == Type.DOUBLE_ARRAY) {
                for (int r = 0; r < ((double[]) args[i]).length; r++) {
                    out.add(new Coord(i, k + 1, r, -1, p.name() + "[" + r + "]"));
                }
            } else {
                double[][] matrix = (double[][]) args[i];
                for (int r = 0; r < matrix.length; r++) {
                    for (int c = 0; c < matrix[r].length; c++) {
                        out.add(new Coord(i, k + 1, r, c, p.name() + "[" + r + "][" + c + "]"));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Each parameter Leibniz warned about (its partial always 0) is a differentiated one, and its gradient component
     * is exactly 0 here, every element of it; finite differences then check that 0 like any other partial.
     */
    static Failure checkZeroPartials(Loaded loaded, Program p, Method m, Map<String, Object> point, Object[] grad,
            String pullbackSource, Stats stats) {
        List<Param> differentiated = m.differentiated();
        for (String name : loaded.zeroPartials.getOrDefault(m.name(), java.util.Set.of())) {
            int k = differentiated.stream().map(Param::name).toList().indexOf(name);
            if (k < 0) {
                return new Failure(Kind.WRONG_WARNING, p, m.name(), point, "not differentiated",
                        "Leibniz warns that the partial of '" + name + "' is always 0, but " + m.name()
                                + " does not differentiate it", pullbackSource);
            }
            if (!allZero(grad[k + 1])) {
                return new Failure(Kind.WRONG_WARNING, p, m.name(), point, "nonzero",
                        "Leibniz warns that the partial of '" + name + "' is always 0, but the gradient's is "
                                + formatValue(grad[k + 1]), pullbackSource);
            }
            stats.warnedZero.incrementAndGet();
        }
        return null;
    }

    /** Whether a gradient component (a double, double[] or double[][]) is 0 (or -0) throughout. */
    private static boolean allZero(Object component) {
        if (component instanceof Double d) {
            return d == 0;
        }
        if (component instanceof double[] d) {
            return Arrays.stream(d).allMatch(v -> v == 0);
        }
        if (component instanceof double[][] m) {
            return Arrays.stream(m).allMatch(Harness::allZero);
        }
        return false;
    }

    static Failure checkPoint(Loaded loaded, Program p, Method m, Map<String, Object> point, Stats stats) {
        Object[] args = point.values().toArray();
        List<Param> differentiated = m.differentiated();
        List<Param> shadows = differentiated.stream().filter(q -> q.type().isArray()).toList();
        List<Class<?>> types = types(m.params());
        List<Class<?>> pullbackTypes = new ArrayList<>(types);
        pullbackTypes.add(double.class);
        pullbackTypes.addAll(types(shadows));
        List<Class<?>> accumulateTypes = new ArrayList<>(types);
        accumulateTypes.addAll(types(shadows));
        accumulateTypes.add(Tape.class);
        java.lang.reflect.Method original = find(loaded.original, m.name(), types);
        java.lang.reflect.Method gradient = find(loaded.gradient, m.name(), types);
        java.lang.reflect.Method pullback = find(loaded.gradient, m.name() + "Pullback", pullbackTypes);
        java.lang.reflect.Method accumulate = shadows.isEmpty() ? null
                : find(loaded.gradient, m.name() + "Accumulate", accumulateTypes);
        String pullbackSource = pullbackSource(loaded.generatedSource, m.name());
        if (original == null || gradient == null || pullback == null || !shadows.isEmpty() && accumulate == null) {
            return new Failure(Kind.WRONG_RECORD, p, m.name(), point, "missing",
                    "the generated class lacks " + m.name() + ", " + m.name() + "Pullback" + (shadows.isEmpty() ? ""
                            : " or " + m.name() + "Accumulate") + " with the expected parameters", pullbackSource);
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
                    "the gradient throws " + g.thrown() + " where the original returns " + expected
                            + stackTop(g.thrown()), pullbackSource);
        }
        String differ = argsDiffer(m, o.after(), g.after());
        if (differ != null) {
            return new Failure(Kind.WRONG_SIDE_EFFECT, p, m.name(), point, "gradient",
                    "after the gradient, " + differ, pullbackSource);
        }
        Object[] grad = components(g.value());
        List<String> expectedNames = new ArrayList<>();
        expectedNames.add("value");
        differentiated.forEach(q -> expectedNames.add(q.name()));
        List<String> names = Arrays.stream(g.value().getClass().getRecordComponents()).map(RecordComponent::getName).toList();
        if (!names.equals(expectedNames)) {
            return new Failure(Kind.WRONG_RECORD, p, m.name(), point, "components",
                    "the record's components are " + names + ", expected " + expectedNames, pullbackSource);
        }
        for (int k = 0; k < differentiated.size(); k++) {
            Param q = differentiated.get(k);
            if (q.type().isArray() && !sameShape(args[m.params().indexOf(q)], grad[k + 1])) {
                return new Failure(Kind.WRONG_RECORD, p, m.name(), point, "shape",
                        "the record's " + q.name() + " is " + formatValue(grad[k + 1]) + ", not shaped like the argument",
                        pullbackSource);
            }
        }
        Failure warning = checkZeroPartials(loaded, p, m, point, grad, pullbackSource, stats);
        if (warning != null) {
            return warning;
        }
        if (!same(expected, (double) grad[0])) {
            return new Failure(Kind.WRONG_VALUE, p, m.name(), point, "value",
                    "value: the original returns " + expected + " but the gradient's value is " + grad[0]
                            + " (difference " + ((double) grad[0] - expected) + ")", pullbackSource);
        }
        Failure pb = checkPullback(pullback, p, m, point, o, grad, shadows, pullbackSource);
        // A seed scales every adjoint, and their rounding: next to huge intermediates that is not a bug (below)
        Failure unscaled = pb != null && pb.kind() == Kind.WRONG_PULLBACK ? pb : null;
        if (unscaled != null) {
            pb = null;
        }
        if (pb == null && accumulate != null) {
            pb = checkAccumulate(accumulate, p, m, point, o, grad, shadows, pullbackSource);
        }
        if (pb != null) {
            return pb;
        }
        if (!Double.isFinite(expected)) {
            if (unscaled != null) {
                return unscaled;
            }
            stats.skippedPoints.incrementAndGet();
            return null;
        }
        Sampler sampler = new Sampler(loaded, original, types, m.name());
        double twinValue = sampler.start(args);
        if (!same(twinValue, expected)) {
            return new Failure(Kind.INVALID_PROGRAM, p, m.name(), point, "twin",
                    "the harness's traced twin returns " + twinValue + ", the original " + expected, "");
        }
        if (unscaled != null) {
            // Rounding next to huge numbers excuses a difference in digits, never a non-finite adjoint
            if (sampler.largestIntermediate <= ABSORBING && !sampler.overflows || unscaled.key().endsWith(NOT_FINITE)) {
                return unscaled;
            }
            stats.inconclusive.incrementAndGet();
        }
        if (sampler.overflows) {
            stats.skippedPoints.incrementAndGet();
            return null;
        }
        if (sampler.singular || sampler.cancels) {
            (sampler.singular ? stats.singularPoints : stats.cancelledPoints).incrementAndGet();
            return null;
        }
        Failure tangentMode = checkDifferential(loaded, p, m, point, o, grad, pullbackSource,
                sampler.largestIntermediate, stats);
        if (tangentMode != null) {
            return tangentMode;
        }
        for (Coord c : coordinates(m, args)) {
            double ad = c.in(grad);
            double x = c.get(args);
            double scale = Math.max(1, Math.abs(x));
            sampler.switched = false;
            double coarse = richardson(sampler, args, c, COARSE_STEP * scale);
            double fine = richardson(sampler, args, c, FINE_STEP * scale);
            if (sampler.switched) {
                stats.pathChanges.incrementAndGet();
                continue;
            }
            if (Double.isFinite(coarse) && Double.isFinite(fine) && agree(coarse, fine, expected)
                    && (close(ad, coarse, expected) || close(ad, fine, expected))) {
                stats.partials.incrementAndGet();
                if (c.row() >= 0) {
                    stats.elementPartials.incrementAndGet();
                }
                continue;
            }
            // At a kink or a jump at x itself central differences give the mean of the one-sided slopes at every
            // step, so the two steps agree; the one-sided differences do not.
            double forward = oneSided(sampler, args, c, ONE_SIDED_STEP * scale);
            double backward = oneSided(sampler, args, c, -ONE_SIDED_STEP * scale);
            if (sampler.switched) {
                stats.pathChanges.incrementAndGet();
                continue;
            }
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
                    Outcome o2 = call(gradient, c.with(args, x + (side == 0 ? 1 : -1) * ISOLATED_STEP * scale));
                    if (o2.thrown() == null) {
                        beside[side] = c.in(components(o2.value()));
                    }
                }
                if (close(beside[0], coarse, expected) || close(beside[1], coarse, expected)
                        || close(beside[0], fine, expected) || close(beside[1], fine, expected)) {
                    stats.isolated.incrementAndGet();
                    continue;
                }
                // A gradient that jumps around beside x belongs to a function oscillating faster than finite
                // differences resolve (sin of a huge argument); a staircase far finer than the steps (round of a
                // steep function) takes integer values everywhere; a number added to a huge intermediate moves
                // nothing finite differences see. None of them says anything about the processor.
                if (!consistent(ad, beside[0]) || !consistent(ad, beside[1])
                        || sampler.largestIntermediate > ABSORBING && Double.isFinite(ad)
                        || sampler.largestIntermediate > SQUARE_OVERFLOWS
                        || (coarse != 0 || fine != 0) && integerValued(original, args, c, scale)
                        || jumpsNear(original, args, c, scale, fine, expected)
                        || staircase(original, args, c, scale, fine, expected)) {
                    stats.inconclusive.incrementAndGet();
                    continue;
                }
                stats.partials.incrementAndGet();
                return new Failure(Kind.WRONG_DERIVATIVE, p, m.name(), point,
                        Double.isFinite(ad) ? "derivative" : "derivative not finite",
                        "d/d" + c.label() + ": the gradient says " + ad + " but finite differences give "
                                + coarse + " (h=" + COARSE_STEP * scale + ") and " + fine + " (h=" + FINE_STEP * scale
                                + "); value " + expected + "; whole gradient " + formatValue(grad)
                                + "; the gradient beside x: " + beside[0] + " and " + beside[1], pullbackSource);
            }
            stats.partials.incrementAndGet();
            if (c.row() >= 0) {
                stats.elementPartials.incrementAndGet();
            }
        }
        return null;
    }

    static String stackTop(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length == 0 ? "" : " at " + trace[0];
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

    private static double richardson(Sampler f, Object[] args, Coord c, double h) {
        double coarse = central(f, args, c, h);
        double fine = central(f, args, c, h / 2);
        return (4 * fine - coarse) / 3;
    }

    /** Two gradients of nearby points that differ by no more than smoothness allows (or are both NaN). */
    static boolean consistent(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
            return Double.compare(a, b) == 0;
        }
        return Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b)) + 1e-6;
    }

    /** The original's value at the arguments with one number moved, or NaN if it throws. */
    private static double valueAt(Sampler f, Object[] args, Coord c, double x) {
        return f.value(c.with(args, x));
    }

    /**
     * Evaluates the original through its traced twin (see {@link Tracing}) where there is one, and notes whether a
     * point takes another path than the point itself.
     */
    static final class Sampler {
        final java.lang.reflect.Method original;
        final java.lang.reflect.Method twin;
        final java.lang.reflect.Field trace;
        final java.lang.reflect.Field nonFinite;
        final java.lang.reflect.Field largest;
        final java.lang.reflect.Field singularFlag;
        final java.lang.reflect.Field cancelsFlag;
        final double largestLiteral;
        long baseline;
        boolean switched;
        /** Whether the point itself computes an infinite or NaN intermediate. */
        boolean overflows;
        /** The largest magnitude of the intermediates at the point itself. */
        double largestIntermediate;
        /** Whether the point itself evaluates a function where its derivative is not finite (0 * infinity). */
        boolean singular;
        /** Whether the point itself cancels a sum to rounding noise: what follows differentiates noise. */
        boolean cancels;

        Sampler(Loaded loaded, java.lang.reflect.Method original, List<Class<?>> types, String name) {
            this.original = original;
            java.lang.reflect.Method t = find(loaded.original, name + Tracing.SUFFIX, types);
            java.lang.reflect.Field field = null;
            java.lang.reflect.Field flag = null;
            java.lang.reflect.Field big = null;
            java.lang.reflect.Field singularity = null;
            java.lang.reflect.Field cancellation = null;
            if (t != null) {
                try {
                    field = loaded.original.getDeclaredField(Tracing.FIELD);
                    field.setAccessible(true);
                    flag = loaded.original.getDeclaredField(Tracing.NON_FINITE);
                    flag.setAccessible(true);
                    big = loaded.original.getDeclaredField(Tracing.LARGEST);
                    big.setAccessible(true);
                    singularity = loaded.original.getDeclaredField(Tracing.SINGULAR);
                    singularity.setAccessible(true);
                    cancellation = loaded.original.getDeclaredField(Tracing.CANCELS);
                    cancellation.setAccessible(true);
                } catch (NoSuchFieldException e) {
                    t = null;
                }
            }
            this.twin = t;
            this.trace = field;
            this.nonFinite = flag;
            this.largest = big;
            this.singularFlag = singularity;
            this.cancelsFlag = cancellation;
            this.largestLiteral = loaded.largestLiteral;
        }

        /** Sets the path that the other points are compared with: the one at {@code args}. */
        double start(Object[] args) {
            try {
                if (nonFinite != null) {
                    nonFinite.setBoolean(null, false);
                    largest.setDouble(null, 0);
                    singularFlag.setBoolean(null, false);
                    cancelsFlag.setBoolean(null, false);
                }
                double v = value(args);
                overflows = nonFinite != null && nonFinite.getBoolean(null);
                singular = nonFinite != null && singularFlag.getBoolean(null);
                cancels = nonFinite != null && cancelsFlag.getBoolean(null);
                largestIntermediate = largest == null ? largestLiteral : largest.getDouble(null);
                baseline = lastTrace;
                switched = false;
                return v;
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }

        private long lastTrace;

        double value(Object[] args) {
            if (twin == null) {
                Outcome o = call(original, args);
                return o.thrown() != null ? Double.NaN : (double) o.value();
            }
            try {
                trace.setLong(null, 0);
                Outcome o = call(twin, args);
                lastTrace = trace.getLong(null);
                if (lastTrace != baseline) {
                    switched = true;
                }
                return o.thrown() != null ? Double.NaN : (double) o.value();
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Whether the original jumps near x: at random points x + t within the coarse step (and very close to x) it
     * does not follow f(x) + t * slope up to curvature. Branches decided by rounding ({@code u > u + 1.0 - 1.0})
     * switch back and forth at random, and the points finite differences sample may happen to agree.
     */
    private static boolean jumpsNear(java.lang.reflect.Method f, Object[] args, Coord c, double scale, double slope,
            double value) {
        double x = c.get(args);
        Random random = new Random(Double.doubleToLongBits(x));
        for (int k = 0; k < 24; k++) {
            double t = (k < 16 ? (random.nextDouble() * 2 - 1) * COARSE_STEP
                    : (k % 2 == 0 ? 1 : -1) * Math.pow(10, -5 - (k - 16) / 2)) * scale;
            Outcome o = call(f, c.with(args, x + t));
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
    private static boolean staircase(java.lang.reflect.Method f, Object[] args, Coord c, double scale, double slope,
            double value) {
        double x = c.get(args);
        double[] offsets = {0, 1e-13, -1e-13, 1e-12, -1e-12, 1e-11, -1e-11};
        double[] values = new double[offsets.length];
        for (int k = 0; k < offsets.length; k++) {
            Outcome o = call(f, c.with(args, x + offsets[k] * scale));
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
    private static boolean integerValued(java.lang.reflect.Method f, Object[] args, Coord c, double scale) {
        double x = c.get(args);
        for (double h : new double[] {0, COARSE_STEP, COARSE_STEP / 2, FINE_STEP, FINE_STEP / 2, ONE_SIDED_STEP,
            ONE_SIDED_STEP / 2}) {
            for (int sign = -1; sign <= 1; sign += 2) {
                Outcome o = call(f, c.with(args, x + sign * h * scale));
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
    private static double oneSided(Sampler f, Object[] args, Coord c, double h) {
        double x = c.get(args);
        double fx = valueAt(f, args, c, x);
        double far = valueAt(f, args, c, x + h);
        double near = valueAt(f, args, c, x + h / 2);
        double coarse = (far - fx) / h;
        double fine = (near - fx) / (h / 2);
        return 2 * fine - coarse;
    }

    private static double central(Sampler f, Object[] args, Coord c, double h) {
        double x = c.get(args);
        return (valueAt(f, args, c, x + h) - valueAt(f, args, c, x - h)) / (2 * h);
    }

    /**
     * {@code fDifferential(args..., tangents...)} along a random tangent: the value bit for bit, the arrays left as
     * the original leaves them, the caller's tangent arrays untouched, and the differential equal to the gradient
     * dotted with the tangent — to 1e-9 of the sum of the terms' magnitudes, since each mode rounds its own way
     * (cancellation inside one mode alone reaches 1e-12 relative); inconclusive where intermediates are huge.
     */
    private static Failure checkDifferential(Loaded loaded, Program p, Method m, Map<String, Object> point,
            Outcome original, Object[] grad, String source, double largestIntermediate, Stats stats) {
        List<Param> differentiated = m.differentiated();
        List<Class<?>> types = types(m.params());
        types.addAll(types(differentiated));
        java.lang.reflect.Method differential = find(loaded.gradient, m.name() + "Differential", types);
        if (differential == null) {
            return new Failure(Kind.WRONG_RECORD, p, m.name(), point, "missing",
                    "the generated class lacks " + m.name() + "Differential with the expected parameters", source);
        }
        Object[] args = point.values().toArray();
        Random random = new Random(Arrays.deepHashCode(args));
        Object[] all = Arrays.copyOf(copyArgs(args), args.length + differentiated.size());
        double dot = 0;
        double magnitude = 0;
        for (int k = 0; k < differentiated.size(); k++) {
            Param q = differentiated.get(k);
            Object arg = args[m.params().indexOf(q)];
            Object tangent = q.type().isArray() ? shaped(arg, random) : Math.round((random.nextDouble() * 2 - 1) * 1e4) / 1e4;
            all[args.length + k] = tangent;
            double[] terms = dotTerms(grad[k + 1], tangent);
            dot += terms[0];
            magnitude += terms[1];
        }
        Object[] tangentsBefore = copyArgs(Arrays.copyOfRange(all, args.length, all.length));
        Outcome d = invoke(differential, all);
        if (d.thrown() != null) {
            return new Failure(Kind.WRONG_DIFFERENTIAL, p, m.name(), point, "throws",
                    "the differential throws " + d.thrown() + stackTop(d.thrown()), source);
        }
        String differ = argsDiffer(m, original.after(), d.after());
        if (differ != null) {
            return new Failure(Kind.WRONG_SIDE_EFFECT, p, m.name(), point, "differential",
                    "after the differential, " + differ, source);
        }
        if (!Arrays.deepEquals(tangentsBefore, Arrays.copyOfRange(all, args.length, all.length))) {
            return new Failure(Kind.WRONG_DIFFERENTIAL, p, m.name(), point, "tangents",
                    "the differential wrote into the caller's tangent arrays", source);
        }
        Object[] result = components(d.value());
        if (!same((double) result[0], (double) grad[0])) {
            return new Failure(Kind.WRONG_DIFFERENTIAL, p, m.name(), point, "value",
                    "the differential's value is " + result[0] + ", the gradient's " + grad[0], source);
        }
        double df = (double) result[1];
        boolean agree = Double.isFinite(dot) ? Math.abs(df - dot) <= 1e-9 * Math.max(1, magnitude)
                : !Double.isFinite(df);
        boolean hugeIntermediates = largestIntermediate > ABSORBING;
        if (!agree && (hugeIntermediates && (Double.isFinite(df) == Double.isFinite(dot) || Double.isFinite(dot))
                || largestIntermediate > SQUARE_OVERFLOWS)) {
            // The two modes sum the same products in different orders; next to numbers beyond 1e6 the cancellation
            // inside one sum can exceed any tolerance a comparison could use (x / hypot(x, 1) at x = 5e6). And a
            // tangent may overflow where no value does (tanh(1e300 * f) saturates; its tangent 1e300 * df does not
            // fit), giving NaN where reverse mode multiplies by the zero first. The gradient is still compared with
            // finite differences; a non-finite gradient beside a finite differential is excused only next to
            // intermediates whose squares overflow (SQUARE_OVERFLOWS).
            stats.inconclusive.incrementAndGet();
            return null;
        }
        if (!agree) {
            return new Failure(Kind.WRONG_DIFFERENTIAL, p, m.name(), point, "differential",
                    "the differential is " + df + " but the gradient dotted with the tangent is " + dot, source);
        }
        return null;
    }

    /** The sum of {@code gradient · tangent} and of its terms' magnitudes, for a scalar, double[] or double[][]. */
    private static double[] dotTerms(Object gradient, Object tangent) {
        if (gradient instanceof Double g) {
            double t = (double) tangent;
            return new double[] {g * t, Math.abs(g * t)};
        }
        if (gradient instanceof double[][] g) {
            double[] sum = new double[2];
            for (int i = 0; i < g.length; i++) {
                double[] row = dotTerms(g[i], ((double[][]) tangent)[i]);
                sum[0] += row[0];
                sum[1] += row[1];
            }
            return sum;
        }
        double[] g = (double[]) gradient;
        double[] t = (double[]) tangent;
        double[] sum = new double[2];
        for (int i = 0; i < g.length; i++) {
            sum[0] += g[i] * t[i];
            sum[1] += Math.abs(g[i] * t[i]);
        }
        return sum;
    }

    /**
     * The pullback with seed -2 and zeroed arrays returns (and adds into the arrays) exactly -2 times the gradient
     * (scaling by a power of two is exact in linear code); with seed 4 and arrays already holding numbers, returns
     * exactly 4 times it and adds 4 times it into the arrays up to the rounding of that addition. Powers of two,
     * because a reverse sweep that sums large terms which cancel (a product with 1e10 in it) rounds them differently
     * under another seed, by more than any tolerance relative to the result. Its value is the original's, bit for
     * bit, and so are the arrays it leaves.
     */
    private static Failure checkPullback(java.lang.reflect.Method pullback, Program p, Method m,
            Map<String, Object> point, Outcome original, Object[] grad, List<Param> shadows, String source) {
        Object[] args = point.values().toArray();
        int n = args.length;
        List<Param> differentiated = m.differentiated();
        Random fill = new Random(Arrays.deepHashCode(args));
        for (double seed : new double[] {-2.0, 4.0}) {
            Object[] full = Arrays.copyOf(args, n + 1 + shadows.size());
            full[n] = seed;
            for (int j = 0; j < shadows.size(); j++) {
                full[n + 1 + j] = shaped(args[m.params().indexOf(shadows.get(j))], seed == -2.0 ? null : fill);
            }
            Object[] before = copyArgs(full);
            Outcome o = call(pullback, full);
            if (o.thrown() != null) {
                return new Failure(Kind.GRADIENT_THREW, p, m.name(), point, o.thrown().getClass().getName(),
                        "the pullback with seed " + seed + " throws " + o.thrown() + stackTop(o.thrown()), source);
            }
            String differ = argsDiffer(m, original.after(), o.after());
            if (differ != null) {
                return new Failure(Kind.WRONG_SIDE_EFFECT, p, m.name(), point, "pullback",
                        "after the pullback with seed " + seed + ", " + differ, source);
            }
            Object[] pulled = o.value() instanceof Double d ? new Object[] {d} : components(o.value());
            boolean scalars = differentiated.stream().anyMatch(q -> q.type() == Type.DOUBLE);
            if (scalars && pulled.length != grad.length) {
                return new Failure(Kind.WRONG_RECORD, p, m.name(), point, "pullback record",
                        "the pullback returns " + formatValue(pulled) + ", not the record", source);
            }
            if (!same((double) pulled[0], (double) grad[0])) {
                return new Failure(Kind.WRONG_PULLBACK, p, m.name(), point, "pullback",
                        "pullback value with seed " + seed + " is " + pulled[0] + ", the gradient's " + grad[0], source);
            }
            for (int k = 0; k < differentiated.size(); k++) {
                Param q = differentiated.get(k);
                if (q.type() == Type.DOUBLE) {
                    if (!scaled((double) grad[k + 1], seed, 0, (double) pulled[k + 1])) {
                        return new Failure(Kind.WRONG_PULLBACK, p, m.name(), point,
                                "pullback" + finiteness(seed * (double) grad[k + 1], (double) pulled[k + 1]),
                                "pullback with seed " + seed + ": d" + q.name() + " is " + pulled[k + 1]
                                        + ", expected " + seed + " * " + grad[k + 1] + " = " + seed * (double) grad[k + 1]
                                        + "; gradient " + formatValue(grad) + ", pullback " + formatValue(pulled), source);
                    }
                } else {
                    int j = shadows.indexOf(q);
                    String wrong = scaledArray(grad[k + 1], seed, before[n + 1 + j], o.after()[n + 1 + j], "");
                    if (wrong != null) {
                        return new Failure(Kind.WRONG_PULLBACK, p, m.name(), point,
                                "pullback array" + (wrong.contains(NOT_FINITE) ? NOT_FINITE : ""),
                                "pullback with seed " + seed + ": d" + q.name() + wrong + "; the gradient's "
                                        + formatValue(grad[k + 1]) + ", the array before " + formatValue(before[n + 1 + j])
                                        + " and after " + formatValue(o.after()[n + 1 + j]), source);
                    }
                }
            }
        }
        return null;
    }

    /** Marks a failure where one of two numbers compared is finite and the other is not. */
    static final String NOT_FINITE = " not finite";

    private static String finiteness(double want, double actual) {
        return Double.isFinite(want) == Double.isFinite(actual) ? "" : NOT_FINITE;
    }

    /** Whether {@code actual} is {@code start + seed * gradient}: exactly from 0 (seeds are powers of two), else up to rounding. */
    private static boolean scaled(double gradient, double seed, double start, double actual) {
        double want = start + seed * gradient;
        if (Double.isNaN(want) || Double.isNaN(actual)) {
            return Double.isNaN(want) && Double.isNaN(actual);
        }
        if (start == 0) {
            // exact, as scaling by a power of two is, unless adjoints went subnormal and rounded on the way
            return want == actual || Math.abs(want - actual) < Double.MIN_NORMAL;
        }
        return want == actual || Math.abs(want - actual) <= 1e-6 * Math.max(1, Math.max(Math.abs(want), Math.abs(start)));
    }

    /** Where an array the pullback added into is not {@code before + seed * gradient}, or null. */
    private static String scaledArray(Object gradient, double seed, Object before, Object after, String at) {
        if (gradient instanceof double[][] g) {
            double[][] b = (double[][]) before;
            double[][] a = (double[][]) after;
            for (int i = 0; i < g.length; i++) {
                String wrong = scaledArray(g[i], seed, b[i], a[i], at + "[" + i + "]");
                if (wrong != null) {
                    return wrong;
                }
            }
            return null;
        }
        double[] g = (double[]) gradient;
        double[] b = (double[]) before;
        double[] a = (double[]) after;
        for (int i = 0; i < g.length; i++) {
            if (!scaled(g[i], seed, b[i], a[i])) {
                return at + "[" + i + "] is " + a[i] + ", expected " + b[i] + " + " + seed + " * " + g[i] + " = "
                        + (b[i] + seed * g[i]) + finiteness(b[i] + seed * g[i], a[i]);
            }
        }
        return null;
    }

    /**
     * {@code fAccumulate(args..., dArrays..., tape)} from zeroed arrays, twice with one tape (which it clears and
     * reuses): each time the gradient's value, scalar partials (returned beside the value in a record when scalars
     * are differentiated) and arrays, bit for bit.
     */
    private static Failure checkAccumulate(java.lang.reflect.Method accumulate, Program p, Method m,
            Map<String, Object> point, Outcome original, Object[] grad, List<Param> shadows, String source) {
        Tape tape = new Tape();
        for (String time : new String[] {"", " (the second call on one tape)"}) {
            Failure f = checkAccumulate(accumulate, p, m, point, original, grad, shadows, source, tape, time);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static Failure checkAccumulate(java.lang.reflect.Method accumulate, Program p, Method m,
            Map<String, Object> point, Outcome original, Object[] grad, List<Param> shadows, String source,
            Tape tape, String time) {
        Object[] args = point.values().toArray();
        int n = args.length;
        Object[] full = Arrays.copyOf(args, n + shadows.size() + 1);
        for (int j = 0; j < shadows.size(); j++) {
            full[n + j] = shaped(args[m.params().indexOf(shadows.get(j))], null);
        }
        Object[] copies = copyArgs(Arrays.copyOf(full, n + shadows.size()));
        System.arraycopy(copies, 0, full, 0, copies.length);
        full[n + shadows.size()] = tape;
        Outcome o = invoke(accumulate, full);
        if (o.thrown() != null) {
            return new Failure(Kind.GRADIENT_THREW, p, m.name(), point, o.thrown().getClass().getName(),
                    "the Accumulate form throws " + o.thrown() + stackTop(o.thrown()) + time, source);
        }
        String differ = argsDiffer(m, original.after(), o.after());
        if (differ != null) {
            return new Failure(Kind.WRONG_SIDE_EFFECT, p, m.name(), point, "accumulate",
                    "after the Accumulate form" + time + ", " + differ, source);
        }
        List<Param> differentiated = m.differentiated();
        List<Param> scalars = differentiated.stream().filter(q -> !q.type().isArray()).toList();
        List<String> expectedNames = new ArrayList<>(List.of("value"));
        scalars.forEach(q -> expectedNames.add(q.name()));
        List<String> names = o.value() instanceof Record r
                ? Arrays.stream(r.getClass().getRecordComponents()).map(RecordComponent::getName).toList()
                : List.of("value");
        if (!names.equals(expectedNames)) {
            return new Failure(Kind.WRONG_ACCUMULATE, p, m.name(), point, "components",
                    "the Accumulate form returns " + names + time + ", expected " + expectedNames, source);
        }
        Object[] returned = scalars.isEmpty() ? new Object[] {o.value()} : components(o.value());
        if (!same((double) returned[0], (double) grad[0])) {
            return new Failure(Kind.WRONG_ACCUMULATE, p, m.name(), point, "value",
                    "the Accumulate form returns " + returned[0] + time + ", the gradient's value is " + grad[0],
                    source);
        }
        for (int k = 0; k < scalars.size(); k++) {
            Object want = grad[differentiated.indexOf(scalars.get(k)) + 1];
            if (!same((double) returned[k + 1], (double) want)) {
                return new Failure(Kind.WRONG_ACCUMULATE, p, m.name(), point, "scalars",
                        "the Accumulate form returns " + returned[k + 1] + " for d" + scalars.get(k).name() + time
                                + "; the gradient's is " + want, source);
            }
        }
        for (int j = 0; j < shadows.size(); j++) {
            Object want = grad[differentiated.indexOf(shadows.get(j)) + 1];
            String wrong = scaledArray(want, 1.0, shaped(want, null), o.after()[n + j], "");
            boolean exact = want instanceof double[][] w ? Arrays.deepEquals(w, (Object[]) o.after()[n + j])
                    : Arrays.equals((double[]) want, (double[]) o.after()[n + j]);
            if (wrong != null || !exact) {
                return new Failure(Kind.WRONG_ACCUMULATE, p, m.name(), point, "arrays",
                        "the Accumulate form adds " + formatValue(o.after()[n + j]) + " into d" + shadows.get(j).name()
                                + time + "; the gradient's is " + formatValue(want), source);
            }
        }
        return null;
    }
}
