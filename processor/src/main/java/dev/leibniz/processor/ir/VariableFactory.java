package dev.leibniz.processor.ir;

/** Creates the variables of one method, numbering them in creation order so output is deterministic. */
public final class VariableFactory {
    private int next;

    public Variable create(String hint, Type type, Variable.Role role) {
        return new Variable(next++, hint, type, role, null);
    }

    public Variable adjointOf(Variable primal) {
        return new Variable(next++, primal.hint(), PrimitiveType.DOUBLE, Variable.Role.ADJOINT, primal);
    }
}
