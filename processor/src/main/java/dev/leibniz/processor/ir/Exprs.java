package dev.leibniz.processor.ir;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Small structural helpers over expressions. */
public final class Exprs {
    private Exprs() {
    }

    /** The same node with new children, in {@link #children} order. */
    public static Expr withChildren(Expr e, List<Expr> c) {
        if (e instanceof Expr.Unary u) {
            return new Expr.Unary(u.op(), c.get(0), u.type(), u.pos());
        }
        if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.op(), c.get(0), c.get(1), b.type(), b.pos());
        }
        if (e instanceof Expr.Conditional k) {
            return new Expr.Conditional(c.get(0), c.get(1), c.get(2), k.type(), k.pos());
        }
        if (e instanceof Expr.Cast k) {
            return new Expr.Cast(k.type(), c.get(0), k.pos());
        }
        if (e instanceof Expr.MathCall m) {
            return new Expr.MathCall(m.owner(), m.function(), c, m.type(), m.pos());
        }
        if (e instanceof Expr.StaticCall s) {
            return new Expr.StaticCall(s.owner(), s.name(), c, s.type(), s.inSources(), s.partials(), s.writes(),
                    s.pos());
        }
        if (e instanceof Expr.DiffCall d) {
            return new Expr.DiffCall(d.callee(), c, d.pos());
        }
        if (e instanceof Expr.GradientCall g) {
            return new Expr.GradientCall(g.callee(), c);
        }
        if (e instanceof Expr.DifferentialCall d) {
            return new Expr.DifferentialCall(d.callee(), c);
        }
        if (e instanceof Expr.Component k) {
            return new Expr.Component(c.get(0), k.name(), k.type());
        }
        if (e instanceof Expr.NewRecord r) {
            return new Expr.NewRecord(r.type(), c);
        }
        if (e instanceof Expr.ArrayRead a) {
            return new Expr.ArrayRead(c.get(0), c.get(1), a.type(), a.pos());
        }
        if (e instanceof Expr.ArrayLength l) {
            return new Expr.ArrayLength(c.get(0), l.pos());
        }
        if (e instanceof Expr.NewArray n) {
            return new Expr.NewArray(n.type(), c, n.pos());
        }
        if (e instanceof Expr.ArrayLiteral l) {
            return new Expr.ArrayLiteral(l.type(), c, l.pos());
        }
        if (e instanceof Expr.TapeCall t) {
            return new Expr.TapeCall(t.tape(), t.method(), c, t.type());
        }
        if (e instanceof Expr.PullbackCall p) {
            int n = p.args().size();
            return new Expr.PullbackCall(p.callee(), c.subList(0, n), c.get(n), c.subList(n + 1, c.size()));
        }
        return e;
    }

    /** The direct subexpressions of a node, in evaluation order. */
    public static List<Expr> children(Expr e) {
        if (e instanceof Expr.Unary u) {
            return List.of(u.operand());
        }
        if (e instanceof Expr.Binary b) {
            return List.of(b.left(), b.right());
        }
        if (e instanceof Expr.Conditional c) {
            return List.of(c.condition(), c.whenTrue(), c.whenFalse());
        }
        if (e instanceof Expr.Cast c) {
            return List.of(c.operand());
        }
        if (e instanceof Expr.MathCall m) {
            return m.args();
        }
        if (e instanceof Expr.StaticCall c) {
            return c.args();
        }
        if (e instanceof Expr.DiffCall c) {
            return c.args();
        }
        if (e instanceof Expr.GradientCall c) {
            return c.args();
        }
        if (e instanceof Expr.DifferentialCall c) {
            return c.args();
        }
        if (e instanceof Expr.Component c) {
            return List.of(c.record());
        }
        if (e instanceof Expr.NewRecord r) {
            return r.args();
        }
        if (e instanceof Expr.ArrayRead a) {
            return List.of(a.array(), a.index());
        }
        if (e instanceof Expr.ArrayLength l) {
            return List.of(l.array());
        }
        if (e instanceof Expr.NewArray n) {
            return n.lengths();
        }
        if (e instanceof Expr.ArrayLiteral l) {
            return l.elements();
        }
        if (e instanceof Expr.TapeCall t) {
            return t.args();
        }
        if (e instanceof Expr.PullbackCall p) {
            List<Expr> all = new ArrayList<>(p.args());
            all.add(p.seed());
            all.addAll(p.shadows());
            return all;
        }
        return List.of();
    }

    /** {@code e} with the nodes in {@code replacements} (keyed by identity) replaced. */
    public static Expr replace(Expr e, Map<Expr, Expr> replacements) {
        Expr r = replacements.get(e);
        if (r != null) {
            return r;
        }
        List<Expr> children = children(e);
        if (children.isEmpty()) {
            return e;
        }
        List<Expr> replaced = new ArrayList<>(children.size());
        boolean changed = false;
        for (Expr child : children) {
            Expr c = replace(child, replacements);
            changed |= c != child;
            replaced.add(c);
        }
        return changed ? withChildren(e, replaced) : e;
    }

    /** Adds every variable {@code e} reads to {@code out}. */
    public static void variables(Expr e, Set<Variable> out) {
        if (e instanceof Expr.Ref r) {
            out.add(r.variable());
        } else if (e instanceof Expr.Pop p) {
            out.add(p.tape());
        } else if (e instanceof Expr.TapeCall t) {
            out.add(t.tape());
        }
        for (Expr child : children(e)) {
            variables(child, out);
        }
    }

    public static boolean reads(Expr e, Variable v) {
        if (e instanceof Expr.Ref r) {
            return r.variable().equals(v);
        }
        for (Expr child : children(e)) {
            if (reads(child, v)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} contains a call whose evaluation might have effects or cost: anything but Math. */
    public static boolean callsOpaque(Expr e) {
        if (e instanceof Expr.StaticCall || e instanceof Expr.DiffCall || e instanceof Expr.GradientCall
                || e instanceof Expr.DifferentialCall || e instanceof Expr.PullbackCall) {
            return true;
        }
        for (Expr child : children(e)) {
            if (callsOpaque(child)) {
                return true;
            }
        }
        return false;
    }

    /** The variable an array expression starts from: {@code m} in {@code m[i]}, or {@code null} for {@code new}. */
    /**
     * {@code l op r} of type {@code type}, built by a transform from operands it rewrote: where the result is a
     * {@code double} and neither operand is one any more (a factor {@code 1.0} dropped from {@code round(x) * 1.0 / 3}),
     * the left one is widened, so that Java does not divide or multiply integers where the source did not.
     */
    public static Expr.Binary binary(BinaryOp op, Expr l, Expr r, PrimitiveType type, SourcePos pos) {
        if (type == PrimitiveType.DOUBLE && l.type() != PrimitiveType.DOUBLE && r.type() != PrimitiveType.DOUBLE
                && l.type() instanceof PrimitiveType && r.type() instanceof PrimitiveType) {
            l = new Expr.Cast(PrimitiveType.DOUBLE, l, SourcePos.NONE);
        }
        return new Expr.Binary(op, l, r, type, pos);
    }

    public static Variable arrayRoot(Expr array) {
        if (array instanceof Expr.Ref r) {
            return r.variable();
        }
        if (array instanceof Expr.ArrayRead a) {
            return arrayRoot(a.array());
        }
        return null;
    }

    public static boolean isLeaf(Expr e) {
        return e instanceof Expr.Ref || e instanceof Expr.Literal || e instanceof Expr.FieldRef;
    }

    /** The same computation, wherever in the source its parts come from (IR records compared without positions). */
    public static boolean sameIgnoringPositions(Object a, Object b) {
        if (a instanceof SourcePos && b instanceof SourcePos) {
            return true;
        }
        if (a instanceof List<?> l && b instanceof List<?> m) {
            if (l.size() != m.size()) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (!sameIgnoringPositions(l.get(i), m.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Expr && b instanceof Expr && a.getClass() == b.getClass()) {
            for (RecordComponent c : a.getClass().getRecordComponents()) {
                try {
                    if (!sameIgnoringPositions(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
                        return false;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** The tangent zero of an argument: {@code Buffers.zerosLike(a)} for an array, {@code 0.0} for a number. */
    public static Expr zeroTangent(Expr arg) {
        return arg.type() instanceof ArrayType array
                ? new Expr.StaticCall(ClassRef.of("dev.leibniz", "Buffers"), "zerosLike", List.of(arg), array, false,
                        SourcePos.NONE)
                : Expr.Literal.zero(PrimitiveType.DOUBLE);
    }

    /**
     * The array arguments a call node may write into: those of a method that writes arrays it is given, or of a
     * {@code @Differentiable} one that does; empty for any other node.
     */
    public static List<Expr> writtenArguments(Expr node) {
        if (node instanceof Expr.StaticCall call) {
            return call.writtenArguments();
        }
        if (node instanceof Expr.DiffCall call) {
            return call.writtenArguments();
        }
        return List.of();
    }

    /** The name of the method a call node calls, for messages. */
    public static String calledName(Expr node) {
        return node instanceof Expr.DiffCall call ? call.callee().method() : ((Expr.StaticCall) node).name();
    }
}
