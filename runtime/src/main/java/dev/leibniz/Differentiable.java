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
}
