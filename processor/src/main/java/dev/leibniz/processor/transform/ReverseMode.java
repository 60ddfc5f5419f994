package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.analysis.ToBeRecorded;
import dev.leibniz.processor.ir.AdjointStmt;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse mode, statement by statement, in the style of Tapenade's joint mode: the forward sweep runs the
 * original statements and names the intermediate values the reverse sweep will need; the reverse sweep walks the
 * statements backwards, pulling each statement's adjoint back into its operands ({@link StatementAdjoint}).
 *
 * <p>Three steps: differentiate every statement into an {@link AdjointStmt}; let {@link ToBeRecorded} decide
 * which overwritten values must be saved; render the two sweeps, saving before each such overwrite and restoring
 * where the reverse sweep passes it. Branch conditions are evaluated again in the reverse sweep when nothing in the
 * branch can change them, and recorded in a {@code boolean} otherwise.
 */
public final class ReverseMode {
    private final Function function;
    private final Activity activity;
    private final Adjoints adjoints;
    /** Variables that statements differentiated so far define from active values, in execution order. */
    private final Set<Variable> definedBefore = new HashSet<>();
    private Set<AdjointStmt.Assignment> saves = Set.of();
    private final Map<AdjointStmt.Assignment, Variable> savedIn = new IdentityHashMap<>();
    private final Map<AdjointStmt.Branch, Variable> recordedIn = new IdentityHashMap<>();

    private ReverseMode(Function function, Activity activity) {
        this.function = function;
        this.activity = activity;
        this.adjoints = new Adjoints(function.variables());
    }

    /** Differentiates a function that has been through {@link SingleExit} and {@link Lowering}. */
    public static Pullback differentiate(Function function, Variable result, Activity activity) {
        return new ReverseMode(function, activity).run(result);
    }

    private Pullback run(Variable result) {
        Variable seed = adjoints.of(result);
        List<AdjointStmt> stmts = differentiate(function.body());
        saves = ToBeRecorded.saves(stmts);
        List<Stmt> forward = renderForward(stmts, SourcePos.NONE);
        List<Stmt> reverse = renderReverse(stmts, SourcePos.NONE);
        List<Expr> components = new ArrayList<>();
        components.add(Expr.Ref.to(result));
        for (Variable p : function.differentiatedParameters()) {
            components.add(adjoints.existing(p).<Expr>map(Expr.Ref::to).orElse(Build.ZERO));
        }
        return Scoping.finish(function, seed, forward, reverse, components);
    }

    // ---- differentiation ------------------------------------------------------------------------------------

