package com.example;

/** A class the processor never saw: no {@code PlainGradient}. */
public final class Plain {
    private Plain() {
    }

    public static double twice(double x) {
        return 2 * x;
    }
}
