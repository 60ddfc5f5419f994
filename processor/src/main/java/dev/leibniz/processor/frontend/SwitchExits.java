package dev.leibniz.processor.frontend;

import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.UnaryOp;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Removes the breaks (and yields) of one desugared switch from the code that runs for one of its cases, so that no
 * later stage sees a jump out of something that is not a loop.
 *
 * <p>A break at the end of the code just ends it. A break inside an {@code if} whose other branch carries on moves
 * the statements after the {@code if} into that branch ({@code if (c) {A; break;} B;} becomes
 * {@code if (c) {A} else {B}}), which is what a person writes. Where both branches of an {@code if} may carry on
 * and one may also break, a flag ({@code stop<line>}) set by the break guards the statements after it, as
 * {@code LoopJumps} does for loops. A yield hands its value over first: an assignment to the variable the switch
 * expression initialises or assigns, or a {@code return} when it is the value of one (which ends the path itself).
 */
final class SwitchExits {
    /** How a piece of code may end: by leaving the switch, and by completing normally (both may hold). */
    record Flow(boolean mayLeave, boolean mayComplete) {
        static final Flow COMPLETES = new Flow(false, true);
        static final Flow LEAVES = new Flow(true, false);
        /** A return, a continue, or a break of a loop or of an enclosing switch. */
        static final Flow JUMPS_ELSEWHERE = new Flow(false, false);
    }

    /**
     * What a yield turns into.
     *
     * @param into the statement that hands a value over, or {@code null} for a value already reported
     * @param returns whether that statement is a {@code return}, which needs no flag
     */
    record Delivery(Function<JumpTarget.Yield, Stmt> into, boolean returns) {
    }

    private record Result(List<Stmt> stmts, Flow flow) {
    }

    private final JumpTarget target;
    private final Delivery delivery;
    private final Supplier<Variable> newFlag;
    private Variable flag;
    private boolean guarded;

    /**
     * @param delivery what yields become; {@code null} for a switch statement
     * @param newFlag makes the flag, when one is needed
     */
    SwitchExits(JumpTarget target, Delivery delivery, Supplier<Variable> newFlag) {
        this.target = target;
        this.delivery = delivery;
        this.newFlag = newFlag;
    }

    /** Whether {@code stmts} may complete normally, that is fall through into the next group of the switch. */
    static boolean mayComplete(List<Stmt> stmts, String switchLabel) {
        return flow(stmts, switchLabel).mayComplete();
    }

    List<Stmt> apply(List<Stmt> code) {
        List<Stmt> out = process(code).stmts();
        if (flag == null) {
            return out;
        }
        out = new ArrayList<>(withoutDeadSets(out, false).stmts());
        if (guarded) {
            out.add(0, new Stmt.LocalDecl(flag, Expr.Literal.ofBoolean(false), SourcePos.NONE));
        }
        return out;
    }

