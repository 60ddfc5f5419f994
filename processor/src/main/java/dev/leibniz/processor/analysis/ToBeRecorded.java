package dev.leibniz.processor.analysis;

import dev.leibniz.processor.ir.AdjointStmt;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Variable;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

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
    private ToBeRecorded() {
    }

    /** The assignments that must save their target's old value, by identity. */
    public static Set<AdjointStmt.Assignment> saves(List<AdjointStmt> stmts) {
        Set<AdjointStmt.Assignment> saves = Collections.newSetFromMap(new IdentityHashMap<>());
        visit(stmts, new HashSet<>(), saves);
        return saves;
    }

    private static void visit(List<AdjointStmt> stmts, Set<Variable> readSoFar, Set<AdjointStmt.Assignment> saves) {
        for (AdjointStmt s : stmts) {
            if (s instanceof AdjointStmt.Assignment a) {
                // The result is assigned once on the path taken (single exit): a read of it in the reverse sweep
                // always means that assignment, and restoring it would lose the value the gradient returns.
                boolean overwritesRead = !a.declaration() && readSoFar.contains(a.target())
                        && a.target().role() != Variable.Role.RESULT;
                if (overwritesRead || a.readsOldTarget()) {
                    saves.add(a);
                }
                readSoFar.addAll(a.reads());
                if (a.readsOldTarget()) {
                    readSoFar.remove(a.target());
                }
            } else if (s instanceof AdjointStmt.Branch b) {
                if (b.reevaluated()) {
                    Exprs.variables(b.source().condition(), readSoFar);
                }
                Set<Variable> thenReads = new HashSet<>(readSoFar);
                Set<Variable> elseReads = new HashSet<>(readSoFar);
                visit(b.thenStmts(), thenReads, saves);
                visit(b.elseStmts(), elseReads, saves);
                readSoFar.addAll(thenReads);
                readSoFar.addAll(elseReads);
            }
        }
    }
}
