package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.UnaryOp;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces {@code break} and {@code continue} (labelled or not, and the loop exits that {@link SingleExit} makes of a
 * {@code return}) by flags, so that every loop runs its body from top to bottom and ends only by its condition.
 * Reverse mode then needs nothing but trip counts and branch decisions to replay the loop.
 *
 * <p>A jump sets its flag; the statements after it in the same block run only if no flag they would skip is
 * set; a loop's condition becomes {@code !(flags that end it) && condition}, and its update moves under the same
 * guard, since a {@code break} skips it. A {@code continue} flag is reset at the top of each iteration.
 */
public final class LoopJumps {
    private final Function function;
    private final Variable returned;
    private final Deque<LoopFlags> loops = new ArrayDeque<>();

    /** The flags one loop's jumps set, made when first needed. */
    private final class LoopFlags {
        final Stmt.Loop loop;
        Variable breakFlag;
        Variable continueFlag;

        LoopFlags(Stmt.Loop loop) {
            this.loop = loop;
        }

        Variable breakFlag() {
            if (breakFlag == null) {
                breakFlag = flag("stop");
            }
            return breakFlag;
        }

        Variable continueFlag() {
            if (continueFlag == null) {
                continueFlag = flag("skip");
            }
            return continueFlag;
        }

        private Variable flag(String hint) {
            long line = loop.pos().line();
            return function.variables().create(line > 0 ? hint + line : hint, PrimitiveType.BOOLEAN,
                    Variable.Role.EXIT_FLAG);
        }
    }

    /** Statements without jumps, and the flags they may leave set for the statements after them. */
    private record Rewritten(List<Stmt> stmts, Set<Variable> raised) {
    }

    private LoopJumps(Function function, Variable returned) {
        this.function = function;
        this.returned = returned;
    }

    /** @param returned the flag {@link SingleExit} sets before leaving all loops, or {@code null} */
    public static Function apply(Function function, Variable returned) {
        return function.withBody(new LoopJumps(function, returned).rewrite(function.body()).stmts());
    }

    private Rewritten rewrite(List<Stmt> stmts) {
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < stmts.size(); i++) {
            Rewritten r = rewrite(stmts.get(i));
            out.addAll(r.stmts());
            if (!r.raised().isEmpty()) {
                Rewritten rest = rewrite(stmts.subList(i + 1, stmts.size()));
                if (!rest.stmts().isEmpty()) {
                    out.add(new Stmt.If(noneOf(r.raised()), rest.stmts(), List.of(), SourcePos.NONE));
                }
                Set<Variable> raised = new LinkedHashSet<>(r.raised());
                raised.addAll(rest.raised());
                return new Rewritten(out, raised);
            }
        }
        return new Rewritten(out, Set.of());
    }

    private Rewritten rewrite(Stmt s) {
        if (s instanceof Stmt.Break b) {
            if (Stmt.Break.LEAVE_ALL.equals(b.label())) {
                return new Rewritten(List.of(), Set.of(returned)); // SingleExit has set the flag
            }
            Variable flag = target(b.label()).breakFlag();
            return new Rewritten(List.of(set(flag, b.pos())), Set.of(flag));
        }
        if (s instanceof Stmt.Continue c) {
            Variable flag = target(c.label()).continueFlag();
            return new Rewritten(List.of(set(flag, c.pos())), Set.of(flag));
        }
        if (s instanceof Stmt.If i) {
            Rewritten thenStmts = rewrite(i.thenStmts());
            Rewritten elseStmts = rewrite(i.elseStmts());
            Set<Variable> raised = new LinkedHashSet<>(thenStmts.raised());
            raised.addAll(elseStmts.raised());
            return new Rewritten(List.of(new Stmt.If(i.condition(), thenStmts.stmts(), elseStmts.stmts(), i.pos())),
                    raised);
        }
        if (s instanceof Stmt.Loop loop) {
            return rewrite(loop);
        }
        return new Rewritten(List.of(s), Set.of());
    }

    private Rewritten rewrite(Stmt.Loop loop) {
        LoopFlags flags = new LoopFlags(loop);
        loops.push(flags);
        Rewritten body = rewrite(loop.body());
        loops.pop();

        Set<Variable> ending = new LinkedHashSet<>(body.raised());
        ending.remove(flags.continueFlag);
        Set<Variable> escaping = new LinkedHashSet<>(ending);
        escaping.remove(flags.breakFlag);

        List<Stmt> newBody = new ArrayList<>();
        if (flags.continueFlag != null) {
            newBody.add(new Stmt.LocalDecl(flags.continueFlag, Expr.Literal.ofBoolean(false), SourcePos.NONE));
        }
        newBody.addAll(body.stmts());
        Expr condition = loop.condition();
        List<Stmt> update = loop.update();
        if (!ending.isEmpty()) {
            condition = isTrue(condition) ? noneOf(ending)
                    : new Expr.Binary(BinaryOp.CONDITIONAL_AND, noneOf(ending), condition, PrimitiveType.BOOLEAN,
                            SourcePos.NONE);
            if (!update.isEmpty()) {
                newBody.add(new Stmt.If(noneOf(ending), update, List.of(), SourcePos.NONE)); // a break skips it
                update = List.of();
            }
        }
        List<Stmt> out = new ArrayList<>();
        if (flags.breakFlag != null) {
            out.add(new Stmt.LocalDecl(flags.breakFlag, Expr.Literal.ofBoolean(false), SourcePos.NONE));
        }
        out.add(new Stmt.Loop(loop.kind(), null, loop.init(), condition, update, newBody, loop.pos()));
        return new Rewritten(out, escaping);
    }

    private LoopFlags target(String label) {
        if (label == null) {
            return loops.peek();
        }
        for (LoopFlags flags : loops) {
            if (label.equals(flags.loop.label())) {
                return flags;
            }
        }
        throw new IllegalStateException("no enclosing loop labelled " + label);
    }

    private static Stmt set(Variable flag, SourcePos pos) {
        return new Stmt.Assign(flag, Expr.Literal.ofBoolean(true), Stmt.Assign.Form.PLAIN, pos);
    }

    /** {@code !a}, or {@code !(a || b || ...)}. */
    private static Expr noneOf(Set<Variable> flags) {
        Expr any = null;
        for (Variable flag : flags) {
            Expr ref = Expr.Ref.to(flag);
            any = any == null ? ref
                    : new Expr.Binary(BinaryOp.CONDITIONAL_OR, any, ref, PrimitiveType.BOOLEAN, SourcePos.NONE);
        }
        return new Expr.Unary(UnaryOp.NOT, any, PrimitiveType.BOOLEAN, SourcePos.NONE);
    }

    private static boolean isTrue(Expr e) {
        return e instanceof Expr.Literal l && l.text().equals("true");
    }
}
