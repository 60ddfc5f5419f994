package dev.leibniz.processor.ir;

import java.util.List;
import java.util.Set;

/**
 * A source statement after reverse-mode differentiation, before the to-be-recorded analysis decides what the
 * forward sweep must save: the statement's forward code, its reverse code, and what that reverse code reads.
 */
public sealed interface AdjointStmt {

    /**
     * {@code target = value} (or a declaration).
     *
     * @param forward the statement, preceded by the intermediates it names for the reverse sweep
     * @param intermediates the variables those intermediates are kept in, which a loop's next iteration overwrites
     * @param reverse the adjoint code, without any restore of the target
     * @param reads the primal variables the reverse code reads
     * @param readsOldTarget whether the reverse code reads the target's value from before the statement, which
     *     the statement must then save and restore itself
     * @param target what the analysis sees overwritten: the variable, or for an element the array's alias class
     * @param locations what a save keeps: the variable, the element {@code a[i]}, or an array reference and its
     *     shadow's
     */
    record Assignment(
            Stmt source,
            Variable target,
            boolean declaration,
            List<Stmt> forward,
            List<Variable> intermediates,
            List<Stmt> reverse,
            Set<Variable> reads,
            boolean readsOldTarget,
            List<Expr> locations) implements AdjointStmt {

        public Assignment {
            forward = List.copyOf(forward);
            intermediates = List.copyOf(intermediates);
            reverse = List.copyOf(reverse);
            reads = Set.copyOf(reads);
            locations = List.copyOf(locations);
        }
    }

    /**
     * A call of a method that may write into arrays it is given ({@code tick(n)}, {@code scale(w, 2)}): no adjoint
     * code (Leibniz refuses such a call where the arrays carry derivatives), but where reverse code reads what it
     * changes, the forward sweep keeps a copy of each array before the call and the reverse sweep puts it back.
     *
     * @param forward the call, or nothing when it is the value of the assignment that follows
     * @param arrays the array arguments the call may write
     * @param cells their alias classes, what the analysis sees overwritten
     * @param reads what putting the arrays back reads (the variables of {@code arrays}), and what {@code adjoint}
     *     reads
     * @param adjoint for a {@code @Differentiable} method that writes into its arrays, its reverse code: the call of
     *     its in-place pullback, which needs the arrays as they were before the call, so the forward sweep always
     *     keeps them, and the reverse sweep puts them back before this code and again after it (the pullback leaves
     *     them as the call did); empty for any other call
     */
    record Effect(Stmt source, List<Stmt> forward, List<Expr> arrays, Set<Variable> cells, Set<Variable> reads,
            List<Stmt> adjoint) implements AdjointStmt {
        public Effect {
            forward = List.copyOf(forward);
            arrays = List.copyOf(arrays);
            cells = Set.copyOf(cells);
            reads = Set.copyOf(reads);
            adjoint = List.copyOf(adjoint);
        }
    }

    /**
     * An {@code if}, whose branches are reversed as branches.
     *
     * @param recomputable whether the reverse sweep may evaluate the condition again: it is pure, and nothing in
     *     the branches assigns what it reads
     * @param conditionReads what the condition reads: its variables, and the cells of the arrays among them, whose
     *     element writes later on must be undone before the reverse sweep evaluates it again
     */
    record Branch(Stmt.If source, List<AdjointStmt> thenStmts, List<AdjointStmt> elseStmts, boolean recomputable,
            Set<Variable> conditionReads) implements AdjointStmt {

        public Branch {
            thenStmts = List.copyOf(thenStmts);
            elseStmts = List.copyOf(elseStmts);
            conditionReads = Set.copyOf(conditionReads);
        }

        /** Whether a statement inside has reverse code of its own; restores of saved values aside. */
        public boolean hasAdjointCode() {
            return AdjointStmt.hasAdjointCode(thenStmts) || AdjointStmt.hasAdjointCode(elseStmts);
        }

        /**
         * Whether the reverse sweep evaluates the condition again. A branch with adjoint code reads its condition
         * where the to-be-recorded analysis sees it; one that only restores saved values records a boolean.
         */
        public boolean reevaluated() {
            return recomputable && hasAdjointCode();
        }

    }

    /**
     * A loop without jumps ({@code LoopJumps} has run): {@code init} once, then {@code body} and {@code update} per
     * iteration. The reverse sweep runs the iterations backwards, as many as the forward sweep counted.
     */
    record Loop(Stmt.Loop source, List<AdjointStmt> init, List<AdjointStmt> body, List<AdjointStmt> update,
            Counter counter) implements AdjointStmt {

        public Loop {
            init = List.copyOf(init);
            body = List.copyOf(body);
            update = List.copyOf(update);
        }
    }

    /**
     * The counter of a loop like {@code for (int i = start; ...; i += step)} that nothing else assigns: the reverse
     * sweep counts it back down instead of keeping its values.
     *
     * @param start an integer expression whose variables the loop does not assign
     */
    record Counter(Variable variable, Expr start, long step) {
    }

    /** Whether a statement in {@code stmts}, at any depth, has reverse code of its own. */
    static boolean hasAdjointCode(List<AdjointStmt> stmts) {
        for (AdjointStmt s : stmts) {
            boolean has = s instanceof Assignment a ? !a.reverse().isEmpty()
                    : s instanceof Effect ? false
                    : s instanceof Branch b ? b.hasAdjointCode()
                    : hasAdjointCode(((Loop) s).init()) || hasAdjointCode(((Loop) s).body())
                            || hasAdjointCode(((Loop) s).update());
            if (has) {
                return true;
            }
        }
        return false;
    }
}
