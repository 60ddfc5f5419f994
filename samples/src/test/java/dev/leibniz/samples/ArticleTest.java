package dev.leibniz.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.GradientCheck;
import org.junit.jupiter.api.Test;

/** The article's claims, checked on the gradients the processor generated for this module. */
class ArticleTest {
    private static final double EPS = 1e-12;

    @Test
    void partialDerivativeOfTheEllipsoidVolumeHoldsTheOtherAxesFixed() {
        ShapesGradient.EllipsoidVolume v = ShapesGradient.ellipsoidVolume(1.5, 0.8, 2.0);
        assertEquals(Shapes.ellipsoidVolume(1.5, 0.8, 2.0), v.value());
        assertEquals(4.0 / 3.0 * Math.PI * 0.8 * 2.0, v.a(), EPS);
        assertEquals(4.0 / 3.0 * Math.PI * 1.5 * 2.0, v.b(), EPS);
        assertEquals(4.0 / 3.0 * Math.PI * 1.5 * 0.8, v.c(), EPS);
    }

    @Test
    void substitutingTheConstraintBeforeDifferentiatingGivesTheTotalDerivative() {
        double a = 1.5;
        double c = 2.0;
        assertEquals(8.0 / 3.0 * Math.PI * a * c, ShapesGradient.spheroidVolume(a, c).a(), EPS);
        assertEquals(4.0 / 3.0 * Math.PI * a * a, ShapesGradient.spheroidVolume(a, c).c(), EPS);
    }

    @Test
    void substitutingAfterDifferentiatingIsOffByAFactorTwo() {
        double a = 1.5;
        double c = 2.0;
        double after = ShapesGradient.ellipsoidVolume(a, a, c).a();
        double total = ShapesGradient.spheroidVolume(a, c).a();
        assertEquals(2.0, total / after, EPS);
    }

    @Test
    void sigmoidDerivativesInXAndInTheSteepness() {
        double x = -0.4;
        double beta = 3.0;
        double s = Activations.sigmoid(x, beta);
        ActivationsGradient.Sigmoid g = ActivationsGradient.sigmoid(x, beta);
        assertEquals(s, g.value());
        assertEquals(beta * s * (1 - s), g.x(), EPS);
        assertEquals(x * s * (1 - s), g.beta(), EPS);
    }

    @Test
    void pullbackScalesTheGradientByTheUpstreamAdjoint() {
        ActivationsGradient.Sigmoid g = ActivationsGradient.sigmoid(0.3, 1.7);
        ActivationsGradient.Sigmoid p = ActivationsGradient.sigmoidPullback(0.3, 1.7, 4.0);
        assertEquals(4.0 * g.x(), p.x(), EPS);
        assertEquals(4.0 * g.beta(), p.beta(), EPS);
    }

    @Test
    void softplusUnitUsesTheDeclaredDerivativeAndStaysFiniteWhereExpOverflows() {
        for (double z : new double[] {-30, -1.5, 0, 2, 800}) {
            // w = 2, x = z / 2, b = 0: the pre-activation is z; d/dw = x sigmoid(z), d/db = sigmoid(z)
            ActivationsGradient.SoftplusUnit g = ActivationsGradient.softplusUnit(2, z / 2, 0);
            double sigmoid = 1 / (1 + Math.exp(-z));
            assertEquals(Activations.softplus(z), g.value(), 0.0);
            assertEquals(sigmoid, g.b(), 1e-15);
            assertEquals(z / 2 * sigmoid, g.w(), 1e-13 * Math.max(1, Math.abs(z)));
            assertEquals(2 * sigmoid, g.x(), 1e-15);
        }
    }

    @Test
    void theDifferentialIsTheGradientAlongTheChangeOfTheInputs() {
        double x = 0.3;
        double beta = 1.7;
        ActivationsGradient.Sigmoid g = ActivationsGradient.sigmoid(x, beta);
        dev.leibniz.Differential d = ActivationsGradient.sigmoidDifferential(x, beta, 0.1, -0.2);
        assertEquals(g.value(), d.value());
        assertEquals(g.x() * 0.1 + g.beta() * -0.2, d.differential(), EPS);
    }

    @Test
    void everyGeneratedFormOfTheArticlesMethodsAgreesWithDifferences() {
        GradientCheck.of(Shapes.class, "ellipsoidVolume").at(1.5, 0.8, 2.0).at(0.1, 3, -2).check();
        GradientCheck.of(Shapes.class, "spheroidVolume").at(1.5, 2.0).check();
        GradientCheck.of(Activations.class, "sigmoid").at(-0.4, 3.0).at(0.3, 1.7).check();
        GradientCheck.of(Activations.class, "softplusUnit").at(2, -0.75, 0).at(0.5, 3, -1).at(-1, 20, 0.5).check();
    }
}
