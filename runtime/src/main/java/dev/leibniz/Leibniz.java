package dev.leibniz;

/** Functions a {@code @Differentiable} method can call to steer its derivative. */
public final class Leibniz {
    private Leibniz() {
    }

    /**
     * {@code x} itself, but with derivative zero: the derivative stops here, like JAX's {@code stop_gradient}. Use it
     * for a value that should act as a constant of the current step, such as a target computed from the parameters,
     * a running statistic or a detached baseline. Only {@code double}: to hold a whole array constant, pass it as a
     * parameter that {@link Differentiable#wrt()} leaves out.
     *
     * <pre>{@code
     * @Differentiable
     * static double f(double x) {
     *     return x * Leibniz.noDerivative(x);   // df/dx = x, not 2x
     * }
     * }</pre>
     * @param x the value
     * @return {@code x}, as a constant to differentiation
     */
    public static double noDerivative(double x) {
        return x;
    }
}
