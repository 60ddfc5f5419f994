package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.Callee;
import java.util.Optional;

/** Where the front end learns how a callee's generated gradient names things. */
public interface CalleeIndex {
    /**
     * The callee as its generated gradient class names it, or empty when that class is neither on the class path
     * nor being generated in this compilation.
     */
    Optional<Callee> generated(Callee declared);

    /**
     * For a callee of this compilation that writes into its arrays, why it has no in-place derivatives (so that a
     * call of it is refused), or empty.
     */
    default Optional<Problem> inPlaceProblem(Callee callee) {
        return Optional.empty();
    }
}
