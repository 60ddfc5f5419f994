package dev.leibniz.processor.analysis;

import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The array parameters a method may write into, following which parameter's storage each array variable may hold
 * at each statement (a flow-sensitive may-point-to analysis): {@code double[] buf = x.clone(); if (c) buf = a;}
 * writes into {@code a} only where {@code buf} may be {@code a} when it writes.
 *
 * <p>The alias classes of {@link Activity} are flow-insensitive, which is right for saving values (conservative) but
 * would make generated code refuse arguments that share an array the method only reads. This analysis decides what
 * the caller sees written. A row {@code m[i]} is the storage of {@code m}; a new array, an initialiser or a call's
 * result is no parameter's. Loops are followed to a fixed point; the branches of an {@code if} are joined.
 */
public final class WrittenParameters {
    /** For each array variable, the parameters whose storage (or rows) it may hold. */
    private Map<Variable, Set<Variable>> pointsTo = new HashMap<>();
    private final Set<Variable> written = new HashSet<>();

    private WrittenParameters() {
    }

    /** The array parameters of {@code function} whose storage it may write into, in parameter order. */
    public static List<Variable> of(Function function) {
        WrittenParameters analysis = new WrittenParameters();
        for (Variable p : function.parameters()) {
            if (p.type() instanceof ArrayType) {
                analysis.pointsTo.put(p, Set.of(p));
            }
        }
        analysis.visit(function.body());
        return function.parameters().stream().filter(analysis.written::contains).toList();
    }

    private void visit(List<Stmt> stmts) {
        for (Stmt s : stmts) {
            visit(s);
        }
    }

    private void visit(Stmt s) {
        for (Expr e : ExprWalk.ownExpressions(s)) {
            ExprWalk.nodes(e, node -> {
                Exprs.writtenArguments(node).forEach(a -> written.addAll(origins(a)));
            });
        }
        if (s instanceof Stmt.LocalDecl d && d.variable().type() instanceof ArrayType) {
            pointsTo.put(d.variable(), d.init() == null ? Set.of() : origins(d.init()));
        } else if (s instanceof Stmt.Assign a && a.target().type() instanceof ArrayType) {
            pointsTo.put(a.target(), origins(a.value()));
        } else if (s instanceof Stmt.ElementAssign a) {
            written.addAll(origins(a.array()));
        } else if (s instanceof Stmt.If i) {
            Map<Variable, Set<Variable>> before = pointsTo;
            pointsTo = new HashMap<>(before);
            visit(i.thenStmts());
            Map<Variable, Set<Variable>> afterThen = pointsTo;
            pointsTo = new HashMap<>(before);
            visit(i.elseStmts());
            pointsTo = join(afterThen, pointsTo);
        } else if (s instanceof Stmt.Loop loop) {
            visit(loop.init());
            while (true) {
                Map<Variable, Set<Variable>> entry = pointsTo;
                pointsTo = new HashMap<>(entry);
                visit(loop.body());
                visit(loop.update());
                Map<Variable, Set<Variable>> joined = join(entry, pointsTo);
                pointsTo = joined;
                if (joined.equals(entry)) {
                    return;
                }
            }
        }
    }

    /** The parameters whose storage an array expression may be. */
    private Set<Variable> origins(Expr e) {
        Variable root = Exprs.arrayRoot(e);
        if (root != null) {
            return pointsTo.getOrDefault(root, Set.of());
        }
        if (e instanceof Expr.Conditional c) {
            Set<Variable> both = new HashSet<>(origins(c.whenTrue()));
            both.addAll(origins(c.whenFalse()));
            return both;
        }
        return Set.of(); // new double[n], {a, b} (whose rows are new), a call's result
    }

    private static Map<Variable, Set<Variable>> join(Map<Variable, Set<Variable>> a, Map<Variable, Set<Variable>> b) {
        Map<Variable, Set<Variable>> out = new HashMap<>(a);
        b.forEach((v, origins) -> out.merge(v, origins, (x, y) -> {
            if (x.containsAll(y)) {
                return x;
            }
            Set<Variable> union = new HashSet<>(x);
            union.addAll(y);
            return Set.copyOf(union);
        }));
        return out;
    }
}
