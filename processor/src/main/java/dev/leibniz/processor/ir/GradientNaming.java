package dev.leibniz.processor.ir;

import java.util.List;

/**
 * The naming contract between a {@code @Differentiable} method and its generated code. Callers in other
 * compilations rely on it, so it is part of the public contract: change it only with a major version.
 */
public final class GradientNaming {
    private GradientNaming() {
    }

    /** {@code com.example.Shapes} → {@code com.example.ShapesGradient}; {@code Outer.Inner} → {@code Outer_InnerGradient}. */
    public static ClassRef gradientClass(ClassRef owner) {
        return ClassRef.of(owner.packageName(), String.join("_", owner.simpleNames()) + "Gradient");
    }

    /** {@code ellipsoidVolume} → {@code EllipsoidVolume}, the record holding the value and the gradient. */
    public static String recordName(String method) {
        return Character.toUpperCase(method.charAt(0)) + method.substring(1);
    }

    public static String pullbackName(String method) {
        return method + "Pullback";
    }

    /**
     * The pullback with in-place adjoints of a method that writes into its array parameters: the pullback itself
     * for a void method, {@code fPullbackInPlace} beside {@code fPullback} for one returning a value.
     */
    public static String inPlacePullbackName(String method, boolean returnsVoid) {
        return pullbackName(method) + (returnsVoid ? "" : "InPlace");
    }

    /** The differential with in-place tangents, named like {@link #inPlacePullbackName}. */
    public static String inPlaceDifferentialName(String method, boolean returnsVoid) {
        return differentialName(method) + (returnsVoid ? "" : "InPlace");
    }

    /** The forward-mode form: the value and the differential along tangents of the parameters. */
    public static String differentialName(String method) {
        return method + "Differential";
    }

    /**
     * The names of the directions (tangents) of the differentiated parameters at {@code indices} of a method with
     * {@code parameters}, as the second-order forms name them: {@code x → vx}, {@code weights → vWeights}, with a
     * number where a parameter already has the name.
     */
    public static List<String> directionNames(List<String> parameters, List<Integer> indices) {
        java.util.Set<String> taken = new java.util.HashSet<>(parameters);
        List<String> names = new java.util.ArrayList<>();
        for (int i : indices) {
            String base = VariableFactory.tangentName(parameters.get(i));
            String name = base;
            for (int n = 2; !taken.add(name); n++) {
                name = base + n;
            }
            names.add(name);
        }
        return names;
    }

    /** The allocation-free form of a method with array parameters. */
    public static String accumulateName(String method) {
        return method + "Accumulate";
    }

    /**
     * {@code nll} → {@code NllAccumulate}: the record the accumulate form returns when scalar parameters are
     * differentiated too, holding the value and their partials. Named after its form, as the other records are, so
     * that it can clash only where the names of generated methods already would.
     */
    public static String accumulateRecordName(String method) {
        return recordName(accumulateName(method));
    }

    /**
     * The private method holding the two sweeps that the pullback and the accumulate form of a method with array
     * parameters and a tape share.
     */
    public static String sweepsName(String method) {
        return method + "Sweeps";
    }

    /** The second-order form of a method with {@code hessian = true}: the value and a Hessian-vector product. */
    public static String hessianVectorName(String method) {
        return method + "HessianVector";
    }

    /** The full Hessian of a method with {@code hessian = true}. */
    public static String hessianName(String method) {
        return method + "Hessian";
    }

    /** The Jacobian of a method returning {@code double[]}. */
    public static String jacobianName(String method) {
        return method + "Jacobian";
    }

    /** The record component that holds the value; no parameter may share its name. */
    public static final String VALUE_COMPONENT = "value";

    /** Names a record component cannot have (JLS 8.10.1): they clash with the methods of {@code Object}. */
    public static final List<String> FORBIDDEN_COMPONENT_NAMES = List.of(
            "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");
}
