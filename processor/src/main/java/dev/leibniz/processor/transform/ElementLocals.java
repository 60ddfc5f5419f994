package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Reads an element of a primal array into a local ({@code double xi = x[i];}) where a loop body reads it both
 * before and after a store into an adjoint array: {@code x} and {@code dx} are both {@code double[]}, so the JIT
 * must assume the store may change {@code x[i]} and load it again. A person writes the local.
 *
 * <p>Only in a body without calls, in which no primal array element and neither the array variable nor a variable
 * of the index is written, so that the element has one value throughout; the local is read where the body first
 * reads the element unconditionally, so it throws where the body would.
 */
final class ElementLocals {
    private ElementLocals() {
    }

    static List<Stmt> apply(List<Stmt> body, VariableFactory variables) {
        Set<Variable> written = new HashSet<>();
        boolean[] primalStore = {false};
        ExprWalk.statements(body, s -> {
            if (s instanceof Stmt.Assign a) {
                written.add(a.target());
            } else if (s instanceof Stmt.LocalDecl d) {
                written.add(d.variable());
            } else if (s instanceof Stmt.ElementAssign a) {
                Variable root = Exprs.arrayRoot(a.array());
                primalStore[0] |= root == null || root.role() != Variable.Role.ADJOINT;
            }
            primalStore[0] |= !(s instanceof Stmt.LocalDecl || s instanceof Stmt.Assign
                    || s instanceof Stmt.ElementAssign || s instanceof Stmt.If || s instanceof Stmt.Comment);
            ExprWalk.ownExpressions(s).forEach(e -> primalStore[0] |= Exprs.callsOpaque(e));
        });
        if (primalStore[0]) {
            return body;
        }
        List<Stmt> out = new ArrayList<>(body);
        for (Expr.ArrayRead element : candidates(body, written)) {
            out = withLocal(out, element, variables);
        }
        return out;
    }

    /** The distinct elements read unconditionally at the top level whose array and index stay unchanged. */
    private static List<Expr.ArrayRead> candidates(List<Stmt> body, Set<Variable> written) {
        List<Expr.ArrayRead> found = new ArrayList<>();
        for (Stmt s : body) {
            if (s instanceof Stmt.If) {
                continue;
            }
            ExprWalk.ownExpressions(s).forEach(e -> unconditionalReads(e, r -> {
                if (r.array() instanceof Expr.Ref x && x.variable().role() != Variable.Role.ADJOINT
                        && !written.contains(x.variable()) && r.type() instanceof PrimitiveType
                        && steady(r.index(), written)
                        && found.stream().noneMatch(f -> Exprs.sameIgnoringPositions(f, r))) {
                    found.add(r);
                }
            }));
        }
        return found;
    }

    /** An index of variables the body does not write, constants and arithmetic. */
    private static boolean steady(Expr index, Set<Variable> written) {
        if (index instanceof Expr.Ref r) {
            return !written.contains(r.variable());
        }
        if (!(index instanceof Expr.Literal || index instanceof Expr.Binary || index instanceof Expr.Unary
                || index instanceof Expr.Cast)) {
            return false;
        }
        return Exprs.children(index).stream().allMatch(c -> steady(c, written));
    }

    /** The element reads of {@code e} that every evaluation of it makes: not in a branch, nor after && or ||. */
    private static void unconditionalReads(Expr e, Consumer<Expr.ArrayRead> action) {
        if (e instanceof Expr.ArrayRead r) {
            action.accept(r);
        }
        if (e instanceof Expr.Conditional c) {
            unconditionalReads(c.condition(), action);
        } else if (e instanceof Expr.Binary b && b.op().isConditional()) {
            unconditionalReads(b.left(), action);
        } else {
            Exprs.children(e).forEach(c -> unconditionalReads(c, action));
        }
    }

