package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.List;

/**
 * The derivative of one method, ready to print: a pullback taking the method's parameters and the upstream
 * adjoint {@code seed}, running {@code forward} then {@code reverse}; the last reverse statement returns the record.
 *
 * @param function the differentiated method
 * @param seed the upstream adjoint of the result, the pullback's last parameter
 * @param record the record type that holds the value and the parameters' adjoints
 */
public record Pullback(Function function, Variable seed, ClassType record, List<Stmt> forward, List<Stmt> reverse) {
    public Pullback {
        forward = List.copyOf(forward);
        reverse = List.copyOf(reverse);
    }
}
