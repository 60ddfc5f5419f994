package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.UnaryOp;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a body so that control reaches its end exactly once, every {@code return e} becoming
 * {@code result = e}. The reverse sweep then starts from one place.
 *
 * <p>Where the statements after a partial exit can move into the one path that does not exit
 * ({@code if (x < 0) return -x; ...} becomes {@code if (x < 0) {...} else {...}}), they move there, which keeps the
 * generated code shaped like hand-written code. Where several paths continue, an exit flag guards the rest
 * instead, so that nothing is ever duplicated.
 */
public final class SingleExit {

    /**
     * The rewritten function and the variable that holds its result.
     *
     * @param returned the flag set by a {@code return} that guards the rest, or {@code null} when none is needed
     */
    public record Result(Function function, Variable result, Variable returned) {
    }

    private enum Exits { NEVER, MAY, ALWAYS }

    private final Function function;
    private final Variable result;
    private Variable flag;

    private SingleExit(Function function, dev.leibniz.processor.ir.Type resultType) {
        this.function = function;
        this.result = resultType instanceof dev.leibniz.processor.ir.ArrayType
                // an array result is a local array like any other: it aliases what it is assigned
                ? function.variables().create("value", resultType, Variable.Role.LOCAL)
                : function.variables().create("value", resultType, Variable.Role.RESULT);
    }

    public static Result apply(Function function) {
        return new SingleExit(function, PrimitiveType.DOUBLE).run();
    }

    /**
     * For a method returning {@code double[]} ({@code resultType} an array type), which the front end has checked
     * ends with its only {@code return}: the result is a local array declared by that return.
     */
    public static Result apply(Function function, dev.leibniz.processor.ir.Type resultType) {
        return new SingleExit(function, resultType).run();
    }

    private Result run() {
        List<Stmt> body = function.body();
        int last = body.size() - 1;
        boolean simple = last >= 0 && body.get(last) instanceof Stmt.Return
                && countReturns(body) == 1;
        List<Stmt> out = new ArrayList<>();
        if (simple) {
            out.addAll(body.subList(0, last));
            Stmt.Return r = (Stmt.Return) body.get(last);
            out.add(new Stmt.LocalDecl(result, r.value(), r.pos()));
        } else {
            List<Stmt> rewritten = rewrite(body);
            out.add(new Stmt.LocalDecl(result, Expr.Literal.zero(PrimitiveType.DOUBLE), SourcePos.NONE));
            if (flag != null) {
                out.add(new Stmt.LocalDecl(flag, Expr.Literal.ofBoolean(false), SourcePos.NONE));
            }
            out.addAll(rewritten);
        }
        return new Result(function.withBody(out), result, flag);
    }

