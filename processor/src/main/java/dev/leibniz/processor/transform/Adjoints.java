package dev.leibniz.processor.transform;

import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The adjoint variable of each primal variable of one method, created on first use. */
final class Adjoints {
    private final VariableFactory variables;
    private final Map<Variable, Variable> adjoints = new HashMap<>();
    private final Map<Variable, Variable> primals = new HashMap<>();

    Adjoints(VariableFactory variables) {
        this.variables = variables;
    }

    Variable of(Variable primal) {
        return adjoints.computeIfAbsent(primal, p -> {
            Variable adjoint = variables.adjointOf(p);
            primals.put(adjoint, p);
            return adjoint;
        });
    }

    /** Makes {@code adjoint} the adjoint of {@code primal}, in place of the one {@link #of} would create. */
    void define(Variable primal, Variable adjoint) {
        adjoints.put(primal, adjoint);
        primals.put(adjoint, primal);
    }

    /** The primal variable whose adjoint {@code adjoint} is, if it is one. */
    Optional<Variable> primalOf(Variable adjoint) {
        return Optional.ofNullable(primals.get(adjoint));
    }

    /** The adjoint if any code uses it; a parameter without one has derivative zero. */
    Optional<Variable> existing(Variable primal) {
        return Optional.ofNullable(adjoints.get(primal));
    }
}
