package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.HessianCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code IEEEremainder}, {@code copySign}, {@code nextUp}, {@code nextDown}, {@code nextAfter}, {@code scalb},
 * {@code ulp}, and {@code floorMod}/{@code floorDiv} on integers: every form against central differences and the
 * original (values bit for bit), second derivatives, and the closed forms and conventions: {@code IEEEremainder(x,
 * y)} is {@code x - n y} with {@code n} the integer nearest {@code x / y}; {@code copySign(m, s)} is {@code |m|}
 * with the sign of {@code s}, derivative 0 at {@code m = 0} like {@code abs}; the neighbours of a double have
 * derivative 1; {@code scalb(x, n)} is {@code x 2^n}; {@code ulp} is piecewise constant.
 */
class NeighbourAndRemainderFunctionsTest {
    private static final String CLASS = "com.example.Neighbours";
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Neighbours {
                private Neighbours() {
                }

                @Differentiable(hessian = true)
                public static double remainder(double x, double y) {
                    return Math.IEEEremainder(x * x, y) * x + StrictMath.IEEEremainder(y, 0.75);
                }

                @Differentiable(hessian = true)
                public static double signCopied(double m, double s) {
                    return Math.copySign(m * m - 1, s) * m + s * m;
                }

                @Differentiable(hessian = true)
                public static double neighbours(double x) {
                    return Math.nextUp(x) * x + Math.nextDown(x) + Math.nextAfter(x * x, 2.0) + StrictMath.nextUp(x);
                }

                @Differentiable(hessian = true)
                public static double scaled(double x, int n) {
                    return Math.scalb(x * x, n) + StrictMath.scalb(x, -n) * x;
                }

                @Differentiable
                public static double ulpAndIntegerDivisions(double x, int k, long big) {
                    return Math.ulp(x) * 1e15 + x * Math.floorMod(k, 3) + Math.floorDiv(k, 2) * x
                            + Math.floorMod(big, 5L) + Math.floorDiv(-7, k == 0 ? 1 : k) * x * x;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static ArrayGradientCheck check() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    private static HessianCheck hessian() {
        return new HessianCheck(COMPILED.get(), CLASS);
    }

    @Test
    void ieeeRemainderIsXMinusTheNearestMultipleOfY() {
        double x = 1.3;
        double y = 0.7;
        ArrayGradientCheck.Gradient g = check().check("remainder", x, y);
        double n = Math.rint(x * x / y); // 1.69 / 0.7 = 2.41: n = 2
        assertEquals(2.0, n);
        assertEquals(3 * x * x - n * y, g.scalar("x"), 1e-12); // d/dx (x^2 - n y) x
        assertEquals(-n * x + 1, g.scalar("y"), 1e-12);
        hessian().check("remainder", x, y);
        check().check("remainder", -1.9, 0.45);
    }

    @Test
    void copySignIsTheMagnitudeWithTheSignOfTheSecond() {
        check().check("signCopied", 1.5, -0.5);
        check().check("signCopied", 0.4, 2.0);
        hessian().check("signCopied", 1.5, -0.5);
        // m * m - 1 = 0 at m = 1: the kink of |.|, derivative 0 there as for abs; then 0 * 1 + s
        Object g = Compiled.invoke(COMPILED.get().method(CLASS + "Gradient", "signCopied"), new Object[] {1.0, -0.5});
        assertEquals(-0.5, (double) Compiled.components(g).get("m"), 0.0);
    }

    @Test
    void theNeighboursOfADoubleHaveDerivativeOne() {
        check().check("neighbours", 0.7);
        check().check("neighbours", -3.25);
        hessian().check("neighbours", 0.7);
    }

    @Test
    void scalbIsAProductWithAPowerOfTwo() {
        ArrayGradientCheck.Gradient g = check().checkWrt("scaled", List.of("x"), 0.7, 3);
        assertEquals(2 * 0.7 * 8 + 2 * 0.7 / 8, g.scalar("x"), 1e-12);
        check().checkWrt("scaled", List.of("x"), -1.1, -2);
        hessian().wrt(0).check("scaled", 0.7, 3);
    }

    @Test
    void ulpIsPiecewiseConstantAndFloorModAndDivStayIntegers() {
        for (int k : new int[] {-5, 0, 4}) {
            ArrayGradientCheck.Gradient g = check().checkWrt("ulpAndIntegerDivisions", List.of("x"), 0.7, k, 12L);
            assertEquals(Math.floorMod(k, 3) + Math.floorDiv(k, 2) + 2 * 0.7 * Math.floorDiv(-7, k == 0 ? 1 : k),
                    g.scalar("x"), 1e-12);
        }
    }
}
