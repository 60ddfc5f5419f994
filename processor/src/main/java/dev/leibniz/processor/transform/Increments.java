package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the contributions a reverse sweep makes to one adjoint in one statement: {@code dx[i] += u; dx[i] += v;}
 * becomes {@code dx[i] += u + v;}, and {@code da += t; da += t;} (a product rule's two equal terms) becomes
 * {@code da += 2.0 * t;}, which is exactly {@code t + t}. An element of an adjoint array is then read and written
 * once instead of once per term, which is most of what a reverse loop over an array costs.
 *
 * <p>A contribution moves up to an earlier one to the same adjoint past the statements between, also those of
 * other source statements' blocks, when it is {@link Independence independent} of each, or the earlier one moves
 * down to it past statements independent of that one; and they merge only when the second does not read what the
 * first one updates, and an element's index has no effects and is the same.
 */
final class Increments {
    /** How far back a contribution looks for another: keeps long sweeps linear. */
    private static final int REACH = 48;

    private Increments() {
    }

    static List<Stmt> merged(List<Stmt> stmts) {
        // neighbours first, so that a product rule's two equal terms become one before they travel
        List<Stmt> neighbours = new ArrayList<>();
        for (Stmt s : stmts) {
            Stmt next = nested(s);
            Stmt last = neighbours.isEmpty() ? null : neighbours.get(neighbours.size() - 1);
            Stmt both = last == null ? null : merge(last, next);
            if (both != null) {
                neighbours.set(neighbours.size() - 1, both);
            } else {
                neighbours.add(next);
            }
        }
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : neighbours) {
            if (!mergedIntoEarlier(out, s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Whether {@code s} could join an earlier statement of {@code out}, which then holds both: {@code s} moves up to
     * it past statements independent of {@code s}; or, where one of those is not (a declaration {@code s} reads),
     * the earlier one moves down to {@code s} past statements independent of it.
     */
    private static boolean mergedIntoEarlier(List<Stmt> out, Stmt s) {
        if (added(s) == null) {
            return false;
        }
        boolean up = true;
        for (int k = out.size() - 1; k >= 0 && k >= out.size() - REACH; k--) {
            Stmt both = merge(out.get(k), s);
            if (both != null && up) {
                out.set(k, both);
                return true;
            }
            if (both != null) {
                if (!movesDown(out, k)) {
                    return false;
                }
                out.remove(k);
                out.add(both);
                return true;
            }
            up &= Independence.independent(out.get(k), s);
        }
        return false;
    }

    /** Whether {@code out.get(k)} may move past all that follows it. */
    private static boolean movesDown(List<Stmt> out, int k) {
        for (int j = k + 1; j < out.size(); j++) {
            if (!Independence.independent(out.get(k), out.get(j))) {
                return false;
            }
        }
        return true;
    }

    private static Stmt nested(Stmt s) {
        if (s instanceof Stmt.If i) {
            return new Stmt.If(i.condition(), merged(i.thenStmts()), merged(i.elseStmts()), i.pos());
        }
        if (s instanceof Stmt.Loop l) {
            return l.withParts(l.init(), l.condition(), l.update(), merged(l.body()));
        }
        return s;
    }

    /** The two as one statement, or {@code null}. */
    private static Stmt merge(Stmt first, Stmt second) {
        Expr added = added(second);
        if (added == null) {
            return null;
        }
        if (first instanceof Stmt.LocalDecl d && d.init() != null && d.init().type() == PrimitiveType.DOUBLE
                && second instanceof Stmt.Assign a && a.target().equals(d.variable())
                && !Exprs.reads(added, d.variable())) {
            return new Stmt.LocalDecl(d.variable(), sum(d.init(), added), d.pos());
        }
        Expr before = added(first);
        if (before == null) {
            return null;
        }
        if (first instanceof Stmt.Assign a && second instanceof Stmt.Assign b && a.target().equals(b.target())
                && !Exprs.reads(added, a.target())) {
            return Stmt.Assign.accumulate(a.target(), sum(before, added));
        }
        if (first instanceof Stmt.ElementAssign a && second instanceof Stmt.ElementAssign b
                && Exprs.sameIgnoringPositions(a.element(), b.element()) && pure(a.array()) && pure(a.index())) {
            Variable root = Exprs.arrayRoot(a.array());
            if (root == null || Exprs.reads(added, root)) {
                return null;
            }
            Expr element = a.element();
            return new Stmt.ElementAssign(a.array(), a.index(),
                    new Expr.Binary(BinaryOp.ADD, element, sum(before, added), PrimitiveType.DOUBLE, SourcePos.NONE),
                    Stmt.Assign.Form.COMPOUND, a.pos());
        }
        return null;
    }

    /** What {@code s} adds to a {@code double} with {@code +=}, or {@code null}. */
    static Expr added(Stmt s) {
        Expr value;
        Expr target;
        if (s instanceof Stmt.Assign a && a.form() == Stmt.Assign.Form.COMPOUND
                && a.target().type() == PrimitiveType.DOUBLE) {
            value = a.value();
            target = Expr.Ref.to(a.target());
        } else if (s instanceof Stmt.ElementAssign a && a.form() == Stmt.Assign.Form.COMPOUND
                && a.element().type() == PrimitiveType.DOUBLE) {
            value = a.value();
            target = a.element();
        } else {
            return null;
        }
        // a sum of two ints would be int arithmetic, which may overflow where the two += do not
        if (value instanceof Expr.Binary b && b.op() == BinaryOp.ADD && sameTarget(b.left(), target)
                && b.right().type() == PrimitiveType.DOUBLE) {
            return b.right();
        }
        return null;
    }

    private static boolean sameTarget(Expr left, Expr target) {
        if (left instanceof Expr.Ref r && target instanceof Expr.Ref t) {
            return r.variable().equals(t.variable());
        }
        return left instanceof Expr.ArrayRead && Exprs.sameIgnoringPositions(left, target);
    }

    /**
     * {@code a + b}; {@code 2.0 * a} when they are the same, with subtractions for negated terms ({@link Signed}):
     * all exact. Terms that differ only in moderate constant factors add their constants, as a person would:
     * {@code df * a * 100 + df * (100 * a)} is {@code 200.0 * (df * a)}, equal but for rounding ({@link Scaled}).
     */
    private static Expr sum(Expr a, Expr b) {
        if (Exprs.sameIgnoringPositions(a, b) && !Scaled.of(a).moved()) {
            Signed t = Signed.of(a);
            return Build.mul(Expr.Literal.ofDouble(t.negative() ? -2.0 : 2.0), t.magnitude());
        }
        Expr folded = Scaled.sum(a, b);
        if (folded != null) {
            return folded;
        }
        return Signed.sum(a, b);
    }

    /** Evaluating it twice or once gives the same, with no effect: variables, constants, arithmetic, elements. */
    private static boolean pure(Expr e) {
        if (!(e instanceof Expr.Ref || e instanceof Expr.Literal || e instanceof Expr.FieldRef
                || e instanceof Expr.Unary || e instanceof Expr.Binary || e instanceof Expr.Cast
                || e instanceof Expr.ArrayRead || e instanceof Expr.ArrayLength)) {
            return false;
        }
        return Exprs.children(e).stream().allMatch(Increments::pure);
    }
}
