package dev.leibniz;

/**
 * The value of a function and its differential in one direction: what the generated forward-mode method
 * {@code fDifferential(x..., dx...)} of a {@code @Differentiable} method {@code f} returns.
 *
 * <p>For tangents {@code dx}, {@code dy}, ... of the differentiated parameters, the differential is
 * {@code df = ∂f/∂x · dx + ∂f/∂y · dy + ...}, summed over every element for array parameters: the change of
 * {@code f} to first order when its inputs change by the tangents (the directional derivative along them). The word
 * is the one of the derivatives article Leibniz follows, and of Swift's differentiable programming.
 *
 * <pre>{@code
 * Differential d = ShapesGradient.ellipsoidVolumeDifferential(a, b, c, 1.0, 0.0, 0.0);
 * d.value();         // V(a, b, c)
 * d.differential();  // ∂V/∂a, the tangent (1, 0, 0) picking out a
 * }</pre>
 *
 * @param value the value of the function, bit for bit what the original method returns
 * @param differential {@code Σ ∂f/∂xᵢ · dxᵢ} over the differentiated parameters and their tangents
 */
public record Differential(double value, double differential) {
}
