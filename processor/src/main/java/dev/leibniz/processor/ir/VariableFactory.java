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

    /**
     * A shadow array of {@code primal} that is not the one the caller passes: named after it with {@code suffix}
     * ({@code dxLocal} for {@code x}).
     */
    public Variable shadowApart(Variable primal, String suffix) {
        return new Variable(next++, adjointName(primal.hint()) + suffix, primal.type(), Variable.Role.ADJOINT, null);
    }

    /** {@code x → dx}, {@code t1 → dt1}, {@code loss → dLoss}. */
    public static String adjointName(String primal) {
        boolean shortName = primal.length() == 1 || primal.substring(1).chars().allMatch(Character::isDigit);
        if (shortName) {
            return "d" + primal;
        }
        return "d" + Character.toUpperCase(primal.charAt(0)) + primal.substring(1);
    }
}
