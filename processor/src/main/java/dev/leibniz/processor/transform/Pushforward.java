package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.List;

/**
 * The forward-mode derivative of one method, ready to print: a method taking the method's parameters and a tangent
 * per differentiated parameter, running {@code body} — the original computation with the tangent of every active
 * value computed alongside — whose last statement returns the value and the differential.
 *
 * @param function the differentiated method
 * @param tangents the tangent parameters, one per differentiated parameter, in order, of the same type
 * @param writtenArrays the array parameters whose elements the method writes, through any alias: every generated
 *     form checks on entry that no other argument shares an array with them
 */
public record Pushforward(Function function, List<Variable> tangents, List<Stmt> body, List<Variable> writtenArrays) {
    public Pushforward {
        tangents = List.copyOf(tangents);
        body = List.copyOf(body);
        writtenArrays = List.copyOf(writtenArrays);
    }
}
