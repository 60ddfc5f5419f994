package dev.leibniz.processor.random;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.random.Ast.Assign;
import dev.leibniz.processor.random.Ast.Block;
import dev.leibniz.processor.random.Ast.Call;
import dev.leibniz.processor.random.Ast.Decl;
import dev.leibniz.processor.random.Ast.Expr;
import dev.leibniz.processor.random.Ast.If;
import dev.leibniz.processor.random.Ast.Lit;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Return;
import dev.leibniz.processor.random.Ast.Stmt;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.processor.random.Ast.Var;
import dev.leibniz.processor.random.Harness.Failure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Greedy shrinking of a failing program: remove methods, statements, branches and parameters, replace
 * expressions by a literal, a parameter or one of their own subexpressions, and keep the first change after which
 * the program still fails the same way (same kind and, for compile failures, the same error; runtime failures at
 * the same point), until no change helps or the time is up. javac decides what is still valid Java.
 */
final class Shrinker {
    private final Failure target;
    private final long deadline;
    private final Set<String> tried = new HashSet<>();
    private int evaluations;

    private Shrinker(Failure target, long millis) {
        this.target = target;
        this.deadline = System.currentTimeMillis() + millis;
    }

    /** The smallest failing program found within {@code millis}, as a failure (or the failure itself). */
    static Failure shrink(Failure failure, long millis) {
        if (failure.program().methods().isEmpty() || failure.method().equals("(batch)")) {
            return failure;
        }
        Shrinker s = new Shrinker(failure, millis);
        return s.run();
    }

    private boolean runtime() {
        return target.args() != null;
    }

    private Failure run() {
        Program current = trim(target.program(), target.method());
        Failure best = evaluate(current);
        if (best == null) {
            current = target.program();
            best = target;
        }
        boolean progress = true;
        while (progress && System.currentTimeMillis() < deadline) {
            progress = false;
            for (Program candidate : candidates(current)) {
                if (System.currentTimeMillis() >= deadline) {
                    break;
                }
                if (!tried.add(Ast.print(candidate, ""))) {
                    continue;
                }
                Failure f = evaluate(candidate);
                if (f != null) {
                    current = candidate;
                    best = f;
                    progress = true;
                    break;
                }
            }
        }
        return best;
    }

    int evaluations() {
        return evaluations;
    }

    /** The methods up to and including {@code method}. */
    private static Program trim(Program p, String method) {
        List<Method> out = new ArrayList<>();
        for (Method m : p.methods()) {
            out.add(m);
            if (m.name().equals(method)) {
                break;
            }
        }
        return new Program(p.seed(), out);
    }

    /** The candidate's failure if it fails like the target, else null. */
    private Failure evaluate(Program candidate) {
        evaluations++;
        String simpleName = Harness.newClassName();
        Compilation c = Harness.compile(simpleName, candidate.methods(), true, null);
        if (!runtime()) {
            if (Harness.clean(c)) {
                return null;
            }
            Failure f = Harness.compileFailure(candidate, c, new Harness.Stats());
            return f != null && f.kind() == target.kind() && f.key().equals(target.key()) ? f : null;
        }
        if (!Harness.clean(c)) {
            return null;
        }
        Harness.Loaded loaded = new Harness.Loaded(c, simpleName);
        Method m = candidate.last();
        Map<String, Object> point = new LinkedHashMap<>();
        for (Param p : m.params()) {
            point.put(p.name(), target.args().get(p.name()));
        }
        Failure f = target.key().startsWith("alias")
                ? Aliasing.check(loaded, candidate, m, point, new java.util.Random(0), new Harness.Stats())
                : Harness.checkPoint(loaded, candidate, m, point, new Harness.Stats());
        return f != null && f.kind() == target.kind() ? f : null;
    }

    // ------------------------------------------------------------------------------------------------ candidates

    private List<Program> candidates(Program p) {
        List<Program> out = new ArrayList<>();
        List<Method> ms = p.methods();
        int last = ms.size() - 1;
        for (int i = 0; i < ms.size(); i++) {
            if (runtime() && i == last || calledByOthers(ms, i)) {
                continue;
            }
            List<Method> without = new ArrayList<>(ms);
            without.remove(i);
            if (!without.isEmpty()) {
                out.add(new Program(p.seed(), without));
            }
        }
        for (int i = last; i >= 0; i--) {
            for (List<Stmt> body : statementVariants(ms.get(i).body())) {
                out.add(replace(p, i, ms.get(i).withBody(body)));
            }
        }
        for (int i = last; i >= 0; i--) {
            if (runtime() && i != last || calledByOthers(ms, i)) {
                continue;
            }
            Method m = ms.get(i);
            for (Param param : m.params()) {
                if (!Ast.mentions(m.body(), param.name())) {
                    List<Param> fewer = new ArrayList<>(m.params());
                    fewer.remove(param);
                    out.add(replace(p, i, m.withParams(fewer)));
                }
            }
        }
        for (int i = last; i >= 0; i--) {
            Method m = ms.get(i);
            List<Expr> all = preorder(m.body());
            List<Position> positions = positions(m.body());
            for (int k = 0; k < all.size(); k++) {
                for (Expr r : replacements(all.get(k), positions.get(k), m.params())) {
                    out.add(replace(p, i, m.withBody(replaceAt(m.body(), k, r))));
                }
            }
        }
        return out;
    }