    private List<AdjointStmt> differentiate(List<Stmt> stmts) {
        List<AdjointStmt> out = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.LocalDecl d) {
                out.add(assignment(s, d.variable(), d.init(), true));
            } else if (s instanceof Stmt.Assign a) {
                out.add(assignment(s, a.target(), a.value(), false));
            } else if (s instanceof Stmt.If i) {
                // The branches exclude each other: each starts from what was defined before the if.
                Set<Variable> before = new HashSet<>(definedBefore);
                List<AdjointStmt> thenStmts = differentiate(i.thenStmts());
                Set<Variable> afterThen = new HashSet<>(definedBefore);
                definedBefore.retainAll(before);
                List<AdjointStmt> elseStmts = differentiate(i.elseStmts());
                definedBefore.addAll(afterThen);
                out.add(new AdjointStmt.Branch(i, thenStmts, elseStmts, isRecomputable(i)));
            } else {
                throw new IllegalStateException("unexpected statement after normalisation: " + s);
            }
        }
        return out;
    }

    private AdjointStmt.Assignment assignment(Stmt source, Variable target, Expr value, boolean declaration) {
        boolean active = value != null && activity.isActive(target) && activity.isActive(value);
        boolean resets = resetsAdjoint(target, declaration);
        if (active) {
            definedBefore.add(target);
            return new StatementAdjoint(function.variables(), activity, adjoints, source, target, value, declaration)
                    .generate(resets);
        }
        List<Stmt> reverse = activity.isActive(target) && resets
                ? List.of(Stmt.Assign.plain(adjoints.of(target), Build.ZERO)) // the old value's adjoint is dead
                : List.of();
        return new AdjointStmt.Assignment(source, target, declaration, List.of(source), reverse, Set.of(), false);
    }

    /**
     * After an overwrite, the adjoint of the old value starts from zero — needed only if the old value came from
     * an earlier active definition, whose reverse code passes the adjoint on, or is a parameter, whose adjoint is
     * an output. An assignment after a constant initialiser (or none) needs no reset, nor does the result, which
     * {@link SingleExit} assigns once on every path.
     */
    private boolean resetsAdjoint(Variable target, boolean declaration) {
        return !declaration && target.role() != Variable.Role.RESULT
                && (target.role() == Variable.Role.PARAMETER || definedBefore.contains(target));
    }

    /** A condition can be evaluated again in the reverse sweep if it is pure and its branches leave it alone. */
    private static boolean isRecomputable(Stmt.If i) {
        if (Exprs.callsOpaque(i.condition())) {
            return false;
        }
        Set<Variable> read = new HashSet<>();
        Exprs.variables(i.condition(), read);
        Set<Variable> assigned = new HashSet<>();
        ExprWalk.statements(List.of(i), s -> {
            if (s instanceof Stmt.Assign a) {
                assigned.add(a.target());
            } else if (s instanceof Stmt.LocalDecl d) {
                assigned.add(d.variable());
            }
        });
        return Collections.disjoint(read, assigned);
    }

    // ---- rendering ------------------------------------------------------------------------------------------

    /** @param enclosing the position of the enclosing statement, whose comment already covers its parts */
    private List<Stmt> renderForward(List<AdjointStmt> stmts, SourcePos enclosing) {
        List<Stmt> out = new ArrayList<>();
        for (AdjointStmt s : stmts) {
            if (s instanceof AdjointStmt.Assignment a) {
                Variable saved = saves.contains(a) ? savedIn.computeIfAbsent(a, this::savedVariable) : null;
                if (saved != null || a.forward().size() > 1) {
                    comment(a.source().pos(), enclosing, out);
                }
                if (saved != null) {
                    out.add(new Stmt.LocalDecl(saved, Expr.Ref.to(a.target()), SourcePos.NONE));
                }
                out.addAll(a.forward());
            } else if (s instanceof AdjointStmt.Branch b) {
                Expr condition = b.source().condition();
                if (!b.reevaluated() && hasReverse(b)) {
                    long line = b.source().pos().line();
                    Variable recorded = function.variables().create(line > 0 ? "branch" + line : "branch",
                            PrimitiveType.BOOLEAN, Variable.Role.BRANCH);
                    recordedIn.put(b, recorded);
                    comment(b.source().pos(), enclosing, out);
                    out.add(new Stmt.LocalDecl(recorded, condition, SourcePos.NONE));
                    condition = Expr.Ref.to(recorded);
                }
                SourcePos pos = b.source().pos();
                out.add(new Stmt.If(condition, renderForward(b.thenStmts(), pos), renderForward(b.elseStmts(), pos),
                        pos));
            }
        }
        return out;
    }

    private List<Stmt> renderReverse(List<AdjointStmt> stmts, SourcePos enclosing) {
        List<Stmt> out = new ArrayList<>();
        for (int k = stmts.size() - 1; k >= 0; k--) {
            AdjointStmt s = stmts.get(k);
            if (s instanceof AdjointStmt.Assignment a) {
                Variable saved = savedIn.get(a);
                if (a.reverse().isEmpty() && saved == null) {
                    continue;
                }
                comment(a.source().pos(), enclosing, out);
                Stmt restore = saved == null ? null : Stmt.Assign.plain(a.target(), Expr.Ref.to(saved));
                // The reverse code reads the old target if it occurs in the value, the new one otherwise.
                boolean restoreFirst = a.readsOldTarget();
                if (restore != null && restoreFirst) {
                    out.add(restore);
                }
                out.addAll(a.reverse());
                if (restore != null && !restoreFirst) {
                    out.add(restore);
                }
            } else if (s instanceof AdjointStmt.Branch b) {
                SourcePos pos = b.source().pos();
                List<Stmt> thenStmts = renderReverse(b.thenStmts(), pos);
                List<Stmt> elseStmts = renderReverse(b.elseStmts(), pos);
                if (thenStmts.isEmpty() && elseStmts.isEmpty()) {
                    continue;
                }
                comment(pos, enclosing, out);
                Variable recorded = recordedIn.get(b);
                Expr condition = recorded != null ? Expr.Ref.to(recorded) : b.source().condition();
                out.add(new Stmt.If(condition, thenStmts, elseStmts, pos));
            }
        }
        return out;
    }

    private Variable savedVariable(AdjointStmt.Assignment a) {
        long line = a.source().pos().line();
        String hint = a.target().hint() + (line > 0 ? "Before" + line : "Saved");
        return function.variables().create(hint, a.target().type(), Variable.Role.SAVED);
    }

    private boolean hasReverse(AdjointStmt.Branch b) {
        return hasReverse(b.thenStmts()) || hasReverse(b.elseStmts());
    }

    private boolean hasReverse(List<AdjointStmt> stmts) {
        for (AdjointStmt s : stmts) {
            if (s instanceof AdjointStmt.Assignment a && (!a.reverse().isEmpty() || saves.contains(a))
                    || s instanceof AdjointStmt.Branch b && hasReverse(b)) {
                return true;
            }
        }
        return false;
    }

    private void comment(SourcePos pos, SourcePos enclosing, List<Stmt> out) {
        if (pos.isKnown() && pos.line() > 0 && pos.tree() != enclosing.tree()) {
            out.add(new Stmt.Comment(function.sourceFile() + ":" + pos.line() + ": " + pos.excerpt()));
        }
    }
}
