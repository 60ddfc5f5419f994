package dev.leibniz;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method whose reverse-mode derivative Leibniz generates at compile time.
 *
 * <p>For a class {@code Shapes} with an annotated method
 * <pre>{@code
 * @Differentiable
 * static double ellipsoidVolume(double a, double b, double c) { return 4.0 / 3.0 * Math.PI * a * b * c; }
 * }</pre>
 * the Leibniz annotation processor writes a sibling class {@code ShapesGradient} with
 * <ul>
 *   <li>{@code static EllipsoidVolume ellipsoidVolume(double a, double b, double c)}, returning the value and
 *       the partial derivative with respect to every {@code double} parameter, in a record named after the
 *       method ({@code value()}, then {@code a()}, {@code b()}, {@code c()});</li>
 *   <li>{@code static EllipsoidVolume ellipsoidVolumePullback(double a, double b, double c, double dValue)},
 *       the same scaled by an upstream adjoint {@code dValue}: the building block of the chain rule across
 *       methods.</li>
 * </ul>
 *
 * <p>{@code double} parameters, and arrays of {@code double}, are differentiated; {@code int}, {@code long} and
 * {@code boolean} parameters, and arrays of them, are inputs without a derivative. {@link #wrt()} narrows the
 * differentiated parameters to those it names. A method body outside the supported subset is a compile error at the offending
 * expression; Leibniz never generates a derivative it cannot vouch for.
 *
 * <p>The retention is {@link RetentionPolicy#CLASS CLASS} so that the processor sees the annotation on methods
 * of classes compiled earlier (a jar on the class path) and can apply the chain rule through them.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {
    /**
     * The parameters to differentiate with respect to, by name; empty (the default) means every {@code double}
     * parameter and array of {@code double}. The others become inputs without a derivative and get no component
     * in the gradient record: {@code @Differentiable(wrt = {"w1", "w2"})} for a loss whose data and
     * hyperparameters are inputs.
     *
     * @return the names of the parameters to differentiate
     */
    String[] wrt() default {};

    /**
     * Whether Leibniz also generates second derivatives: {@code fHessianVector(args..., v...)}, the value and the
     * Hessian-vector product {@code H·v} (same shapes as the gradient), its allocation-free
     * {@code fHessianVectorAccumulate} when array parameters are differentiated, and {@code fHessian(args...)}, the
     * full Hessian as a {@code double[][]}, rows and columns in the order of the differentiated scalars, the
     * parameters' elements flattened in parameter order (row-major for {@code double[][]}).
     *
     * <p>Leibniz builds them by differentiating its own forward-mode code in reverse mode. The method may not call
     * other {@code @Differentiable} methods, and a {@link DerivativeOf} derivative it uses needs a
     * {@code @DerivativeOf} of its own; otherwise the compile error says where. Piecewise functions ({@code abs},
     * {@code max}, {@code min}, {@code floor}, ...) and branches contribute second derivative zero away from their
     * kinks, and at a kink the derivative of the documented first-derivative convention.
     *
     * @return whether to generate the Hessian-vector product and the Hessian
     */
    boolean hessian() default false;
}
