package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.testing.Compiled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Pins the generated source of canonical methods, character for character: generated code is a product surface,
 * and any change to it should be deliberate. After an intended change, regenerate the files with
 * {@code mvn test -pl processor -Dtest=GoldenSourceTest -Dleibniz.updateGolden=true} and review the diff. The
 * processor's version in {@code @Generated} reads {@code VERSION} in the files, so that they outlive a release.
 */
class GoldenSourceTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @Test
    void ellipsoidVolumeAndItsTotalDerivativeUnderTheConstraintBEqualsA() throws IOException {
        assertGolden("com.example.Shapes", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class Shapes {
                    @Differentiable
                    public static double ellipsoidVolume(double a, double b, double c) {
                        return 4.0 / 3.0 * Math.PI * a * b * c;
                    }

                    /** The constraint b = a, substituted before differentiating. */
                    @Differentiable
                    public static double spheroidVolume(double a, double c) {
                        return ellipsoidVolume(a, a, c);
                    }
                }
                """);
    }

    @Test
    void sigmoidWithSteepnessNamesItsIntermediates() throws IOException {
        assertGolden("com.example.Activations", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class Activations {
                    @Differentiable
                    public static double sigmoid(double x, double beta) {
                        return 1.0 / (1.0 + Math.exp(-beta * x));
                    }
                }
                """);
    }

    @Test
    void branchesAndOverwritesSaveAndRestoreWhatTheReverseSweepNeeds() throws IOException {
        assertGolden("com.example.Piecewise", """
                package com.example;

                import dev.leibniz.Differentiable;

                final class Piecewise {
                    static final double SCALE = 0.5;

                    @Differentiable
                    static double softClip(double x, int steps) {
                        if (x < 0) {
                            return SCALE * x;
                        }
                        double y = x * x;
                        y = Math.sin(y) * x;
                        y += steps;
                        return y > 1 ? Math.log(y) : y * y;
                    }
                }
                """);
    }

    @Test
    void loopsCountTheirIterationsTapeOnlyWhatIsOverwrittenAndCountTheirCounterBack() throws IOException {
        assertGolden("com.example.Iterations", """
                package com.example;

                import dev.leibniz.Differentiable;

                final class Iterations {
                    /** Pure accumulation: nothing goes on the tape. */
                    @Differentiable
                    static double sumOfSquares(double x, int n) {
                        double s = 0;
                        for (int i = 1; i <= n; i++) {
                            s += (x - i) * (x - i);
                        }
                        return s;
                    }

                    /** The trip count depends on x; each halving overwrites x, which the reverse sweep needs back. */
                    @Differentiable
                    static double halveUntilSmall(double x) {
                        while (x > 1) {
                            x = x / 2;
                        }
                        return Math.exp(x);
                    }

                    @Differentiable
                    static double firstAbove(double x, @SuppressWarnings("leibniz") double limit) {
                        double v = x;
                        for (int k = 0; k < 20; k++) {
                            if (v > limit) {
                                break;
                            }
                            v = v * v + x;
                        }
                        return v;
                    }
                }
                """);
    }

    @Test
    void arraysGetShadowArraysRowAliasesAndOverwrittenLocalsGoOnTheTape() throws IOException {
        assertGolden("com.example.Layers", """
                package com.example;

                import dev.leibniz.Differentiable;

                final class Layers {
                    /** Extended Rosenbrock: neighbouring elements, locals overwritten in every iteration. */
                    @Differentiable
                    static double rosenbrock(double[] x) {
                        double f = 0;
                        for (int i = 0; i + 1 < x.length; i++) {
                            double a = x[i + 1] - x[i] * x[i];
                            double b = 1 - x[i];
                            f += 100 * a * a + b * b;
                        }
                        return f;
                    }

                    /** A tanh layer into a local array through a row alias, then a sum of squares over it. */
                    @Differentiable
                    static double layerEnergy(double[][] w, double[] x) {
                        double[] h = new double[w.length];
                        for (int j = 0; j < w.length; j++) {
                            double[] row = w[j];
                            double z = 0;
                            for (int i = 0; i < x.length; i++) {
                                z += row[i] * x[i];
                            }
                            h[j] = Math.tanh(z);
                        }
                        double s = 0;
                        for (double v : h) {
                            s += v * v;
                        }
                        return s;
                    }
                }
                """);
    }

    @Test
    void differentialsComputeTangentsAlongsideAndLeaveTheCallersTangentsAlone() throws IOException {
        assertGolden("com.example.Tangents", """
                package com.example;

                import dev.leibniz.Differentiable;

                final class Tangents {
                    /** Writes its parameter: the differential works on a copy of dx. */
                    @Differentiable
                    static double normalizeInPlace(double[] x) {
                        double n = 0;
                        for (double v : x) {
                            n += v * v;
                        }
                        n = Math.sqrt(n);
                        for (int i = 0; i < x.length; i++) {
                            x[i] = x[i] / n;
                        }
                        return x[0];
                    }

                    @Differentiable
                    static double dot(double[] a, double[] b) {
                        double s = 0;
                        for (int i = 0; i < a.length; i++) {
                            s += a[i] * b[i];
                        }
                        return s;
                    }

                    /** The data x has tangent zero; max repeats the tangent of its argument, which is named once. */
                    @Differentiable(wrt = {"w"})
                    static double hinge(double[] w, double[] x, double y) {
                        return Math.max(0, 1 - y * dot(w, x));
                    }
                }
                """);
    }

    @Test
    void hessiansDifferentiateTheDifferentialInReverseModeThroughCallsToo() throws IOException {
        assertGolden("com.example.Curvature", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class Curvature {
                    /** The article's sigmoid with steepness: a Hessian over two scalars. */
                    @Differentiable(hessian = true)
                    public static double sigmoid(double x, double beta) {
                        return 1.0 / (1.0 + Math.exp(-beta * x));
                    }

                    /** A neuron: second order through a call of the sigmoid, by its fDifferentialPullback. */
                    @Differentiable(hessian = true)
                    public static double neuron(double w, double x) {
                        return sigmoid(w * x, 2.0) * w;
                    }

                    /** Extended Rosenbrock: the accumulate form, and a Hessian over the elements of an array. */
                    @Differentiable(hessian = true)
                    public static double rosenbrock(double[] x) {
                        double s = 0;
                        for (int i = 0; i + 1 < x.length; i++) {
                            double a = x[i + 1] - x[i] * x[i];
                            double b = 1 - x[i];
                            s += 100 * a * a + b * b;
                        }
                        return s;
                    }
                }
                """);
    }

    @Test
    void floatArithmeticStaysFloatWhileItsDerivativesAreDoublesRoundedIntoFloatPartials() throws IOException {
        assertGolden("com.example.Decay", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class Decay {
                    /** A float state relaxed in steps: float arithmetic, a tape of floats, float partials. */
                    @Differentiable
                    public static float decay(float x, float rate, int steps) {
                        float v = x;
                        for (int i = 0; i < steps; i++) {
                            v = v * (1 - rate) + 0.5f * (float) Math.sin(v);
                        }
                        return v;
                    }
                }
                """);
    }

    @Test
    void theAccumulateFormsOfALogisticRegressionReturnTheBiasInARecord() throws IOException {
        assertGolden("com.example.Logistic", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class Logistic {
                    /** Mean negative log-likelihood: weights w and bias b differentiated, the data not. */
                    @Differentiable(wrt = {"w", "b"}, hessian = true)
                    public static double nll(double[] w, double b, double[][] x, double[] y) {
                        double s = 0;
                        for (int i = 0; i < x.length; i++) {
                            double z = b;
                            for (int j = 0; j < w.length; j++) {
                                z += w[j] * x[i][j];
                            }
                            s += Math.log1p(Math.exp(z)) - y[i] * z;
                        }
                        return s / x.length;
                    }
                }
                """);
    }

    @Test
    void aMethodReturningAnArrayGetsItsVjpJvpAndJacobian() throws IOException {
        assertGolden("com.example.DenseLayer", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class DenseLayer {
                    @Differentiable
                    public static double[] dense(double[][] w, double[] x, double bias) {
                        double[] y = new double[w.length];
                        for (int i = 0; i < w.length; i++) {
                            double z = bias;
                            for (int j = 0; j < x.length; j++) {
                                z += w[i][j] * x[j];
                            }
                            y[i] = Math.tanh(z);
                        }
                        return y;
                    }
                }
                """);
    }

    @Test
    void generatedClassesNameTheProcessorAndTheVersionMavenFilteredIntoItsResource() {
        assertTrue(LeibnizProcessor.VERSION.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), LeibnizProcessor.VERSION);
        String generated = Compiled.compile("com.example.Shapes", """
                package com.example;
                final class Shapes {
                    @dev.leibniz.Differentiable
                    static double square(double x) { return x * x; }
                }
                """).generatedSource("com.example.ShapesGradient");
        assertTrue(generated.contains("value = \"dev.leibniz.processor.LeibnizProcessor\",\n        comments = \"Leibniz "
                + LeibnizProcessor.VERSION + "\""), generated);
    }

    private static void assertGolden(String className, String source) throws IOException {
        // the version in @Generated changes with every release; the golden files name it VERSION
        String generated = Compiled.compile(className, source).generatedSource(className + "Gradient")
                .replace("comments = \"Leibniz " + LeibnizProcessor.VERSION + "\"", "comments = \"Leibniz VERSION\"");
        Path file = GOLDEN.resolve(className.substring(className.lastIndexOf('.') + 1) + "Gradient.java");
        if (Boolean.getBoolean("leibniz.updateGolden")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), generated,
                "generated source changed; if intended, regenerate with -Dleibniz.updateGolden=true");
    }
}
