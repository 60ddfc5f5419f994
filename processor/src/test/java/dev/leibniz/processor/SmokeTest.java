package dev.leibniz.processor;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void ellipsoidVolumeMatchesFiniteDifferences() {
        Compiled compiled = Compiled.compile("com.example.Shapes", """
                package com.example;
                import dev.leibniz.Differentiable;
                public final class Shapes {
                    @Differentiable
                    public static double ellipsoidVolume(double a, double b, double c) { return 4.0 / 3.0 * Math.PI * a * b * c; }
                }
                """);
        new GradientCheck(compiled, "com.example.Shapes").check("ellipsoidVolume", 1.5, 2.0, 0.5);
    }
}
