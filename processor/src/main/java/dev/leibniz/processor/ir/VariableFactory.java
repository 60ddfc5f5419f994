package dev.leibniz.processor.ir;

/** Creates the variables of one method, numbering them in creation order so output is deterministic. */
public final class VariableFactory {
    private int next;

    public Variable create(String hint, Type type, Variable.Role role) {
        return new Variable(next++, hint, type, role, null);
    }

    /** The adjoint of a {@code double}, or the shadow array (same shape, adjoints elementwise) of an array. */
    public Variable adjointOf(Variable primal) {
        Type type = primal.type() instanceof ArrayType ? primal.type() : PrimitiveType.DOUBLE;
        return new Variable(next++, primal.hint(), type, Variable.Role.ADJOINT, primal);
    }
}
