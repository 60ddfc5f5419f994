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

    /**
     * A tangent of forward-mode code as a value of its own, for a second differentiation: named after its primal
     * ({@code vx} for {@code x}), or {@code hint} without one.
     */
    public Variable tangent(Variable primal, Type type, String hint) {
        return new Variable(next++, primal != null ? tangentName(primal.hint()) : hint, type, Variable.Role.TANGENT,
                primal);
    }

    /** {@code x → dx}, {@code t1 → dt1}, {@code loss → dLoss}. */
    public static String adjointName(String primal) {
        return prefixed("d", primal);
    }

    /** The direction or tangent of a value in second order: {@code x → vx}, {@code weights → vWeights}. */
    public static String tangentName(String primal) {
        return prefixed("v", primal);
    }

    private static String prefixed(String prefix, String primal) {
        boolean shortName = primal.length() == 1 || primal.substring(1).chars().allMatch(Character::isDigit);
        if (shortName) {
            return prefix + primal;
        }
        return prefix + Character.toUpperCase(primal.charAt(0)) + primal.substring(1);
    }
}
