package dev.leibniz.processor.ir;

import java.util.Objects;

/**
 * A variable of a method: a parameter, a local of the source, or one the transforms introduce. Identity is the
 * {@code id}, unique within a method; the emitter turns {@code hint} into a unique Java name.
 *
 * @param primal for an adjoint or a tangent, the variable it is the derivative of; otherwise {@code null}
 */
public record Variable(int id, String hint, Type type, Role role, Variable primal) {

    /** What a variable is for; the emitter and the analyses treat some roles specially. */
    public enum Role {
        PARAMETER,
        LOCAL,
        /** The method's result, which every {@code return} assigns after single-exit normalisation. */
        RESULT,
        /** An intermediate value the forward sweep names because the reverse sweep needs it. */
        TEMPORARY,
        /** A copy of a value the forward sweep overwrites and the reverse sweep restores. */
        SAVED,
        /** A recorded branch decision. */
        BRANCH,
        /** Set when a {@code return} inside a branch has produced the result. */
        EXIT_FLAG,
        ADJOINT,
        /**
         * In the differential that second order differentiates ({@code transform.SecondOrder}), a tangent: an
         * ordinary value to reverse mode, named after its primal ({@code vx} for {@code x}).
         */
        TANGENT
    }

    /** Whether the variable holds a number that carries a derivative: a {@code double} or a {@code float}. */
    public boolean isReal() {
        return PrimitiveType.isReal(type);
    }

    // Written out rather than generated: variables key most maps of the processor, and the generated methods run
    // through method handles, slow in the fresh JVM of a javac run.
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Variable v && id == v.id && Objects.equals(hint, v.hint)
                && Objects.equals(type, v.type) && role == v.role && Objects.equals(primal, v.primal);
    }

    @Override
    public int hashCode() {
        return 31 * id + Objects.hashCode(hint);
    }

    @Override
    public String toString() {
        return hint + "#" + id;
    }
}
