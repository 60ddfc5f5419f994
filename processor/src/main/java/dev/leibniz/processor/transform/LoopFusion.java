package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a reduction loop's reverse sweep inside its forward loop: for {@code for (...) { s += e; } return s;} the
 * adjoint of {@code s} is the seed before the loop starts and never changes in it, so each iteration's reverse code
 * can run right after the iteration, on the values it just computed, instead of in a second pass over the data
 * that computes them again. It is how one writes such a gradient by hand.
 *
 * <p>Only where the sweeps show that nothing else changes: the method's last loop, the reverse sweep's first; the
 * loop saves nothing on the tape and has no jumps and no inner loops; before it in the reverse sweep only adjoints
 * computed from the seed; after it in the forward sweep only statements the reverse loop does not read; its reverse
 * body assigns adjoints only, once the values it evaluates again (the loop's cheap declarations) are left out. The
 * order in which an iteration's contributions are added changes, so rounding may, as for any reordered sum.
 */
final class LoopFusion {
    private LoopFusion() {
    }

    static Pullback fused(Pullback p) {
        List<Stmt> forward = p.forward();
        List<Stmt> reverse = p.reverse();
        int r = firstLoop(reverse);
        if (r < 0 || !(reverse.get(r) instanceof Stmt.Loop back) || back.label() != null || back.init().size() != 1
                || !(back.init().get(0) instanceof Stmt.LocalDecl counterBack) || counterBack.init() == null) {
            return p;
        }
        Set<Variable> known = new HashSet<>(); // the seed, and adjoints computed from it before the loop
        known.add(p.seed());
        List<Stmt.LocalDecl> before = new ArrayList<>();
        for (Stmt s : reverse.subList(0, r)) {
            if (s instanceof Stmt.LocalDecl d && d.init() != null && readsOnly(d.init(), known)) {
                known.add(d.variable());
                before.add(d);
            } else if (!(s instanceof Stmt.Comment)) {
                return p;
            }
        }
        Set<Variable> tripsRead = new HashSet<>();
        Exprs.variables(counterBack.init(), tripsRead);
        int f = -1;
        for (int k = 0; k < forward.size(); k++) {
            if (forward.get(k) instanceof Stmt.Loop l && !l.body().isEmpty() && l.body().get(0) instanceof Stmt.Assign a
                    && a.target().role() == Variable.Role.BRANCH && tripsRead.contains(a.target())) {
                f = k;
            }
        }
        if (f < 0 || !(forward.get(f) instanceof Stmt.Loop loop) || loop.label() != null || loop.init().size() != 1
                || !(loop.init().get(0) instanceof Stmt.LocalDecl counter)
                || !counter.variable().equals(counterBack.variable()) || !straight(loop.body())) {
            return p;
        }
        Variable trips = ((Stmt.Assign) loop.body().get(0)).target();
        List<Stmt> reverseBody = withoutRecomputations(back.body(), loop.body());
        Set<Variable> zeroAtStart = new HashSet<>();
        for (Stmt.LocalDecl d : before) {
            if (Build.isZero(d.init())) {
                zeroAtStart.add(d.variable());
            }
        }
        if (reverseBody == null || !straight(reverseBody) || !commutes(reverseBody, zeroAtStart)) {
            return p;
        }
        Set<Variable> readBack = new HashSet<>();
        ExprWalk.statements(List.of(back), s -> ExprWalk.ownExpressions(s).forEach(e -> Exprs.variables(e, readBack)));
        for (Stmt s : forward.subList(f + 1, forward.size())) {
            Variable target = s instanceof Stmt.LocalDecl d ? d.variable() : s instanceof Stmt.Assign a ? a.target() : null;
            if (target == null || readBack.contains(target)) {
                return p;
            }
        }
        List<Stmt> body = new ArrayList<>(loop.body().subList(1, loop.body().size())); // without trips++
        body.add(new Stmt.Comment("Its reverse, right after it: the loop keeps nothing for later, and the adjoints "
                + "it reads are known."));
        body.addAll(reverseBody);
        body = ElementLocals.apply(assignedFromZero(body, zeroAtStart), p.function().variables());
        List<Stmt> newForward = new ArrayList<>();
        for (int k = 0; k < forward.size(); k++) {
            Stmt s = forward.get(k);
            if (k == f) {
                newForward.addAll(before);
                newForward.add(loop.withParts(loop.init(), loop.condition(), loop.update(), body));
            } else if (!(s instanceof Stmt.LocalDecl d && d.variable().equals(trips))) {
                newForward.add(s);
            }
        }
        List<Stmt> newReverse = new ArrayList<>(reverse.subList(r + 1, reverse.size()));
        if (mentions(newForward, trips) || mentions(newReverse, trips)) {
            return p;
        }
        return new Pullback(p.function(), p.seed(), p.shadows(), p.record(), p.returnsRecord(), p.tape(), newForward,
                newReverse, p.components());
    }

    private static int firstLoop(List<Stmt> stmts) {
        for (int k = 0; k < stmts.size(); k++) {
            if (stmts.get(k) instanceof Stmt.Loop) {
                return k;
            } else if (stmts.get(k) instanceof Stmt.If) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean readsOnly(Expr e, Set<Variable> allowed) {
        Set<Variable> read = new HashSet<>();
        Exprs.variables(e, read);
        return allowed.containsAll(read);
    }

    /** No jumps, no inner loops, no tape, no calls with effects: each iteration runs from top to bottom. */
    private static boolean straight(List<Stmt> stmts) {
        boolean[] ok = {true};
        ExprWalk.statements(stmts, s -> {
            if (s instanceof Stmt.Loop || s instanceof Stmt.Break || s instanceof Stmt.Continue
                    || s instanceof Stmt.Return || s instanceof Stmt.Push || s instanceof Stmt.Evaluate) {
                ok[0] = false;
            }
            ExprWalk.ownExpressions(s).forEach(e -> ExprWalk.nodes(e, n -> {
                if (n instanceof Expr.Pop || n instanceof Expr.TapeCall || Exprs.callsOpaque(n)) {
                    ok[0] = false;
                }
            }));
        });
        return ok[0];
    }

    /**
     * The reverse body without its first statements that evaluate again what the forward body computed (the same
     * variable, the same expression): in the fused loop those values are current. {@code null} if a value the
     * forward body does not compute the same way is evaluated again.
     */
    private static List<Stmt> withoutRecomputations(List<Stmt> reverseBody, List<Stmt> forwardBody) {
        int k = 0;
        while (k < reverseBody.size()) {
            Stmt s = reverseBody.get(k);
            if (s instanceof Stmt.Comment) {
                k++;
                continue;
            }
            if (!(s instanceof Stmt.Assign a) || a.target().role() == Variable.Role.ADJOINT) {
                break;
            }
            boolean computed = forwardBody.stream().anyMatch(t -> t instanceof Stmt.Assign b
                    && b.target().equals(a.target()) && Exprs.sameIgnoringPositions(b.value(), a.value())
                    || t instanceof Stmt.LocalDecl d && d.variable().equals(a.target())
                    && Exprs.sameIgnoringPositions(d.init(), a.value()));
            if (!computed) {
                return null;
            }
            k++;
        }
        // the comment naming the first statement kept stays with it
        int from = k > 0 && reverseBody.get(k - 1) instanceof Stmt.Comment ? k - 1 : k;
        return new ArrayList<>(reverseBody.subList(from, reverseBody.size()));
    }

    /**
     * Whether the iterations' reverse bodies give the same in any order: each assigns only adjoints, and each such
     * adjoint is either only ever added to ({@code +=}, and read nowhere else), or a per-iteration temporary (zero
     * before the loop and back to zero at the end of the body), or declared in the body.
     */
    private static boolean commutes(List<Stmt> body, Set<Variable> zeroAtStart) {
        Set<Variable> declared = new HashSet<>();
        Set<Variable> assigned = new HashSet<>();
        Set<Variable> accumulated = new HashSet<>();
        Set<Variable> otherwise = new HashSet<>();
        boolean[] ok = {true};
        ExprWalk.statements(body, s -> {
            if (s instanceof Stmt.LocalDecl d) {
                declared.add(d.variable());
            } else if (s instanceof Stmt.Assign a) {
                assigned.add(a.target());
                if (!(a.target().role() == Variable.Role.ADJOINT)) {
                    ok[0] = false;
                }
            } else if (s instanceof Stmt.ElementAssign a) {
                Variable root = Exprs.arrayRoot(a.array());
                if (root == null || root.role() != Variable.Role.ADJOINT || Increments.added(s) == null) {
                    ok[0] = false;
                } else {
                    accumulated.add(root);
                }
            }
            otherReads(s, otherwise);
        });
        if (!ok[0]) {
            return false;
        }
        for (Variable v : assigned) {
            if (declared.contains(v)) {
                continue;
            }
            boolean onlyAdded = allAssignmentsAdd(body, v) && !otherwise.contains(v);
            if (!onlyAdded && !(zeroAtStart.contains(v) && resetAtEnd(body, v))) {
                return false;
            }
        }
        for (Variable array : accumulated) {
            if (otherwise.contains(array)) {
                return false;
            }
        }
        return true;
    }

    /** What {@code s} reads besides the target of its own {@code +=}. */
    private static void otherReads(Stmt s, Set<Variable> out) {
        Expr added = Increments.added(s);
        if (added != null && s instanceof Stmt.Assign) {
            Exprs.variables(added, out);
        } else if (added != null && s instanceof Stmt.ElementAssign a) {
            Exprs.variables(added, out);
            Exprs.variables(a.index(), out);
        } else if (s instanceof Stmt.Assign a && a.value() instanceof Expr.Literal) {
            return; // a reset reads nothing
        } else {
            ExprWalk.ownExpressions(s).forEach(e -> Exprs.variables(e, out));
        }
    }

    /**
     * A per-iteration adjoint is zero where the body first mentions it (zero before the loop, reset at the end of
     * each iteration), so its first {@code da += e} there is {@code da = e}: no read of the zero.
     */
    private static List<Stmt> assignedFromZero(List<Stmt> body, Set<Variable> zeroAtStart) {
        List<Stmt> out = new ArrayList<>(body);
        for (Variable v : zeroAtStart) {
            if (!resetAtEnd(body, v)) {
                continue;
            }
            int k = 0;
            while (!mentions(List.of(out.get(k)), v)) {
                k++;
            }
            Expr added = Increments.added(out.get(k));
            if (out.get(k) instanceof Stmt.Assign a && a.target().equals(v) && added != null
                    && !Exprs.reads(added, v)) {
                out.set(k, Stmt.Assign.plain(v, added));
            }
        }
        return out;
    }

    private static boolean allAssignmentsAdd(List<Stmt> body, Variable v) {
        boolean[] ok = {true};
        ExprWalk.statements(body, s -> {
            if (s instanceof Stmt.Assign a && a.target().equals(v) && Increments.added(s) == null) {
                ok[0] = false;
            }
        });
        return ok[0];
    }

    /** The body's last statement that mentions {@code v}, at its top level, sets it to zero. */
    private static boolean resetAtEnd(List<Stmt> body, Variable v) {
        for (int k = body.size() - 1; k >= 0; k--) {
            Stmt s = body.get(k);
            if (mentions(List.of(s), v)) {
                return s instanceof Stmt.Assign a && a.target().equals(v) && Build.isZero(a.value());
            }
        }
        return false;
    }

    private static boolean mentions(List<Stmt> stmts, Variable v) {
        boolean[] found = {false};
        ExprWalk.statements(stmts, s -> {
            if (s instanceof Stmt.Assign a && a.target().equals(v) || s instanceof Stmt.LocalDecl d
                    && d.variable().equals(v)) {
                found[0] = true;
            }
            ExprWalk.ownExpressions(s).forEach(e -> found[0] |= Exprs.reads(e, v));
        });
        return found[0];
    }
}
