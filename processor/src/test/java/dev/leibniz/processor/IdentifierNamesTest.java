package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.GradientCheck;
import dev.leibniz.processor.testing.HessianCheck;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * Any legal Java identifier as a method, parameter or local name: {@code $} (JavaPoet's format character), Unicode
 * letters, the contextual keywords {@code var}, {@code record} and {@code yield}, and names that generated code uses
 * for its own variables ({@code tape}, {@code dValue}, {@code dx} beside {@code x}, {@code t1}, {@code seed},
 * {@code i}, {@code n}, {@code hessian}, {@code row}). Every generated form is compiled without a warning (-Xlint:all -Werror) and
 * checked against finite differences: scalar and array methods, their accumulate forms, second order and
 * vector-valued methods.
 */
class IdentifierNamesTest {
    private static final String CLASS = "com.example.Names";

    static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Names {
                static final double $K = 1.5;
                static final double ÉCHELLE = 0.5;

                private Names() {
                }

                @Differentiable
                public static double dollars(double x$, double $, double $y, double a$b) {
                    double $t = x$ * $ + $y;
                    double t$ = $t * a$b * $K;
                    return t$ * t$ + Math.sin($);
                }

                @Differentiable
                public static double $start(double x) {
                    return x * x * $K;
                }

                @Differentiable
                public static double end$(double x) {
                    return Math.exp(x) * $K;
                }

                @Differentiable
                public static double unicode(double δ, double ñ, double 変数) {
                    double Δ = δ * ñ * ÉCHELLE;
                    return Δ * Δ + Math.cos(変数) * δ;
                }

                @Differentiable
                public static double δf(double x) {
                    return x * x * x;
                }

                @Differentiable
                public static double generatedNames(double x, double dx, double tape, double dValue, double seed,
                        double result) {
                    double t1 = x * dx;
                    double dt1 = t1 * tape;
                    double vx = dt1 + dValue * seed;
                    return vx * result + t1 * t1;
                }

                @Differentiable
                public static double generatedLocalNames(double x, double[] a) {
                    double value = x * x;
                    double dValue = value * 2;
                    double GeneratedLocalNames = dValue + 1;
                    double tape = GeneratedLocalNames * x;
                    double seed = tape;
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        double dA = a[i] * seed;
                        s += dA * a[i] * value;
                    }
                    return s + seed;
                }

                @Differentiable(hessian = true)
                public static double generatedLocalNamesSecondOrder(double x, double[] a) {
                    double value = x * x;
                    double hessian = value * 2;
                    double n = hessian;
                    double row = n * x;
                    double vx = row;
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * a[i] * vx;
                    }
                    return s;
                }

                @Differentiable
                public static double labels(double[] x$, double k) {
                    double s = 0;
                    out$:
                    for (int i = 0; i < x$.length; i++) {
                        外:
                        for (int j = 0; j < x$.length; j++) {
                            if (j > i) {
                                continue out$;
                            }
                            if (x$[j] > 10) {
                                break 外;
                            }
                            s += x$[i] * x$[j] * k;
                        }
                    }
                    return s;
                }

                @Differentiable
                public static double contextualKeywords(double var, double record, double yield) {
                    double permits = var * record;
                    double sealed = permits + yield * yield;
                    double when = sealed * var;
                    return when + Math.sin(yield);
                }

                @Differentiable
                public static double yieldInALoop(double x, int steps) {
                    double yield = x;
                    double var = 0;
                    for (int k = 0; k < steps; k++) {
                        double record = yield * yield;
                        yield = Math.sin(record) + x;
                        var = var + yield * record;
                    }
                    return var * yield;
                }

                @Differentiable
                public static double loopNames(double[] x$, double tape, int i) {
                    double s = 0;
                    for (int n = 0; n < x$.length; n++) {
                        double row = x$[n] * tape;
                        s += row * row * i;
                    }
                    return s;
                }

                @Differentiable
                public static double accumulateNames(double[] buffer, double[] dbuffer, double[] δ) {
                    double s = 0;
                    for (int i = 0; i < buffer.length; i++) {
                        s += buffer[i] * dbuffer[i] * Math.exp(δ[i]);
                    }
                    return s;
                }

                @Differentiable(hessian = true)
                public static double secondOrder(double x$, double ñ, double hessian, double n, double row,
                        double vx) {
                    return x$ * x$ * ñ + Math.sin(hessian * n) + row * vx * x$;
                }

                @Differentiable(hessian = true)
                public static double secondOrderArrays(double[] v$, double[] vv$) {
                    double s = 0;
                    for (int i = 0; i < v$.length; i++) {
                        s += v$[i] * v$[i] * vv$[i];
                    }
                    return s;
                }

                @Differentiable
                public static double typeNames(double[] Buffers, double Tape, double Math, double Names,
                        double NamesGradient, double TypeNames) {
                    double s = 0;
                    for (int i = 0; i < Buffers.length; i++) {
                        double Differential = java.lang.Math.sin(Buffers[i] * Tape);
                        s += Differential * Math * Names * NamesGradient * TypeNames * $K;
                    }
                    return s;
                }

                @Differentiable(hessian = true)
                public static double typeNamesSecondOrder(double[] Buffers, double Tape, double StrictMath,
                        double TypeNamesSecondOrderHessianVector) {
                    double s = 0;
                    for (int i = 0; i < Buffers.length; i++) {
                        s += java.lang.StrictMath.exp(Buffers[i] * Tape) * StrictMath
                                * TypeNamesSecondOrderHessianVector;
                    }
                    return s;
                }

                @Differentiable
                public static double[] typeNamesVector(double[] Buffers, double ArrayDifferential, double Math) {
                    double[] out = new double[Buffers.length];
                    for (int i = 0; i < Buffers.length; i++) {
                        out[i] = Buffers[i] * Buffers[i] * ArrayDifferential * Math;
                    }
                    return out;
                }

                @Differentiable
                public static double[] vector$(double[] u$, double ω) {
                    double[] out$ = new double[u$.length];
                    for (int i = 0; i < u$.length; i++) {
                        out$[i] = u$[i] * u$[i] * ω;
                    }
                    return out$;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static GradientCheck scalar() {
        return new GradientCheck(COMPILED.get(), CLASS);
    }

    private static ArrayGradientCheck arrays() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    @Test
    void dollarSignsInParameterLocalAndConstantNames() {
        scalar().check("dollars", 0.3, -1.1, 0.7, 1.9);
    }

    @Test
    void dollarSignsAtEitherEndOfAMethodName() {
        scalar().check("$start", 0.8);
        scalar().check("end$", -0.4);
    }

    @Test
    void unicodeLettersInParameterLocalConstantAndMethodNames() {
        scalar().check("unicode", 0.6, -1.3, 2.1);
        scalar().check("δf", 1.7);
    }

    @Test
    void namesThatGeneratedCodeUsesForItsOwnVariables() {
        scalar().check("generatedNames", 0.4, -0.9, 1.3, 0.2, -1.6, 0.75);
    }

    @Test
    void localsNamedLikeTheRecordItsValueAndGeneratedVariables() {
        arrays().check("generatedLocalNames", 0.7, new double[] {0.5, -1.5, 2.0});
        new HessianCheck(COMPILED.get(), CLASS).check("generatedLocalNamesSecondOrder", 0.7,
                new double[] {0.5, -1.5});
    }

    @Test
    void labelsWithDollarsAndUnicode() {
        arrays().check("labels", new double[] {0.5, -1.5, 2.0}, 1.3);
    }

    @Test
    void contextualKeywordsAsNames() {
        scalar().check("contextualKeywords", 0.5, -1.2, 0.9);
    }

    @Test
    void yieldAsALocalThatTheReverseSweepRestores() {
        scalar().check("yieldInALoop", 0.4, 3);
    }

    @Test
    void arrayMethodsWithTheNamesOfTheirBuffersAndLoopVariables() {
        arrays().check("loopNames", new double[] {0.5, -1.5, 2.0}, 1.3, 2);
        arrays().check("accumulateNames", new double[] {0.5, -1.5}, new double[] {1.1, 0.3}, new double[] {0.2, -0.4});
    }

    @Test
    void secondOrderWithTheNamesOfItsMatrixAndDirections() {
        new HessianCheck(COMPILED.get(), CLASS).check("secondOrder", 0.4, -0.8, 1.2, 0.6, 1.1, -0.3);
        new HessianCheck(COMPILED.get(), CLASS).check("secondOrderArrays", new double[] {0.5, -1.5},
                new double[] {1.2, 0.7});
    }

    /**
     * Generated code names Buffers, Tape, Differential, ArrayDifferential, Math, StrictMath, the source class and its
     * own: a parameter or local of such a name would obscure the class, which is then written qualified.
     */
    @Test
    void variablesNamedLikeTheClassesGeneratedCodeNames() {
        arrays().check("typeNames", new double[] {0.5, -1.5, 2.0}, 1.3, -0.7, 0.4, 1.1, -0.9);
        new HessianCheck(COMPILED.get(), CLASS).check("typeNamesSecondOrder", new double[] {0.5, -1.5}, 0.7, 1.2,
                -0.6);
        Method jacobian = COMPILED.get().method(CLASS + "Gradient", "typeNamesVectorJacobian");
        double[][] j = (double[][]) Compiled.invoke(jacobian, new Object[] {new double[] {0.5, -1.5}, 0.7, 2.0});
        assertArrayEquals(new double[] {2 * 0.5 * 0.7 * 2.0, 0, 0.25 * 2.0, 0.25 * 0.7}, j[0], 1e-12);
        assertArrayEquals(new double[] {0, 2 * -1.5 * 0.7 * 2.0, 2.25 * 2.0, 2.25 * 0.7}, j[1], 1e-12);
    }

    @Test
    void vectorValuedMethodWithDollarsAndUnicode() {
        Compiled compiled = COMPILED.get();
        Method jacobian = compiled.method(CLASS + "Gradient", "vector$Jacobian");
        double[] u = {0.5, -1.5, 2.0};
        double omega = 0.7;
        double[][] j = (double[][]) Compiled.invoke(jacobian, new Object[] {u.clone(), omega});
        assertEquals(u.length, j.length);
        for (int r = 0; r < u.length; r++) {
            double[] expected = new double[u.length + 1];
            expected[r] = 2 * u[r] * omega;
            expected[u.length] = u[r] * u[r];
            assertArrayEquals(expected, j[r], 1e-12, "row " + r);
        }
    }
}
