package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.ArrayDifferential;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.JacobianCheck;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Methods returning {@code double[]}: the Jacobian against central differences of the original, the vector-Jacobian
 * product against <code>J<sup>T</sup>u</code> and the Jacobian-vector product against {@code J v}, both ways of
 * building the Jacobian (rows by reverse mode when {@code m <= n}, columns by forward mode otherwise).
 */
class JacobianTest {
    private static final String CLASS = "com.example.Vectors";
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Vectors {
                private Vectors() {
                }

                @Differentiable
                public static double[] softmax(double[] z) {
                    double m = z[0];
                    for (int i = 1; i < z.length; i++) {
                        m = Math.max(m, z[i]);
                    }
                    double[] e = new double[z.length];
                    double s = 0;
                    for (int i = 0; i < z.length; i++) {
                        e[i] = Math.exp(z[i] - m);
                        s += e[i];
                    }
                    for (int i = 0; i < z.length; i++) {
                        e[i] = e[i] / s;
                    }
                    return e;
                }

                @Differentiable
                public static double[] matVec(double[][] a, double[] x) {
                    double[] y = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        double[] row = a[i];
                        for (int j = 0; j < x.length; j++) {
                            y[i] += row[j] * x[j];
                        }
                    }
                    return y;
                }

                /** Writes its argument and returns it. */
                @Differentiable
                public static double[] squareScaledInPlace(double[] x, double c) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = x[i] * x[i] * c;
                    }
                    return x;
                }

                /** A loop building the output from the previous output element. */
                @Differentiable
                public static double[] prefixProducts(double[] x) {
                    double[] out = new double[x.length];
                    out[0] = x[0];
                    for (int i = 1; i < x.length; i++) {
                        out[i] = out[i - 1] * Math.sin(x[i]);
                    }
                    return out;
                }

                /** Scalars and arrays, an int input, and a value written twice. */
                @Differentiable
                public static double[] affine(double a, double[] x, int k, double b) {
                    double[] y = new double[x.length + 1];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = a * x[i] + b;
                        y[i] = y[i] * y[i];
                    }
                    y[x.length] = k * a * b;
                    return y;
                }

                /** m = 3 > n = 2: the Jacobian by forward mode. */
                @Differentiable
                public static double[] polar(double r, double t) {
                    return new double[] {r * Math.cos(t), r * Math.sin(t), r * r};
                }

                /** m > n with an array parameter, and wrt. */
                @Differentiable(wrt = {"x"})
                public static double[] features(double[] x, double scale) {
                    double[] f = new double[3 * x.length];
                    for (int i = 0; i < x.length; i++) {
                        f[3 * i] = scale * x[i];
                        f[3 * i + 1] = Math.exp(x[i]);
                        f[3 * i + 2] = x[0] * x[i];
                    }
                    return f;
                }

                /** No derivative: a constant result. */
                @Differentiable
                public static double[] constant(@SuppressWarnings("leibniz") double x) {
                    return new double[] {1, 2};
                }

                /** A row of a matrix parameter, after writing another row. */
                @Differentiable
                public static double[] row(double[][] m, double s) {
                    m[0][0] = m[0][0] * s;
                    m[1][1] = m[1][1] * m[0][0];
                    return m[1];
                }

                /** Parameters named like what the generated members declare. */
                @Differentiable
                public static double[] named(double[] dValue, double dot, double u) {
                    double[] y = new double[dValue.length];
                    for (int i = 0; i < y.length; i++) {
                        y[i] = dValue[i] * dot * u;
                    }
                    return y;
                }

                /** The result is an input without derivative. */
                @Differentiable(wrt = {"x"})
                public static double[] inputOnly(@SuppressWarnings("leibniz") double[] x, double[] data) {
                    return data;
                }

                /** A parameter returned untouched: the identity's Jacobian. */
                @Differentiable
                public static double[] identity(double[] x) {
                    return x;
                }
            }
            """;
    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    @Test
    void softmax() {
        check("softmax", new Object[] {new double[] {0.3, -1.2, 2.0, 0.7}}, true, false);
    }

    @Test
    void matrixVectorProduct() {
        check("matVec", new Object[] {new double[][] {{1, 2, 3}, {-0.5, 0.25, 4}}, new double[] {0.3, -0.7, 1.1}},
                true, false);
    }

    @Test
    void parameterArrayWrittenAndReturned() {
        check("squareScaledInPlace", new Object[] {new double[] {0.5, -1.5, 2.0}, 1.3}, true, false);
        double[] x = {0.5, -1.5, 2.0};
        Object[] args = {x, 1.3};
        COMPILED.get().method(CLASS + "Gradient", "squareScaledInPlaceJacobian").getName();
        Compiled.invoke(COMPILED.get().method(CLASS + "Gradient", "squareScaledInPlaceJacobian"), args);
        assertArrayEquals(new double[] {0.5 * 0.5 * 1.3, 1.5 * 1.5 * 1.3, 4 * 1.3}, x, 0.0,
                "the Jacobian leaves the method's side effect once");
    }

    @Test
    void loopBuildingTheOutput() {
        check("prefixProducts", new Object[] {new double[] {0.9, 1.3, -0.4, 2.2, 0.6}}, true, false);
    }

    @Test
    void scalarAndArrayParameters() {
        check("affine", new Object[] {0.7, new double[] {0.5, -1.5, 2.0}, 3, -0.2}, true, false);
    }

    @Test
    void moreOutputsThanInputsGoesForward() {
        check("polar", new Object[] {1.7, 0.6}, false, true);
        check("features", new Object[] {new double[] {0.4, -0.3}, 2.5}, false, true);
    }

    @Test
    void constantResult() {
        check("constant", new Object[] {0.3}, false, true);
        check("inputOnly", new Object[] {new double[] {0.4, 0.1}, new double[] {1, 2, 3}}, false, true);
    }

    @Test
    void rowOfAWrittenMatrixParameter() {
        check("row", new Object[] {new double[][] {{0.5, 1.5}, {2.0, -0.7}}, 1.3}, true, false);
    }

    @Test
    void parametersNamedLikeGeneratedLocals() {
        check("named", new Object[] {new double[] {0.5, 1.5}, 2.0, -0.7}, true, false);
    }

    @Test
    void identityOfAParameter() {
        check("identity", new Object[] {new double[] {0.4, -0.3, 5}}, true, false);
        double[][] j = (double[][]) Compiled.invoke(COMPILED.get().method(CLASS + "Gradient", "identityJacobian"),
                new Object[] {new double[] {0.4, -0.3, 5}});
        assertArrayEquals(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, j);
    }

    @Test
    void pullbackJavadocNamesTheVjp() {
        String generated = COMPILED.get().generatedSource(CLASS + "Gradient");
        assertTrue(generated.contains("public static double[][] softmaxJacobian(double[] z)"), generated);
        assertTrue(generated.contains("public static double softmaxPullback(double[] z, double[] dValue, double[] dz)"),
                generated);
        assertTrue(generated.contains("public static ArrayDifferential polarDifferential(double r, double t, double dr,"
                + " double dt)"), generated);
    }

    private void check(String name, Object[] args, boolean reverseExpected, boolean forwardExpected) {
        new JacobianCheck(COMPILED.get(), CLASS).check(name, args, reverseExpected, forwardExpected);
    }

    // ---- what is not supported: clear errors

    @Test
    void returningAMatrixIsAnErrorAtTheReturnType() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Outer {
                    @Differentiable
                    static double[][] outer(double[] x) {
                        double[][] m = new double[2][x.length];
                        m[0][0] = x[0];
                        return m;
                    }
                }
                """;
        assertRejected("com.example.Outer", src,
                error("must return double, float, double[] or void, not double[][]", at(src, "double[][] outer", "[")));
    }

    @Test
    void anEarlyReturnOfAnArrayIsAnErrorAtTheReturn() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Early {
                    @Differentiable
                    static double[] clip(double[] x) {
                        if (x.length == 0) {
                            return x;
                        }
                        double[] y = new double[x.length];
                        y[0] = x[0];
                        return y;
                    }
                }
                """;
        assertRejected("com.example.Early", src,
                error("must have one return, its last statement", at(src, "return x;")));
    }

    @Test
    void aConditionalBetweenArraysIsAnErrorNotACrash() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    @Differentiable
                    static double[] pick(double[] a, double[] b, boolean first) {
                        double[] r = first ? a : b;
                        return r;
                    }
                }
                """;
        assertRejected("com.example.Pick", src,
                error("'?:' choosing between arrays is not supported", at(src, "first ? a : b", "?")));
    }

    @Test
    void aMethodNamedLikeTheJacobianOfAnotherIsAnError() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Clash {
                    @Differentiable
                    static double[] f(double[] x) {
                        return x;
                    }

                    @Differentiable
                    static double fJacobian(double x) {
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Clash", src,
                error("@Differentiable methods 'f' and 'fJacobian' would generate members with the same name "
                        + "(fJacobian)", at(src, "static double fJacobian", "fJacobian")));
    }

    @Test
    void aHessianOfAnArrayIsAnError() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Curved {
                    @Differentiable(hessian = true)
                    static double[] square(double[] x) {
                        return new double[] {x[0] * x[0]};
                    }
                }
                """;
        assertRejected("com.example.Curved", src,
                error("hessian = true needs a method returning double", at(src, "double[] square", "[")));
    }
}
