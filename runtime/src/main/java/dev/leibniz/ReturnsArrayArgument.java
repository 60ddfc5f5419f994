package dev.leibniz;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put by Leibniz on the generated vector-Jacobian product of a {@code @Differentiable} method returning
 * {@code double[]} that may return an array it was given (or a row of one) rather than a new array. A caller
 * compiled later reads it to refuse differentiating through such a call, whose result would share storage with its
 * argument. Not for use in source code.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ReturnsArrayArgument {
}
