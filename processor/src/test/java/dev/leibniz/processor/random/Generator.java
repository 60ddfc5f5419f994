package dev.leibniz.processor.random;

import dev.leibniz.processor.random.Ast.ArrayLit;
import dev.leibniz.processor.random.Ast.Assign;
import dev.leibniz.processor.random.Ast.AssignExpr;
import dev.leibniz.processor.random.Ast.StepExpr;
import dev.leibniz.processor.random.Ast.Binary;
import dev.leibniz.processor.random.Ast.Block;
import dev.leibniz.processor.random.Ast.Break;
import dev.leibniz.processor.random.Ast.Call;
import dev.leibniz.processor.random.Ast.Cast;
import dev.leibniz.processor.random.Ast.Cond;
import dev.leibniz.processor.random.Ast.Continue;
import dev.leibniz.processor.random.Ast.Decl;
import dev.leibniz.processor.random.Ast.DoWhile;
import dev.leibniz.processor.random.Ast.Expr;
import dev.leibniz.processor.random.Ast.For;
import dev.leibniz.processor.random.Ast.ForEach;
import dev.leibniz.processor.random.Ast.Free;
import dev.leibniz.processor.random.Ast.If;
import dev.leibniz.processor.random.Ast.Index;
import dev.leibniz.processor.random.Ast.Length;
import dev.leibniz.processor.random.Ast.Lit;
import dev.leibniz.processor.random.Ast.Locked;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.NewArray;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Paren;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Return;
import dev.leibniz.processor.random.Ast.Step;
import dev.leibniz.processor.random.Ast.Stmt;
import dev.leibniz.processor.random.Ast.Store;
import dev.leibniz.processor.random.Ast.Tick;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.processor.random.Ast.Unary;
import dev.leibniz.processor.random.Ast.Var;
import dev.leibniz.processor.random.Ast.While;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Generates random, well-typed, terminating {@code @Differentiable} methods in the subset Leibniz supports: no
 * switches; locals assigned before use (javac's definite assignment, tracked conservatively); no statement after
 * one that cannot complete normally; Math functions only where they are defined and smooth enough for finite
 * differences (logarithms of {@code 1 + u * u}, exponentials of bounded arguments, divisions by denominators
 * bounded away from zero), except in the untaken branch of a guard ({@code x > 0 ? log(x) : 0}). A program is one
 * to three methods; each may call the ones generated before it, so nothing recurses.
 *
 * <p>Some programs have loops, some arrays, some both:
 * <ul>
 *   <li>{@code for} loops counting up, down, from 1 (so that {@code i - 1} indexes too) or in steps of two, bounded
 *       by a literal, {@code STEPS}, {@code Math.min(n, 4)}, an array's length or a row's; {@code while} and
 *       {@code do} loops whose condition may depend on a differentiated value but always also bounds a counter, and
 *       whose body may move that value towards ending the loop ({@code while (v > 1 && k < 4) { k++; v /= 2; }});
 *       enhanced {@code for} over arrays, rows of a matrix and a matrix's rows; at most two loops deep. Inside
 *       them: loop-carried accumulations and recurrences, ifs, ternaries, calls, element writes, and {@code break},
 *       {@code continue} (labelled too) and {@code return} under conditions.
 *   <li>{@code double[]}, {@code double[][]}, {@code int[]} and {@code boolean[]} parameters (an int[]'s elements
 *       are never negative: the harness passes 0 to 5), local arrays ({@code new double[n][m]}, initialisers,
 *       ragged ones too, aliases, rows of other arrays: {@code double[] r = m[i]}), reassigned local arrays and
 *       swaps, element reads, writes, compound updates and overwrites of one element. Every index is in range by
 *       construction: a counter of a loop bounded by an array of the same length (arrays carry a key for their
 *       length, see {@code lengthKey}), 0, {@code length - 1}, {@code k % a.length} for a never negative k,
 *       {@code Math.floorMod(e, a.length)} and the like; every array has at least one element.
 *   <li>Calls pass arrays too (variables, rows, initialisers); a method that others may call (all but the last)
 *       never writes into an array it did not allocate itself, since callers may not differentiate through such a
 *       call, and keeps the names of the arrays it writes apart from those it binds to others' arrays, as the
 *       processor tells by names. The last method may write into its parameter arrays, which the harness checks
 *       as a side effect. Parameters that a callee's {@code wrt} leaves out get constants.
 *   <li>Sometimes {@code @Differentiable(wrt = ...)} names a subset of the parameters.
 * </ul>
 * Termination is structural, so that the shrinker cannot break it: loop headers are {@link Ast.Locked}, counters
 * are never assigned elsewhere, and the step of a while counter is an {@link Ast.Tick}, first in the body (so that
 * continue may go to the next iteration), which the shrinker keeps.
 *
 * <p>Constructs the processor is known to get wrong can be left out with {@code -Dleibniz.random.<name>=false} (see
 * the switches below); all are on by default.
 */
final class Generator {
    private static final String[] DOUBLE_PARAMS = {"x", "y", "z", "w", "u", "v", "a", "b", "c", "s", "rate", "theta"};
    /** Names the generated code also likes to use (adjoints, temporaries, the pullback's seed). */
    private static final String[] TRICKY_PARAMS = {"dx", "t1", "dValue", "dy", "t", "exp", "sin", "x0", "dt1"};
    private static final String[] INT_PARAMS = {"n", "m", "k", "i", "j"};
    private static final String[] BOOLEAN_PARAMS = {"flag", "p", "q", "on"};
    private static final String[] LONG_PARAMS = {"big", "count"};
    private static final String[] DOUBLE_LOCALS = {"r", "s", "t", "q", "acc", "tmp", "g", "h", "e", "f", "y2"};
    private static final String[] TRICKY_LOCALS = {"t1", "t2", "dx", "dy", "dt", "dValue", "value", "returned",
        "branch1", "xBefore3", "sin", "exp", "result", "exit", "dr", "old"};
    private static final String[] INT_LOCALS = {"i", "j", "k", "cnt", "idx", "n2", "steps"};
    private static final String[] LONG_LOCALS = {"total", "ticks", "mm", "n3"};
    private static final String[] BOOLEAN_LOCALS = {"ok", "big", "flip", "neg", "pos", "done"};
    private static final String[] DOUBLE_LITERALS = {"0.5", "2.0", "1.5", "3.0", "0.25", "2d", "1e-1", "0x1p1",
        "1.0", "0.75", "4.0", "1_0.0", "0.1", ".5"};
    private static final String[] INT_LITERALS = {"0", "1", "2", "3", "4", "1", "2", "0b11", "0x2"};
    private static final String[] DOUBLE_ARRAY_PARAMS = {"a", "b", "xs", "ws", "v", "coef", "data", "p", "q"};
    /** An array parameter named like the gradient buffer of another ({@code da} for {@code a}), and the like. */
    private static final String[] TRICKY_ARRAY_PARAMS = {"da", "dxs", "aAfter", "tape", "trips", "i2"};
    private static final String[] MATRIX_PARAMS = {"m", "grid", "mat", "rows", "dm"};
    private static final String[] INT_ARRAY_PARAMS = {"idx", "ks", "perm", "order"};
    private static final String[] BOOLEAN_ARRAY_PARAMS = {"mask", "use", "bits"};
    private static final String[] ARRAY_LOCALS = {"t", "buf", "tmp", "out", "row", "r", "cs", "prev", "dt", "arr"};
    private static final String[] MATRIX_LOCALS = {"g", "mm", "table", "pair"};
    private static final String[] COUNTERS = {"i", "j", "k", "l", "i2", "jj"};
    private static final String[] WHILE_COUNTERS = {"k", "iter", "steps", "count", "n2", "guard"};
    private static final String[] LABELS = {"outer", "scan", "search", "rows", "sweep", "loop"};

    /** Probability that a program has loops; that it has arrays (independently). */
    static final double LOOP_PROGRAMS = doubleProperty("leibniz.random.loopPrograms", 0.55);
    static final double ARRAY_PROGRAMS = doubleProperty("leibniz.random.arrayPrograms", 0.5);

    /*
     * Switches for constructs that the processor gets wrong at the moment, so that a run can check everything else:
     * -Dleibniz.random.<name>=false leaves the construct out. All are on by default: the regular run must not look
     * away from a bug.
     */
    /** Row aliases ({@code double[] r = m[i];}) and enhanced for over the rows of a double[][]. */
    static final boolean ROW_ALIASES = enabled("rowAliases");
    /** Element writes into the parameter arrays of the last method (helpers never write arrays they do not own). */
    static final boolean PARAM_WRITES = enabled("paramWrites");
    /** Element writes inside an if or loop whose condition reads an array element. */
    static final boolean CONDITION_WRITES = enabled("conditionWrites");
    /** For loops that count in steps of two ({@code i += 2}). */
    static final boolean STRIDE_LOOPS = enabled("strideLoops");
    /** Enhanced for over one row of a double[][] ({@code for (double e : m[i])}). */
    static final boolean ROW_FOR_EACH = enabled("rowForEach");
    /** Array creation expressions as call arguments ({@code f(new double[] {x, 1.0})}). */
    static final boolean ARRAY_LITERAL_ARGUMENTS = enabled("arrayLiteralArguments");
    /** double[][] initialisers whose rows differ in length. */
    static final boolean RAGGED_LITERALS = enabled("raggedLiterals");
    /** Unary operators applied directly to an array element ({@code -a[i]}, {@code !mask[i]}). */
    static final boolean UNARY_ON_ELEMENTS = enabled("unaryOnElements");
    /** Assigning another array to a local array variable ({@code buf = new double[2];}, swaps). */
    static final boolean ARRAY_REASSIGNMENT = enabled("arrayReassignment");

    /**
     * {@code import java.util.*;} and {@code import static java.util.Objects.*;} in every generated file (next to the
     * {@code import static java.lang.Math.*;} that unqualified {@code sin} and {@code PI} use), and indices checked
     * through {@code Objects.checkIndex} and the unqualified {@code checkIndex}.
     */
    static final boolean STAR_IMPORTS = enabled("starImports");
    /**
     * Products and quotients with constants of extreme magnitude, whose value stays finite for moderate operands:
     * {@code e * 1e-300 * 1e300 * 1e10}, {@code e / 1e300 / 1e-10 / 1e-300}, a subnormal factor.
     */
    static final boolean EXTREME_CONSTANTS = enabled("extremeConstants");

    /*
     * Memory effects (issue 13). The processor may refuse a writing helper's call with a compile error at the call
     * (where what it writes carries derivatives the result needs), which the generator marks (Ast.Marked) and the
     * harness accepts there only.
     */
    /** Array parameters reassigned in the method ({@code a = new double[n]}, {@code a = b}, swaps with a buffer). */
    static final boolean PARAM_REASSIGNMENT = enabled("paramReassignment");
    /**
     * Calls at run time with aliased array arguments ({@code f(x, x)}, matrices sharing a row): the harness checks
     * value, side effects and the sum of the aliased partials against finite differences, and accepts an
     * IllegalArgumentException naming both parameters from the generated forms exactly when the method writes the
     * shared array.
     */
    static final boolean ALIASED_CALLS = enabled("aliasedCalls");
    /**
     * Calls of plain (not {@code @Differentiable}) helpers of the class that write into the arrays they are given:
     * {@code scale(w, c)} multiplies {@code w} by {@code c}, {@code tick(n)} increments {@code n[0]}.
     */
    static final boolean WRITING_HELPERS = enabled("writingHelpers");
    /** {@code System.arraycopy}, {@code Arrays.fill}, {@code Arrays.copyOf}, {@code copyOfRange} and {@code clone()}. */
    static final boolean ARRAY_LIBRARY = enabled("arrayLibrary");
    /**
     * Reads of the class's {@code static final} arrays, constant data: {@code TABLE[..]}, {@code GRID[..][..]} (private:
     * copied into the generated class), {@code ORDER[..]} as an index, their lengths ({@link #CONSTANT_DATA_TABLES}).
     */
    static final boolean CONSTANT_DATA = enabled("constantData");
    /**
     * Assignments, compound assignments, {@code ++} and {@code --} inside expressions ({@code (x *= 0.5)},
     * {@code (n++)}), loop conditions included (not a do-while's, whose body may continue).
     */
    static final boolean SIDE_EFFECTS = enabled("sideEffects");

    /** Helpers returning {@code double[]}, called as {@code double[] h = helper(...);} (issue 14). */
    static final boolean ARRAY_HELPERS = enabled("arrayHelpers");

    /**
     * Void helpers writing their result into their last parameter, an array that is an input too, called as a
     * statement on a new array of the caller's: {@code double[] h = {a, b}; helper(..., h);} (issue 14).
     */
    static final boolean VOID_HELPERS = enabled("voidHelpers");
    /** The constant data of every generated class (Java source, indented as members). */
    static final String CONSTANT_DATA_TABLES = """
                static final double[] TABLE = {0.5, -1.25, 2.0, 0.75};
                private static final double[][] GRID = {{1.0, -0.5}, {0.25, 2.0}, {-1.5, 0.75}};
                public static final int[] ORDER = {2, 0, 1};
            """;

    /** Whether {@code -Dleibniz.random.<construct>=false} was not given. */
    static boolean enabled(String construct) {
        return !"false".equals(System.getProperty("leibniz.random." + construct));
    }

    /** The switches that are off, for the run's summary. */
    static String disabledConstructs() {
        List<String> off = new ArrayList<>();
        for (String c : new String[] {"rowAliases", "paramWrites", "conditionWrites", "strideLoops", "rowForEach",
            "arrayLiteralArguments", "raggedLiterals", "unaryOnElements", "arrayReassignment", "starImports",
            "extremeConstants", "paramReassignment", "aliasedCalls", "writingHelpers", "arrayLibrary", "constantData",
            "sideEffects", "arrayHelpers", "voidHelpers"}) {
            if (!enabled(c)) {
                off.add(c);
            }
        }
        return String.join(", ", off);
    }

    /** {@code Arrays}, imported by {@code java.util.*} or qualified. */
    static String arrays() {
        return STAR_IMPORTS ? "Arrays" : "java.util.Arrays";
    }

    private static double doubleProperty(String name, double otherwise) {
        String v = System.getProperty(name);
        return v == null ? otherwise : Double.parseDouble(v);
    }

    /** An index known to be within {@code [0, length)} of every array whose length has the key {@code key}. */
    private record Safe(Expr index, String key) {
    }

    /** An enclosing loop, and whether a jump leaves it or goes on with its next iteration (for reachability). */
    private static final class LoopCtx {
        final String label;
        final boolean isDo;
        boolean broken;
        boolean continued;

        LoopCtx(String label, boolean isDo) {
            this.label = label;
            this.isDo = isDo;
        }
    }

    /** Constants every generated class declares (see {@link Harness#classSource(String, String)}). */
    static final String CONSTANTS = "SCALE, OFFSET (double), STEPS (int), LIMIT (long)";
    /** Plain static helpers every generated class declares, called with int arguments only. */
    static final String HELPERS = "twice(int): int, halfOf(int): double";

    /** Narrowing compound assignments like {@code i += 0.5 * x} warn under -Xlint:all from JDK 20 on. */
    private static final boolean LOSSY_COMPOUND_IS_QUIET = Runtime.version().feature() < 20;

    private final Random rnd;
    private final String prefix;

    Generator(long seed, String prefix) {
        this.rnd = new Random(seed);
        this.prefix = prefix;
    }

    Program program(long seed) {
        int count = chance(0.6) ? 1 : chance(0.6) ? 2 : 3;
        boolean loops = chance(LOOP_PROGRAMS);
        boolean arrays = chance(ARRAY_PROGRAMS);
        List<Method> methods = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            boolean helper = k < count - 1;
            boolean returnsArray = helper && arrays && ARRAY_HELPERS && chance(0.35);
            boolean returnsVoid = helper && arrays && !returnsArray && VOID_HELPERS && chance(0.5);
            methods.add(new MethodGen(prefix + "_" + k, List.copyOf(methods), helper, loops, arrays, returnsArray,
                    returnsVoid).generate());
        }
        return new Program(seed, methods);
    }

    // ------------------------------------------------------------------------------------------------ randomness

    /** A literal, typed the way javac types its text. */
    static Lit lit(String text) {
        Type type;
        if (text.equals("true") || text.equals("false")) {
            type = Type.BOOLEAN;
        } else if (text.startsWith("Math.")) {
            type = Type.DOUBLE;
        } else if (text.endsWith("L")) {
            type = Type.LONG;
        } else if (text.startsWith("0x") ? text.contains("p") : text.matches(".*[.eEdD].*")) {
            type = Type.DOUBLE;
        } else {
            type = Type.INT;
        }
        return new Lit(text, type);
    }

    private boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    private int between(int lo, int hi) {
        return lo + rnd.nextInt(hi - lo + 1);
    }

    private <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    private <T> T pick(T[] array) {
        return array[rnd.nextInt(array.length)];
    }

    /** Picks an alternative by weight; weights of 0 are never picked. */
    private <T> T weighted(Object... weightsAndSuppliers) {
        double total = 0;
        for (int i = 0; i < weightsAndSuppliers.length; i += 2) {
            total += ((Number) weightsAndSuppliers[i]).doubleValue();
        }
        double r = rnd.nextDouble() * total;
        for (int i = 0; i < weightsAndSuppliers.length; i += 2) {
            r -= ((Number) weightsAndSuppliers[i]).doubleValue();
            if (r < 0 && ((Number) weightsAndSuppliers[i]).doubleValue() > 0) {
                @SuppressWarnings("unchecked")
                Supplier<T> s = (Supplier<T>) weightsAndSuppliers[i + 1];
                return s.get();
            }
        }
        for (int i = weightsAndSuppliers.length - 2; i >= 0; i -= 2) {
            if (((Number) weightsAndSuppliers[i]).doubleValue() > 0) {
                @SuppressWarnings("unchecked")
                Supplier<T> s = (Supplier<T>) weightsAndSuppliers[i + 1];
                return s.get();
            }
        }
        throw new IllegalStateException("no alternative");
    }

    // ------------------------------------------------------------------------------------------------ one method

    private final class MethodGen {
        private final String name;
        private final List<Method> callees;
        private final boolean helper;
        /** Innermost scope last; each maps a visible name to its type. */
        private final List<Map<String, Type>> scopes = new ArrayList<>();
        private final Set<String> params = new HashSet<>();
        /** Definitely assigned names (javac's rules, conservatively). */
        private Set<String> assigned = new HashSet<>();
        /** Whether the statement generated last can complete normally. */
        private boolean reachable = true;
        private int budget;
        private int callsLeft;
        private int nesting;
        private int fresh;
        /** Double variables in the order they were last assigned, most recent last. */
        private final List<String> recent = new ArrayList<>();
        private final boolean loops;
        private final boolean arrays;
        /**
         * Names no statement may assign: loop counters, while counters, the variable of an enhanced for, and the
         * arrays whose length bounds an enclosing loop (its counter indexes them).
         */
        private final Set<String> frozen = new HashSet<>();
        /** Int variables that are never negative (counters; the elements of an int[] input). */
        private final Set<String> nonNegative = new HashSet<>();
        /** Array variables and whether they hold arrays this method allocated itself (all of their rows too). */
        private final Map<String, Boolean> owned = new HashMap<>();
        /** The enclosing loops, innermost last. */
        private final List<LoopCtx> loopStack = new ArrayList<>();
        /** Indices known to be in range: counters of enclosing loops bounded by an array's length. */
        private final List<Safe> safe = new ArrayList<>();
        /** Above 0 while generating where an expression may not assign (a do-while's condition). */
        private int noSideEffects;
        /**
         * For each array variable, a key naming its length: equal keys, equal lengths ({@code "3"} for
         * {@code new double[3]} and for {@code STEPS}, {@code "len:a"} for parameter a and arrays allocated as long
         * as it). An array of unknown length gets a key of its own.
         */
        private final Map<String, String> lengthKey = new HashMap<>();
        /** For double[][] variables whose rows all have one length (allocated here), the key of that length. */
        private final Map<String, String> rowKey = new HashMap<>();
        /** Above 0 inside an if whose condition reads an array element, when such ifs may not write elements. */
        private int noStores;
        /**
         * In a helper, the names ever bound to an array it does not own, and the names of arrays it writes: the
         * processor decides whether a method writes into its arguments by names, flow-insensitively, so no name
         * may be in both.
         */
        private final Set<String> aliasNames = new HashSet<>();
        private final Set<String> writtenNames = new HashSet<>();

        /** A helper returning {@code double[]}: no early return, and {@code return new double[] {a, b};} last. */
        private final boolean returnsArray;

        /** A void helper: no early return, and {@code out[0] = ...;} last, into its last parameter. */
        private final boolean returnsVoid;

        MethodGen(String name, List<Method> callees, boolean helper, boolean loops, boolean arrays,
                boolean returnsArray, boolean returnsVoid) {
            this.name = name;
            this.callees = callees;
            this.helper = helper;
            this.loops = loops;
            this.arrays = arrays;
            this.returnsArray = returnsArray;
            this.returnsVoid = returnsVoid;
        }

        Method generate() {
            List<Param> ps = new ArrayList<>(parameters());
            if (returnsVoid) {
                Set<String> taken = new HashSet<>();
                ps.forEach(p -> taken.add(p.name()));
                ps.add(new Param(Type.DOUBLE_ARRAY, unusedName(new String[] {"out", "dst", "res"}, taken)));
            }
            Map<String, Type> paramScope = new LinkedHashMap<>();
            for (Param p : ps) {
                paramScope.put(p.name(), p.type());
                params.add(p.name());
                assigned.add(p.name());
                if (p.type().isArray()) {
                    owned.put(p.name(), false);
                    lengthKey.put(p.name(), "len:" + p.name());
                }
            }
            scopes.add(paramScope);
            if (returnsVoid) {
                // never reassigned, so that the last statement writes the caller's array, and nothing else
                frozen.add(ps.get(ps.size() - 1).name());
            }
            budget = helper ? between(1, 6) : between(2, 11);
            if (loops || arrays) {
                budget += between(0, 3);
            }
            callsLeft = callees.isEmpty() ? 0 : between(1, 3);
            List<Stmt> body = new ArrayList<>();
            if (ps.stream().noneMatch(p -> p.type() == Type.DOUBLE)) {
                body.add(accumulator());
            }
            while (budget > 0 && reachable) {
                body.addAll(statement());
            }
            if (returnsArray) {
                body.add(new Return(new ArrayLit(Type.DOUBLE_ARRAY, List.of(finalValue(), dbl(depth())), false)));
            } else if (returnsVoid) {
                // the output is an input too: its old first element may be read by the value written
                Var out = new Var(ps.get(ps.size() - 1).name(), Type.DOUBLE_ARRAY);
                body.add(new Ast.Store(out, lit("0"), chance(0.3) ? "+=" : "=", finalValue()));
            } else if (reachable) {
                body.add(new Return(finalValue()));
            }
            String modifiers = pick(new String[] {"public", "public", "", "private", "protected"});
            List<String> wrt = wrt(ps);
            if (returnsVoid && !wrt.isEmpty() && !wrt.contains(ps.get(ps.size() - 1).name())) {
                wrt = new ArrayList<>(wrt);
                wrt.add(ps.get(ps.size() - 1).name()); // its output: without it, nothing to differentiate
            }
            return new Method(modifiers, name, ps, body, wrt, returnsArray, returnsVoid);
        }

        /** Mostly none; else a random non-empty subset of the differentiable parameters, in any order. */
        private List<String> wrt(List<Param> ps) {
            List<String> candidates = new ArrayList<>();
            for (Param p : ps) {
                if (p.type().differentiable()) {
                    candidates.add(p.name());
                }
            }
            if (candidates.size() < 2 || !chance(helper ? 0.08 : 0.15)) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            while (out.isEmpty()) {
                for (String c : candidates) {
                    if (chance(0.5)) {
                        out.add(c);
                    }
                }
            }
            java.util.Collections.shuffle(out, rnd);
            return out;
        }

        /** {@code double s = 0.0;} and the like, for a method without double parameters. */
        private Stmt accumulator() {
            String n = newLocal(Type.DOUBLE);
            Expr init = chance(0.5) ? lit(pick(new String[] {"0", "0.0", "1.0", "0.5"})) : dbl(1);
            declare(n, Type.DOUBLE, true);
            return assigning(new Decl(Type.DOUBLE, false, n, init));
        }

        /** The value returned at the end: mostly built on what the method computed last. */
        private Expr finalValue() {
            List<String> fresh = recentlyAssigned();
            if (fresh.isEmpty() || chance(0.3)) {
                return chance(0.85) ? dbl(depth()) : num(depth());
            }
            Expr last = new Var(fresh.get(0), Type.DOUBLE);
            return switch (rnd.nextInt(4)) {
                case 0 -> last;
                case 1 -> new Binary(pick(new String[] {"+", "*", "-"}), last, dbl(depth() - 1));
                case 2 -> chance(0.3) ? new Binary("/", dbl(depth() - 1), positiveOf(last))
                        : new Binary(pick(new String[] {"+", "*", "-"}), dbl(depth() - 1), last);
                default -> mathDouble(2);
            };
        }

        private Expr positiveOf(Expr u) {
            return new Paren(new Binary("+", lit("1"), new Binary("*", u, u)));
        }

        private List<Param> parameters() {
            List<Param> ps = new ArrayList<>();
            Set<String> used = new HashSet<>();
            int doubles = weightedInt(new int[] {1, 2, 3, 4}, new double[] {0.3, 0.35, 0.2, 0.15});
            for (int i = 0; i < doubles; i++) {
                ps.add(new Param(Type.DOUBLE, unusedName(chance(0.06) ? TRICKY_PARAMS : DOUBLE_PARAMS, used)));
            }
            int ints = chance(0.35) ? between(1, 2) : 0;
            for (int i = 0; i < ints; i++) {
                ps.add(new Param(Type.INT, unusedName(INT_PARAMS, used)));
            }
            if (chance(0.25)) {
                ps.add(new Param(Type.BOOLEAN, unusedName(BOOLEAN_PARAMS, used)));
            }
            if (chance(0.07)) {
                ps.add(new Param(Type.LONG, unusedName(LONG_PARAMS, used)));
            }
            if (arrays) {
                if (doubles > 0 && chance(0.3)) {
                    ps.remove(0); // fewer scalars: the arrays carry the data
                }
                int vectors = chance(0.15) ? 0 : chance(0.7) ? 1 : 2;
                for (int i = 0; i < vectors; i++) {
                    ps.add(new Param(Type.DOUBLE_ARRAY,
                            unusedName(chance(0.05) ? TRICKY_ARRAY_PARAMS : DOUBLE_ARRAY_PARAMS, used)));
                }
                if (chance(vectors == 0 ? 0.7 : 0.35)) {
                    ps.add(new Param(Type.DOUBLE_MATRIX, unusedName(MATRIX_PARAMS, used)));
                }
                if (chance(0.3)) {
                    ps.add(new Param(Type.INT_ARRAY, unusedName(INT_ARRAY_PARAMS, used)));
                }
                if (chance(0.12)) {
                    ps.add(new Param(Type.BOOLEAN_ARRAY, unusedName(BOOLEAN_ARRAY_PARAMS, used)));
                }
            }
            if (ps.stream().noneMatch(p -> p.type().differentiable())) {
                ps.add(new Param(Type.DOUBLE, unusedName(DOUBLE_PARAMS, used)));
            }
            // shuffle, keeping at least the relative order of doubles readable
            for (int i = ps.size() - 1; i > 0; i--) {
                if (chance(0.4)) {
                    int j = rnd.nextInt(i + 1);
                    Param t = ps.get(i);
                    ps.set(i, ps.get(j));
                    ps.set(j, t);
                }
            }
            return ps;
        }

        private int weightedInt(int[] values, double[] weights) {
            double r = rnd.nextDouble();
            for (int i = 0; i < values.length; i++) {
                r -= weights[i];
                if (r < 0) {
                    return values[i];
                }
            }
            return values[values.length - 1];
        }

        private String unusedName(String[] pool, Set<String> used) {
            for (int attempt = 0; attempt < 20; attempt++) {
                String n = pick(pool);
                if (used.add(n)) {
                    return n;
                }
            }
            String n;
            do {
                n = "v" + fresh++;
            } while (!used.add(n));
            return n;
        }

        // -------------------------------------------------------------------------------------------- scopes

        private boolean visible(String n) {
            for (Map<String, Type> s : scopes) {
                if (s.containsKey(n)) {
                    return true;
                }
            }
            return false;
        }

        private List<String> readable(Type t) {
            List<String> out = new ArrayList<>();
            for (Map<String, Type> s : scopes) {
                for (Map.Entry<String, Type> e : s.entrySet()) {
                    if (e.getValue() == t && assigned.contains(e.getKey())) {
                        out.add(e.getKey());
                    }
                }
            }
            return out;
        }

        private List<String> declared(Type t) {
            List<String> out = new ArrayList<>();
            for (Map<String, Type> s : scopes) {
                for (Map.Entry<String, Type> e : s.entrySet()) {
                    if (e.getValue() == t) {
                        out.add(e.getKey());
                    }
                }
            }
            return out;
        }

        private String newLocal(Type t) {
            String[] pool = switch (t) {
                case DOUBLE -> chance(0.2) ? TRICKY_LOCALS : DOUBLE_LOCALS;
                case INT -> INT_LOCALS;
                case BOOLEAN -> BOOLEAN_LOCALS;
                case LONG -> LONG_LOCALS;
                case DOUBLE_ARRAY, INT_ARRAY, BOOLEAN_ARRAY -> ARRAY_LOCALS;
                case DOUBLE_MATRIX -> MATRIX_LOCALS;
                case VOID, FLOAT -> throw new IllegalArgumentException("no local is " + t.java);
            };
            return newLocal(pool);
        }

        private String newLocal(String[] pool) {
            for (int attempt = 0; attempt < 10; attempt++) {
                String n = pick(pool);
                if (!visible(n) && !n.equals(name)) {
                    return n;
                }
            }
            String n;
            do {
                n = "l" + fresh++;
            } while (visible(n));
            return n;
        }

        /** The last three double variables assigned that can still be read. */
        private List<String> recentlyAssigned() {
            List<String> readable = readable(Type.DOUBLE);
            List<String> out = new ArrayList<>();
            for (int i = recent.size() - 1; i >= 0 && out.size() < 3; i--) {
                String n = recent.get(i);
                if (readable.contains(n) && !out.contains(n)) {
                    out.add(n);
                }
            }
            return out;
        }

        private Stmt assigning(Stmt s) {
            String n = s instanceof Assign a ? a.name() : s instanceof Decl d ? d.name() : null;
            if (n != null) {
                recent.remove(n);
                recent.add(n);
            }
            return s;
        }

        private void declare(String n, Type t, boolean initialised) {
            // a name declared again is a new variable: the old one is out of scope
            frozen.remove(n);
            nonNegative.remove(n);
            owned.remove(n);
            lengthKey.remove(n);
            rowKey.remove(n);
            scopes.get(scopes.size() - 1).put(n, t);
            if (initialised) {
                assigned.add(n);
            } else {
                assigned.remove(n);
            }
        }

        // -------------------------------------------------------------------------------------------- statements

        private int depth() {
            return weightedInt(new int[] {1, 2, 3, 4}, new double[] {0.2, 0.4, 0.3, 0.1});
        }

        /** One statement, or two (a declaration without initialiser and the statement that assigns it). */
        private List<Stmt> statement() {
            budget--;
            boolean canNest = nesting < 3 && budget > 0;
            boolean inLoop = !loopStack.isEmpty();
            boolean canLoop = loops && loopStack.size() < 2 && nesting < 4 && budget > 0;
            boolean doubles = !assignable(Type.DOUBLE).isEmpty();
            List<Expr> writable = arrays ? writableArrays() : List.of();
            return weighted(
                    14, (Supplier<List<Stmt>>) this::declareDouble,
                    4, (Supplier<List<Stmt>>) () -> declareSimple(Type.INT),
                    2, (Supplier<List<Stmt>>) () -> declareSimple(Type.BOOLEAN),
                    1, (Supplier<List<Stmt>>) this::declareLong,
                    readable(Type.LONG).isEmpty() ? 0 : 1.5, (Supplier<List<Stmt>>) () -> List.of(assignLong()),
                    doubles ? 16 : 0, (Supplier<List<Stmt>>) () -> List.of(assigning(assignDouble())),
                    writableScalars(Type.INT).isEmpty() ? 0 : 4, (Supplier<List<Stmt>>) () -> List.of(assignInt()),
                    writableScalars(Type.BOOLEAN).isEmpty() ? 0 : 1.5, (Supplier<List<Stmt>>) () -> List.of(assignBoolean()),
                    canNest ? 16 : 0, (Supplier<List<Stmt>>) () -> List.of(ifStatement(null)),
                    returnsArray || returnsVoid ? 0 : 5, (Supplier<List<Stmt>>) () -> List.of(guardClause()),
                    doubles && !readable(Type.DOUBLE).isEmpty() ? 4 : 0, (Supplier<List<Stmt>>) () -> List.of(guardedUnsafe()),
                    canNest ? 1 : 0, (Supplier<List<Stmt>>) () -> List.of(block()),
                    canLoop ? (inLoop ? 6 : 16) : 0, (Supplier<List<Stmt>>) this::loop,
                    canLoop && !readable(Type.DOUBLE_MATRIX).isEmpty() ? (inLoop ? 3 : 8) : 0,
                            (Supplier<List<Stmt>>) () -> List.of(matrixSweep()),
                    inLoop ? 5 : 0, (Supplier<List<Stmt>>) () -> List.of(jump()),
                    inLoop && doubles ? 12 : 0, (Supplier<List<Stmt>>) this::loopCarried,
                    arrays ? 5 : 0, (Supplier<List<Stmt>>) this::declareArray,
                    callsLeft > 0 && !callable(true).isEmpty() ? 8 : 0, (Supplier<List<Stmt>>) this::arrayHelperCall,
                    callsLeft > 0 && !voidCallable().isEmpty() ? 12 : 0, (Supplier<List<Stmt>>) this::voidHelperCall,
                    writable.isEmpty() ? 0 : inLoop ? 12 : 5, (Supplier<List<Stmt>>) () -> store(writable),
                    arrays && ARRAY_REASSIGNMENT ? (PARAM_REASSIGNMENT ? 2.5 : 0.7) : 0,
                            (Supplier<List<Stmt>>) this::reassignArray,
                    arrays && WRITING_HELPERS && !writable.isEmpty() ? 3 : 0,
                            (Supplier<List<Stmt>>) () -> writingHelperCall(writable),
                    arrays && ARRAY_LIBRARY ? 4 : 0, (Supplier<List<Stmt>>) () -> arrayLibrary(writable));
        }

        /** Readable variables of type {@code t} that statements may assign. */
        private List<String> writableScalars(Type t) {
            List<String> out = readable(t);
            out.removeAll(frozen);
            return out;
        }

        /** Declared variables of type {@code t} that statements may assign. */
        private List<String> assignable(Type t) {
            List<String> out = declared(t);
            out.removeAll(frozen);
            return out;
        }

        private List<Stmt> declareDouble() {
            String n = newLocal(Type.DOUBLE);
            if (chance(0.25)) {
                declare(n, Type.DOUBLE, false);
                Stmt assign;
                if (nesting < 3 && chance(0.5)) {
                    assign = ifStatement(n);
                } else {
                    assign = new Assign(n, "=", num(depth()));
                    assigned.add(n);
                }
                recent.remove(n);
                recent.add(n);
                return List.of(new Decl(Type.DOUBLE, false, n, null), assign);
            }
            boolean useVar = chance(0.2);
            Expr init = useVar ? dbl(depth()) : num(depth());
            declare(n, Type.DOUBLE, true);
            return List.of(assigning(new Decl(Type.DOUBLE, useVar, n, init)));
        }

        private List<Stmt> declareSimple(Type t) {
            String n = newLocal(t);
            if (chance(0.2)) {
                declare(n, t, false);
                Stmt assign = new Assign(n, "=", t == Type.INT ? integer(depth()) : bool(depth()));
                assigned.add(n);
                return List.of(new Decl(t, false, n, null), assign);
            }
            Expr init = t == Type.INT ? integer(depth()) : bool(depth());
            declare(n, t, true);
            return List.of(new Decl(t, chance(0.2), n, init));
        }

        private Stmt assignDouble() {
            List<String> targets = assignable(Type.DOUBLE);
            String target = pick(targets);
            if (!assigned.contains(target)) {
                Expr value = num(depth());
                assigned.add(target);
                return new Assign(target, "=", value);
            }
            return weighted(
                    40, (Supplier<Stmt>) () -> new Assign(target, "=", num(depth())),
                    20, (Supplier<Stmt>) () -> new Assign(target, "+=", num(depth())),
                    10, (Supplier<Stmt>) () -> new Assign(target, "-=", num(depth())),
                    15, (Supplier<Stmt>) () -> new Assign(target, "*=", num(depth())),
                    10, (Supplier<Stmt>) () -> new Assign(target, "/=", denominator(depth() - 1)),
                    2, (Supplier<Stmt>) () -> new Assign(target, "%=", positive(1)));
        }

        private List<Stmt> declareLong() {
            String n = newLocal(Type.LONG);
            Expr init = chance(0.5) ? integer(depth()) : chance(0.5) ? new Cast(Type.LONG, dbl(depth() - 1))
                    : math("round", Type.LONG, dbl(depth() - 1));
            declare(n, Type.LONG, true);
            return List.of(new Decl(Type.LONG, chance(0.3) && init.type() == Type.LONG, n, init));
        }

        private Stmt assignLong() {
            String target = pick(readable(Type.LONG));
            return weighted(
                    20, (Supplier<Stmt>) () -> new Assign(target, pick(new String[] {"+=", "-=", "*="}), integer(1)),
                    10, (Supplier<Stmt>) () -> new Assign(target, "+=", new Paren(new Cond(bool(1), lit("1"), lit("2")))),
                    10, (Supplier<Stmt>) () -> new Assign(target, "=", new Cast(Type.LONG, dbl(depth() - 1))),
                    5, (Supplier<Stmt>) () -> new Assign(target, "%=", lit(pick(new String[] {"3", "5L"}))),
                    15, (Supplier<Stmt>) () -> new Step(target, chance(0.6) ? "++" : "--", chance(0.3)));
        }

        private Stmt assignInt() {
            String target = pick(writableScalars(Type.INT));
            return weighted(
                    30, (Supplier<Stmt>) () -> new Assign(target, "=", integer(depth())),
                    15, (Supplier<Stmt>) () -> new Assign(target, "+=", integer(depth() - 1)),
                    8, (Supplier<Stmt>) () -> new Assign(target, "-=", integer(depth() - 1)),
                    6, (Supplier<Stmt>) () -> new Assign(target, "*=", integer(1)),
                    2, (Supplier<Stmt>) () -> new Assign(target, "%=", lit(pick(new String[] {"2", "3", "5"}))),
                    LOSSY_COMPOUND_IS_QUIET ? 4 : 0, (Supplier<Stmt>) () -> new Assign(target, "+=", dbl(depth() - 1)),
                    25, (Supplier<Stmt>) () -> new Step(target, chance(0.6) ? "++" : "--", chance(0.3)));
        }

        private Stmt assignBoolean() {
            String target = pick(writableScalars(Type.BOOLEAN));
            String op = pick(new String[] {"=", "=", "=", "&=", "|=", "^="});
            return new Assign(target, op, bool(depth()));
        }

        /**
         * if / if-else / else-if chain. With {@code mustAssign}, every branch that completes normally ends by
         * assigning that (declared, unassigned) local, and the chain always has a final else.
         */
        private Stmt ifStatement(String mustAssign) {
            int condArms;
            boolean finalElse;
            if (mustAssign != null) {
                condArms = between(1, 2);
                finalElse = true;
            } else {
                condArms = weightedInt(new int[] {1, 2, 3}, new double[] {0.6, 0.3, 0.1});
                finalElse = chance(condArms == 1 ? 0.5 : 0.75);
            }
            List<Expr> conds = new ArrayList<>();
            List<List<Stmt>> branches = new ArrayList<>();
            Set<String> before = new HashSet<>(assigned);
            Set<String> after = null; // null: no branch completes normally yet
            int stores = noStores;
            for (int a = 0; a < condArms + (finalElse ? 1 : 0); a++) {
                assigned = new HashSet<>(before);
                reachable = true;
                if (a < condArms) {
                    conds.add(bool(depth()));
                    if (!CONDITION_WRITES && readsElement(conds.get(a))) {
                        noStores = stores + 1;
                    }
                }
                List<Stmt> branch = branch(mustAssign);
                branches.add(branch);
                if (reachable) {
                    if (after == null) {
                        after = new HashSet<>(assigned);
                    } else {
                        after.retainAll(assigned);
                    }
                }
            }
            noStores = stores;
            boolean exhaustive = finalElse;
            if (!exhaustive) {
                after = after == null ? new HashSet<>(before) : intersect(after, before);
            }
            assigned = new HashSet<>(before);
            if (after != null) {
                assigned.addAll(after);
                reachable = true;
            } else {
                reachable = false;
            }
            // Build the chain from the last arm backwards.
            List<Stmt> otherwise = finalElse ? branches.get(branches.size() - 1) : null;
            If chain = null;
            for (int a = condArms - 1; a >= 0; a--) {
                chain = new If(conds.get(a), branches.get(a), otherwise, chance(0.8));
                otherwise = List.of(chain);
            }
            return chain;
        }

        private Set<String> intersect(Set<String> a, Set<String> b) {
            Set<String> out = new HashSet<>(a);
            out.retainAll(b);
            return out;
        }

        private List<Stmt> branch(String mustAssign) {
            nesting++;
            scopes.add(new LinkedHashMap<>());
            List<Stmt> out = new ArrayList<>();
            int n = chance(0.15) && mustAssign == null ? 0 : between(1, 3);
            for (int i = 0; i < n && reachable && (budget > 0 || i == 0); i++) {
                out.addAll(statement());
            }
            if (reachable && !returnsArray && !returnsVoid && chance(0.18)) {
                out.add(new Return(num(depth())));
                reachable = false;
            }
            if (reachable && mustAssign != null && !assigned.contains(mustAssign)) {
                out.add(new Assign(mustAssign, "=", num(depth())));
                assigned.add(mustAssign);
            }
            scopes.remove(scopes.size() - 1);
            nesting--;
            return out;
        }

        private Stmt block() {
            nesting++;
            scopes.add(new LinkedHashMap<>());
            List<Stmt> out = new ArrayList<>();
            int n = between(1, 3);
            for (int i = 0; i < n && reachable && budget > 0; i++) {
                out.addAll(statement());
            }
            scopes.remove(scopes.size() - 1);
            nesting--;
            return new Block(out);
        }

        /** {@code if (c) return e;}: the rest of the method is the else. */
        private Stmt guardClause() {
            Expr cond = bool(depth());
            return new If(cond, List.of(new Return(num(depth()))), null, chance(0.5));
        }

        /**
         * A function used only where the guard makes it defined: {@code if (v > 0) { t = log(v) * e; }}. The
         * value of v outside the guard would give NaN, which must not leak into the derivative.
         */
        private Stmt guardedUnsafe() {
            Expr v = new Var(pick(readable(Type.DOUBLE)), Type.DOUBLE);
            String[] unsafe = guardedFunction(v);
            Expr cond = new Locked(parseGuard(unsafe[0], v), false, true);
            Expr f = new Locked(guardedValue(unsafe[1], v), false, true);
            if (chance(0.5)) {
                f = new Binary(pick(new String[] {"*", "+", "-"}), f, num(depth() - 1));
            }
            List<String> targets = assignable(Type.DOUBLE);
            String target = pick(targets);
            String op = assigned.contains(target) ? pick(new String[] {"=", "+=", "*=", "-="}) : "=";
            Set<String> before = new HashSet<>(assigned);
            Stmt assign = new Assign(target, op, f);
            // assigned only inside the branch: nothing becomes definitely assigned after the if
            assigned = before;
            if (chance(0.3)) {
                List<Stmt> otherwise = List.of(new Assign(target, op.equals("=") ? "=" : op, num(depth() - 1)));
                if (op.equals("=")) {
                    assigned.add(target);
                }
                return new If(cond, List.of(assign), otherwise, chance(0.7));
            }
            return new If(cond, List.of(assign), null, chance(0.7));
        }

        // -------------------------------------------------------------------------------------------- loops

        private String freshLabel() {
            List<String> free = new ArrayList<>();
            for (String l : LABELS) {
                if (loopStack.stream().noneMatch(c -> l.equals(c.label))) {
                    free.add(l);
                }
            }
            return pick(free);
        }

        /** A loop, with the declaration of its counter before it for while and do loops. */
        private List<Stmt> loop() {
            boolean anyArray = !readableArrays().isEmpty();
            return weighted(
                    40, (Supplier<List<Stmt>>) () -> List.of(forLoop()),
                    anyArray ? 18 : 0, (Supplier<List<Stmt>>) () -> List.of(forEach()),
                    20, (Supplier<List<Stmt>>) () -> whileLoop(false),
                    12, (Supplier<List<Stmt>>) () -> whileLoop(true));
        }

        /** What bounds a for loop's counter: the bound, the key of its length, and the arrays it is the length of. */
        private record Bound(Expr bound, String key, List<String> arrays) {
        }

        private Bound bound() {
            List<String> arrays = readableArrays();
            List<Expr> rows = new ArrayList<>();
            for (String m : readable(Type.DOUBLE_MATRIX)) {
                for (Safe s : safe) {
                    if (s.key().equals(lengthKey.get(m)) && s.index() instanceof Var) {
                        rows.add(new Index(new Var(m, Type.DOUBLE_MATRIX), s.index()));
                    }
                }
            }
            List<String> ints = readable(Type.INT);
            return weighted(
                    arrays.isEmpty() ? 0 : 40, (Supplier<Bound>) () -> {
                        String a = pick(arrays);
                        return new Bound(new Length(new Var(a, typeOf(a))), lengthKey.get(a), List.of(a));
                    },
                    rows.isEmpty() ? 0 : 30, (Supplier<Bound>) () -> {
                        Expr row = pick(rows);
                        String m = ((Var) ((Index) row).array()).name();
                        return new Bound(new Length(row), keyOf(row), List.of(m));
                    },
                    20, (Supplier<Bound>) () -> {
                        String n = pick(new String[] {"1", "2", "3", "4", "2", "3"});
                        return new Bound(lit(n), n, List.of());
                    },
                    6, (Supplier<Bound>) () -> new Bound(new Var("STEPS", Type.INT), "3", List.of()),
                    ints.isEmpty() ? 0 : 8, (Supplier<Bound>) () -> new Bound(math("min", Type.INT,
                            new Var(pick(ints), Type.INT), lit(pick(new String[] {"3", "4"}))), "#" + fresh++,
                            List.of()));
        }

        /** Freezes (no reassignment) every array variable whose length, or whose rows' length, has {@code key}. */
        private List<String> freezeArrays(String key, List<String> also) {
            List<String> newly = new ArrayList<>();
            List<String> all = new ArrayList<>(also);
            for (Map<String, Type> scope : scopes) {
                for (String n : scope.keySet()) {
                    if (key.equals(lengthKey.get(n)) || key.equals(rowKey.get(n))) {
                        all.add(n);
                    }
                }
            }
            for (String n : all) {
                if (frozen.add(n)) {
                    newly.add(n);
                }
            }
            return newly;
        }

        private Stmt forLoop() {
            return forLoop(bound(), null);
        }

        /**
         * A loop over the rows of a matrix: {@code for (int i = 0; i < m.length; i++) { double[] r = m[i]; ... }},
         * the row alias only sometimes; inner loops then go over {@code r.length} or {@code m[i].length}.
         */
        private Stmt matrixSweep() {
            String m = pick(readable(Type.DOUBLE_MATRIX));
            Var mv = new Var(m, Type.DOUBLE_MATRIX);
            Bound b = new Bound(new Length(mv), lengthKey.get(m), List.of(m));
            return forLoop(b, counter -> {
                if (!ROW_ALIASES || chance(0.35)) {
                    return List.of();
                }
                Expr row = new Index(mv, counter);
                String key = keyOf(row);
                return newArray(Type.DOUBLE_ARRAY, row, key == null ? freshKey() : key, null,
                        owned.getOrDefault(m, false), chance(0.2));
            });
        }

        private Stmt forLoop(Bound b, java.util.function.Function<Var, List<Stmt>> prelude) {
            String i = newLocal(COUNTERS);
            Var counter = new Var(i, Type.INT);
            String label = chance(0.25) ? freshLabel() : null;
            int form = rnd.nextInt(STRIDE_LOOPS ? 10 : 9);
            Decl init;
            Expr cond;
            Stmt update;
            List<Expr> indices = new ArrayList<>(List.of(counter));
            if (form < 5) {
                init = new Decl(Type.INT, false, i, lit("0"));
                cond = new Binary("<", counter, b.bound());
                update = new Step(i, "++", chance(0.2));
            } else if (form < 7) {
                init = new Decl(Type.INT, false, i, lit("1"));
                cond = new Binary("<", counter, b.bound());
                update = new Step(i, "++", false);
                indices.add(new Binary("-", counter, lit("1")));
            } else if (form < 9) {
                init = new Decl(Type.INT, false, i, new Binary("-", b.bound(), lit("1")));
                cond = new Binary(">=", counter, lit("0"));
                update = new Step(i, "--", chance(0.2));
            } else {
                init = new Decl(Type.INT, false, i, lit("0"));
                cond = new Binary("<", counter, b.bound());
                update = new Assign(i, "+=", lit("2"));
            }
            nesting++;
            scopes.add(new LinkedHashMap<>());
            declare(i, Type.INT, true);
            frozen.add(i);
            nonNegative.add(i);
            List<String> newlyFrozen = freezeArrays(b.key(), b.arrays());
            int safeBefore = safe.size();
            for (Expr index : indices) {
                safe.add(new Safe(index, b.key()));
            }
            Set<String> before = new HashSet<>(assigned);
            LoopCtx ctx = new LoopCtx(label, false);
            List<Stmt> body = loopBody(ctx, null, prelude == null ? null : () -> prelude.apply(counter));
            safe.subList(safeBefore, safe.size()).clear();
            frozen.removeAll(newlyFrozen);
            scopes.remove(scopes.size() - 1);
            nesting--;
            assigned = before;
            reachable = true;
            return new For(label, init, new Locked(cond, false, false), update, body);
        }

        private Stmt forEach() {
            String a = pick(readableArrays());
            Type arrayType = typeOf(a);
            Expr array = new Var(a, arrayType);
            if (arrayType == Type.DOUBLE_MATRIX && !ROW_ALIASES && !ROW_FOR_EACH) {
                return forLoop();
            }
            if (arrayType == Type.DOUBLE_MATRIX && ROW_FOR_EACH && (!ROW_ALIASES || chance(0.3))) {
                // the elements of one row
                array = new Index(array, index(array));
                arrayType = Type.DOUBLE_ARRAY;
            }
            Type element = arrayType.element();
            String e = newLocal(element);
            String label = chance(0.2) ? freshLabel() : null;
            nesting++;
            scopes.add(new LinkedHashMap<>());
            declare(e, element, true);
            frozen.add(e);
            if (element == Type.INT) {
                nonNegative.add(e);
            } else if (element == Type.DOUBLE_ARRAY) {
                owned.put(e, owned.getOrDefault(a, false));
                lengthKey.put(e, rowKey.containsKey(a) ? rowKey.get(a) : "#" + fresh++);
            }
            List<String> newlyFrozen = new ArrayList<>();
            if (frozen.add(a)) {
                newlyFrozen.add(a);
            }
            Set<String> before = new HashSet<>(assigned);
            List<Stmt> body = loopBody(new LoopCtx(label, false), null);
            frozen.removeAll(newlyFrozen);
            scopes.remove(scopes.size() - 1);
            nesting--;
            assigned = before;
            reachable = true;
            return new ForEach(label, element, e, array, body);
        }

        /**
         * {@code int k = 0; while (cond && k < N) { k++; ... }} or the same as a do loop: the counter steps first,
         * so that continue may go to the next iteration. The condition may depend on a differentiated value, and
         * then sometimes the body moves that value towards ending the loop ({@code while (v > 1) v /= 2}).
         */
        private List<Stmt> whileLoop(boolean isDo) {
            String k = newLocal(WHILE_COUNTERS);
            declare(k, Type.INT, true);
            frozen.add(k);
            nonNegative.add(k);
            Var counter = new Var(k, Type.INT);
            Expr guard = new Binary("<", counter, lit(String.valueOf(between(2, 6))));
            List<String> doubles = writableScalars(Type.DOUBLE);
            Stmt contraction = null;
            Expr user = null;
            int form = rnd.nextInt(10);
            if (form < 4 && !doubles.isEmpty()) {
                String v = pick(doubles);
                Var var = new Var(v, Type.DOUBLE);
                String limit = pick(new String[] {"1", "0.5", "1.5", "0.25"});
                user = chance(0.5) ? new Binary(">", math("abs", Type.DOUBLE, var), lit(limit))
                        : new Binary(">", var, lit(limit));
                contraction = weighted(
                        3, (Supplier<Stmt>) () -> new Assign(v, "/=", lit("2")),
                        2, (Supplier<Stmt>) () -> new Assign(v, "*=", lit(pick(new String[] {"0.5", "0.6", "0.75"}))),
                        2, (Supplier<Stmt>) () -> new Assign(v, "=", new Binary("*", var, lit("0.6"))),
                        1, (Supplier<Stmt>) () -> new Assign(v, "-=", lit(pick(new String[] {"0.7", "1"}))));
            } else if (form < 8) {
                noSideEffects += isDo ? 1 : 0;
                user = bool(depth());
                noSideEffects -= isDo ? 1 : 0;
            }
            Expr cond = user == null ? guard
                    : chance(0.5) ? new Binary("&&", new Free(user), guard) : new Binary("&&", guard, new Free(user));
            String label = chance(0.2) ? freshLabel() : null;
            int stores = noStores;
            if (!CONDITION_WRITES && user != null && readsElement(user)) {
                noStores++;
            }
            nesting++;
            scopes.add(new LinkedHashMap<>());
            Set<String> before = new HashSet<>(assigned);
            LoopCtx ctx = new LoopCtx(label, isDo);
            List<Stmt> body = loopBody(ctx, contraction == null ? List.of(new Tick(k))
                    : List.of(new Tick(k), contraction));
            boolean bodyCompletes = reachable;
            scopes.remove(scopes.size() - 1);
            nesting--;
            noStores = stores;
            assigned = before;
            Stmt loop;
            if (isDo) {
                // (definite assignment after a do loop is not tracked: conservatively nothing new)
                reachable = bodyCompletes || ctx.continued || ctx.broken;
                loop = new DoWhile(label, body, new Locked(cond, false, false));
            } else {
                reachable = true;
                loop = new While(label, new Locked(cond, false, false), body);
            }
            return List.of(new Decl(Type.INT, false, k, lit("0")), loop);
        }

        /** The body of a loop: {@code first} (the counter's step), then one to four statements. */
        private List<Stmt> loopBody(LoopCtx ctx, List<Stmt> first) {
            return loopBody(ctx, first, null);
        }

        /** With {@code prelude}, statements generated first in the body's scope (a row alias). */
        private List<Stmt> loopBody(LoopCtx ctx, List<Stmt> first, Supplier<List<Stmt>> prelude) {
            nesting++;
            scopes.add(new LinkedHashMap<>());
            loopStack.add(ctx);
            List<Stmt> out = new ArrayList<>();
            if (first != null) {
                out.addAll(first);
            }
            if (prelude != null) {
                out.addAll(prelude.get());
            }
            reachable = true;
            int n = between(1, 4);
            for (int s = 0; s < n && reachable && (budget > 0 || s == 0); s++) {
                out.addAll(statement());
            }
            loopStack.remove(loopStack.size() - 1);
            scopes.remove(scopes.size() - 1);
            nesting--;
            return out;
        }

        /** {@code if (c) break;}, {@code continue}, labelled ones, or {@code return e} from inside a loop. */
        private Stmt jump() {
            LoopCtx inner = loopStack.get(loopStack.size() - 1);
            List<LoopCtx> labelled = loopStack.stream().filter(c -> c.label != null).toList();
            LoopCtx target = !labelled.isEmpty() && chance(0.4) ? pick(labelled) : inner;
            String label = target == inner && (target.label == null || chance(0.5)) ? null : target.label;
            Expr cond = bool(depth());
            Stmt jump = weighted(
                    40, (Supplier<Stmt>) () -> {
                        target.broken = true;
                        return new Break(label);
                    },
                    30, (Supplier<Stmt>) () -> {
                        target.continued = true;
                        return new Continue(label);
                    },
                    returnsArray || returnsVoid ? 0 : 25, (Supplier<Stmt>) () -> new Return(num(depth())));
            return new If(cond, List.of(jump), null, chance(0.4));
        }

        /** A loop-carried update: accumulations and recurrences that keep their values in a sane range. */
        private List<Stmt> loopCarried() {
            List<String> targets = writableScalars(Type.DOUBLE);
            if (targets.isEmpty()) {
                return List.of(assigning(assignDouble()));
            }
            String t = pick(targets);
            Var v = new Var(t, Type.DOUBLE);
            return weighted(
                    30, (Supplier<List<Stmt>>) () -> List.of(assigning(new Assign(t, "+=", num(depth())))),
                    20, (Supplier<List<Stmt>>) () -> List.of(assigning(new Assign(t, "=", new Binary("+",
                            new Binary("*", lit(pick(new String[] {"0.5", "0.9", "0.25"})), v), num(depth() - 1))))),
                    10, (Supplier<List<Stmt>>) () -> List.of(assigning(new Assign(t, "=", new Binary("+",
                            math(pick(new String[] {"sin", "tanh", "atan", "cos"}), Type.DOUBLE, v), num(depth() - 1))))),
                    10, (Supplier<List<Stmt>>) () -> List.of(assigning(new Assign(t, "*=",
                            new Paren(new Binary("+", lit("1"), new Binary("*", lit("0.5"),
                                    math("sin", Type.DOUBLE, num(depth() - 1)))))))),
                    15, (Supplier<List<Stmt>>) () -> {
                        // prev = cur; cur = f(prev, ...)
                        List<String> others = new ArrayList<>(targets);
                        others.remove(t);
                        if (others.isEmpty()) {
                            return List.of(assigning(new Assign(t, "-=", num(depth()))));
                        }
                        String prev = pick(others);
                        return List.of(assigning(new Assign(prev, "=", v)),
                                assigning(new Assign(t, "=", new Binary("+", new Binary("*", lit("0.5"),
                                        new Var(prev, Type.DOUBLE)), num(depth() - 1)))));
                    });
        }

        // -------------------------------------------------------------------------------------------- arrays

        private Type typeOf(String n) {
            for (int i = scopes.size() - 1; i >= 0; i--) {
                Type t = scopes.get(i).get(n);
                if (t != null) {
                    return t;
                }
            }
            throw new IllegalStateException(n + " is not visible");
        }

        private List<String> readableArrays() {
            List<String> out = new ArrayList<>();
            for (Type t : new Type[] {Type.DOUBLE_ARRAY, Type.DOUBLE_MATRIX, Type.INT_ARRAY, Type.BOOLEAN_ARRAY}) {
                out.addAll(readable(t));
            }
            return out;
        }

        /** The key of an array expression's length: a variable's, or a row's (the rows of {@code m} or {@code m[i]}). */
        private String keyOf(Expr array) {
            if (array instanceof Var v) {
                return lengthKey.get(v.name());
            }
            if (array instanceof Index i && i.array() instanceof Var m) {
                String k = rowKey.get(m.name());
                if (k != null) {
                    return k;
                }
                if (i.index() instanceof Lit || i.index() instanceof Var c && frozen.contains(c.name())) {
                    return "row:" + m.name() + "[" + Ast.print(i.index()) + "]";
                }
            }
            return null;
        }

        private String freshKey() {
            return "#" + fresh++;
        }

        /** An int expression within {@code [0, array.length)}; arrays are never empty. */
        /** An index into {@code array}: without side effects, since the generator may write it twice (a row, its length). */
        private Expr index(Expr array) {
            noSideEffects++;
            try {
                return anyIndex(array);
            } finally {
                noSideEffects--;
            }
        }

        private Expr anyIndex(Expr array) {
            String key = keyOf(array);
            List<Expr> safeHere = new ArrayList<>();
            for (Safe s : safe) {
                if (s.key().equals(key)) {
                    safeHere.add(s.index());
                }
            }
            List<String> nonNeg = new ArrayList<>(readable(Type.INT));
            nonNeg.retainAll(nonNegative);
            List<String> intArrays = readable(Type.INT_ARRAY);
            return weighted(
                    safeHere.isEmpty() ? 0 : 60, (Supplier<Expr>) () -> pick(safeHere),
                    12, (Supplier<Expr>) () -> lit("0"),
                    6, (Supplier<Expr>) () -> new Binary("-", new Length(array), lit("1")),
                    nonNeg.isEmpty() ? 0 : 8, (Supplier<Expr>) () -> new Binary("%",
                            new Var(pick(nonNeg), Type.INT), new Length(array)),
                    nonNeg.isEmpty() ? 0 : 4, (Supplier<Expr>) () -> math("min", Type.INT,
                            new Var(pick(nonNeg), Type.INT), new Binary("-", new Length(array), lit("1"))),
                    8, (Supplier<Expr>) () -> new Call("Math.floorMod", List.of(integer(depth() - 1),
                            new Length(array)), Type.INT),
                    intArrays.isEmpty() ? 0 : 5, (Supplier<Expr>) () -> {
                        Var ks = new Var(pick(intArrays), Type.INT_ARRAY);
                        return new Binary("%", new Index(ks, index(ks)), new Length(array));
                    },
                    STAR_IMPORTS ? 3 : 0, (Supplier<Expr>) () -> new Call(chance(0.5) ? "checkIndex"
                            : "Objects.checkIndex", List.of(lit("0"), new Length(array)), Type.INT));
        }

        /** {@code a[i]} or {@code m[i][j]}: an element of a double array. */
        private Expr elementRead() {
            List<String> vectors = readable(Type.DOUBLE_ARRAY);
            List<String> matrices = readable(Type.DOUBLE_MATRIX);
            if (!matrices.isEmpty() && (vectors.isEmpty() || chance(0.35))) {
                Var m = new Var(pick(matrices), Type.DOUBLE_MATRIX);
                Expr row = new Index(m, index(m));
                return new Index(row, index(row));
            }
            Var a = new Var(pick(vectors), Type.DOUBLE_ARRAY);
            return new Index(a, index(a));
        }

        private boolean hasDoubleArrays() {
            return !readable(Type.DOUBLE_ARRAY).isEmpty() || !readable(Type.DOUBLE_MATRIX).isEmpty();
        }

        private boolean readsElement(Expr e) {
            boolean[] found = {false};
            Ast.mapExpr(e, x -> {
                if (x instanceof Index) {
                    found[0] = true;
                }
                return x;
            });
            return found[0];
        }

        /** Whether this method may write the elements of array variable {@code n}. */
        private boolean mayWrite(String n) {
            boolean own = owned.getOrDefault(n, false) && !(helper && aliasNames.contains(n));
            return own || !helper && PARAM_WRITES;
        }

        /** Whether {@code n} may be bound to an array this method does not own (see {@link #aliasNames}). */
        private boolean mayAlias(String n) {
            return !helper || !writtenNames.contains(n);
        }

        private void bound(String n, boolean own) {
            if (helper && !own) {
                aliasNames.add(n);
            }
        }

        /** The double[] (and int[]) targets element writes may use: arrays, and rows of matrices. */
        private List<Expr> writableArrays() {
            List<Expr> out = new ArrayList<>();
            if (noStores > 0) {
                return out;
            }
            for (String a : readable(Type.DOUBLE_ARRAY)) {
                if (mayWrite(a)) {
                    out.add(new Var(a, Type.DOUBLE_ARRAY));
                }
            }
            for (String m : readable(Type.DOUBLE_MATRIX)) {
                if (mayWrite(m)) {
                    out.add(new Var(m, Type.DOUBLE_MATRIX));
                }
            }
            for (String a : readable(Type.INT_ARRAY)) {
                if (owned.getOrDefault(a, false)) {
                    out.add(new Var(a, Type.INT_ARRAY));
                }
            }
            return out;
        }

        /** A never negative int: a literal, a counter, or {@code Math.floorMod(e, 4)}. */
        private Expr nonNegativeInt() {
            List<String> nonNeg = new ArrayList<>(readable(Type.INT));
            nonNeg.retainAll(nonNegative);
            if (!nonNeg.isEmpty() && chance(0.4)) {
                return new Var(pick(nonNeg), Type.INT);
            }
            if (chance(0.5)) {
                return lit(pick(new String[] {"0", "1", "2", "3"}));
            }
            return new Call("Math.floorMod", List.of(integer(depth() - 1), lit("4")), Type.INT);
        }

        /**
         * An element write: {@code a[i] op e;}, {@code m[i][j] op e;} or {@code a[i]++;}; sometimes the same element
         * twice (an overwrite), sometimes reading itself.
         */
        private List<Stmt> store(List<Expr> writable) {
            Expr target = pick(writable);
            writtenNames.add(((Var) target).name());
            Expr array = target.type() == Type.DOUBLE_MATRIX ? new Index(target, index(target)) : target;
            Expr i = index(array);
            Index element = new Index(array, i);
            if (array.type() == Type.INT_ARRAY) {
                return List.of(new Store(array, i, "=", nonNegativeInt()));
            }
            Supplier<Expr> value = () -> chance(0.2) ? new Binary(pick(new String[] {"*", "+", "-"}), element,
                    num(depth() - 1)) : num(depth());
            Stmt first = weighted(
                    35, (Supplier<Stmt>) () -> new Store(array, i, "=", value.get()),
                    25, (Supplier<Stmt>) () -> new Store(array, i, "+=", value.get()),
                    8, (Supplier<Stmt>) () -> new Store(array, i, "-=", num(depth())),
                    10, (Supplier<Stmt>) () -> new Store(array, i, "*=", num(depth())),
                    6, (Supplier<Stmt>) () -> new Store(array, i, "/=", denominator(depth() - 1)),
                    5, (Supplier<Stmt>) () -> new Store(array, i, chance(0.6) ? "++" : "--", null));
            if (chance(0.15)) {
                Stmt again = chance(0.5) ? new Store(array, i, "=", new Binary("*", element, num(depth() - 1)))
                        : new Store(array, i, pick(new String[] {"+=", "*=", "="}), num(depth()));
                return List.of(first, again);
            }
            return List.of(first);
        }

        /** A positive length: the length expression and its key. */
        private Object[] arrayLength() {
            List<Expr> arrays = new ArrayList<>();
            for (String a : readableArrays()) {
                arrays.add(new Var(a, typeOf(a)));
            }
            return weighted(
                    40, (Supplier<Object[]>) () -> {
                        String n = pick(new String[] {"1", "2", "3", "4", "2", "3"});
                        return new Object[] {lit(n), n};
                    },
                    5, (Supplier<Object[]>) () -> new Object[] {new Var("STEPS", Type.INT), "3"},
                    arrays.isEmpty() ? 0 : 40, (Supplier<Object[]>) () -> {
                        Expr a = pick(arrays);
                        return new Object[] {new Length(a), keyOf(a)};
                    },
                    arrays.isEmpty() ? 0 : 8, (Supplier<Object[]>) () -> new Object[] {
                        new Binary("+", new Length(pick(arrays)), lit("1")), freshKey()},
                    readable(Type.INT).isEmpty() ? 0 : 5, (Supplier<Object[]>) () -> new Object[] {
                        math("max", Type.INT, lit("1"), math("min", Type.INT, new Var(pick(readable(Type.INT)),
                                Type.INT), lit("4"))), freshKey()});
        }

        private List<Expr> elements(int n, Supplier<Expr> element) {
            List<Expr> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(element.get());
            }
            return out;
        }

        /** A local array: allocated, initialised, an alias of another array or of a row. */
        private List<Stmt> declareArray() {
            List<String> vectors = readable(Type.DOUBLE_ARRAY);
            List<String> matrices = readable(Type.DOUBLE_MATRIX);
            return weighted(
                    30, (Supplier<List<Stmt>>) () -> {
                        Object[] length = arrayLength();
                        return newArray(Type.DOUBLE_ARRAY, new NewArray(Type.DOUBLE_ARRAY, List.of((Expr) length[0])),
                                (String) length[1], null, true, false);
                    },
                    20, (Supplier<List<Stmt>>) () -> {
                        int n = between(1, 4);
                        boolean bare = chance(0.6);
                        return newArray(Type.DOUBLE_ARRAY, new ArrayLit(Type.DOUBLE_ARRAY, elements(n,
                                () -> num(depth() - 1)), bare), String.valueOf(n), null, true, !bare && chance(0.3));
                    },
                    12, (Supplier<List<Stmt>>) () -> {
                        Object[] rows = arrayLength();
                        Object[] columns = arrayLength();
                        return newArray(Type.DOUBLE_MATRIX, new NewArray(Type.DOUBLE_MATRIX,
                                List.of((Expr) rows[0], (Expr) columns[0])), (String) rows[1], (String) columns[1],
                                true, chance(0.2));
                    },
                    8, (Supplier<List<Stmt>>) () -> {
                        int r = between(1, 3);
                        boolean ragged = RAGGED_LITERALS && chance(0.3);
                        int c = between(1, 3);
                        List<Expr> rowList = new ArrayList<>();
                        for (int k = 0; k < r; k++) {
                            rowList.add(new ArrayLit(Type.DOUBLE_ARRAY, elements(ragged ? between(1, 3) : c,
                                    () -> num(depth() - 2)), true));
                        }
                        boolean bare = chance(0.6);
                        return newArray(Type.DOUBLE_MATRIX, new ArrayLit(Type.DOUBLE_MATRIX, rowList, bare),
                                String.valueOf(r), ragged ? null : String.valueOf(c), true, false);
                    },
                    vectors.isEmpty() ? 0 : 8, (Supplier<List<Stmt>>) () -> {
                        String a = pick(vectors);
                        return newArray(Type.DOUBLE_ARRAY, new Var(a, Type.DOUBLE_ARRAY), lengthKey.get(a), null,
                                owned.getOrDefault(a, false), chance(0.3));
                    },
                    matrices.isEmpty() ? 0 : 3, (Supplier<List<Stmt>>) () -> {
                        String m = pick(matrices);
                        return newArray(Type.DOUBLE_MATRIX, new Var(m, Type.DOUBLE_MATRIX), lengthKey.get(m),
                                rowKey.get(m), owned.getOrDefault(m, false), false);
                    },
                    matrices.isEmpty() || !ROW_ALIASES ? 0 : 10, (Supplier<List<Stmt>>) () -> {
                        String m = pick(matrices);
                        Var mv = new Var(m, Type.DOUBLE_MATRIX);
                        Expr row = new Index(mv, index(mv));
                        String key = keyOf(row);
                        return newArray(Type.DOUBLE_ARRAY, row, key == null ? freshKey() : key, null,
                                owned.getOrDefault(m, false), chance(0.3));
                    },
                    6, (Supplier<List<Stmt>>) () -> {
                        if (chance(0.5)) {
                            int n = between(1, 4);
                            return newArray(Type.INT_ARRAY, new ArrayLit(Type.INT_ARRAY, elements(n,
                                    () -> lit(pick(new String[] {"0", "1", "2", "3"}))), chance(0.6)),
                                    String.valueOf(n), null, true, false);
                        }
                        Object[] length = arrayLength();
                        return newArray(Type.INT_ARRAY, new NewArray(Type.INT_ARRAY, List.of((Expr) length[0])),
                                (String) length[1], null, true, false);
                    });
        }

        private List<Stmt> newArray(Type type, Expr init, String key, String rows, boolean own, boolean useVar) {
            String n = newLocal(type);
            while (!own && !mayAlias(n)) {
                n = "l" + fresh++;
            }
            declare(n, type, true);
            owned.put(n, own);
            bound(n, own);
            lengthKey.put(n, key == null ? freshKey() : key);
            if (rows != null) {
                rowKey.put(n, rows);
            }
            boolean bareInit = init instanceof ArrayLit a && a.bare();
            return List.of(new Decl(type, useVar && !bareInit, n, init));
        }

        /** {@code buf = new double[n];}, {@code a = b;} or a swap of two local arrays through a temporary. */
        private List<Stmt> reassignArray() {
            List<String> targets = new ArrayList<>();
            for (String a : readableArrays()) {
                Type t = typeOf(a);
                if (!frozen.contains(a) && (!params.contains(a) || PARAM_REASSIGNMENT)
                        && (t == Type.DOUBLE_ARRAY || t == Type.DOUBLE_MATRIX)) {
                    targets.add(a);
                }
            }
            if (targets.isEmpty()) {
                return declareArray();
            }
            String t = pick(targets);
            Type type = typeOf(t);
            List<String> sources = new ArrayList<>(readable(type));
            sources.remove(t);
            List<String> swappable = new ArrayList<>(sources);
            swappable.retainAll(targets);
            swappable.removeIf(u -> !(owned.getOrDefault(t, false) && owned.getOrDefault(u, false))
                    && !(mayAlias(t) && mayAlias(u)));
            if (!swappable.isEmpty() && chance(0.4)) {
                String u = pick(swappable);
                String tmp = newLocal(type);
                while (!mayAlias(tmp)) {
                    tmp = "l" + fresh++;
                }
                boolean parameter = params.contains(t) || params.contains(u);
                List<Stmt> out = List.of(new Decl(type, false, tmp, refusable(new Var(t, type), parameter)),
                        new Assign(t, "=", refusable(new Var(u, type), parameter)),
                        new Assign(u, "=", refusable(new Var(tmp, type), parameter)));
                declare(tmp, type, true);
                boolean own = owned.getOrDefault(t, false) && owned.getOrDefault(u, false);
                String key = Objects.equals(lengthKey.get(t), lengthKey.get(u)) ? lengthKey.get(t) : null;
                String rows = Objects.equals(rowKey.get(t), rowKey.get(u)) ? rowKey.get(t) : null;
                for (String n : List.of(t, u, tmp)) {
                    owned.put(n, own);
                    bound(n, own);
                    lengthKey.put(n, key == null ? freshKey() : key);
                    if (rows == null) {
                        rowKey.remove(n);
                    } else {
                        rowKey.put(n, rows);
                    }
                }
                return out;
            }
            Expr value;
            boolean own;
            String key;
            String rows = null;
            sources.removeIf(u -> !owned.getOrDefault(u, false) && !mayAlias(t));
            if (!sources.isEmpty() && chance(0.5)) {
                String u = pick(sources);
                value = new Var(u, type);
                own = owned.getOrDefault(u, false);
                key = lengthKey.get(u);
                rows = rowKey.get(u);
            } else if (type == Type.DOUBLE_ARRAY) {
                Object[] length = arrayLength();
                value = new NewArray(type, List.of((Expr) length[0]));
                own = true;
                key = (String) length[1];
            } else {
                Object[] r = arrayLength();
                Object[] c = arrayLength();
                value = new NewArray(type, List.of((Expr) r[0], (Expr) c[0]));
                own = true;
                key = (String) r[1];
                rows = (String) c[1];
            }
            owned.put(t, owned.getOrDefault(t, false) && own);
            bound(t, own);
            if (!Objects.equals(key, lengthKey.get(t))) {
                lengthKey.put(t, freshKey());
            }
            if (!Objects.equals(rows, rowKey.get(t))) {
                rowKey.remove(t);
            }
            return List.of(new Assign(t, "=", refusable(value, params.contains(t))));
        }

        /** {@code e}, marked as a construct the processor may refuse for now when {@code refusable}. */
        private Expr refusable(Expr e, boolean refusable) {
            return refusable ? new Ast.Marked(e) : e;
        }

        /** {@code scale(w, c);} on a double array or row this method may write, or {@code tick(n);} on an int[]. */
        private List<Stmt> writingHelperCall(List<Expr> writable) {
            List<Expr> doubles = writable.stream().filter(e -> e.type() != Type.INT_ARRAY).toList();
            List<Expr> ints = writable.stream().filter(e -> e.type() == Type.INT_ARRAY).toList();
            if (!ints.isEmpty() && (doubles.isEmpty() || chance(0.3))) {
                Expr n = pick(ints);
                writtenNames.add(((Var) n).name());
                return List.of(new Ast.Eval(new Ast.Marked(new Call("tick", List.of(n), Type.INT))));
            }
            Expr target = pick(doubles);
            writtenNames.add(((Var) target).name());
            Expr array = target.type() == Type.DOUBLE_MATRIX ? new Index(target, index(target)) : target;
            return List.of(new Ast.Eval(new Ast.Marked(new Call("scale", List.of(array, num(depth() - 1)),
                    Type.DOUBLE))));
        }

        /**
         * {@code System.arraycopy} and {@code Arrays.fill} into an array this method may write, or a new array from
         * {@code Arrays.copyOf}, {@code Arrays.copyOfRange} or {@code clone()}.
         */
        private List<Stmt> arrayLibrary(List<Expr> writable) {
            List<Expr> targets = new ArrayList<>();
            for (Expr w : writable) {
                if (w.type() == Type.DOUBLE_ARRAY) {
                    targets.add(w);
                } else if (w.type() == Type.DOUBLE_MATRIX) {
                    targets.add(new Index(w, index(w)));
                }
            }
            List<String> vectors = readable(Type.DOUBLE_ARRAY);
            if (vectors.isEmpty()) {
                return declareArray();
            }
            Var source = new Var(pick(vectors), Type.DOUBLE_ARRAY);
            if (!targets.isEmpty() && chance(0.45)) {
                Expr target = pick(targets);
                Var root = (Var) (target instanceof Index i ? i.array() : target);
                writtenNames.add(root.name());
                if (chance(0.5)) {
                    Expr length = chance(0.5) ? lit("1")
                            : math("min", Type.INT, new Length(source), new Length(target));
                    return List.of(new Ast.Eval(new Ast.Marked(new Call("System.arraycopy", List.of(source, lit("0"),
                            target, lit("0"), length), Type.DOUBLE))));
                }
                return List.of(new Ast.Eval(new Ast.Marked(new Call(arrays() + ".fill", List.of(target,
                        num(depth() - 1)), Type.DOUBLE))));
            }
            String key = lengthKey.get(source.name());
            return weighted(
                    4, (Supplier<List<Stmt>>) () -> newArray(Type.DOUBLE_ARRAY, new Ast.Marked(
                            new Call(source.name() + ".clone", List.of(), Type.DOUBLE_ARRAY)), key, null, true, false),
                    3, (Supplier<List<Stmt>>) () -> {
                        String n = pick(new String[] {"1", "2", "3"});
                        return newArray(Type.DOUBLE_ARRAY, new Ast.Marked(new Call(arrays() + ".copyOf",
                                List.of(source, lit(n)), Type.DOUBLE_ARRAY)), n, null, true, false);
                    },
                    3, (Supplier<List<Stmt>>) () -> newArray(Type.DOUBLE_ARRAY, new Ast.Marked(new Call(
                            arrays() + ".copyOfRange", List.of(source, lit("0"), lit("1")), Type.DOUBLE_ARRAY)),
                            "1", null, true, false));
        }

        // -------------------------------------------------------------------------------------------- expressions

        /** An expression of type double, int or long (widened where a double is expected). */
        private Expr num(int d) {
            double r = rnd.nextDouble();
            boolean ints = !readable(Type.INT).isEmpty();
            if (r < (ints ? 0.8 : 0.92)) {
                return dbl(d);
            }
            if (r < 0.96) {
                return integer(d);
            }
            List<String> longs = readable(Type.LONG);
            if (!longs.isEmpty() && chance(0.5)) {
                return new Var(pick(longs), Type.LONG);
            }
            double k = rnd.nextDouble();
            return k < 0.4 ? math("round", Type.LONG, dbl(d - 1))
                    : k < 0.8 ? new Cast(Type.LONG, dbl(d - 1)) : new Var("LIMIT", Type.LONG);
        }

        /** An expression of type double. */
        private Expr dbl(int d) {
            if (d <= 0 || chance(0.2)) {
                return doubleLeaf();
            }
            return weighted(
                    30, (Supplier<Expr>) () -> arithmetic(d),
                    6, (Supplier<Expr>) () -> new Binary("/", dbl(d - 1), denominator(d - 1)),
                    1.5, (Supplier<Expr>) () -> new Binary("%", dbl(d - 1), positive(d - 1)),
                    5, (Supplier<Expr>) () -> unary("-", dbl(d - 1)),
                    0.5, (Supplier<Expr>) () -> unary("+", dbl(d - 1)),
                    32, (Supplier<Expr>) () -> mathDouble(d),
                    7, (Supplier<Expr>) () -> ternary(d),
                    4, (Supplier<Expr>) () -> guardedTernary(d),
                    callsLeft > 0 && !callable().isEmpty() ? 8 : 0, (Supplier<Expr>) () -> call(d),
                    2.5, (Supplier<Expr>) () -> new Cast(Type.DOUBLE, integer(d - 1)),
                    1, (Supplier<Expr>) () -> new Call("halfOf", List.of(integer(d - 1)), Type.DOUBLE),
                    3, (Supplier<Expr>) () -> new Paren(dbl(d - 1)),
                    EXTREME_CONSTANTS ? 1.5 : 0, (Supplier<Expr>) () -> extremeScaled(d),
                    sideEffectTargets(Type.DOUBLE).isEmpty() ? 0 : 2.5, (Supplier<Expr>) () -> assignment(d));
        }

        /** Variables of type {@code t} an expression may assign: assignable, and assigned already. */
        private List<String> sideEffectTargets(Type t) {
            if (!SIDE_EFFECTS || noSideEffects > 0) {
                return List.of();
            }
            List<String> out = assignable(t);
            out.retainAll(assigned);
            return out;
        }

        /** {@code (x = e)}, {@code (x += e)}, {@code (x *= e)}, {@code (x -= e)}, or {@code (x++)}-like, as a value. */
        private Expr assignment(int d) {
            String target = pick(sideEffectTargets(Type.DOUBLE));
            if (chance(0.2)) {
                return new AssignExpr(target, "*=", lit(pick(new String[] {"0.5", "0.75", "1.25"})), Type.DOUBLE);
            }
            if (chance(0.15)) {
                return new StepExpr(target, chance(0.5) ? "++" : "--", chance(0.5), Type.DOUBLE);
            }
            return new AssignExpr(target, pick(new String[] {"=", "=", "+=", "-="}), num(d - 1), Type.DOUBLE);
        }

        /**
         * A product or quotient with constants of extreme magnitude whose product is moderate: finite for operands
         * below 1e8, and wrong (infinite, or zero) wherever a derivative multiplies the constants in another order.
         */
        private Expr extremeScaled(int d) {
            String[][] products = {{"1e-300", "1e300", "1e10"}, {"1e300", "1e-300", "1e-10"}, {"1e200", "1e-200"},
                {"1e-200", "1e200"}, {"1e300", "1e-320", "1e20"}, {"1e-150", "1e-150", "1e300"},
                {"1e150", "1e150", "1e-300"}};
            String[][] quotients = {{"1e300", "1e-300"}, {"1e-300", "1e300"}, {"1e300", "1e-10", "1e-300"},
                {"1e-300", "1e300", "1e10"}};
            boolean quotient = chance(0.3);
            String[] constants = quotient ? pick(quotients) : pick(products);
            Expr e = num(d - 1);
            if (!quotient && chance(0.3)) {
                // a second operand between the constants: x * 1e-300 * y * 1e300
                e = new Binary("*", new Binary("*", e, lit(constants[0])), num(d - 1));
                for (int k = 1; k < constants.length; k++) {
                    e = new Binary("*", e, lit(constants[k]));
                }
                return new Paren(e);
            }
            for (String c : constants) {
                e = new Binary(quotient ? "/" : "*", e, lit(c));
            }
            return new Paren(e);
        }

        private Expr doubleLeaf() {
            if (hasDoubleArrays() && chance(safe.isEmpty() ? 0.3 : 0.5)) {
                return elementRead();
            }
            List<String> vars = readable(Type.DOUBLE);
            double r = rnd.nextDouble();
            if (r < 0.86 && !vars.isEmpty()) {
                List<String> fresh = recentlyAssigned();
                if (!fresh.isEmpty() && chance(0.45)) {
                    return new Var(pick(fresh), Type.DOUBLE);
                }
                return new Var(pick(vars), Type.DOUBLE);
            }
            if (r < 0.95) {
                return lit(pick(DOUBLE_LITERALS));
            }
            if (CONSTANT_DATA && chance(0.5)) {
                return constantData();
            }
            return new Var(pick(new String[] {"Math.PI", "Math.E", "PI", "SCALE", "OFFSET", "SCALE", "OFFSET"}),
                    Type.DOUBLE);
        }

        /** An element of the class's constant data, at an index kept in range. */
        private Expr constantData() {
            if (chance(0.5)) {
                Var table = new Var("TABLE", Type.DOUBLE_ARRAY);
                return new Index(table, inRange(integer(1), new Length(table)));
            }
            Var grid = new Var("GRID", Type.DOUBLE_MATRIX);
            Expr row = chance(0.3) ? new Index(new Var("ORDER", Type.INT_ARRAY), inRange(integer(1),
                    new Length(new Var("ORDER", Type.INT_ARRAY)))) : inRange(integer(1), new Length(grid));
            return new Index(new Index(grid, row), inRange(integer(1), lit("2")));
        }

        private static Expr inRange(Expr index, Expr length) {
            return new Call("Math.floorMod", List.of(index, length), Type.INT);
        }

        private Expr arithmetic(int d) {
            String op = pick(new String[] {"+", "+", "-", "*", "*"});
            Expr l = num(d - 1);
            Expr r = num(d - 1);
            if (l.type() != Type.DOUBLE && r.type() != Type.DOUBLE) {
                if (chance(0.5)) {
                    l = dbl(d - 1);
                } else {
                    r = dbl(d - 1);
                }
            }
            return new Binary(op, l, r);
        }

        /** A double (or int) expression bounded away from zero: at least 0.5 in absolute value. */
        private Expr denominator(int d) {
            if (chance(0.15)) {
                return lit(pick(new String[] {"2.0", "3", "0.5", "4", "1.5"}));
            }
            if (chance(0.1)) {
                return new Unary("-", new Paren(positive(d)));
            }
            return positive(d);
        }

        /** An expression of value at least 0.5 (locked for the shrinker). */
        private Expr positive(int d) {
            Expr u = d <= 1 ? doubleOrIntLeaf() : num(d - 1);
            Expr free = new Free(u);
            int form = rnd.nextInt(11);
            Expr one = lit(pick(new String[] {"1", "1.0", "2", "0.5"}));
            Expr e = switch (form) {
                case 0, 1 -> new Paren(new Binary("+", one, new Binary("*", u, u)));
                case 2 -> new Paren(new Binary("+", lit("2"), math("sin", Type.DOUBLE, free)));
                case 3 -> new Paren(new Binary("-", lit("2.0"), math("cos", Type.DOUBLE, free)));
                case 4 -> math("exp", Type.DOUBLE, bounded(d - 1));
                case 5 -> new Paren(new Binary("+", lit("1.5"), math("tanh", Type.DOUBLE, free)));
                case 6 -> new Paren(new Binary("+", math("abs", Type.DOUBLE, new Free(asDouble(u))), one));
                case 7 -> math("hypot", Type.DOUBLE, free, lit("1"));
                case 8 -> math("sqrt", Type.DOUBLE, new Binary("+", lit("1"), new Binary("*", u, u)));
                case 9 -> new Paren(new Binary("+", lit("3"), math("atan", Type.DOUBLE, free)));
                default -> {
                    List<String> ints = readable(Type.INT);
                    if (ints.isEmpty()) {
                        yield new Paren(new Binary("+", one, math("exp", Type.DOUBLE, bounded(d - 1))));
                    }
                    Var i = new Var(pick(ints), Type.INT);
                    yield new Paren(new Binary("+", lit("1"), new Binary("*", i, i)));
                }
            };
            return new Locked(e, true, true);
        }

        private Expr doubleOrIntLeaf() {
            if (chance(0.15) && !readable(Type.INT).isEmpty()) {
                return new Var(pick(readable(Type.INT)), Type.INT);
            }
            return doubleLeaf();
        }

        private Expr asDouble(Expr e) {
            return e.type() == Type.DOUBLE ? e : new Cast(Type.DOUBLE, e);
        }

        /** A double expression whose value stays within [-pi/2, pi/2]-ish, for exp, sinh, cosh and tan. */
        private Expr bounded(int d) {
            Expr u = d <= 0 ? doubleOrIntLeaf() : num(d);
            Expr free = new Free(u);
            Expr e = switch (rnd.nextInt(6)) {
                case 0 -> math("sin", Type.DOUBLE, free);
                case 1 -> math("cos", Type.DOUBLE, free);
                case 2 -> math("tanh", Type.DOUBLE, free);
                case 3 -> math("atan", Type.DOUBLE, free);
                case 4 -> new Unary("-", math("tanh", Type.DOUBLE, new Binary("*", u, u)));
                default -> new Binary("*", lit("0.5"), math("sin", Type.DOUBLE, free));
            };
            return new Locked(e, true, true);
        }

        private Expr math(String f, Type type, Expr... args) {
            double r = rnd.nextDouble();
            String function = r < 0.07 && !f.equals("fma") ? "StrictMath." + f : r < 0.14 ? f : "Math." + f;
            return new Call(function, List.of(args), type);
        }

        private Expr mathDouble(int d) {
            int a = d - 1;
            int choice = rnd.nextInt(30);
            return switch (choice) {
                case 0, 1 -> math("sin", Type.DOUBLE, num(a));
                case 2, 3 -> math("cos", Type.DOUBLE, num(a));
                case 4 -> math("atan", Type.DOUBLE, num(a));
                case 5 -> math("tanh", Type.DOUBLE, num(a));
                case 6 -> math(pick(new String[] {"exp", "expm1", "sinh", "cosh", "tan"}), Type.DOUBLE, bounded(a));
                case 7, 8 -> math("log", Type.DOUBLE, positive(a));
                case 9 -> math(pick(new String[] {"log10", "log1p"}), Type.DOUBLE, positive(a));
                case 10 -> math("sqrt", Type.DOUBLE, positive(a));
                case 11, 12 -> math("pow", Type.DOUBLE, num(a),
                        lit(pick(new String[] {"2", "3", "2.0", "2", "3"})));
                case 13 -> math("pow", Type.DOUBLE, positive(a), exponent(a));
                case 14 -> math("hypot", Type.DOUBLE, num(a), num(a));
                case 15 -> math("atan2", Type.DOUBLE, num(a), num(a));
                case 16, 17 -> {
                    Expr x = dbl(a);
                    Expr y = chance(0.2) ? x : num(a);
                    yield chance(0.5) ? math("max", Type.DOUBLE, x, y) : math("min", Type.DOUBLE, y, x);
                }
                case 18, 19 -> math("abs", Type.DOUBLE, dbl(a));
                case 20 -> math("cbrt", Type.DOUBLE, positive(a));
                case 21 -> math(pick(new String[] {"floor", "ceil", "rint", "signum"}), Type.DOUBLE, dbl(a));
                case 22 -> new Binary("*", lit(pick(new String[] {"0.5", "0.25", "2"})),
                        new Cast(Type.DOUBLE, math("round", Type.LONG, dbl(a))));
                case 23 -> math(chance(0.5) ? "asin" : "acos", Type.DOUBLE, new Locked(new Binary("*",
                        lit(pick(new String[] {"0.5", "0.9"})), math(chance(0.5) ? "sin" : "tanh", Type.DOUBLE,
                                new Free(num(a)))), true, true));
                case 24 -> math("fma", Type.DOUBLE, dbl(a), dbl(a), dbl(a));
                case 25 -> math(chance(0.5) ? "toRadians" : "toDegrees", Type.DOUBLE, num(a));
                case 26 -> math("exp", Type.DOUBLE, bounded(a));
                case 27 -> math("pow", Type.DOUBLE, dbl(a), lit("1"));
                case 28 -> math(chance(0.5) ? "sin" : "atan", Type.DOUBLE, num(a));
                default -> {
                    Expr u = dbl(a);
                    yield math("log1p", Type.DOUBLE, new Locked(new Binary("*", u, u), true, true));
                }
            };
        }

        /** An exponent within [-3, 3]. */
        private Expr exponent(int d) {
            return switch (rnd.nextInt(7)) {
                case 0 -> lit("0.5");
                case 1 -> lit("1.5");
                case 2 -> new Unary("-", lit("0.5"));
                case 3 -> new Locked(math("sin", Type.DOUBLE, new Free(num(d - 1))), true, true);
                case 4 -> new Locked(math("tanh", Type.DOUBLE, new Free(num(d - 1))), true, true);
                case 5 -> readable(Type.INT).isEmpty() ? lit("2") : new Locked(new Paren(new Binary("%",
                        new Free(new Var(pick(readable(Type.INT)), Type.INT)), lit("4"))), true, true);
                default -> new Locked(new Binary("*", lit("0.5"), math("atan", Type.DOUBLE, new Free(num(d - 1)))),
                        true, true);
            };
        }

        private Expr ternary(int d) {
            Expr c = bool(d - 1);
            Expr t = num(d - 1);
            Expr e = num(d - 1);
            if (t.type() != Type.DOUBLE && e.type() != Type.DOUBLE) {
                t = dbl(d - 1);
            }
            return chance(0.5) ? new Cond(c, t, e) : new Paren(new Cond(c, t, e));
        }

        /** {@code v > 0 ? Math.log(v) : e}: the untaken branch is NaN. */
        private Expr guardedTernary(int d) {
            Expr v = d <= 1 || chance(0.6) ? doubleLeaf() : dbl(1);
            if (v instanceof Lit) {
                List<String> vars = readable(Type.DOUBLE);
                if (!vars.isEmpty()) {
                    v = new Var(pick(vars), Type.DOUBLE);
                }
            }
            String[] unsafe = guardedFunction(v);
            Expr cond = parseGuard(unsafe[0], v);
            Expr taken = new Locked(guardedValue(unsafe[1], v), false, false);
            Expr other = num(d - 1);
            Expr c = chance(0.7) ? new Cond(new Locked(cond, false, true), taken, other)
                    : new Cond(new Locked(new Unary("!", new Paren(cond)), false, true), other, taken);
            return new Paren(c);
        }

        private String[] guardedFunction(Expr v) {
            return pick(new String[][] {
                {">0", "log"}, {">0", "sqrtmul"}, {">0", "log10"}, {">0", "powy"}, {">-1", "log1p"},
                {"abs<1", "asin"}, {"abs<1", "acos"}, {"!=0", "sinc"}, {">0", "pow1.5"}, {">1", "logm1"},
                {">0", "xlogx"}});
        }

        private Expr parseGuard(String guard, Expr v) {
            return switch (guard) {
                case ">0" -> new Binary(">", v, lit("0"));
                case ">-1" -> new Binary(">", v, new Unary("-", lit("1")));
                case ">1" -> new Binary(">", v, lit("1.0"));
                case "abs<1" -> chance(0.5)
                        ? new Binary("<", math("abs", Type.DOUBLE, v), lit("1"))
                        : new Binary("&&", new Binary(">", v, new Unary("-", lit("1"))),
                                new Binary("<", v, lit("1")));
                case "!=0" -> new Binary("!=", v, lit("0"));
                default -> throw new IllegalArgumentException(guard);
            };
        }

        private Expr guardedValue(String f, Expr v) {
            return switch (f) {
                case "log", "log10", "log1p", "asin", "acos" -> math(f, Type.DOUBLE, v);
                case "sqrtmul" -> new Binary("*", math("sqrt", Type.DOUBLE, v), new Free(dbl(1)));
                case "powy" -> math("pow", Type.DOUBLE, v, exponent(2));
                case "pow1.5" -> math("pow", Type.DOUBLE, v, lit("1.5"));
                case "sinc" -> new Binary("/", math("sin", Type.DOUBLE, v), v);
                case "logm1" -> math("log", Type.DOUBLE, new Binary("-", v, lit("1")));
                case "xlogx" -> new Binary("*", v, math("log", Type.DOUBLE, v));
                default -> throw new IllegalArgumentException(f);
            };
        }

        private Expr call(int d) {
            callsLeft--;
            Method callee = pick(callable());
            return new Call(callee.name(), arguments(callee, d), Type.DOUBLE);
        }

        /** {@code double[] h = helper(...);}: a helper returning an array of two, a new array of this method. */
        private List<Stmt> arrayHelperCall() {
            callsLeft--;
            Method callee = pick(callable(true));
            return newArray(Type.DOUBLE_ARRAY, new Call(callee.name(), arguments(callee, depth()), Type.DOUBLE_ARRAY),
                    "2", null, true, false);
        }

        /**
         * {@code double[] h = {a, b}; helper(..., h);}: a void helper writing into a new array of this method, the
         * last argument, which no other argument can share.
         */
        private List<Stmt> voidHelperCall() {
            callsLeft--;
            Method callee = pick(voidCallable());
            List<Expr> args = new ArrayList<>(arguments(callee, depth())); // before h exists: none of them is h
            List<Stmt> out = new ArrayList<>(newArray(Type.DOUBLE_ARRAY, new ArrayLit(Type.DOUBLE_ARRAY,
                    List.of(num(depth()), dbl(depth())), false), "2", null, true, false));
            String h = ((Ast.Decl) out.get(out.size() - 1)).name();
            args.set(args.size() - 1, new Var(h, Type.DOUBLE_ARRAY));
            writtenNames.add(h);
            out.add(new Ast.Eval(new Call(callee.name(), args, Type.VOID)));
            return out;
        }

        private List<Method> voidCallable() {
            return callees.stream().filter(c -> c.returnsVoid() && c.params().subList(0, c.params().size() - 1)
                    .stream().allMatch(p -> canPass(p.type()))).toList();
        }

        private List<Expr> arguments(Method callee, int d) {
            List<Expr> args = new ArrayList<>();
            Expr previousDouble = null;
            for (Param p : callee.params()) {
                if (p.type().differentiable() && !callee.differentiated().contains(p)) {
                    // passing a derivative into a parameter that wrt leaves out is a compile error: constants
                    args.add(switch (p.type()) {
                        case DOUBLE -> lit(pick(DOUBLE_LITERALS));
                        case DOUBLE_ARRAY -> new ArrayLit(p.type(), List.of(lit("1.0"), lit("0.5")), false);
                        default -> new ArrayLit(p.type(), List.of(new ArrayLit(Type.DOUBLE_ARRAY, List.of(lit("1.0"),
                                lit("2.0")), true)), false);
                    });
                    continue;
                }
                Expr arg = switch (p.type()) {
                    case DOUBLE -> previousDouble != null && chance(0.25) ? previousDouble : num(d - 1);
                    case INT -> integer(d - 1);
                    case LONG -> chance(0.5) ? integer(d - 1) : new Cast(Type.LONG, dbl(d - 1));
                    case BOOLEAN -> bool(d - 1);
                    default -> arrayArgument(p.type(), d);
                };
                if (p.type() == Type.DOUBLE) {
                    previousDouble = arg;
                }
                args.add(arg);
            }
            return args;
        }

        /** Whether a call can pass an argument of this type here. */
        private boolean canPass(Type type) {
            return !type.isArray() || ARRAY_LITERAL_ARGUMENTS || !readable(type).isEmpty()
                    || type == Type.DOUBLE_ARRAY && !readable(Type.DOUBLE_MATRIX).isEmpty();
        }

        private List<Method> callable() {
            return callable(false);
        }

        private List<Method> callable(boolean arrayResults) {
            return callees.stream().filter(c -> c.returnsArray() == arrayResults && !c.returnsVoid()
                    && c.params().stream().allMatch(p -> canPass(p.type()))).toList();
        }

        /**
         * An array to pass: a variable (the same one twice sometimes), a row of a matrix, or a new array. The
         * elements of an int[] are never negative (callees index with them).
         */
        private Expr arrayArgument(Type type, int d) {
            List<String> vars = readable(type);
            List<String> matrices = readable(Type.DOUBLE_MATRIX);
            return weighted(
                    vars.isEmpty() ? 0 : 70, (Supplier<Expr>) () -> new Var(pick(vars), type),
                    type == Type.DOUBLE_ARRAY && !matrices.isEmpty() ? 20 : 0, (Supplier<Expr>) () -> {
                        Var m = new Var(pick(matrices), Type.DOUBLE_MATRIX);
                        return new Index(m, index(m));
                    },
                    ARRAY_LITERAL_ARGUMENTS ? 10 : 0, (Supplier<Expr>) () -> switch (type) {
                        case DOUBLE_ARRAY -> new ArrayLit(type, elements(between(1, 3), () -> num(d - 2)), false);
                        case DOUBLE_MATRIX -> {
                            int columns = between(1, 2);
                            yield new ArrayLit(type, elements(between(1, 2), () -> new ArrayLit(Type.DOUBLE_ARRAY,
                                    elements(RAGGED_LITERALS ? between(1, 2) : columns, () -> num(d - 2)), true)),
                                    false);
                        }
                        case INT_ARRAY -> new ArrayLit(type, elements(between(1, 3),
                                () -> lit(pick(new String[] {"0", "1", "2"}))), false);
                        default -> new ArrayLit(type, elements(between(1, 3),
                                () -> lit(chance(0.5) ? "true" : "false")), false);
                    });
        }

        /** {@code op operand}; with unaryOnElements off, an array element operand gets parentheses. */
        private Expr unary(String op, Expr operand) {
            if (!UNARY_ON_ELEMENTS && Ast.unmark(operand) instanceof Index) {
                operand = new Paren(operand);
            }
            return new Unary(op, operand);
        }

        /** An expression of type int. */
        private Expr integer(int d) {
            if (!sideEffectTargets(Type.INT).isEmpty() && chance(0.03)) {
                return new StepExpr(pick(sideEffectTargets(Type.INT)), chance(0.5) ? "++" : "--", chance(0.5),
                        Type.INT);
            }
            if (d <= 0 || chance(0.3)) {
                List<String> vars = readable(Type.INT);
                List<String> arrays = readableArrays();
                if (!arrays.isEmpty() && chance(0.15)) {
                    String a = pick(arrays);
                    Var array = new Var(a, typeOf(a));
                    if (array.type() == Type.INT_ARRAY && chance(0.5)) {
                        return new Index(array, index(array));
                    }
                    if (array.type() == Type.DOUBLE_MATRIX && chance(0.4)) {
                        return new Length(new Index(array, index(array)));
                    }
                    return new Length(array);
                }
                if (!vars.isEmpty() && chance(0.7)) {
                    return new Var(pick(vars), Type.INT);
                }
                if (chance(0.1)) {
                    return new Var("STEPS", Type.INT);
                }
                return lit(pick(INT_LITERALS));
            }
            return weighted(
                    25, (Supplier<Expr>) () -> new Binary(pick(new String[] {"+", "-", "*"}), integer(d - 1), integer(d - 1)),
                    4, (Supplier<Expr>) () -> unary("-", integer(d - 1)),
                    12, (Supplier<Expr>) () -> new Cast(Type.INT, dbl(d - 1)),
                    4, (Supplier<Expr>) () -> new Cast(Type.INT, math("round", Type.LONG, dbl(d - 1))),
                    3, (Supplier<Expr>) () -> math("abs", Type.INT, integer(d - 1)),
                    3, (Supplier<Expr>) () -> math(chance(0.5) ? "max" : "min", Type.INT, integer(d - 1), integer(d - 1)),
                    5, (Supplier<Expr>) () -> new Paren(new Cond(bool(d - 1), integer(d - 1), integer(d - 1))),
                    1.5, (Supplier<Expr>) () -> new Call("twice", List.of(integer(d - 1)), Type.INT),
                    4, (Supplier<Expr>) () -> new Binary(chance(0.5) ? "%" : "/", integer(d - 1), lit(pick(new String[] {"2", "3", "5"}))),
                    readable(Type.LONG).isEmpty() ? 0 : 2, (Supplier<Expr>) () -> new Cast(Type.INT, new Var(pick(readable(Type.LONG)), Type.LONG)));
        }

        /** An expression of type boolean. */
        private Expr bool(int d) {
            List<String> vars = readable(Type.BOOLEAN);
            List<String> masks = readable(Type.BOOLEAN_ARRAY);
            if (!masks.isEmpty() && chance(0.15)) {
                Var mask = new Var(pick(masks), Type.BOOLEAN_ARRAY);
                return new Index(mask, index(mask));
            }
            if (d <= 0) {
                if (!vars.isEmpty() && chance(0.4)) {
                    return new Var(pick(vars), Type.BOOLEAN);
                }
                return comparison(0);
            }
            return weighted(
                    vars.isEmpty() ? 0 : 10, (Supplier<Expr>) () -> new Var(pick(vars), Type.BOOLEAN),
                    45, (Supplier<Expr>) () -> comparison(d - 1),
                    8, (Supplier<Expr>) () -> new Unary("!", new Paren(bool(d - 1))),
                    4, (Supplier<Expr>) () -> unary("!", bool(0)),
                    14, (Supplier<Expr>) () -> new Binary(chance(0.5) ? "&&" : "||", bool(d - 1), bool(d - 1)),
                    3, (Supplier<Expr>) () -> new Binary(pick(new String[] {"^", "&", "|", "==", "!="}), bool(0), bool(0)),
                    1, (Supplier<Expr>) () -> new Binary(chance(0.5) ? "&&" : "||", bool(d - 1),
                            lit(chance(0.5) ? "true" : "false")));
        }

        private Expr comparison(int d) {
            if (chance(0.25) && !readable(Type.INT).isEmpty()) {
                String op = pick(new String[] {"<", "<=", ">", ">=", "==", "!="});
                return new Binary(op, integer(d), chance(0.5) ? integer(d) : lit(pick(INT_LITERALS)));
            }
            String op = pick(new String[] {"<", "<=", ">", ">=", "<", ">", "!="});
            Expr l = d <= 0 ? doubleLeaf() : num(d);
            if (l instanceof Ast.Lit) {
                List<String> vars = readable(Type.DOUBLE);
                if (!vars.isEmpty()) {
                    l = new Var(pick(vars), Type.DOUBLE);
                }
            }
            Expr r = chance(0.5) ? lit(pick(new String[] {"0", "1", "0.5", "-1", "1.5", "2"})) : (d <= 0 ? doubleLeaf() : num(d));
            if (r instanceof Lit negative && negative.text().startsWith("-")) {
                r = new Unary("-", lit(negative.text().substring(1)));
            }
            if (r.equals(l)) {
                r = lit(pick(new String[] {"0", "1", "0.5"}));
            }
            return new Binary(op, l, r);
        }
    }
}
