package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prepares active statements for both modes by pulling three kinds of node out of their expressions into
 * statements of their own, in evaluation order: calls of other {@code @Differentiable} methods (their gradient
 * record or differential becomes a named value), inactive subexpressions that call non-{@code Math} methods
 * (evaluated exactly once, as the source does), and active {@code ?:} (which becomes an {@code if}, so that only the
 * taken branch is differentiated — the untaken one may be NaN, and NaN times zero is not zero).
 *
 * <p>Only these nodes move, and they only define fresh temporaries, so every other subexpression still sees the
 * values it saw in the source.
 */
public final class Lowering {
    private final Function function;
    private final Activity activity;
    /** Temporaries made here, which the activity computed before lowering has not seen. */
    private final Set<Variable> temporaries = new HashSet<>();

    private Lowering(Function function, Activity activity) {
        this.function = function;
        this.activity = activity;
    }

    public static Function apply(Function function, Activity activity) {
        Lowering lowering = new Lowering(function, activity);
        return function.withBody(lowering.lower(function.body()));
    }

    private List<Stmt> lower(List<Stmt> stmts) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt original : stmts) {
            Stmt s = original instanceof Stmt.ElementAssign a ? withStableIndices(a, out) : original;
            if (s instanceof Stmt.Evaluate e && e.call() instanceof Expr.DiffCall call) {
                out.add(new Stmt.Evaluate(writingCall(call, out)));
            } else if (s instanceof Stmt.Evaluate e) {
                out.add(new Stmt.Evaluate(withStableRows(e.call(), out)));
            } else if ((s instanceof Stmt.LocalDecl || s instanceof Stmt.Assign) && value(s) instanceof Expr.StaticCall call
                    && !call.writes().isEmpty()) {
                Expr stable = withStableRows(call, out); // int t = tick(n[k(n)]): the row first, then the call
                out.add(s instanceof Stmt.LocalDecl d ? new Stmt.LocalDecl(d.variable(), stable, d.pos())
                        : new Stmt.Assign(((Stmt.Assign) s).target(), stable, ((Stmt.Assign) s).form(), s.pos()));
            } else if (s instanceof Stmt.LocalDecl d && d.init() instanceof Expr.DiffCall call
                    && call.callee().writesArrayArguments()) {
                out.add(new Stmt.LocalDecl(d.variable(), writingCall(call, out), d.pos()));
            } else if (s instanceof Stmt.If i) {
                out.add(new Stmt.If(i.condition(), lower(i.thenStmts()), lower(i.elseStmts()), i.pos()));
            } else if (s instanceof Stmt.Loop loop) {
                out.add(loop.withParts(lower(loop.init()), loop.condition(), lower(loop.update()), lower(loop.body())));
            } else if (s instanceof Stmt.LocalDecl d && d.init() != null && isActiveDefinition(d.variable(), d.init())) {
                if (d.init() instanceof Expr.Conditional c) {
                    out.add(new Stmt.LocalDecl(d.variable(), null, d.pos()));
                    out.add(branches(d.variable(), c, d.pos()));
                } else {
                    out.add(new Stmt.LocalDecl(d.variable(), lowerRoot(d.init(), out), d.pos()));
                }
            } else if (s instanceof Stmt.ElementAssign a && isActiveElement(a)) {
                if (a.value() instanceof Expr.Conditional c) {
                    Stmt whenTrue = new Stmt.ElementAssign(a.array(), a.index(), c.whenTrue(), Stmt.Assign.Form.PLAIN,
                            a.pos());
                    Stmt whenFalse = new Stmt.ElementAssign(a.array(), a.index(), c.whenFalse(), Stmt.Assign.Form.PLAIN,
                            a.pos());
                    out.add(new Stmt.If(c.condition(), lower(List.of(whenTrue)), lower(List.of(whenFalse)), a.pos()));
                } else {
                    out.add(new Stmt.ElementAssign(a.array(), a.index(), lowerRoot(a.value(), out), a.form(), a.pos()));
                }
            } else if (s instanceof Stmt.LocalDecl d && d.init() instanceof Expr.ArrayLiteral literal
                    && activity.isActive(d.variable()) && hasActiveElement(literal)) {
                out.add(new Stmt.LocalDecl(d.variable(), emptyLike(literal), d.pos()));
                out.addAll(lower(fill(Expr.Ref.to(d.variable()), literal, d.pos())));
            } else if (s instanceof Stmt.Assign a && a.value() instanceof Expr.ArrayLiteral literal
                    && activity.isActive(a.target()) && hasActiveElement(literal)) {
                out.add(new Stmt.Assign(a.target(), emptyLike(literal), Stmt.Assign.Form.PLAIN, a.pos()));
                out.addAll(lower(fill(Expr.Ref.to(a.target()), literal, a.pos())));
            } else if (s instanceof Stmt.Assign a && isActiveDefinition(a.target(), a.value())) {
                if (a.value() instanceof Expr.Conditional c) {
                    out.add(branches(a.target(), c, a.pos()));
                } else {
                    out.add(new Stmt.Assign(a.target(), lowerRoot(a.value(), out), a.form(), a.pos()));
                }
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * {@code a[k(a)] = v} with the index computed once, before the write: an index that reads array elements (or
     * calls a method) could read the element the statement writes, and then the reverse sweep, evaluating it
     * again, would find another element (forward mode writes the element's tangent at the same index). Indices of
     * variables alone stay as written; the to-be-recorded analysis keeps their variables. A compound assignment
     * ({@code a[k()] += e}) reads the element through the same index node, which is replaced there too, so that the
     * index is computed exactly once, as in the source.
     */
    private Stmt.ElementAssign withStableIndices(Stmt.ElementAssign a, List<Stmt> out) {
        // for every array, active or not: the reverse sweep undoes a write into one it reads again (data[k(data)] =
        // 3 with data read by round(data[0])), at the index it finds then
        if (Exprs.arrayRoot(a.array()) == null) {
            return a;
        }
        Map<Expr, Expr> stable = new IdentityHashMap<>();
        if (a.array() instanceof Expr.ArrayRead row) {
            stabilize(row.index(), stable, out);
        }
        stabilize(a.index(), stable, out);
        if (stable.isEmpty()) {
            return a;
        }
        Expr array = Exprs.replace(a.array(), stable);
        Expr index = Exprs.replace(a.index(), stable);
        Expr value = Exprs.replace(a.value(), stable);
        if (a.form() != Stmt.Assign.Form.PLAIN && value instanceof Expr.Binary b && b.left() instanceof Expr.ArrayRead) {
            // a[i] += v reads the element it writes: at the stable index too, whether or not the nodes are shared
            value = new Expr.Binary(b.op(), new Expr.ArrayRead(array, index, b.left().type(), b.left().pos()),
                    b.right(), b.type(), b.pos());
        }
        return new Stmt.ElementAssign(array, index, value, a.form(), a.pos());
    }

    private void stabilize(Expr index, Map<Expr, Expr> stable, List<Stmt> out) {
        if (readsElementsOrCalls(index)) {
            Variable temp = temporary("k", index.type());
            out.add(new Stmt.LocalDecl(temp, index, index.pos()));
            stable.put(index, new Expr.Ref(temp, index.pos()));
        }
    }

    private static boolean readsElementsOrCalls(Expr e) {
        return e instanceof Expr.ArrayRead || Exprs.callsOpaque(e) || e instanceof Expr.MathCall
                || Exprs.children(e).stream().anyMatch(Lowering::readsElementsOrCalls);
    }

    /** An active scalar definition; initialisers of arrays are lowered element by element instead. */
    private boolean isActiveDefinition(Variable target, Expr value) {
        return !(value instanceof Expr.ArrayLiteral)
                && (activity.isActive(target) || temporaries.contains(target)) && activity.isActive(value);
    }

    private boolean isActiveElement(Stmt.ElementAssign a) {
        Variable root = Exprs.arrayRoot(a.array());
        return root != null && (activity.isActive(root) || temporaries.contains(root)) && activity.isActive(a.value());
    }

    private boolean hasActiveElement(Expr.ArrayLiteral literal) {
        return literal.elements().stream().anyMatch(e -> e instanceof Expr.ArrayLiteral row ? hasActiveElement(row)
                : activity.isActive(e));
    }

    /**
     * {@code new double[n]} (or {@code [n][m]}) for a literal whose elements carry derivatives: each element then
     * gets an assignment of its own, which reverse mode knows how to pull back. A ragged literal keeps its rows.
     */
    private static Expr emptyLike(Expr.ArrayLiteral literal) {
        List<Expr> lengths = new ArrayList<>();
        lengths.add(Expr.Literal.ofInt(literal.elements().size()));
        if (literal.type().dimensions() == 2) {
            List<Integer> rows = literal.elements().stream()
                    .map(r -> r instanceof Expr.ArrayLiteral row ? row.elements().size() : -1).distinct().toList();
            if (rows.size() != 1 || rows.get(0) < 0) {
                // Ragged, or rows made with new: {new double[3], new double[2]}, filled like the rectangular case.
                List<Expr> emptyRows = literal.elements().stream().map(r -> r instanceof Expr.ArrayLiteral row
                        ? new Expr.NewArray(row.type(), List.of(Expr.Literal.ofInt(row.elements().size())), row.pos())
                        : r).toList();
                return new Expr.ArrayLiteral(literal.type(), emptyRows, literal.pos());
            }
            lengths.add(Expr.Literal.ofInt(rows.get(0)));
        }
        return new Expr.NewArray(literal.type(), lengths, literal.pos());
    }

    private static List<Stmt> fill(Expr array, Expr.ArrayLiteral literal, SourcePos pos) {
        List<Stmt> out = new ArrayList<>();
        for (int k = 0; k < literal.elements().size(); k++) {
            Expr element = literal.elements().get(k);
            if (element instanceof Expr.ArrayLiteral row) {
                Expr rowArray = new Expr.ArrayRead(array, Expr.Literal.ofInt(k), row.type(), pos);
                out.addAll(fill(rowArray, row, pos));
            } else if (!(element.type() instanceof dev.leibniz.processor.ir.ArrayType)) { // new rows start as zeros
                out.add(new Stmt.ElementAssign(array, Expr.Literal.ofInt(k), element, Stmt.Assign.Form.PLAIN, pos));
            }
        }
        return out;
    }

    /** {@code target = c ? a : b} as {@code if (c) target = a; else target = b;}, each branch lowered again. */
    private Stmt branches(Variable target, Expr.Conditional c, SourcePos pos) {
        Stmt.Assign whenTrue = new Stmt.Assign(target, c.whenTrue(), Stmt.Assign.Form.PLAIN, pos);
        Stmt.Assign whenFalse = new Stmt.Assign(target, c.whenFalse(), Stmt.Assign.Form.PLAIN, pos);
        return new Stmt.If(c.condition(), lower(List.of(whenTrue)), lower(List.of(whenFalse)), pos);
    }

    /**
     * A call of a {@code @Differentiable} method that writes into its arrays, a statement of its own (the front end
     * sees to it): its arguments lowered, and each scalar argument that carries a derivative and is not a variable
     * named first, so that the adjoint its in-place pullback returns flows into a variable.
     */
    private Expr.DiffCall writingCall(Expr.DiffCall call, List<Stmt> out) {
        Expr.DiffCall lowered = (Expr.DiffCall) lowerRoot(withStableRows(call, out), out);
        List<Expr> args = new ArrayList<>(lowered.args());
        boolean changed = false;
        for (int i = 0; i < args.size(); i++) {
            Expr arg = args.get(i);
            // asked of the argument as written: the activity has not seen the temporaries lowering made in it
            if (!(arg.type() instanceof dev.leibniz.processor.ir.ArrayType) && !(arg instanceof Expr.Ref)
                    && activity.isActive(call.args().get(i))) {
                Variable temp = temporary("t", arg.type());
                out.add(new Stmt.LocalDecl(temp, arg, arg.pos()));
                args.set(i, new Expr.Ref(temp, arg.pos()));
                changed = true;
            }
        }
        return changed ? new Expr.DiffCall(lowered.callee(), args, lowered.pos()) : lowered;
    }

    private static Expr value(Stmt s) {
        return s instanceof Stmt.LocalDecl d ? d.init() : s instanceof Stmt.Assign a ? a.value() : null;
    }

    /**
     * A call that writes into a row {@code m[k(m)]} it is given, with the row's index computed once, before the call:
     * the call may change what the index reads, and the reverse sweep, which puts the row back, must find the same
     * row ({@code scale(dm[(int) Math.round(dm[0][1])], r)} in a loop). As {@link #withStableIndices} does for writes.
     */
    private Expr withStableRows(Expr call, List<Stmt> out) {
        List<Expr> written = Exprs.writtenArguments(call);
        if (written.isEmpty()) {
            return call;
        }
        Map<Expr, Expr> stable = new IdentityHashMap<>();
        for (Expr arg : written) {
            if (arg instanceof Expr.ArrayRead row) {
                stabilize(row.index(), stable, out);
            }
        }
        return stable.isEmpty() ? call : Exprs.replace(call, stable);
    }

    /** The root stays in its statement; what must move out of its subtrees goes to {@code out} first. */
    private Expr lowerRoot(Expr root, List<Stmt> out) {
        List<Expr> children = Exprs.children(root);
        // Children are visited in evaluation order; a child no derivative flows through (a condition, the
        // operand of an integer cast) is inactive and handled as a whole by lowerNode.
        if (root instanceof Expr.Conditional) {
            return root; // handled by branches()
        }
        List<Expr> lowered = new ArrayList<>(children.size());
        boolean changed = false;
        for (Expr child : children) {
            Expr l = lowerNode(child, out);
            changed |= l != child;
            lowered.add(l);
        }
        return changed ? Exprs.withChildren(root, lowered) : root;
    }

    private Expr lowerNode(Expr node, List<Stmt> out) {
        SourcePos pos = node.pos();
        if (node instanceof Expr.ArrayLiteral literal && hasActiveElement(literal)) {
            // An initialiser passed to a call becomes a local array, whose adjoints reverse mode follows.
            Variable temp = temporary("array", literal.type());
            out.add(new Stmt.LocalDecl(temp, emptyLike(literal), pos));
            out.addAll(lower(fill(Expr.Ref.to(temp), literal, pos)));
            return new Expr.Ref(temp, pos);
        }
        if (!activity.isActive(node)) {
            if (!Exprs.callsOpaque(node)) {
                return node;
            }
            Variable temp = temporary(hintFor(node), node.type());
            out.add(new Stmt.LocalDecl(temp, node, pos));
            return new Expr.Ref(temp, pos);
        }
        if (node instanceof Expr.Conditional c) {
            Variable temp = temporary("t", c.type());
            out.add(new Stmt.LocalDecl(temp, null, pos));
            out.add(branches(temp, c, pos));
            return new Expr.Ref(temp, pos);
        }
        Expr lowered = lowerRoot(node, out);
        if (node instanceof Expr.DiffCall call) {
            Variable temp = temporary(call.callee().method(), call.type());
            out.add(new Stmt.LocalDecl(temp, lowered, pos));
            return new Expr.Ref(temp, pos);
        }
        return lowered;
    }

    private Variable temporary(String hint, dev.leibniz.processor.ir.Type type) {
        Variable temp = function.variables().create(hint, type, Variable.Role.TEMPORARY);
        temporaries.add(temp);
        return temp;
    }

    private static String hintFor(Expr node) {
        if (node instanceof Expr.StaticCall call) {
            return call.name();
        }
        if (node instanceof Expr.DiffCall call) {
            return call.callee().method();
        }
        return "t";
    }
}
