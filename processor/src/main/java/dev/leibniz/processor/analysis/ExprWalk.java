package dev.leibniz.processor.analysis;

import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Stmt;
import java.util.List;
import java.util.function.Consumer;

/** Visits every expression node and statement of a statement list, in source order. */
public final class ExprWalk {
    private ExprWalk() {
    }

    /** Every statement, nested ones after their parent. */
    public static void statements(List<Stmt> stmts, Consumer<Stmt> action) {
        for (Stmt s : stmts) {
            action.accept(s);
            if (s instanceof Stmt.If i) {
                statements(i.thenStmts(), action);
                statements(i.elseStmts(), action);
            } else if (s instanceof Stmt.Loop loop) {
                statements(loop.init(), action);
                statements(loop.body(), action);
                statements(loop.update(), action);
            }
        }
    }

    /** The expressions a statement evaluates itself (not those of nested statements). */
    public static List<Expr> ownExpressions(Stmt s) {
        if (s instanceof Stmt.LocalDecl d) {
            return d.init() == null ? List.of() : List.of(d.init());
        }
        if (s instanceof Stmt.Assign a) {
            return List.of(a.value());
        }
        if (s instanceof Stmt.ElementAssign a) {
            return List.of(a.array(), a.index(), a.value());
        }
        if (s instanceof Stmt.If i) {
            return List.of(i.condition());
        }
        if (s instanceof Stmt.Return r) {
            return List.of(r.value());
        }
        if (s instanceof Stmt.Loop loop) {
            return List.of(loop.condition());
        }
        if (s instanceof Stmt.Push p) {
            return List.of(p.value());
        }
        if (s instanceof Stmt.Evaluate e) {
            return List.of(e.call());
        }
        return List.of();
    }

    /**
     * The nodes of {@code expr} through which a derivative may flow, children before parents: none inside
     * {@code Leibniz.noDerivative(...)}, which drops whatever is computed there; the held call itself is one.
     */
    public static void carrying(Expr expr, Consumer<Expr> action) {
        if (!(expr instanceof Expr.StaticCall call && call.stopsDerivative())) {
            for (Expr child : Exprs.children(expr)) {
                carrying(child, action);
            }
        }
        action.accept(expr);
    }

    /** Every node of {@code expr}, children before parents. */
    public static void nodes(Expr expr, Consumer<Expr> action) {
        for (Expr child : Exprs.children(expr)) {
            nodes(child, action);
        }
        action.accept(expr);
    }
}
