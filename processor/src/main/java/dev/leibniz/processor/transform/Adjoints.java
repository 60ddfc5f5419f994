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

    Adjoints(VariableFactory variables) {
        this.variables = variables;
    }

    Variable of(Variable primal) {
        return adjoints.computeIfAbsent(primal, variables::adjointOf);
    }

    /** The adjoint if any code uses it; a parameter without one has derivative zero. */
    Optional<Variable> existing(Variable primal) {
        return Optional.ofNullable(adjoints.get(primal));
    }
}