    /** Rewrites {@code stmts}, which are everything that remains to run on this path. */
    private List<Stmt> rewrite(List<Stmt> stmts) {
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < stmts.size(); i++) {
            Stmt s = stmts.get(i);
            if (s instanceof Stmt.Return r) {
                out.add(assignResult(r));
                return out; // anything after is unreachable, and javac reports it
            }
            Exits exits = exits(s);
            if (exits == Exits.NEVER) {
                out.add(s);
                continue;
            }
            if (s instanceof Stmt.Loop loop) {
                // A return inside a loop sets the flag and leaves every loop; the rest runs unless it did.
                out.add(flagged(loop));
                List<Stmt> rest = rewrite(stmts.subList(i + 1, stmts.size()));
                if (!rest.isEmpty()) {
                    out.add(unlessReturned(rest));
                }
                return out;
            }
            Stmt.If branch = (Stmt.If) s;
            List<Stmt> rest = stmts.subList(i + 1, stmts.size());
            if (exits == Exits.ALWAYS || rest.isEmpty()) {
                out.add(withBranches(branch, rewrite(branch.thenStmts()), rewrite(branch.elseStmts())));
            } else if (continuingPaths(branch) == 1) {
                boolean thenContinues = continuingPaths(branch.thenStmts()) == 1;
                out.add(withBranches(branch,
                        rewrite(thenContinues ? concat(branch.thenStmts(), rest) : branch.thenStmts()),
                        rewrite(thenContinues ? branch.elseStmts() : concat(branch.elseStmts(), rest))));
            } else {
                out.add(flagged(branch, false));
                out.add(unlessReturned(rewrite(rest)));
            }
            return out;
        }
        return out;
    }

    /**
     * Flag mode: returns also set the flag, and what follows a possible exit runs only if none happened. Inside a
     * loop a return also leaves every loop ({@link Stmt.Break#LEAVE_ALL}), and guarding the rest of the body is
     * left to {@link LoopJumps}, which guards after every jump.
     */
    private List<Stmt> flagged(List<Stmt> stmts, boolean inLoop) {
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < stmts.size(); i++) {
            Stmt s = stmts.get(i);
            if (s instanceof Stmt.Return r) {
                out.add(assignResult(r));
                out.add(new Stmt.Assign(flag(), Expr.Literal.ofBoolean(true), Stmt.Assign.Form.PLAIN, r.pos()));
                if (inLoop) {
                    out.add(new Stmt.Break(Stmt.Break.LEAVE_ALL, r.pos()));
                }
                return out;
            }
            if (exits(s) == Exits.NEVER) {
                out.add(s);
                continue;
            }
            out.add(s instanceof Stmt.Loop loop ? flagged(loop) : flagged((Stmt.If) s, inLoop));
            List<Stmt> rest = flagged(stmts.subList(i + 1, stmts.size()), inLoop);
            if (!rest.isEmpty()) {
                if (inLoop) {
                    out.addAll(rest);
                } else {
                    out.add(unlessReturned(rest));
                }
            }
            return out;
        }
        return out;
    }

    private Stmt flagged(Stmt.If s, boolean inLoop) {
        return withBranches(s, flagged(s.thenStmts(), inLoop), flagged(s.elseStmts(), inLoop));
    }

    private Stmt flagged(Stmt.Loop loop) {
        return loop.withParts(loop.init(), loop.condition(), loop.update(), flagged(loop.body(), true));
    }

    private Stmt unlessReturned(List<Stmt> stmts) {
        Expr notReturned = new Expr.Unary(UnaryOp.NOT, Expr.Ref.to(flag()), PrimitiveType.BOOLEAN, SourcePos.NONE);
        return new Stmt.If(notReturned, stmts, List.of(), SourcePos.NONE);
    }

    private Variable flag() {
        if (flag == null) {
            flag = function.variables().create("returned", PrimitiveType.BOOLEAN, Variable.Role.EXIT_FLAG);
        }
        return flag;
    }

    private Stmt assignResult(Stmt.Return r) {
        return new Stmt.Assign(result, r.value(), Stmt.Assign.Form.PLAIN, r.pos());
    }

    private static Stmt withBranches(Stmt.If s, List<Stmt> thenStmts, List<Stmt> elseStmts) {
        return new Stmt.If(s.condition(), thenStmts, elseStmts, s.pos());
    }

    private static List<Stmt> concat(List<Stmt> a, List<Stmt> b) {
        List<Stmt> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Exits exits(Stmt s) {
        if (s instanceof Stmt.Return) {
            return Exits.ALWAYS;
        }
        if (s instanceof Stmt.Loop loop) {
            return countReturns(loop.body()) > 0 ? Exits.MAY : Exits.NEVER;
        }
        if (s instanceof Stmt.If i) {
            Exits t = exits(i.thenStmts());
            Exits e = exits(i.elseStmts());
            if (t == Exits.ALWAYS && e == Exits.ALWAYS) {
                return Exits.ALWAYS;
            }
            return t == Exits.NEVER && e == Exits.NEVER ? Exits.NEVER : Exits.MAY;
        }
        return Exits.NEVER;
    }

    private static Exits exits(List<Stmt> stmts) {
        for (int i = 0; i < stmts.size(); i++) {
            Exits e = exits(stmts.get(i));
            if (e == Exits.ALWAYS) {
                return Exits.ALWAYS;
            }
            if (e == Exits.MAY) {
                return exits(stmts.subList(i + 1, stmts.size())) == Exits.ALWAYS ? Exits.ALWAYS : Exits.MAY;
            }
        }
        return Exits.NEVER;
    }

    /** How many distinct paths run through {@code s} without returning (saturating at 2). */
    private static int continuingPaths(Stmt s) {
        if (s instanceof Stmt.Return) {
            return 0;
        }
        if (s instanceof Stmt.If i) {
            return Math.min(2, continuingPaths(i.thenStmts()) + continuingPaths(i.elseStmts()));
        }
        if (s instanceof Stmt.Loop loop && countReturns(loop.body()) > 0) {
            return 2; // a return inside a loop always takes the flag
        }
        return 1;
    }

    private static int continuingPaths(List<Stmt> stmts) {
        int paths = 1;
        for (Stmt s : stmts) {
            paths = Math.min(2, paths * continuingPaths(s));
        }
        return paths;
    }

    private static int countReturns(List<Stmt> stmts) {
        int[] count = {0};
        dev.leibniz.processor.analysis.ExprWalk.statements(stmts, s -> {
            if (s instanceof Stmt.Return) {
                count[0]++;
            }
        });
        return count[0];
    }
}
