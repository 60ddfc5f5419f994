package com.example;

/** A public class with public methods, as a user writes them; {@code ShapesGradient} is what Leibniz would generate. */
public final class Shapes {
    private Shapes() {
    }

    /** {@code @Differentiable}: its generated derivatives are right. */
    public static double ellipsoidVolume(double a, double b, double c) {
        return 4.0 / 3.0 * Math.PI * a * b * c;
    }

    /** {@code @Differentiable}: its generated pullback forgets to multiply by {@code dValue}. */
    public static double cube(double x) {
        return x * x * x;
    }

    /** {@code @Differentiable}: right, but not defined left of 0. */
    public static double root(double x) {
        return Math.sqrt(x);
    }

    /** Not {@code @Differentiable}: nothing is generated for it. */
    public static double surface(double a, double b) {
        return a * b;
    }

    /** Not static. */
    public double diameter(double r) {
        return 2 * r;
    }
}
