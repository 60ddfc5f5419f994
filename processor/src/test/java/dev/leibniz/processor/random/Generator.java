package dev.leibniz.processor.random;

import dev.leibniz.processor.random.Ast.Assign;
import dev.leibniz.processor.random.Ast.Binary;
import dev.leibniz.processor.random.Ast.Block;
import dev.leibniz.processor.random.Ast.Call;
import dev.leibniz.processor.random.Ast.Cast;
import dev.leibniz.processor.random.Ast.Cond;
import dev.leibniz.processor.random.Ast.Decl;
import dev.leibniz.processor.random.Ast.Expr;
import dev.leibniz.processor.random.Ast.If;
import dev.leibniz.processor.random.Ast.Free;
import dev.leibniz.processor.random.Ast.Lit;
import dev.leibniz.processor.random.Ast.Locked;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Paren;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Return;
import dev.leibniz.processor.random.Ast.Step;
import dev.leibniz.processor.random.Ast.Stmt;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.processor.random.Ast.Unary;
import dev.leibniz.processor.random.Ast.Var;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Generates random, well-typed, terminating {@code @Differentiable} methods in the subset Leibniz supports: no
 * loops, arrays or switches; locals assigned before use (javac's definite assignment, tracked conservatively);
 * no statement after one that cannot complete normally; Math functions only where they are defined and smooth
 * enough for finite differences (logarithms of {@code 1 + u * u}, exponentials of bounded arguments, divisions
 * by denominators bounded away from zero), except in the untaken branch of a guard ({@code x > 0 ? log(x) : 0}).
 * A program is one to three methods; each may call the ones generated before it, so nothing recurses.
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
        List<Method> methods = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            boolean helper = k < count - 1;
            methods.add(new MethodGen(prefix + "_" + k, List.copyOf(methods), helper).generate());
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

        MethodGen(String name, List<Method> callees, boolean helper) {
            this.name = name;
            this.callees = callees;
            this.helper = helper;
        }

        Method generate() {
            List<Param> ps = parameters();
            Map<String, Type> paramScope = new LinkedHashMap<>();
            for (Param p : ps) {
                paramScope.put(p.name(), p.type());
                params.add(p.name());
                assigned.add(p.name());
            }
            scopes.add(paramScope);
            budget = helper ? between(1, 6) : between(2, 11);
            callsLeft = callees.isEmpty() ? 0 : between(1, 3);
            List<Stmt> body = new ArrayList<>();
            while (budget > 0 && reachable) {
                body.addAll(statement());
            }
            if (reachable) {
                body.add(new Return(finalValue()));
            }
            String modifiers = pick(new String[] {"public", "public", "", "private", "protected"});
            return new Method(modifiers, name, ps, body);
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
            };
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
            return weighted(
                    14, (Supplier<List<Stmt>>) this::declareDouble,
                    4, (Supplier<List<Stmt>>) () -> declareSimple(Type.INT),
                    2, (Supplier<List<Stmt>>) () -> declareSimple(Type.BOOLEAN),
                    1, (Supplier<List<Stmt>>) this::declareLong,
                    readable(Type.LONG).isEmpty() ? 0 : 1.5, (Supplier<List<Stmt>>) () -> List.of(assignLong()),
                    16, (Supplier<List<Stmt>>) () -> List.of(assigning(assignDouble())),
                    readable(Type.INT).isEmpty() ? 0 : 4, (Supplier<List<Stmt>>) () -> List.of(assignInt()),
                    readable(Type.BOOLEAN).isEmpty() ? 0 : 1.5, (Supplier<List<Stmt>>) () -> List.of(assignBoolean()),
                    canNest ? 16 : 0, (Supplier<List<Stmt>>) () -> List.of(ifStatement(null)),
                    5, (Supplier<List<Stmt>>) () -> List.of(guardClause()),
                    4, (Supplier<List<Stmt>>) () -> List.of(guardedUnsafe()),
                    canNest ? 1 : 0, (Supplier<List<Stmt>>) () -> List.of(block()));
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
            List<String> targets = declared(Type.DOUBLE);
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
            String target = pick(readable(Type.INT));
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
            String target = pick(readable(Type.BOOLEAN));
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
            for (int a = 0; a < condArms + (finalElse ? 1 : 0); a++) {
                assigned = new HashSet<>(before);
                reachable = true;
                if (a < condArms) {
                    conds.add(bool(depth()));
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
            if (reachable && chance(0.18)) {
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
            List<String> targets = declared(Type.DOUBLE);
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
                    5, (Supplier<Expr>) () -> new Unary("-", dbl(d - 1)),
                    0.5, (Supplier<Expr>) () -> new Unary("+", dbl(d - 1)),
                    32, (Supplier<Expr>) () -> mathDouble(d),
                    7, (Supplier<Expr>) () -> ternary(d),
                    4, (Supplier<Expr>) () -> guardedTernary(d),
                    callsLeft > 0 ? 8 : 0, (Supplier<Expr>) () -> call(d),
                    2.5, (Supplier<Expr>) () -> new Cast(Type.DOUBLE, integer(d - 1)),
                    1, (Supplier<Expr>) () -> new Call("halfOf", List.of(integer(d - 1)), Type.DOUBLE),
                    3, (Supplier<Expr>) () -> new Paren(dbl(d - 1)));
        }

        private Expr doubleLeaf() {
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
            return new Var(pick(new String[] {"Math.PI", "Math.E", "PI", "SCALE", "OFFSET", "SCALE", "OFFSET"}),
                    Type.DOUBLE);
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
            Method callee = pick(callees);
            List<Expr> args = new ArrayList<>();
            Expr previousDouble = null;
            for (Param p : callee.params()) {
                Expr arg = switch (p.type()) {
                    case DOUBLE -> previousDouble != null && chance(0.25) ? previousDouble : num(d - 1);
                    case INT -> integer(d - 1);
                    case LONG -> chance(0.5) ? integer(d - 1) : new Cast(Type.LONG, dbl(d - 1));
                    case BOOLEAN -> bool(d - 1);
                };
                if (p.type() == Type.DOUBLE) {
                    previousDouble = arg;
                }
                args.add(arg);
            }
            return new Call(callee.name(), args, Type.DOUBLE);
        }

        /** An expression of type int. */
        private Expr integer(int d) {
            if (d <= 0 || chance(0.3)) {
                List<String> vars = readable(Type.INT);
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
                    4, (Supplier<Expr>) () -> new Unary("-", integer(d - 1)),
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
                    4, (Supplier<Expr>) () -> new Unary("!", bool(0)),
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
