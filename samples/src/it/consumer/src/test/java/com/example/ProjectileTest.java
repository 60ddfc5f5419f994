package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.GradientCheck;
import org.junit.jupiter.api.Test;

class ProjectileTest {
    @Test
    void generatedGradientMatchesTheClosedForm() {
        double v = 12.0;
        double theta = 0.6;
        ProjectileGradient.Range r = ProjectileGradient.range(v, theta);
        assertEquals(Projectile.range(v, theta), r.value());
        assertEquals(2 * v * Math.sin(2 * theta) / Projectile.G, r.v(), 1e-12);
        assertEquals(2 * v * v * Math.cos(2 * theta) / Projectile.G, r.theta(), 1e-12);
    }

    @Test
    void chainRuleThroughAnotherDifferentiableMethod() {
        assertEquals(2 * 12.0 / Projectile.G, ProjectileGradient.rangeAt45Degrees(12.0).v(), 1e-12);
    }

    @Test
    void differentialAlongAChangeOfSpeedAndAngle() {
        double v = 12.0;
        double theta = 0.6;
        ProjectileGradient.Range r = ProjectileGradient.range(v, theta);
        dev.leibniz.Differential d = ProjectileGradient.rangeDifferential(v, theta, 0.5, -0.01);
        assertEquals(r.value(), d.value());
        assertEquals(r.v() * 0.5 - r.theta() * 0.01, d.differential(), 1e-12);
    }

    @Test
    void everyGeneratedFormAgreesWithDifferences() {
        GradientCheck.of(Projectile.class, "range").at(12.0, 0.6).at(3.0, 1.2).check();
        GradientCheck.of(Projectile.class, "rangeAt45Degrees").at(12.0).check();
    }
}
