package dev.leibniz.processor.analysis;

import dev.leibniz.processor.ir.AdjointStmt;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The to-be-recorded analysis (Tapenade's TBR): which assignments must save the value they overwrite, because
 * reverse code that runs later reads it.
 *
 * <p>It walks the statements in execution order, keeping the set of variables read so far by their reverse code.
 * An overwrite of one of them must save it; so must a statement whose own reverse code reads the old value of its
 * target — and that statement's restore then serves every earlier reader, so the target leaves the set. The
 * branches of an {@code if} exclude each other, so each starts from the set as it was before the {@code if}.
 * Only what is read is saved: a chain of accumulations saves nothing.
 */
public final class ToBeRecorded {
    /**
     * The assignments that must save their target's old value, by identity.
     *
     * @param recomputed per loop, declarations that each reverse iteration evaluates again: never saved, and what
     *     they read counts as read by the loop's reverse code
     */
    public static Set<AdjointStmt> saves(List<AdjointStmt> stmts,
            Map<AdjointStmt.Loop, List<AdjointStmt.Assignment>> recomputed, UnaryOperator<Variable> cell) {
        Set<AdjointStmt> saves = Collections.newSetFromMap(new IdentityHashMap<>());
        new ToBeRecorded(recomputed, cell).visit(stmts, new HashSet<>(), saves, false, Set.of());
        return saves;
    }

    private final Map<AdjointStmt.Loop, List<AdjointStmt.Assignment>> recomputed;
    private final Set<AdjointStmt.Assignment> recomputedSet = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The alias class of an array variable (itself for any other). */
    private final UnaryOperator<Variable> cell;

    private ToBeRecorded(Map<AdjointStmt.Loop, List<AdjointStmt.Assignment>> recomputed,
            UnaryOperator<Variable> cell) {
        this.recomputed = recomputed;
        this.cell = cell;
        recomputed.values().forEach(recomputedSet::addAll);
    }

    /** What evaluating a loop's declarations again reads: the values of their initialisers. */
    private void recomputationReads(AdjointStmt.Loop loop, Set<Variable> out) {
        for (AdjointStmt.Assignment a : recomputed.getOrDefault(loop, List.of())) {
            for (Stmt s : a.forward()) {
                ExprWalk.ownExpressions(s).forEach(e -> Exprs.variables(e, out));
            }
        }
    }

    /**
     * @param inLoop inside a loop a declaration overwrites the previous iteration's value, and every statement's
     *     reverse code runs after every later iteration: the body is visited with all its reads already counted
     */
    private void visit(List<AdjointStmt> stmts, Set<Variable> readSoFar, Set<AdjointStmt> saves,
            boolean inLoop, Set<Variable> counters) {
        for (AdjointStmt s : stmts) {
            if (s instanceof AdjointStmt.Assignment a && counters.contains(a.target())) {
                readSoFar.addAll(a.reads()); // a loop counter the reverse sweep counts back down
            } else if (s instanceof AdjointStmt.Assignment a && recomputedSet.contains(a)) {
                readSoFar.addAll(a.reads()); // evaluated again by each reverse iteration, never saved
            } else if (s instanceof AdjointStmt.Assignment a) {
                // The result is assigned once on the path taken (single exit): a read of it in the reverse sweep
                // always means that assignment, and restoring it would lose the value the gradient returns.
                boolean overwritesRead = (!a.declaration() || inLoop) && readSoFar.contains(a.target())
                        && a.target().role() != Variable.Role.RESULT;
                if (overwritesRead || a.readsOldTarget()) {
                    saves.add(a);
                }
                readSoFar.addAll(a.reads());
                // An element's restore brings back that element only, not the rest of its array's cell.
                if (a.readsOldTarget() && !inLoop && !(a.locations().get(0) instanceof Expr.ArrayRead)) {
                    readSoFar.remove(a.target());
                }
            } else if (s instanceof AdjointStmt.Effect e) {
                // A call that writes whole arrays: saved when reverse code reads any of them, through any alias, or
                // when its own reverse code (an in-place pullback) needs them as they were.
                if (!e.adjoint().isEmpty() || readSoFar.stream().anyMatch(v -> e.cells().contains(cell.apply(v)))) {
                    saves.add(e);
                    readSoFar.addAll(e.reads());
                }
            } else if (s instanceof AdjointStmt.Branch b) {
                if (b.reevaluated()) {
                    readSoFar.addAll(b.conditionReads());
                }
                Set<Variable> thenReads = new HashSet<>(readSoFar);
                Set<Variable> elseReads = new HashSet<>(readSoFar);
                visit(b.thenStmts(), thenReads, saves, inLoop, counters);
                visit(b.elseStmts(), elseReads, saves, inLoop, counters);
                readSoFar.addAll(thenReads);
                readSoFar.addAll(elseReads);
            } else if (s instanceof AdjointStmt.Loop loop) {
                Set<Variable> inner = counters;
                AdjointStmt.Counter counter = loop.counter();
                if (counter != null) {
                    // The reverse loop counts the counter back down from its start: nothing of it is saved, and
                    // the start's variables must still hold their values when the reverse sweep gets there.
                    inner = new HashSet<>(counters);
                    inner.add(counter.variable());
                    Exprs.variables(counter.start(), readSoFar);
                }
                visit(loop.init(), readSoFar, saves, inLoop, inner);
                Set<Variable> iteration = new HashSet<>(readSoFar);
                recomputationReads(loop, iteration);
                collectReads(loop.body(), iteration);
                collectReads(loop.update(), iteration);
                visit(loop.body(), iteration, saves, true, inner);
                visit(loop.update(), iteration, saves, true, inner);
                readSoFar.addAll(iteration);
            }
        }
    }

    /** Everything the reverse code of {@code stmts} reads, at any depth. */
    private void collectReads(List<AdjointStmt> stmts, Set<Variable> out) {
        for (AdjointStmt s : stmts) {
            if (s instanceof AdjointStmt.Assignment a) {
                out.addAll(a.reads());
            } else if (s instanceof AdjointStmt.Effect e) {
                out.addAll(e.reads()); // if it is saved, putting the arrays back reads them
            } else if (s instanceof AdjointStmt.Branch b) {
                if (b.reevaluated()) {
                    out.addAll(b.conditionReads());
                }
                collectReads(b.thenStmts(), out);
                collectReads(b.elseStmts(), out);
            } else if (s instanceof AdjointStmt.Loop loop) {
                if (loop.counter() != null) {
                    Exprs.variables(loop.counter().start(), out); // the reverse loop counts back from the start
                }
                recomputationReads(loop, out);
                collectReads(loop.init(), out);
                collectReads(loop.body(), out);
                collectReads(loop.update(), out);
            }
        }
    }
}
