package dev.leibniz.processor.analysis;

import com.sun.source.tree.Tree.Kind;
import dev.leibniz.processor.frontend.Problems;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses writes into constant data. The static final arrays a method reads are inputs without derivative, read
 * again by the reverse sweep, so nothing the method runs may change them: not an element assignment, not a call that
 * writes into its arguments. Which array variables may hold such an array — itself, a row of it, or a holder of it
 * ({@code double[][] h = {Y}}) — is followed flow-insensitively to a fixed point: a write is refused wherever the
 * array it writes may be constant data.
 */
public final class ConstantDataWrites {
    /** For each array variable that may hold constant data, the static array's local it may hold. */
    private final Map<Variable, Variable> mayHold = new HashMap<>();

    private ConstantDataWrites() {
    }

    /** Reports each write in {@code function} into the static final arrays it reads. */
    public static void check(Function function, Problems problems) {
        List<Stmt> body = function.body();
        ConstantDataWrites analysis = new ConstantDataWrites();
        function.constantArrays().keySet().forEach(c -> analysis.mayHold.put(c, c));
        if (analysis.mayHold.isEmpty()) {
            return;
        }
        boolean changed = true;
        while (changed) {
            int before = analysis.mayHold.size();
            ExprWalk.statements(body, analysis::flow);
            changed = analysis.mayHold.size() != before;
        }
        ExprWalk.statements(body, s -> analysis.report(s, problems));
    }

    private void flow(Stmt s) {
        if (s instanceof Stmt.LocalDecl d && d.variable().type() instanceof ArrayType && d.init() != null) {
            holds(d.variable(), d.init());
        } else if (s instanceof Stmt.Assign a && a.target().type() instanceof ArrayType) {
            holds(a.target(), a.value());
        } else if (s instanceof Stmt.ElementAssign a && a.value().type() instanceof ArrayType) {
            Variable root = Exprs.arrayRoot(a.array());
            if (root != null) {
                holds(root, a.value()); // m[i] = Y: m holds Y
            }
        }
        for (Expr e : ExprWalk.ownExpressions(s)) {
            ExprWalk.nodes(e, node -> {
                // a call may store any array it is given into one it writes
                for (Expr written : Exprs.writtenArguments(node)) {
                    Variable root = Exprs.arrayRoot(written);
                    if (root != null) {
                        Exprs.children(node).forEach(arg -> holds(root, arg));
                    }
                }
            });
        }
    }

    private void holds(Variable holder, Expr value) {
        if (!mayHold.containsKey(holder)) {
            held(value).ifPresent(c -> mayHold.put(holder, c));
        }
    }

    /** The constant array that the array value {@code e} may be, hold or be a row of. */
    private Optional<Variable> held(Expr e) {
        if (!(e.type() instanceof ArrayType)) {
            return Optional.empty();
        }
        Variable root = Exprs.arrayRoot(e);
        if (root != null) {
            return Optional.ofNullable(mayHold.get(root));
        }
        List<Expr> parts = e instanceof Expr.Conditional c ? List.of(c.whenTrue(), c.whenFalse())
                : e instanceof Expr.ArrayLiteral l ? l.elements()
                : e instanceof Expr.StaticCall call ? call.args() // a call may return what it is given
                : List.of();
        return parts.stream().map(this::held).flatMap(Optional::stream).findFirst();
    }

    private void report(Stmt s, Problems problems) {
        if (s instanceof Stmt.ElementAssign a) {
            Variable root = Exprs.arrayRoot(a.array());
            if (root != null && mayHold.containsKey(root)) {
                problems.report(a.pos(), "this writes into " + target(root, a.pos()) + REFUSED + "write into a copy"
                        + copy(a.array()));
            }
        }
        for (Expr e : ExprWalk.ownExpressions(s)) {
            ExprWalk.nodes(e, node -> {
                if (!Exprs.writtenArguments(node).isEmpty()) {
                    for (Expr arg : Exprs.writtenArguments(node)) {
                        Variable root = Exprs.arrayRoot(arg);
                        if (root != null && mayHold.containsKey(root)) {
                            problems.report(node.pos(), "'" + Exprs.calledName(node) + "' may write into "
                                    + target(root, node.pos()) + REFUSED + "pass a copy" + copy(arg));
                            return;
                        }
                    }
                }
            });
        }
    }

    private static final String REFUSED = ", which a @Differentiable method reads as constant data; the reverse "
            + "sweep reads it again, so the method may not change it: ";

    /** The constant array written, and the variable it is written through where the source names it there. */
    private String target(Variable root, SourcePos at) {
        Variable constant = mayHold.get(root);
        if (root == constant) {
            return "the static final array '" + constant.hint() + "'";
        }
        boolean named = at.isKnown() && java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(
                root.hint()) + "\\b").matcher(at.tree().toString()).find();
        return (named ? "'" + root.hint() + "', which may hold " : "") + "the static final array '" + constant.hint()
                + "' (or a row of it)";
    }

    /** How to copy the array written, deep enough to write into: {@code clone()} of a matrix would share its rows. */
    private static String copy(Expr array) {
        boolean vector = array.type() instanceof ArrayType a && a.dimensions() == 1;
        if (!vector) {
            return " (a new matrix, each row copied with clone())";
        }
        boolean written = array.pos().isKnown() && array.pos().tree() instanceof com.sun.source.tree.ExpressionTree e
                && java.util.Set.of(Kind.IDENTIFIER, Kind.MEMBER_SELECT, Kind.ARRAY_ACCESS).contains(e.getKind());
        return written ? " (" + array.type() + " copy = " + array.pos().tree() + ".clone();)" : " (clone() it first)";
    }
}
