package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.List;

/**
 * The derivative of one method, ready to print: a pullback taking the method's parameters, the upstream adjoint
 * {@code seed} and a shadow array per differentiated array parameter, running {@code forward} then
 * {@code reverse}; the last reverse statement returns the record, or only the value when every differentiated
 * parameter is an array (whose adjoints went into the shadows).
 *
 * @param function the differentiated method
 * @param seed the upstream adjoint of the result
 * @param shadows the arrays the adjoints of the differentiated array parameters accumulate into
 * @param record the record type that holds the value and the parameters' adjoints
 * @param returnsRecord whether the pullback returns the record (it has scalar adjoints to return)
 * @param tape the tape the sweeps use, declared by the first forward statement, or {@code null} if they use none
 * @param components what the record holds at the end of the reverse sweep: the value, then the adjoint of each
 *     differentiated parameter (its shadow for an array)
 */
public record Pullback(Function function, Variable seed, List<Variable> shadows, ClassType record,
        boolean returnsRecord, Variable tape, List<Stmt> forward, List<Stmt> reverse, List<Expr> components) {
    public Pullback {
        shadows = List.copyOf(shadows);
        forward = List.copyOf(forward);
        reverse = List.copyOf(reverse);
        components = List.copyOf(components);
    }

    /** The same sweeps with {@code more} at the end of the forward sweep. */
    public Pullback withForwardEnd(List<Stmt> more) {
        List<Stmt> longer = new java.util.ArrayList<>(forward);
        longer.addAll(more);
        return new Pullback(function, seed, shadows, record, returnsRecord, tape, longer, reverse, components);
    }
}
