package dev.leibniz.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Statements with their variables replaced: every read, every assignment and every declaration of a variable
 * becomes one of the variable {@code rename} gives for it (itself, to keep it). Every expression node with children
 * is new, so that no node of the result stands in two places, even where the input shared one (the analyses key
 * facts by node identity, and the transforms share subexpressions between a statement and its derivative code).
 */
public final class Renaming implements Stmt.Visitor<Stmt> {
    private final UnaryOperator<Variable> rename;

    private Renaming(UnaryOperator<Variable> rename) {
        this.rename = rename;
    }

    public static List<Stmt> apply(List<Stmt> stmts, UnaryOperator<Variable> rename) {
        return new Renaming(rename).stmts(stmts);
    }

    private List<Stmt> stmts(List<Stmt> stmts) {
        List<Stmt> out = new ArrayList<>(stmts.size());
        for (Stmt s : stmts) {
            out.add(s.accept(this));
        }
        return out;
    }

    private Expr expr(Expr e) {
        if (e == null) {
            return null;
        }
        if (e instanceof Expr.Ref r) {
            Variable v = rename.apply(r.variable());
            return v.equals(r.variable()) ? r : new Expr.Ref(v, r.pos());
        }
        if (e instanceof Expr.Pop p) {
            return new Expr.Pop(rename.apply(p.tape()), p.type());
        }
        List<Expr> children = Exprs.children(e);
        List<Expr> renamed = children.stream().map(this::expr).toList();
        if (e instanceof Expr.TapeCall t) {
            return new Expr.TapeCall(rename.apply(t.tape()), t.method(), renamed, t.type());
        }
        return Exprs.withChildren(e, renamed);
    }

    @Override
    public Stmt visitLocalDecl(Stmt.LocalDecl s) {
        return new Stmt.LocalDecl(rename.apply(s.variable()), expr(s.init()), s.pos());
    }

    @Override
    public Stmt visitAssign(Stmt.Assign s) {
        return new Stmt.Assign(rename.apply(s.target()), expr(s.value()), s.form(), s.pos());
    }

    @Override
    public Stmt visitElementAssign(Stmt.ElementAssign s) {
        return new Stmt.ElementAssign(expr(s.array()), expr(s.index()), expr(s.value()), s.form(), s.pos());
    }

    @Override
    public Stmt visitIf(Stmt.If s) {
        return new Stmt.If(expr(s.condition()), stmts(s.thenStmts()), stmts(s.elseStmts()), s.pos());
    }

    @Override
    public Stmt visitReturn(Stmt.Return s) {
        return new Stmt.Return(expr(s.value()), s.pos());
    }

    @Override
    public Stmt visitLoop(Stmt.Loop s) {
        return s.withParts(stmts(s.init()), expr(s.condition()), stmts(s.update()), stmts(s.body()));
    }

    @Override
    public Stmt visitBreak(Stmt.Break s) {
        return s;
    }

    @Override
    public Stmt visitContinue(Stmt.Continue s) {
        return s;
    }

    @Override
    public Stmt visitPush(Stmt.Push s) {
        return new Stmt.Push(rename.apply(s.tape()), expr(s.value()));
    }

    @Override
    public Stmt visitEvaluate(Stmt.Evaluate s) {
        return new Stmt.Evaluate(expr(s.call()));
    }

    @Override
    public Stmt visitComment(Stmt.Comment s) {
        return s;
    }
}