    /** {@code body} with {@code element} read into a local, where that saves reading it again after a store. */
    private static List<Stmt> withLocal(List<Stmt> body, Expr.ArrayRead element, VariableFactory variables) {
        int first = -1;
        int firstStore = -1;
        int last = -1;
        for (int k = 0; k < body.size(); k++) {
            Stmt s = body.get(k);
            boolean[] reads = {false};
            boolean[] stores = {false};
            ExprWalk.statements(List.of(s), t -> {
                stores[0] |= t instanceof Stmt.ElementAssign;
                ExprWalk.ownExpressions(t).forEach(e -> ExprWalk.nodes(e,
                        n -> reads[0] |= Exprs.sameIgnoringPositions(n, element)));
            });
            boolean[] unconditional = {false};
            if (first < 0 && !(s instanceof Stmt.If)) {
                ExprWalk.ownExpressions(s).forEach(e -> unconditionalReads(e,
                        r -> unconditional[0] |= Exprs.sameIgnoringPositions(r, element)));
            }
            if (unconditional[0]) {
                first = k;
            }
            if (first >= 0 && firstStore < 0 && stores[0]) {
                firstStore = k;
            }
            if (reads[0]) {
                last = k;
            }
        }
        if (first < 0 || firstStore < 0 || last <= firstStore) {
            return body;
        }
        Variable local = variables.create(name(element), element.type(), Variable.Role.TEMPORARY);
        Expr ref = Expr.Ref.to(local);
        UnaryOperator<Expr> use = e -> replaced(e, element, ref);
        List<Stmt> out = new ArrayList<>(body.subList(0, first));
        out.add(new Stmt.LocalDecl(local, element, SourcePos.NONE));
        for (Stmt s : body.subList(first, body.size())) {
            out.add(rewritten(s, use));
        }
        return out;
    }

    private static Expr replaced(Expr e, Expr element, Expr local) {
        if (Exprs.sameIgnoringPositions(e, element)) {
            return local;
        }
        List<Expr> children = Exprs.children(e);
        if (children.isEmpty()) {
            return e;
        }
        return Exprs.withChildren(e, children.stream().map(c -> replaced(c, element, local)).toList());
    }

    private static Stmt rewritten(Stmt s, UnaryOperator<Expr> f) {
        if (s instanceof Stmt.LocalDecl d && d.init() != null) {
            return new Stmt.LocalDecl(d.variable(), f.apply(d.init()), d.pos());
        }
        if (s instanceof Stmt.Assign a) {
            return new Stmt.Assign(a.target(), f.apply(a.value()), a.form(), a.pos());
        }
        if (s instanceof Stmt.ElementAssign a) {
            return new Stmt.ElementAssign(f.apply(a.array()), f.apply(a.index()), f.apply(a.value()), a.form(),
                    a.pos());
        }
        if (s instanceof Stmt.If i) {
            return new Stmt.If(f.apply(i.condition()), i.thenStmts().stream().map(t -> rewritten(t, f)).toList(),
                    i.elseStmts().stream().map(t -> rewritten(t, f)).toList(), i.pos());
        }
        return s;
    }

    /**
     * A name as a person would write it: {@code xi} for {@code x[i]}, {@code xi1} for {@code x[i + 1]}, {@code x2i}
     * for {@code x[2 * i]}, {@code xPrev} for {@code x[i - 1]}, {@code rowsJ} for {@code rows[j]}.
     */
    private static String name(Expr.ArrayRead element) {
        String array = ((Expr.Ref) element.array()).variable().hint();
        Expr index = element.index();
        if (index instanceof Expr.Binary b && b.op() == BinaryOp.SUB && b.left() instanceof Expr.Ref
                && Double.valueOf(1).equals(Build.constantValue(b.right()))) {
            return array + "Prev";
        }
        String part = indexName(index);
        if (part == null) {
            return array + "Element";
        }
        return array + (array.length() == 1 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }

    /** {@code i}, {@code 0}, {@code i1} for {@code i + 1}, {@code 2i} for {@code 2 * i}; {@code null} otherwise. */
    private static String indexName(Expr index) {
        if (index instanceof Expr.Ref r) {
            return r.variable().hint();
        }
        Double c = Build.constantValue(index);
        if (c != null) {
            return c >= 0 ? String.valueOf(c.longValue()) : null;
        }
        if (index instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.MUL)) {
            String left = indexName(b.left());
            String right = indexName(b.right());
            return left == null || right == null ? null : left + right;
        }
        return null;
    }
}
