package dev.leibniz.processor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code @Differentiable} method called from another one, described by its signature alone so that it can live
 * in the same compilation or in a jar compiled earlier.
 *
 * @param owner the class that declares the method
 * @param method the method's name
 * @param parameterTypes the declared parameter types
 * @param parameterNames the declared parameter names, which are also the record components
 * @param differentiated for each parameter, whether it has a component in the gradient record
 * @param primalAccessible whether generated code in the caller's package may call the method itself
 * @param writtenParameters the array parameters the method may write into (every array parameter, for a method
 *     compiled earlier whose generated pullback says it writes), in order
 * @param hasDifferential whether its generated class has the forward-mode {@code fDifferential} (a class compiled by
 *     an older Leibniz has not)
 * @param result {@code double}, or {@code double[]} for a method whose derivative is a vector-Jacobian product
 * @param returnsArgument whether an array result may be (or share rows with) an array passed to it, rather than
 *     an array of its own
 * @param hasSecondOrder whether its generated class has the pullback of its differential,
 *     {@code fDifferentialPullback}, through which second derivatives of callers go (a method of this compilation
 *     gets it when a method with {@code hessian = true} calls it; one compiled earlier has it with
 *     {@code hessian = true})
 * @param directional whether this is not the method itself but its differential's tangent part, the directional
 *     derivative {@code (x, v) ↦ ∇f(x)·v} as a function of the arguments and their tangents ({@link #directionalDerivative()})
 */
public record Callee(
        ClassRef owner,
        String method,
        List<Type> parameterTypes,
        List<String> parameterNames,
        List<Boolean> differentiated,
        boolean primalAccessible,
        List<Integer> writtenParameters,
        boolean hasDifferential,
        Type result,
        boolean returnsArgument,
        boolean hasSecondOrder,
        boolean directional) {

    public Callee {
        parameterTypes = List.copyOf(parameterTypes);
        parameterNames = List.copyOf(parameterNames);
        differentiated = List.copyOf(differentiated);
        writtenParameters = List.copyOf(writtenParameters);
    }

    /** The same callee with what its body or its generated class tells. */
    public Callee withFacts(List<Integer> written, boolean differential, boolean returnsArg, boolean secondOrder) {
        return new Callee(owner, method, parameterTypes, parameterNames, differentiated, primalAccessible, written,
                differential, result, returnsArg, secondOrder, false);
    }

    /** The same callee with its parameters named {@code names} (the components of its generated record). */
    public Callee withParameterNames(List<String> names) {
        return new Callee(owner, method, parameterTypes, names, differentiated, primalAccessible, writtenParameters,
                hasDifferential, result, returnsArgument, hasSecondOrder, directional);
    }

    /**
     * The tangent part of the callee's differential as a callee of its own: {@code fDifferential}, taking the
     * arguments and a tangent per differentiated parameter (named as {@link GradientNaming#directionNames} names
     * them), differentiated with respect to all of them; its pullback is {@code fDifferentialPullback}. Reverse mode
     * over a caller's differential (second order) differentiates through it.
     */
    public Callee directionalDerivative() {
        List<Type> types = new ArrayList<>(parameterTypes);
        List<Boolean> flags = new ArrayList<>(differentiated);
        for (int i : differentiatedIndices()) {
            types.add(parameterTypes.get(i));
        }
        differentiatedIndices().forEach(i -> flags.add(true));
        List<String> names = new ArrayList<>(parameterNames);
        names.addAll(GradientNaming.directionNames(parameterNames, differentiatedIndices()));
        // a method that writes into its arrays updates their tangents too: both are written
        List<Integer> written = new ArrayList<>(writtenParameters);
        List<Integer> indices = differentiatedIndices();
        for (int k = 0; k < indices.size(); k++) {
            if (writtenParameters.contains(indices.get(k))) {
                written.add(parameterTypes.size() + k);
            }
        }
        // a float method's directional derivative is a double, as its tangent is
        Type tangent = result == PrimitiveType.FLOAT ? PrimitiveType.DOUBLE : result;
        return new Callee(owner, GradientNaming.differentialName(method), types, names, flags, false, written,
                false, tangent, false, false, true);
    }

    /** Whether the method may write into arrays passed to it: it is called through its in-place forms. */
    public boolean writesArrayArguments() {
        return !writtenParameters.isEmpty();
    }

    /** Whether the method returns void: its outputs are the arrays it writes. */
    public boolean returnsVoid() {
        return result == ClassType.VOID;
    }

    /** Every array parameter: what a method compiled earlier may write, when it writes at all. */
    public List<Integer> arrayParameters() {
        List<Integer> arrays = new ArrayList<>();
        for (int i = 0; i < parameterTypes.size(); i++) {
            if (parameterTypes.get(i) instanceof ArrayType) {
                arrays.add(i);
            }
        }
        return arrays;
    }

    /** Whether the method returns {@code double[]}. */
    public boolean returnsArray() {
        return result instanceof ArrayType;
    }

    public ClassRef gradientClass() {
        return GradientNaming.gradientClass(owner);
    }

    public ClassType recordType() {
        return new ClassType(gradientClass().nested(GradientNaming.recordName(method)));
    }

    /** Whether the method has array parameters: its derivative goes through its pullback, into shadow arrays. */
    public boolean takesArrays() {
        return parameterTypes.stream().anyMatch(t -> t instanceof ArrayType);
    }

    /**
     * Whether the pullback returns the record (some differentiated parameter is a scalar) or just the value (nothing,
     * for a void method).
     */
    public boolean pullbackReturnsRecord() {
        return differentiatedIndices().stream().anyMatch(i -> !(parameterTypes.get(i) instanceof ArrayType));
    }

    public List<Integer> differentiatedIndices() {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < differentiated.size(); i++) {
            if (differentiated.get(i)) {
                indices.add(i);
            }
        }
        return indices;
    }
}
