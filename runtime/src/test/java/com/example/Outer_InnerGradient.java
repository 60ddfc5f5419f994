package com.example;

import dev.leibniz.Differential;

/** What Leibniz generates for {@link Outer.Inner}, by hand. */
final class Outer_InnerGradient {
    private Outer_InnerGradient() {
    }

    static Square square(double x) {
        return squarePullback(x, 1.0);
    }

    static Square squarePullback(double x, double dValue) {
        return new Square(x * x, dValue * 2 * x);
    }

    static Differential squareDifferential(double x, double dx) {
        return new Differential(x * x, 2 * x * dx);
    }

    record Square(double value, double x) {
    }
}
