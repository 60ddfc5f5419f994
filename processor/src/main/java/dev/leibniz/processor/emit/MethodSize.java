package dev.leibniz.processor.emit;

import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.UnaryOp;
import java.util.List;

/**
 * An upper estimate of the bytecode javac compiles a generated method to, so that a gradient too large for the JVM
 * (64 KB of code per method) is a clear error at the source method rather than javac's "code too large" in
 * generated code, while a gradient that fits is not refused.
 *
 * <p>Each construct is charged what javac emits for it at most: a load or store two bytes, or four once a method has
 * more than 255 local slots ({@code wide}); a constant three ({@code ldc2_w}); an operator one; a call three plus
 * its arguments; a comparison its compare, a jump and the pair of constants that make it a value. Once a method
 * passes 32 KB javac compiles it again with long jumps ({@code goto_w}, and a conditional jump becomes a reversed
 * one over a {@code goto_w}), so jumps are charged again at that size. What the emitter adds around the IR (the
 * result record, adjoint buffers of the parameters) is small and covered by {@link #MARGIN}.
 */
public final class MethodSize {
    /** Below the JVM's limit of 65,535 bytes. */
    public static final long LIMIT = 62_000;
    /** For what the emitter adds around the statements estimated. */
    static final double MARGIN = 1.1;
    /** Local slots of the parameters of a generated method, generously. */
    private static final int PARAMETER_SLOTS = 64;
    private static final int SHORT_JUMPS_UP_TO = 32_767;

    private MethodSize() {
    }

    public static long estimate(List<Stmt> stmts) {
        int slots = PARAMETER_SLOTS + localSlots(stmts);
        int local = slots > 255 ? 4 : 2;
        long bytes = bytes(stmts, new Costs(local, 3, 3));
        if (bytes > SHORT_JUMPS_UP_TO) {
            bytes = bytes(stmts, new Costs(local, 8, 5));
        }
        return (long) Math.ceil(bytes * MARGIN);
    }

    /** Bytes per local access, per conditional jump and per unconditional one. */
    private record Costs(int local, int jump, int jumpAlways) {
        int booleanValue() {
            return jump + jumpAlways + 2; // iconst_1; goto end; iconst_0
        }
    }

    private static int localSlots(List<Stmt> stmts) {
        int[] slots = {0};
        ExprWalk.statements(stmts, s -> {
            if (s instanceof Stmt.LocalDecl d) {
                slots[0] += d.variable().type() == PrimitiveType.DOUBLE || d.variable().type() == PrimitiveType.LONG
                        ? 2 : 1;
            }
        });
        return slots[0];
    }

    private static long bytes(List<Stmt> stmts, Costs costs) {
        long[] bytes = {0};
        ExprWalk.statements(stmts, s -> {
            bytes[0] += statement(s, costs);
            ExprWalk.ownExpressions(s).forEach(e -> ExprWalk.nodes(e, node -> bytes[0] += node(node, costs)));
        });
        return bytes[0];
    }

    /** A statement's own bytes, besides its expressions and nested statements. */
    private static int statement(Stmt s, Costs costs) {
        if (s instanceof Stmt.LocalDecl || s instanceof Stmt.Assign) {
            return costs.local();
        } else if (s instanceof Stmt.ElementAssign) {
            return 3; // the store, and dup2 and a load for a compound assignment
        } else if (s instanceof Stmt.If) {
            return costs.jumpAlways();
        } else if (s instanceof Stmt.Loop) {
            return costs.jump() + costs.jumpAlways();
        } else if (s instanceof Stmt.Break || s instanceof Stmt.Continue) {
            return costs.jumpAlways();
        } else if (s instanceof Stmt.Return) {
            return 1;
        } else if (s instanceof Stmt.Push) {
            return costs.local() + 3;
        } else if (s instanceof Stmt.Evaluate) {
            return 2; // the discarded result
        }
        return 0; // comments
    }

    private static int node(Expr e, Costs costs) {
        if (e instanceof Expr.Ref) {
            return costs.local();
        } else if (e instanceof Expr.Literal || e instanceof Expr.FieldRef) {
            return 3;
        } else if (e instanceof Expr.Unary u) {
            return u.op() == UnaryOp.NOT ? costs.booleanValue() : u.op() == UnaryOp.BIT_NOT ? 4 : 1;
        } else if (e instanceof Expr.Binary b) {
            return b.op().isComparison() ? 1 + costs.booleanValue()
                    : b.op() == BinaryOp.CONDITIONAL_AND || b.op() == BinaryOp.CONDITIONAL_OR ? costs.booleanValue()
                    : 1;
        } else if (e instanceof Expr.Conditional) {
            return costs.jump() + costs.jumpAlways();
        } else if (e instanceof Expr.Cast || e instanceof Expr.ArrayRead || e instanceof Expr.ArrayLength) {
            return 2;
        } else if (e instanceof Expr.Pop) {
            return costs.local() + 6; // the tape, the call and a cast
        } else if (e instanceof Expr.TapeCall) {
            return costs.local() + 3;
        } else if (e instanceof Expr.NewRecord) {
            return 7; // new, dup, invokespecial
        } else if (e instanceof Expr.NewArray) {
            return 4;
        } else if (e instanceof Expr.ArrayLiteral literal) {
            return 4 + 5 * literal.elements().size(); // per element: dup, its index, the store
        }
        return 3; // calls and record components
    }
}