    private static Program replace(Program p, int index, Method m) {
        List<Method> ms = new ArrayList<>(p.methods());
        ms.set(index, m);
        return new Program(p.seed(), ms);
    }

    private static boolean calledByOthers(List<Method> ms, int index) {
        String name = ms.get(index).name();
        for (int j = 0; j < ms.size(); j++) {
            if (j != index && Ast.anyExpr(ms.get(j).body(), e -> e instanceof Call c && c.function().equals(name))) {
                return true;
            }
        }
        return false;
    }

    static List<List<Stmt>> statementVariants(List<Stmt> list) {
        List<List<Stmt>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Stmt s = list.get(i);
            if (s instanceof Ast.Tick) {
                continue; // the counter that ends a loop
            }
            out.add(splice(list, i, List.of()));
            if (s instanceof If f) {
                if (!(f.cond() instanceof Ast.Locked)) {
                    out.add(splice(list, i, f.then()));
                }
                if (f.otherwise() != null) {
                    out.add(splice(list, i, f.otherwise()));
                    out.add(splice(list, i, List.of(new If(f.cond(), f.then(), null, f.braces()))));
                }
            } else if (s instanceof Block b) {
                out.add(splice(list, i, b.body()));
            } else if (s instanceof Decl d && d.useVar()) {
                out.add(splice(list, i, List.of(new Decl(d.type(), false, d.name(), d.init()))));
            } else if (s instanceof Ast.For f) {
                // one iteration: the counter's declaration, then the body
                List<Stmt> once = new ArrayList<>();
                once.add(f.init());
                once.addAll(f.body());
                out.add(splice(list, i, once));
                if (f.label() != null) {
                    out.add(splice(list, i, List.of(new Ast.For(null, f.init(), f.cond(), f.update(), f.body()))));
                }
            } else if (s instanceof Ast.ForEach f) {
                List<Stmt> once = new ArrayList<>();
                once.add(new Decl(f.type(), false, f.name(), new Ast.Index(f.array(), new Lit("0", Type.INT))));
                once.addAll(f.body());
                out.add(splice(list, i, once));
                if (f.label() != null) {
                    out.add(splice(list, i, List.of(new Ast.ForEach(null, f.type(), f.name(), f.array(), f.body()))));
                }
            } else if (s instanceof Ast.While w) {
                out.add(splice(list, i, w.body()));
                if (w.label() != null) {
                    out.add(splice(list, i, List.of(new Ast.While(null, w.cond(), w.body()))));
                }
            } else if (s instanceof Ast.DoWhile w) {
                out.add(splice(list, i, w.body()));
                if (w.label() != null) {
                    out.add(splice(list, i, List.of(new Ast.DoWhile(null, w.body(), w.cond()))));
                }
            }
        }
        for (int i = 0; i < list.size(); i++) {
            Stmt s = list.get(i);
            List<List<Stmt>> nested = Ast.bodies(s);
            for (int k = 0; k < nested.size(); k++) {
                int which = k;
                for (List<Stmt> v : statementVariants(nested.get(k))) {
                    int[] seen = {0};
                    Stmt changed = Ast.rebuild(s, e -> e, b -> seen[0]++ == which ? v : b);
                    out.add(splice(list, i, List.of(changed)));
                }
            }
        }
        return out;
    }

    /** The list with statement i replaced; what follows a spliced-in return is dropped (it is unreachable). */
    private static List<Stmt> splice(List<Stmt> list, int i, List<Stmt> replacement) {
        List<Stmt> out = new ArrayList<>(list.subList(0, i));
        out.addAll(replacement);
        if (replacement.isEmpty() || !(replacement.get(replacement.size() - 1) instanceof Return)) {
            out.addAll(list.subList(i + 1, list.size()));
        }
        return out;
    }

    /**
     * Smaller expressions to try instead of {@code e}. Conditions become {@code p > 0} for a double parameter p
     * before {@code true} or {@code false}, so that shrunk programs keep realistic branches; a comparison of a
     * variable with a literal, and a variable compared, are left alone.
     */
    private static List<Expr> replacements(Expr e, Position position, List<Param> params) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Ast.Free || position.locked()) {
            return out;
        }
        if (e instanceof Ast.Locked l) {
            if (l.literalOk()) {
                out.add(new Lit("1.0", Type.DOUBLE));
            }
            return out;
        }
        if (e instanceof Lit || position.compared() || minimalComparison(e)) {
            return out;
        }
        switch (e.type()) {
            case DOUBLE -> out.add(new Lit("1.0", Type.DOUBLE));
            case INT -> out.add(new Lit("1", Type.INT));
            case LONG -> out.add(new Lit("1L", Type.LONG));
            case BOOLEAN -> {
                for (Param p : params) {
                    if (p.type() == Type.DOUBLE) {
                        out.add(new Ast.Binary(">", new Var(p.name(), Type.DOUBLE), new Lit("0", Type.INT)));
                    }
                }
                out.add(new Lit("true", Type.BOOLEAN));
                out.add(new Lit("false", Type.BOOLEAN));
            }
        }
        if (!(e instanceof Var)) {
            for (Param p : params) {
                if (p.type() == e.type()) {
                    out.add(new Var(p.name(), p.type()));
                }
            }
        }
        for (Expr c : e.children()) {
            if (c instanceof Ast.Locked l && !l.promotable()) {
                continue;
            }
            if (c.type() == e.type() || e.type() == Type.DOUBLE && c.type().numeric()) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean isComparison(Expr e) {
        e = Ast.unmark(e);
        return e instanceof Ast.Binary b && List.of("<", "<=", ">", ">=", "==", "!=").contains(b.op());
    }

    private static boolean minimalComparison(Expr e) {
        return isComparison(e) && e.children().stream().allMatch(c -> c instanceof Var || c instanceof Lit
                || c instanceof Ast.Unary u && u.operand() instanceof Lit);
    }

    /**
     * Where an expression of {@link #preorder} stands: a variable compared by its parent (left alone, so that
     * conditions stay readable), or inside a {@link Ast.Locked} subtree and not under a {@link Ast.Free} (left
     * alone, so that functions stay in their domain).
     */
    record Position(boolean compared, boolean locked) {
    }

    static List<Position> positions(List<Stmt> body) {
        List<Position> out = new ArrayList<>();
        slots(body, e -> {
            mark(e, false, false, out);
            return e;
        });
        return out;
    }

    private static void mark(Expr e, boolean parentCompares, boolean locked, List<Position> out) {
        out.add(new Position(parentCompares && e instanceof Var, locked));
        boolean lockedBelow = e instanceof Ast.Locked || locked && !(e instanceof Ast.Free);
        for (Expr c : e.children()) {
            mark(c, isComparison(e), lockedBelow, out);
        }
    }

    // ------------------------------------------------------------------------------------------------ positions

    /** Every expression of the body, in pre-order: statement by statement, each node before its children. */
    static List<Expr> preorder(List<Stmt> body) {
        List<Expr> out = new ArrayList<>();
        slots(body, e -> {
            collect(e, out);
            return e;
        });
        return out;
    }

    private static void collect(Expr e, List<Expr> out) {
        out.add(e);
        for (Expr c : e.children()) {
            collect(c, out);
        }
    }

    /** The body with the {@code k}-th expression in pre-order replaced. */
    static List<Stmt> replaceAt(List<Stmt> body, int k, Expr replacement) {
        int[] counter = {0};
        return slots(body, e -> replace(e, k, replacement, counter));
    }

    private static Expr replace(Expr e, int k, Expr replacement, int[] counter) {
        int index = counter[0]++;
        if (index == k) {
            counter[0] += size(e) - 1;
            return replacement;
        }
        if (e.children().isEmpty()) {
            return e;
        }
        List<Expr> children = new ArrayList<>();
        for (Expr c : e.children()) {
            children.add(replace(c, k, replacement, counter));
        }
        return e.withChildren(children);
    }

    private static int size(Expr e) {
        int n = 1;
        for (Expr c : e.children()) {
            n += size(c);
        }
        return n;
    }

    /** Rebuilds the statements with each top-level expression slot, in source order, passed through {@code f}. */
    private static List<Stmt> slots(List<Stmt> body, UnaryOperator<Expr> f) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : body) {
            out.add(Ast.rebuild(s, f, b -> slots(b, f)));
        }
        return out;
    }
}
