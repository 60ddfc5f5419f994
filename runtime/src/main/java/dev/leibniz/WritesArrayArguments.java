package dev.leibniz;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put by Leibniz on the generated pullback of a {@code @Differentiable} method that writes into its array
 * parameters. A caller compiled later reads it to refuse differentiating through such a call, which its reverse
 * sweep could not replay. Not for use in source code.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface WritesArrayArguments {
}
