package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Products and quotients with constants of extreme magnitude: the derivative code multiplies the factors in the
 * order the source does, so that no adjoint or tangent overflows or underflows where the value does not. The
 * partial of {@code ((x * a) * b) * c} with respect to {@code x} is {@code (a * b) * c}, computed in that order and
 * then multiplied by the adjoint; pulling the adjoint through in the opposite order ({@code dValue * c * b * a})
 * overflows for {@code a, b, c = 1e-300, 1e300, 1e10}. Every partial is compared with its closed form, computed here
 * in the source's order too, for the record, the pullback with a small and a large seed, the differential along
 * unit tangents, and the Hessian. The same holds for the partials of functions: hypot's and atan2's are bounded
 * ratios ({@code x / h}, at most 1) multiplied by the adjoint, never the adjoint times {@code x} first.
 */
class ProductAssociationTest {
    private static final String CLASS = "com.example.Extremes";
    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Extremes {
                private Extremes() {
                }

                @Differentiable(hessian = true)
                public static double tinyThenHuge(double x) {
                    return x * 1e-300 * 1e300 * 1e10;
                }

                @Differentiable(hessian = true)
                public static double hugeThenTiny(double x) {
                    return x * 1e300 * 1e-300 * 1e-30;
                }

                @Differentiable(hessian = true)
                public static double quotients(double x) {
                    return x / 1e300 / 1e-10 / 1e-300;
                }

                @Differentiable(hessian = true)
                public static double mixed(double x, double y) {
                    return x * 1e-300 * y * 1e300 * 1e10;
                }

                @Differentiable(hessian = true)
                public static double subnormalFactor(double x) {
                    return x * 1e-320 * 1e300 * 1e10;
                }

                @Differentiable(hessian = true)
                public static double squareScaled(double x) {
                    return x * x * 1e-300 * 1e300 * 1e10;
                }

                @Differentiable(hessian = true)
                public static double throughASum(double x, double y) {
                    return (x * 1e-300 + y) * 1e300 * 1e10;
                }

                @Differentiable(hessian = true)
                public static double productOfThreeVariables(double x, double y, double z) {
                    return x * y * z;
                }

                @Differentiable
                public static double hypotOfAHugeSquare(double t) {
                    return Math.hypot(t * t, 1.0);
                }

                @Differentiable
                public static double atan2OfAHugeSquare(double t) {
                    return Math.atan2(t * t, 1e220);
                }

                /** Two statements: the adjoint of t crosses the statement boundary, each side in the source's order. */
                @Differentiable(hessian = true)
                public static double twoStatements(double x) {
                    double t = x * 1e-300 * 1e300;
                    return t * 1e-300 * 1e300 * 1e10;
                }
            }
            """);

    @Test
    void aChainOfConstantsTinyThenHugeHasTheFiniteDerivativeTheValueHas() {
        assertPartials("tinyThenHuge", new Object[] {2.0}, 1e-300 * 1e300 * 1e10);
        assertSecondDerivatives("tinyThenHuge", new Object[] {2.0}, new double[][] {{0}});
    }

    @Test
    void aChainOfConstantsHugeThenTinyDoesNotUnderflowToZero() {
        // reversed, dValue * 1e-30 * 1e-300 is below the smallest double and the partial would be 0
        assertPartials("hugeThenTiny", new Object[] {2.0}, 1e300 * 1e-300 * 1e-30);
    }

    @Test
    void quotientsDivideInTheSourcesOrder() {
        // reversed, 1 / 1e-300 / 1e-10 overflows
        assertPartials("quotients", new Object[] {3.0}, 1.0 / 1e300 / 1e-10 / 1e-300);
        assertSecondDerivatives("quotients", new Object[] {3.0}, new double[][] {{0}});
    }

    @Test
    void aProductOfTwoVariablesBetweenExtremeConstantsHasBothPartialsFinite() {
        double x = 3.0;
        double y = 2.0;
        assertPartials("mixed", new Object[] {x, y}, 1e-300 * y * 1e300 * 1e10, x * 1e-300 * 1e300 * 1e10);
        assertSecondDerivatives("mixed", new Object[] {x, y},
                new double[][] {{0, 1e-300 * 1e300 * 1e10}, {1e-300 * 1e300 * 1e10, 0}});
    }

    @Test
    void aSubnormalConstantInAChainKeepsItsProductFinite() {
        assertPartials("subnormalFactor", new Object[] {1.5}, 1e-320 * 1e300 * 1e10);
    }

    @Test
    void theSquareOfAVariableScaledByExtremeConstantsHasTheSecondDerivativeOfTheSource() {
        double x = 1.25;
        assertPartials("squareScaled", new Object[] {x}, (x * 1e-300 * 1e300 * 1e10) + (x * 1e-300 * 1e300 * 1e10));
        assertSecondDerivatives("squareScaled", new Object[] {x}, new double[][] {{2 * (1e-300 * 1e300 * 1e10)}});
    }

    @Test
    void aSumInsideAChainKeepsTheFactorsAboveItInOrder() {
        assertPartials("throughASum", new Object[] {0.5, 4.0}, 1e-300 * 1e300 * 1e10, 1e300 * 1e10);
    }

    @Test
    void aProductOfThreeVariablesOfExtremeMagnitudeHasEveryPartialFinite() {
        double x = 1.0;
        double y = 1e300;
        double z = 1e-300;
        // reversed, a seed of 1e-20 times z is subnormal before y brings it back, and most of its digits are gone
        assertPartials("productOfThreeVariables", new Object[] {x, y, z}, y * z, x * z, x * y);
    }

    @Test
    void aChainSplitIntoTwoStatementsIsFiniteOnEachSide() {
        assertPartials("twoStatements", new Object[] {2.0}, (1e-300 * 1e300) * (1e-300 * 1e300 * 1e10));
    }

    @Test
    void hypotOfAHugeArgumentMultipliesTheAdjointByABoundedRatio() {
        // found by the random tester (program seed 8419807643953802776): (2t * t^2) / h overflowed where 2t * (t^2 / h)
        // is 2e110; the reverse sweep then multiplied a zero adjoint by infinity
        double t = 1e110;
        assertPartials("hypotOfAHugeSquare", new Object[] {t}, 2 * t * (t * t / Math.hypot(t * t, 1.0)));
    }

    @Test
    void atan2OfAHugeArgumentMultipliesTheAdjointByABoundedRatio() {
        double t = 1e110;
        double h = Math.hypot(t * t, 1e220);
        assertPartials("atan2OfAHugeSquare", new Object[] {t}, 2 * t * (1e220 / h / h));
    }

    /** The record, the pullback along seeds of both extremes, and the differential along each unit tangent. */
    private static void assertPartials(String method, Object[] args, double... expected) {
        Compiled compiled = COMPILED.get();
        Map<String, Object> record = Compiled.components(
                Compiled.invoke(compiled.method(CLASS + "Gradient", method), args));
        double value = (double) Compiled.invoke(compiled.method(CLASS, method), args);
        assertEquals(value, (double) record.get("value"), 0.0, method + ": the value must be the original's");
        Object[] partials = record.values().stream().skip(1).toArray();
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], (double) partials[i], method + ": partial " + i + " of the record");
        }
        for (double seed : new double[] {1e-20, 1e10}) {
            Object[] withSeed = append(args, seed);
            Object[] scaled = Compiled.components(Compiled.invoke(
                    compiled.method(CLASS + "Gradient", method + "Pullback"), withSeed)).values().stream().skip(1)
                    .toArray();
            for (int i = 0; i < expected.length; i++) {
                assertClose(seed * expected[i], (double) scaled[i], method + ": partial " + i + " of the pullback with seed "
                        + seed);
            }
        }
        for (int i = 0; i < expected.length; i++) {
            Object[] withTangents = new Object[2 * args.length];
            System.arraycopy(args, 0, withTangents, 0, args.length);
            for (int k = 0; k < args.length; k++) {
                withTangents[args.length + k] = k == i ? 1.0 : 0.0;
            }
            dev.leibniz.Differential d = (dev.leibniz.Differential) Compiled.invoke(
                    compiled.method(CLASS + "Gradient", method + "Differential"), withTangents);
            assertEquals(value, d.value(), 0.0, method + ": the differential's value must be the original's");
            assertClose(expected[i], d.differential(), method + ": the differential along unit tangent " + i);
        }
    }

    private static void assertSecondDerivatives(String method, Object[] args, double[][] expected) {
        double[][] hessian = (double[][]) Compiled.invoke(COMPILED.get().method(CLASS + "Gradient", method + "Hessian"),
                args);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertClose(expected[i][j], hessian[i][j], method + ": Hessian entry " + i + ", " + j);
            }
        }
    }

    private static void assertClose(double expected, double actual, String message) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-14, message + " (expected " + expected + ")");
    }

    private static Object[] append(Object[] args, double last) {
        Object[] all = new Object[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = last;
        return all;
    }
}
