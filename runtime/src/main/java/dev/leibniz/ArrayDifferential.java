package dev.leibniz;

/**
 * The value of a vector-valued function and its differential in one direction: what the generated forward-mode
 * method {@code fDifferential(x..., dx...)} of a {@code @Differentiable} method {@code f} returning {@code double[]}
 * returns. It is the Jacobian-vector product: {@code differential = J · dx}, where {@code J[i][j] = ∂f[i]/∂x[j]}.
 *
 * <pre>{@code
 * ArrayDifferential d = ModelGradient.softmaxDifferential(z, dz);
 * d.value();         // softmax(z), element by element what the original returns
 * d.differential();  // Σⱼ ∂softmax(z)[i]/∂z[j] · dz[j], for every i
 * }</pre>
 *
 * @param value the value of the function, the array the original method returns (the same array when it returns
 *     one of its arguments)
 * @param differential {@code Σⱼ ∂f[i]/∂xⱼ · dxⱼ} for every element {@code i} of the value, a new array of its length
 */
public record ArrayDifferential(double[] value, double[] differential) {
}
