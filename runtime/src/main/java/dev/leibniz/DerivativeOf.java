package dev.leibniz;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the annotated static method to be a partial derivative of another static method, which Leibniz then
 * differentiates with it wherever a {@code @Differentiable} method calls it, in every generated form. Use it for a
 * method Leibniz cannot see into (a library's special function), or should not differentiate as written (where a
 * better formula for the derivative exists). Swift's {@code @derivative(of:)}, Clad's {@code f_darg0}.
 *
 * <p>The derivative takes exactly the original's parameters and returns the partial derivative, as a
 * {@code double}, with respect to the parameter {@link #wrt()} names. A method of several {@code double}
 * parameters gets one derivative per parameter that a derivative may flow through; an argument without one must
 * carry no derivative at a call.
 *
 * <pre>{@code
 * static double softplus(double x) {                 // log(1 + e^x), without overflow for large x
 *     return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
 * }
 *
 * @DerivativeOf("softplus")
 * static double softplusDerivative(double x) {       // the logistic function, stable on both sides
 *     return x > 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
 * }
 * }</pre>
 *
 * <p>The original must not itself be {@code @Differentiable}, and the derivative must be accessible from the
 * generated class (public, or in the same package). Derivatives apply within the compilation that declares them, and
 * from a class compiled earlier to calls of its own methods.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DerivativeOf {
    /**
     * The name of the method this is a derivative of; of its overloads, the one with this method's parameters.
     *
     * @return the original's name
     */
    String value();

    /**
     * The class declaring that method; by default the class declaring this derivative.
     *
     * @return the original's class, or {@code void.class} for the declaring class
     */
    Class<?> in() default void.class;

    /**
     * The parameter of the original this is the partial derivative with respect to; may be left out when the original
     * has one {@code double} parameter. For a class compiled without {@code -parameters} the names are
     * {@code arg0, arg1, ...}.
     *
     * @return the parameter's name, or empty
     */
    String wrt() default "";
}
