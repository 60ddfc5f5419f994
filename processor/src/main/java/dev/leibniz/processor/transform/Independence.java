package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether two statements of generated straight-line code give the same in either order, so that one may move past
 * the other. Conservative: only declarations and assignments of variables and of elements {@code a[index]} of an
 * array variable, without tape, calls or allocation, are understood; anything else moves past nothing.
 *
 * <p>Arrays: two array variables may name the same array, so an element write conflicts with any access to an array
 * of its kind unless both name the same variable and their indices provably differ ({@code i} and {@code i + 1}).
 * The kinds are adjoint arrays and the others: an adjoint array is allocated for adjoints or passed in for them, and
 * never holds primal values.
 */
final class Independence {
    private Independence() {
    }

    static boolean independent(Stmt a, Stmt b) {
        Effects x = effects(a);
        Effects y = effects(b);
        if (x == null || y == null) {
            return false;
        }
        return Collections.disjoint(x.writes, y.reads) && Collections.disjoint(x.writes, y.writes)
                && Collections.disjoint(y.writes, x.reads) && !overlap(x.elementWrites, y.accesses())
                && !overlap(y.elementWrites, x.accesses());
    }

    /** An access to an element of {@code array}; {@code root}, {@code index} are {@code null} when not known. */
    private record Access(Variable root, Expr index) {
        /** {@code true} for an adjoint array, {@code false} for another, {@code null} when not known. */
        Boolean adjoint() {
            return root == null ? null : root.role() == Variable.Role.ADJOINT;
        }
    }

    private record Effects(Set<Variable> reads, Set<Variable> writes, List<Access> elementReads,
            List<Access> elementWrites) {
        List<Access> accesses() {
            List<Access> all = new ArrayList<>(elementReads);
            all.addAll(elementWrites);
            return all;
        }
    }

    /** What {@code s} reads and writes, or {@code null} when it is not understood. */
    private static Effects effects(Stmt s) {
        Effects e = new Effects(new HashSet<>(), new HashSet<>(), new ArrayList<>(), new ArrayList<>());
        boolean known;
        if (s instanceof Stmt.Comment) {
            known = true;
        } else if (s instanceof Stmt.LocalDecl d) {
            e.writes.add(d.variable());
            known = d.init() == null || reads(d.init(), e);
        } else if (s instanceof Stmt.Assign a) {
            e.writes.add(a.target());
            known = reads(a.value(), e);
        } else if (s instanceof Stmt.ElementAssign a && a.array() instanceof Expr.Ref r) {
            e.reads.add(r.variable());
            e.elementWrites.add(new Access(r.variable(), a.index()));
            known = reads(a.index(), e) && reads(a.value(), e);
        } else {
            known = false;
        }
        return known ? e : null;
    }

    /** Adds what evaluating {@code x} reads; {@code false} if it may have effects or is not understood. */
    private static boolean reads(Expr x, Effects e) {
        if (x instanceof Expr.Ref r) {
            e.reads.add(r.variable());
            if (r.type() instanceof ArrayType) {
                e.elementReads.add(new Access(null, null)); // the whole array, for anything
            }
            return true;
        }
        if (x instanceof Expr.ArrayRead a && a.array() instanceof Expr.Ref r) {
            e.reads.add(r.variable());
            e.elementReads.add(new Access(r.variable(), a.index()));
            return reads(a.index(), e);
        }
        if (x instanceof Expr.ArrayRead a) {
            e.elementReads.add(new Access(Exprs.arrayRoot(a.array()), null));
            return reads(a.array(), e) && reads(a.index(), e);
        }
        if (x instanceof Expr.ArrayLength l && l.array() instanceof Expr.Ref r) {
            e.reads.add(r.variable()); // a length never changes
            return true;
        }
        if (!(x instanceof Expr.Literal || x instanceof Expr.FieldRef || x instanceof Expr.Unary
                || x instanceof Expr.Binary || x instanceof Expr.Conditional || x instanceof Expr.Cast
                || x instanceof Expr.MathCall || x instanceof Expr.ArrayLength)) {
            return false;
        }
        for (Expr child : Exprs.children(x)) {
            if (!reads(child, e)) {
                return false;
            }
        }
        return true;
    }

    private static boolean overlap(List<Access> writes, List<Access> accesses) {
        for (Access w : writes) {
            for (Access a : accesses) {
                if (mayOverlap(w, a)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean mayOverlap(Access w, Access a) {
        if (w.adjoint() != null && a.adjoint() != null && !w.adjoint().equals(a.adjoint())) {
            return false;
        }
        return !(w.root() != null && w.root().equals(a.root()) && w.index() != null && a.index() != null
                && differ(w.index(), a.index()));
    }

    /** Whether two {@code int} indices, evaluated with the same variables, are never equal: {@code i}, {@code i + 1}. */
    static boolean differ(Expr i, Expr j) {
        Offset p = offset(i);
        Offset q = offset(j);
        return p != null && q != null && p.by != q.by
                && (p.base == null ? q.base == null : q.base != null && Exprs.sameIgnoringPositions(p.base, q.base));
    }

    /** {@code base + by}, {@code base} {@code null} for a constant. */
    private record Offset(Expr base, long by) {
    }

    private static Offset offset(Expr e) {
        if (e.type() != PrimitiveType.INT) {
            return null;
        }
        Long c = intConstant(e);
        if (c != null) {
            return new Offset(null, c);
        }
        if (e instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)) {
            Long right = intConstant(b.right());
            if (right != null) {
                return new Offset(b.left(), b.op() == BinaryOp.ADD ? right : -right);
            }
            Long left = intConstant(b.left());
            if (left != null && b.op() == BinaryOp.ADD) {
                return new Offset(b.right(), left);
            }
        }
        return new Offset(e, 0);
    }

    /** A small {@code int} constant: offsets that differ by less than 2^31 give different {@code int} sums. */
    private static Long intConstant(Expr e) {
        Double v = Build.constantValue(e);
        if (v == null || e.type() != PrimitiveType.INT || Math.abs(v) > 1 << 20) {
            return null;
        }
        return v.longValue();
    }
}
