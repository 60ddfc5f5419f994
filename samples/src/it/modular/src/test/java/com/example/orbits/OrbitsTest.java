package com.example.orbits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.GradientCheck;
import dev.leibniz.Tape;
import org.junit.jupiter.api.Test;

class OrbitsTest {
    private static final double[] M = {5.97e24, 7.35e22};
    private static final double[] PX = {0, 3.84e8};
    private static final double[] PY = {0, 0};

    @Test
    void theCodeAndTheRuntimeRunInTheirNamedModules() {
        assertEquals("com.example.orbits", OrbitsGradient.class.getModule().getName());
        assertEquals("dev.leibniz", Tape.class.getModule().getName());
    }

    @Test
    void theForceIsMinusTheGradientOfThePotential() {
        double x = 7.0e6;
        double y = 1.0e6;
        OrbitsGradient.Potential g = OrbitsGradient.potential(x, y, M, PX, PY);
        double r = Math.hypot(x, y);
        double earth = Orbits.G * M[0] / (r * r * r);
        double dxMoon = x - PX[1];
        double rMoon = Math.hypot(dxMoon, y);
        double moon = Orbits.G * M[1] / (rMoon * rMoon * rMoon);
        assertEquals(earth * x + moon * dxMoon, g.x(), 1e-12 * Math.abs(g.x()));
        assertEquals(earth * y + moon * y, g.y(), 1e-12 * Math.abs(g.y()));
        assertEquals(-Orbits.G / r, g.m()[0], 1e-12 * Orbits.G / r);
    }

    @Test
    void everyGeneratedFormAgreesWithDifferencesThroughTheOpenedPackage() {
        GradientCheck.of(Orbits.class, "potential").at(7.0e6, 1.0e6, M, PX, PY).check();
        GradientCheck.of(Orbits.class, "circularSpeed").at(5.97e24, 7.0e6).check();
    }
}