    private Result process(List<Stmt> stmts) {
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < stmts.size(); i++) {
            Stmt s = stmts.get(i);
            List<Stmt> rest = stmts.subList(i + 1, stmts.size());
            if (s instanceof Stmt.Break b && target.label().equals(b.label())) {
                JumpTarget.Yield value = target.yields().get(b);
                if (value != null) {
                    Stmt handOver = delivery.into().apply(value);
                    if (handOver != null) {
                        out.add(handOver);
                    }
                    if (delivery.returns()) {
                        return new Result(out, Flow.JUMPS_ELSEWHERE);
                    }
                }
                out.add(new Stmt.Assign(flag(), Expr.Literal.ofBoolean(true), Stmt.Assign.Form.PLAIN, b.pos()));
                return new Result(out, Flow.LEAVES);
            }
            if (!(s instanceof Stmt.If branch)) {
                out.add(s);
                if (!flow(s, target.label()).mayComplete()) {
                    return new Result(out, Flow.JUMPS_ELSEWHERE);
                }
                continue;
            }
            Result t = process(branch.thenStmts());
            Result e = process(branch.elseStmts());
            if (!t.flow().mayLeave() && !e.flow().mayLeave()) {
                out.add(withBranches(branch, t.stmts(), e.stmts()));
                if (!t.flow().mayComplete() && !e.flow().mayComplete()) {
                    return new Result(out, Flow.JUMPS_ELSEWHERE);
                }
                continue;
            }
            if (!t.flow().mayComplete() && !e.flow().mayComplete()) {
                out.add(withBranches(branch, t.stmts(), e.stmts()));
                return new Result(out, Flow.LEAVES);
            }
            boolean mixed = t.flow().mayLeave() && t.flow().mayComplete()
                    || e.flow().mayLeave() && e.flow().mayComplete();
            Result after = process(rest);
            if (!mixed) {
                // One branch leaves, the other carries on without leaving: the rest goes into that one.
                out.add(t.flow().mayComplete()
                        ? withBranches(branch, concat(t.stmts(), after.stmts()), e.stmts())
                        : withBranches(branch, t.stmts(), concat(e.stmts(), after.stmts())));
            } else {
                out.add(withBranches(branch, t.stmts(), e.stmts()));
                if (!after.stmts().isEmpty()) {
                    Expr notLeft = new Expr.Unary(UnaryOp.NOT, Expr.Ref.to(flag()), PrimitiveType.BOOLEAN,
                            SourcePos.NONE);
                    out.add(new Stmt.If(notLeft, after.stmts(), List.of(), SourcePos.NONE));
                    guarded = true;
                }
            }
            return new Result(out, new Flow(true, after.flow().mayComplete()));
        }
        return new Result(out, Flow.COMPLETES);
    }

    private Variable flag() {
        if (flag == null) {
            flag = newFlag.get();
        }
        return flag;
    }

    /** Statements, and whether the flag may be read after their start. */
    private record Pruned(List<Stmt> stmts, boolean liveBefore) {
    }

    /**
     * The code without the assignments of the flag that no guard can read after them: all of them when nothing
     * needed a guard, and a break's at the end of the code.
     */
    private Pruned withoutDeadSets(List<Stmt> stmts, boolean liveAfter) {
        boolean live = liveAfter;
        ArrayDeque<Stmt> out = new ArrayDeque<>();
        for (int i = stmts.size() - 1; i >= 0; i--) {
            Stmt s = stmts.get(i);
            if (s instanceof Stmt.Assign a && a.target().equals(flag)) {
                if (live) {
                    out.addFirst(s);
                }
                live = false;
            } else if (s instanceof Stmt.If branch) {
                Pruned t = withoutDeadSets(branch.thenStmts(), live);
                Pruned e = withoutDeadSets(branch.elseStmts(), live);
                out.addFirst(withBranches(branch, t.stmts(), e.stmts()));
                live = t.liveBefore() || e.liveBefore() || readsFlag(branch.condition());
            } else {
                out.addFirst(s); // no other statement reads the flag; a loop holds no break of the switch
            }
        }
        return new Pruned(List.copyOf(out), live);
    }

    private boolean readsFlag(Expr condition) {
        boolean[] reads = {false};
        ExprWalk.nodes(condition, e -> reads[0] |= e instanceof Expr.Ref r && r.variable().equals(flag));
        return reads[0];
    }

    private static Flow flow(List<Stmt> stmts, String switchLabel) {
        boolean mayLeave = false;
        for (Stmt s : stmts) {
            Flow f = flow(s, switchLabel);
            mayLeave |= f.mayLeave();
            if (!f.mayComplete()) {
                return new Flow(mayLeave, false);
            }
        }
        return new Flow(mayLeave, true);
    }

    private static Flow flow(Stmt s, String switchLabel) {
        if (s instanceof Stmt.Break b) {
            return switchLabel.equals(b.label()) ? Flow.LEAVES : Flow.JUMPS_ELSEWHERE;
        }
        if (s instanceof Stmt.Continue || s instanceof Stmt.Return) {
            return Flow.JUMPS_ELSEWHERE;
        }
        if (s instanceof Stmt.If i) {
            Flow t = flow(i.thenStmts(), switchLabel);
            Flow e = flow(i.elseStmts(), switchLabel);
            return new Flow(t.mayLeave() || e.mayLeave(), t.mayComplete() || e.mayComplete());
        }
        if (s instanceof Stmt.Loop loop) {
            return completes(loop) ? Flow.COMPLETES : Flow.JUMPS_ELSEWHERE;
        }
        return Flow.COMPLETES;
    }

    /** JLS 14.22: a loop completes normally unless its condition is the constant true and no break leaves it. */
    private static boolean completes(Stmt.Loop loop) {
        boolean forever = loop.condition() instanceof Expr.Literal l && l.text().equals("true");
        return !forever || breaks(loop.body(), loop.label(), true);
    }

    /** Whether {@code stmts} hold a break of the loop labelled {@code label}; {@code direct}: not in an inner loop. */
    private static boolean breaks(List<Stmt> stmts, String label, boolean direct) {
        for (Stmt s : stmts) {
            if (s instanceof Stmt.Break b && (b.label() == null ? direct : b.label().equals(label))) {
                return true;
            }
            if (s instanceof Stmt.If i
                    && (breaks(i.thenStmts(), label, direct) || breaks(i.elseStmts(), label, direct))) {
                return true;
            }
            if (s instanceof Stmt.Loop inner && (breaks(inner.body(), label, false)
                    || breaks(inner.init(), label, false) || breaks(inner.update(), label, false))) {
                return true;
            }
        }
        return false;
    }

    private static Stmt.If withBranches(Stmt.If s, List<Stmt> thenStmts, List<Stmt> elseStmts) {
        return new Stmt.If(s.condition(), thenStmts, elseStmts, s.pos());
    }

    private static List<Stmt> concat(List<Stmt> a, List<Stmt> b) {
        List<Stmt> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
