package com.example;

/** A nested class: Leibniz names its generated class {@code Outer_InnerGradient}. */
public final class Outer {
    private Outer() {
    }

    static final class Inner {
        private Inner() {
        }

        /** {@code @Differentiable}. */
        static double square(double x) {
            return x * x;
        }
    }
}
