package com.example;

import dev.leibniz.Differential;

/** What Leibniz generates for {@link Shapes}, by hand: the same members, the same names, one deliberate bug. */
public final class ShapesGradient {
    private ShapesGradient() {
    }

    public static EllipsoidVolume ellipsoidVolume(double a, double b, double c) {
        return ellipsoidVolumePullback(a, b, c, 1.0);
    }

    public static EllipsoidVolume ellipsoidVolumePullback(double a, double b, double c, double dValue) {
        double k = 4.0 / 3.0 * Math.PI;
        return new EllipsoidVolume(Shapes.ellipsoidVolume(a, b, c), dValue * k * b * c, dValue * k * a * c,
                dValue * k * a * b);
    }

    public static Differential ellipsoidVolumeDifferential(double a, double b, double c, double da, double db,
            double dc) {
        EllipsoidVolume g = ellipsoidVolume(a, b, c);
        return new Differential(g.value(), g.a() * da + g.b() * db + g.c() * dc);
    }

    public static Cube cube(double x) {
        return new Cube(x * x * x, 3 * x * x);
    }

    /** The bug: {@code dValue} is ignored. */
    public static Cube cubePullback(double x, double dValue) {
        return cube(x);
    }

    public static Differential cubeDifferential(double x, double dx) {
        return new Differential(x * x * x, 3 * x * x * dx);
    }

    public static Root root(double x) {
        return rootPullback(x, 1.0);
    }

    public static Root rootPullback(double x, double dValue) {
        double value = Math.sqrt(x);
        return new Root(value, dValue / (2 * value));
    }

    public static Differential rootDifferential(double x, double dx) {
        double value = Math.sqrt(x);
        return new Differential(value, dx / (2 * value));
    }

    public record Root(double value, double x) {
    }

    public record EllipsoidVolume(double value, double a, double b, double c) {
    }

    public record Cube(double value, double x) {
    }
}
