package dev.leibniz.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.Tree;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.UnaryOp;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Assignments, compound assignments, {@code ++} and {@code --} inside expressions, in Java's order of evaluation
 * (JLS 15.7). Each becomes statements placed before the statement that holds the expression (in its "sink"), and
 * the expression reads what it left: {@code return x *= 2;} is {@code x = x * 2; return x;}. An operand evaluated
 * before a later operand's side effect is first kept in a local, so that it keeps the value Java gives it
 * ({@code x + (x = 2)}, {@code a[i] = i++}). A side effect that runs on some paths only — on the right of
 * {@code &&} and {@code ||}, in a branch of {@code ?:} — makes the expression an {@code if} that assigns its
 * value to a local. Loop conditions with side effects become a test at the top of the body (the statement
 * translator). Each tree's side effect is emitted once: a second request is an error, never a repeated effect.
 */
final class SideEffects {
    private final TranslationContext context;
    private final Deque<List<Stmt>> sinks = new ArrayDeque<>();
    /** The sinks each tree's side effect went into: a statement translated again (fall-through) has a new one. */
    private final java.util.Map<Tree, Set<List<Stmt>>> emitted = new IdentityHashMap<>();

    SideEffects(TranslationContext context) {
        this.context = context;
    }

    /** Whether {@code tree} assigns, or increments or decrements, anything. */
    static boolean in(ExpressionTree tree) {
        return Constructs.anyTree(tree, t -> t instanceof AssignmentTree || t instanceof CompoundAssignmentTree
                || Constructs.isIncrement(t.getKind()));
    }

    /** Runs {@code action} with the side effects of what it translates going into {@code sink}. */
    <T> T into(List<Stmt> sink, Supplier<T> action) {
        sinks.push(sink);
        try {
            return action.get();
        } finally {
            sinks.pop();
        }
    }

    /**
     * Where the side effect of {@code tree} goes, or {@code null} (and a problem reported) when it has no place or
     * was emitted already.
     */
    List<Stmt> sinkFor(Tree tree) {
        if (sinks.isEmpty()) {
            context.problems().report(tree, "an assignment or '++'/'--' is not supported here in a @Differentiable "
                    + "method; write it as a statement of its own");
            return null;
        }
        if (!emitted.computeIfAbsent(tree, t -> Collections.newSetFromMap(new IdentityHashMap<>())).add(sinks.peek())) {
            context.problems().report(tree, "Leibniz would evaluate this assignment twice; write it as a statement "
                    + "of its own (this is a bug in Leibniz: please report it)");
            return null;
        }
        return sinks.peek();
    }

    /**
     * {@code e} as it evaluates now, when a side effect evaluated after it may change what it reads: each variable
     * and element it reads is kept in a local, and the rest of it stays as it is, so that a product keeps the order
     * of its factors ({@code z * 1e-300 * (z += 1) * 1e300} must not become a local of 1.5e-300 whose adjoint
     * overflows). Constants need no local, and neither does an array variable, which no expression may assign.
     */
    Expr spill(Expr e, SourcePos pos) {
        if (e instanceof Expr.Literal || e instanceof Expr.FieldRef || sinks.isEmpty()
                || e instanceof Expr.Ref && e.type() instanceof ArrayType) {
            return e;
        }
        boolean conditional = e instanceof Expr.Conditional || e instanceof Expr.Binary b
                && (b.op() == dev.leibniz.processor.ir.BinaryOp.CONDITIONAL_AND
                        || b.op() == dev.leibniz.processor.ir.BinaryOp.CONDITIONAL_OR);
        // a branch not taken must not be evaluated (a[i] out of bounds there): a choice is kept whole
        if (e instanceof Expr.Ref || e instanceof Expr.ArrayRead || conditional) {
            Variable saved = context.variables().create("saved", e.type(), Variable.Role.LOCAL);
            sinks.peek().add(new Stmt.LocalDecl(saved, e, SourcePos.NONE)); // no line of its own in comments
            return new Expr.Ref(saved, pos);
        }
        List<Expr> children = Exprs.children(e);
        List<Expr> kept = children.stream().map(c -> spill(c, pos)).toList();
        return kept.equals(children) ? e : Exprs.withChildren(e, kept);
    }

    /**
     * {@code c ? a : b} whose branches have side effects: {@code T chosen; if (c) {...; chosen = a;} else {...;
     * chosen = b;}}, the branches' statements inside their branch.
     *
     * @param type the type of the {@code ?:} from its branches' values, or {@code null} when they make none (which
     *     it reports); the choice is then {@code null} too
     */
    Expr choice(Expr condition, Supplier<Expr> whenTrue, Supplier<Expr> whenFalse,
            java.util.function.BiFunction<Expr, Expr, Type> type, SourcePos pos) {
        List<Stmt> thenStmts = new ArrayList<>();
        List<Stmt> elseStmts = new ArrayList<>();
        Expr t = into(thenStmts, whenTrue);
        Expr f = into(elseStmts, whenFalse);
        Type chosenType = type.apply(t, f);
        if (chosenType == null) {
            return null;
        }
        Variable chosen = context.variables().create("chosen", chosenType, Variable.Role.LOCAL);
        thenStmts.add(new Stmt.Assign(chosen, t, Stmt.Assign.Form.PLAIN, pos));
        elseStmts.add(new Stmt.Assign(chosen, f, Stmt.Assign.Form.PLAIN, pos));
        sinks.peek().add(new Stmt.LocalDecl(chosen, null, pos));
        sinks.peek().add(new Stmt.If(condition, thenStmts, elseStmts, pos));
        return new Expr.Ref(chosen, pos);
    }

    /**
     * {@code l && r} or {@code l || r} whose right operand has side effects: {@code boolean both = l; if (both)
     * {...; both = r;}} (for {@code ||}, {@code if (!either)}).
     */
    Expr shortCircuit(boolean and, Expr left, Supplier<Expr> right, SourcePos pos) {
        Variable result = context.variables().create(and ? "both" : "either", PrimitiveType.BOOLEAN,
                Variable.Role.LOCAL);
        sinks.peek().add(new Stmt.LocalDecl(result, left, pos));
        List<Stmt> rightStmts = new ArrayList<>();
        Expr r = into(rightStmts, right);
        rightStmts.add(new Stmt.Assign(result, r, Stmt.Assign.Form.PLAIN, pos));
        Expr test = and ? new Expr.Ref(result, pos)
                : new Expr.Unary(UnaryOp.NOT, new Expr.Ref(result, pos), PrimitiveType.BOOLEAN, pos);
        sinks.peek().add(new Stmt.If(test, rightStmts, List.of(), pos));
        return new Expr.Ref(result, pos);
    }

    boolean hasSink() {
        return !sinks.isEmpty();
    }
}
