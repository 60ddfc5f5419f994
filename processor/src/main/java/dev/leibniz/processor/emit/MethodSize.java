package dev.leibniz.processor.emit;

import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.Stmt;
import java.util.List;

/**
 * A generous estimate of the bytecode a generated method compiles to, so that a gradient too large for the JVM (64 KB
 * of code per method) is a clear error at the source method rather than javac's "code too large" in generated code.
 * Three bytes per expression node and per statement overestimate javac's output, measured at 2.6 bytes per node on
 * a 1,500-term gradient (a load, an operator or a constant takes one to four bytes; a call three plus its arguments).
 */
public final class MethodSize {
    /** Below the JVM's limit of 65,535 bytes, with room for what the estimate leaves out (a method's prologue). */
    public static final long LIMIT = 62_000;

    private MethodSize() {
    }

    public static long estimate(List<Stmt> stmts) {
        long[] bytes = {0};
        ExprWalk.statements(stmts, s -> {
            bytes[0] += 3;
            ExprWalk.ownExpressions(s).forEach(e -> ExprWalk.nodes(e, node -> bytes[0] += 3));
        });
        return bytes[0];
    }
}
