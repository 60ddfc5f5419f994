package dev.leibniz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.InPlace;
import com.example.Losses;
import com.example.Outer;
import com.example.Plain;
import com.example.Shapes;
import com.example.Systems;
import dev.leibniz.GradientReport.Comparison;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The gradient check on classes written by hand the way Leibniz generates them ({@code com.example}): the runtime
 * cannot run the processor, so each fixture's {@code ...Gradient} class follows the generated naming and signatures
 * exactly, some with a deliberate bug.
 */
class GradientCheckTest {
    /** A 3 × 4 matrix and a 4-vector where tanh is far from saturated. */
    private static final double[][] W = {{0.3, -0.2, 0.5, 0.1}, {-0.4, 0.25, 0.6, -0.1}, {0.2, 0.7, -0.3, 0.4}};
    private static final double[] X = {0.9, -0.5, 1.2, 0.3};

    private static Class<?> layers() throws ClassNotFoundException {
        return Class.forName("com.example.Layers");
    }

    private static Set<String> forms(List<Comparison> comparisons) {
        return comparisons.stream().map(Comparison::form).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void rightDerivativesOfAPublicMethodPassInEveryForm() {
        GradientReport report = GradientCheck.of(Shapes.class, "ellipsoidVolume").at(1.5, 0.8, 2.0).check();
        assertTrue(report.passed());
        assertEquals("Shapes.ellipsoidVolume", report.method());
        assertEquals(Set.of("ellipsoidVolume", "ellipsoidVolumePullback(dValue = -2.5)", "ellipsoidVolumeDifferential"),
                forms(report.comparisons()));
        assertEquals(3 * 4, report.comparisons().size()); // the value and three partials from each form
        assertTrue(report.maxError() < 1e-8, report.toString());
        assertTrue(report.toString().startsWith("Gradient check of Shapes.ellipsoidVolume passed: 12 comparisons at 1"
                + " point within tolerance."), report.toString());
        assertEquals(List.of("ellipsoidVolume(a = 1.5, b = 0.8, c = 2.0)"), report.points());
    }

    @Test
    void integersAreWidenedToDoubleParametersAndPointsAddUp() {
        GradientReport report = GradientCheck.of(Shapes.class, "ellipsoidVolume").at(1, 2, 3).at(0.5f, 2L, 1.0)
                .report();
        assertTrue(report.passed(), report.toString());
        assertEquals(24, report.comparisons().size());
        assertEquals(1, report.comparisons().get(23).point());
    }

    @Test
    void matricesOfAPrivateMethodInAPackagePrivateClassAreCheckedElementByElement() throws Exception {
        for (GradientCheck.Differences differences : GradientCheck.Differences.values()) {
            GradientReport report = GradientCheck.of(layers(), "energy").at(W, X).differences(differences).check();
            // 16 scalars; the record, the pullback, both accumulate calls and the differentials: value and partials each
            assertEquals(5 * (1 + 16), report.comparisons().size());
            assertEquals(Set.of("energy", "energyAccumulate(Tape reused)", "energyAccumulate(new Tape)",
                    "energyDifferential", "energyPullback(dValue = -2.5)"), forms(report.comparisons()));
            assertTrue(report.maxError() < (differences == GradientCheck.Differences.CENTRAL ? 1e-9 : 1e-11),
                    report.toString());
        }
    }

    @Test
    void aWrongElementIsReportedByNameAndIndexInEveryForm() throws Exception {
        GradientCheck check = GradientCheck.of(layers(), "skewedEnergy").at(W, X);
        AssertionError error = assertThrows(AssertionError.class, check::check);
        GradientReport report = check.report();
        assertFalse(report.passed());
        Comparison worst = report.worst();
        assertEquals("w[1][2]", worst.component());
        assertEquals("w", worst.parameter());
        assertEquals(List.of(1, 2), worst.index());
        assertEquals(-1, worst.output());
        assertEquals(Set.of("w[1][2]"), report.failures().stream().map(Comparison::component).collect(Collectors.toSet()));
        assertEquals(5, report.failures().size()); // every form has the bug
        assertEquals(worst.form().contains("dValue") ? 2.5 * 0.01 : 0.01, worst.error(), 1e-8);
        String message = error.getMessage();
        assertEquals(report.toString(), message);
        assertTrue(message.startsWith("Gradient check of Layers.skewedEnergy failed: 5 of 85 comparisons at 1 point"
                + " outside tolerance. Worst:\n  w[1][2] from "), message);
        assertTrue(message.contains("  w[1][2] from skewedEnergyPullback(dValue = -2.5)\n    generated   "
                + worst.generated() + "\n    differences " + worst.estimate() + "  (dValue times the differences)\n"
                + "    error       0.0250, tolerance 3.88e-06\n"), message);
        assertTrue(message.contains("\n    at skewedEnergy(w = double[3][4], x = [0.9, -0.5, 1.2, 0.3])\n"), message);
        assertTrue(message.contains("Also outside tolerance:\n  w[1][2] from "), message);
        assertTrue(message.endsWith("central differences with step 6.06e-06 * max(1, |x|); tolerance 1.00e-06 + "
                + "1.00e-06 * |estimate| + the estimate's roundoff"), message);
    }

    @Test
    void aPullbackThatOverwritesItsBuffersFailsWhereItIsCalledTwice() throws Exception {
        GradientReport report = GradientCheck.of(layers(), "overwritingEnergy").at(W, X).report();
        assertEquals(Set.of("overwritingEnergyPullback(dValue = -2.5)", "overwritingEnergyAccumulate(Tape reused)"),
                forms(report.failures()));
        assertEquals(2 * 12, report.failures().size()); // every element of w, not x (which it adds into)
        assertTrue(report.failures().stream().allMatch(c -> c.parameter().equals("w")));
    }

    @Test
    void aPullbackThatIgnoresItsAdjointFails() {
        GradientReport report = GradientCheck.of(Shapes.class, "cube").at(1.2).report();
        assertEquals(List.of("cubePullback(dValue = -2.5)"),
                report.failures().stream().map(Comparison::form).distinct().toList());
        assertEquals("x", report.worst().component());
        assertEquals(-2.5 * 3 * 1.2 * 1.2, report.worst().estimate(), 1e-8);
        assertEquals(3 * 1.2 * 1.2, report.worst().generated(), 1e-12);
    }

    @Test
    void tolerancesCanBeWidened() throws Exception {
        assertTrue(GradientCheck.of(layers(), "skewedEnergy").at(W, X).tolerance(0, 0.1).report().passed());
        GradientCheck coarse = GradientCheck.of(layers(), "energy").at(W, X).step(0.1);
        assertTrue(coarse.tolerance(1e-2, 1e-3).report().passed());
        assertFalse(coarse.report().passed()); // the truncation error of a step of 0.1 is about 1e-3
    }

    @Test
    void onlyTheParametersWrtNamesAreCheckedAmongOthersOfTheirType() {
        // w and x are both double[]; only the names say that the gradient is with respect to w
        GradientReport loss = GradientCheck.of(Losses.class, "loss").at(new double[] {0.5, -1, 2}, new double[] {1, 2,
                3}, 0.3, 4).check();
        assertEquals(Set.of("value", "w"), loss.comparisons().stream().map(Comparison::parameter)
                .collect(Collectors.toSet()));
        assertEquals("loss(w = [0.5, -1.0, 2.0], x = [1.0, 2.0, 3.0], t = 0.3, n = 4)", loss.points().get(0));
        // a and b are both double; b alone is differentiated
        GradientReport product = GradientCheck.of(Losses.class, "product").at(1.5, -0.7).check();
        assertEquals(Set.of("value", "b"), product.comparisons().stream().map(Comparison::parameter)
                .collect(Collectors.toSet()));
    }

    @Test
    void theScalarPartialsTheAccumulateFormReturnsAreCheckedBesideItsBuffers() {
        double[] w = {0.5, -1, 2};
        double[] x = {1, 2, 3};
        GradientReport report = GradientCheck.of(Losses.class, "biased").at(w, 0.3, x).check();
        assertEquals(Set.of("biased", "biasedAccumulate(Tape reused)", "biasedAccumulate(new Tape)",
                "biasedDifferential", "biasedPullback(dValue = -2.5)"), forms(report.comparisons()));
        assertEquals(List.of("value", "w", "w", "w", "b"), report.comparisons().stream()
                .filter(c -> c.form().equals("biasedAccumulate(new Tape)")).map(Comparison::parameter).toList());
        GradientReport dropped = GradientCheck.of(Losses.class, "droppedBias").at(w, 0.3, x).report();
        assertEquals(Set.of("droppedBiasAccumulate(Tape reused)", "droppedBiasAccumulate(new Tape)"),
                forms(dropped.failures()));
        assertEquals(Set.of("b"), dropped.failures().stream().map(Comparison::parameter).collect(Collectors.toSet()));
    }

    @Test
    void aMethodThatWritesIntoItsArgumentIsCheckedFromTheArgumentAsGivenEveryTime() {
        double[] x = {3, 1, 2}; // not of norm 1: the derivative at x is not the one at x normalized
        GradientCheck check = GradientCheck.of(InPlace.class, "normalize").at(x);
        x[0] = 100; // the point was copied
        GradientReport report = check.check();
        assertEquals("normalize(x = [3.0, 1.0, 2.0])", report.points().get(0));
        assertArrayEquals(new double[] {100, 1, 2}, x);
    }

    @Test
    void vectorValuedMethodsAreCheckedThroughTheirJacobianVjpAndJvp() {
        GradientReport report = GradientCheck.of(Systems.class, "residual").at(new double[] {1.5, -0.5}).check();
        assertEquals(Set.of("residualDifferential", "residualJacobian", "residualPullback(dValue = u)"),
                forms(report.comparisons()));
        // Jacobian 2 × 2; VJP value and 2; JVP values 2 and 2 × 2
        assertEquals(4 + 3 + 6, report.comparisons().size());
        GradientReport scaled = GradientCheck.of(Systems.class, "scaled").at(new double[] {1.5, -0.5, 2}, 0.7).check();
        assertTrue(scaled.comparisons().stream().anyMatch(c -> c.parameter().equals("s")));
    }

    @Test
    void aWrongJacobianEntryIsReportedByRowAndParameterElement() {
        GradientReport report = GradientCheck.of(Systems.class, "wrongResidual").at(new double[] {1.5, -0.5}).report();
        assertEquals(1, report.failures().size());
        Comparison worst = report.worst();
        assertEquals("wrongResidualJacobian", worst.form());
        assertEquals("d value[1] / d p[0]", worst.component());
        assertEquals(1, worst.output());
        assertEquals(0.5, worst.generated(), 0.0);
        assertEquals(-0.5, worst.estimate(), 1e-9);
    }

    @Test
    void aNestedClassHasItsGeneratedClassNamedAfterItsEnclosingClasses() {
        assertTrue(GradientCheck.of(Outer.class.getDeclaredClasses()[0], "square").at(-0.3).check().passed());
    }

    @Test
    void aLoneMatrixIsOneArgument() throws Exception {
        double[][] m = {{1, 2, 3}, {4, 5}};
        assertEquals("sumOfSquares(m = [[1.0, 2.0, 3.0], [4.0, 5.0]])",
                GradientCheck.of(layers(), "sumOfSquares").at(m).check().points().get(0));
        Object asObject = m;
        assertTrue(GradientCheck.of(layers(), "sumOfSquares").at(asObject).check().passed());
    }

    @Test
    void anEstimateThatIsNotFiniteFailsAndSaysWhy() {
        GradientReport report = GradientCheck.of(Shapes.class, "root").at(1e-7).report();
        assertFalse(report.passed());
        assertTrue(Double.isNaN(report.worst().estimate()));
        assertTrue(report.toString().contains("The estimate is not finite"), report.toString());
        assertTrue(GradientCheck.of(Shapes.class, "root").at(1e-7).step(1e-10).report().passed());
    }

    @Test
    void whatIsMissingIsSaid() {
        IllegalStateException noClass = assertThrows(IllegalStateException.class,
                () -> GradientCheck.of(Plain.class, "twice"));
        assertTrue(noClass.getMessage().startsWith("Leibniz generated no class com.example.PlainGradient for "
                + "Plain.twice: is leibniz-processor on the annotation processor path"), noClass.getMessage());
        IllegalArgumentException notAnnotated = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.of(Shapes.class, "surface"));
        assertEquals("Shapes.surface(double, double) has no derivatives in com.example.ShapesGradient: annotate it "
                + "@Differentiable (from dev.leibniz) and recompile", notAnnotated.getMessage());
        IllegalArgumentException notStatic = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.of(Shapes.class, "diameter"));
        assertEquals("Shapes.diameter is not static: @Differentiable methods are static", notStatic.getMessage());
        IllegalArgumentException noMethod = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.of(Shapes.class, "volume"));
        assertEquals("com.example.Shapes declares no method volume", noMethod.getMessage());
    }

    @Test
    void argumentsThatDoNotFitAreRejectedAtOnce() {
        GradientCheck check = GradientCheck.of(Shapes.class, "ellipsoidVolume");
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> check.at(1.0, 2.0));
        assertEquals("Shapes.ellipsoidVolume takes 3 arguments (double a, double b, double c), not 2",
                count.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> check.at(1.0, "2", 3.0));
        assertEquals("Shapes.ellipsoidVolume: argument 2 (b) is a String where the parameter is double",
                type.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.of(Losses.class, "loss").at(new double[1], new double[1], 0.0, 1.5));
        assertThrows(IllegalStateException.class, check::report);
        assertThrows(IllegalArgumentException.class, () -> check.tolerance(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> check.step(0));
    }

    @Test
    void parameterNamesComeFromTheClassFileWithoutMinusParameters() throws Exception {
        assertArrayEquals(new String[] {"w", "x", "t", "n"},
                ParameterNames.of(Losses.class.getMethod("loss", double[].class, double[].class, double.class,
                        int.class)));
        assertArrayEquals(new String[] {"a", "b"},
                ParameterNames.of(Losses.class.getMethod("product", double.class, double.class)));
    }
}
