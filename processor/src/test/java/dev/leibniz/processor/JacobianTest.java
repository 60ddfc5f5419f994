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

    // ---- the checker

    private static Object[] copy(Object[] args) {
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof double[] a) {
                out[i] = a.clone();
            } else if (out[i] instanceof double[][] m) {
                double[][] c = new double[m.length][];
                for (int r = 0; r < m.length; r++) {
                    c[r] = m[r].clone();
                }
                out[i] = c;
            }
        }
        return out;
    }

    /** The differentiated parameters' positions: doubles and double arrays the wrt allows. */
    private static List<Integer> differentiated(Method original) {
        // the methods with wrt are features(x, scale) and inputOnly(x, data), wrt = {"x"} (parameter names are not in
        // the class file)
        boolean onlyFirst = original.getName().equals("features") || original.getName().equals("inputOnly");
        List<Integer> out = new ArrayList<>();
        Class<?>[] types = original.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            boolean floating = types[i] == double.class || types[i] == double[].class || types[i] == double[][].class;
            if (floating && (!onlyFirst || i == 0)) {
                out.add(i);
            }
        }
        return out;
    }

    /** Reads and writes the flattened differentiated scalars of {@code args}. */
    private static List<double[]> cells(Object[] args, List<Integer> positions) {
        List<double[]> out = new ArrayList<>(); // {index of arg, row, column} encoded as arrays to address
        for (int p : positions) {
            Object a = args[p];
            if (a instanceof Double) {
                out.add(new double[] {p, -1, -1});
            } else if (a instanceof double[] v) {
                for (int i = 0; i < v.length; i++) {
                    out.add(new double[] {p, i, -1});
                }
            } else {
                double[][] m = (double[][]) a;
                for (int r = 0; r < m.length; r++) {
                    for (int c = 0; c < m[r].length; c++) {
                        out.add(new double[] {p, r, c});
                    }
                }
            }
        }
        return out;
    }

    private static void add(Object[] args, double[] cell, double h) {
        int p = (int) cell[0];
        if (cell[1] < 0) {
            args[p] = (Double) args[p] + h;
        } else if (cell[2] < 0) {
            ((double[]) args[p])[(int) cell[1]] += h;
        } else {
            ((double[][]) args[p])[(int) cell[1]][(int) cell[2]] += h;
        }
    }

    private void check(String name, Object[] args, boolean reverseExpected, boolean forwardExpected) {
        Compiled compiled = COMPILED.get();
        Method original = compiled.method(CLASS, name);
        List<Integer> positions = differentiated(original);
        List<double[]> cells = cells(args, positions);
        int n = cells.size();
        double[] value = ((double[]) Compiled.invoke(original, copy(args))).clone();
        int m = value.length;
        assertEquals(reverseExpected, m <= n, "the test's expectation of the mode");
        assertEquals(forwardExpected, m > n, "the test's expectation of the mode");

        double[][] jacobian = (double[][]) Compiled.invoke(compiled.method(CLASS + "Gradient", name + "Jacobian"),
                copy(args));
        assertEquals(m, jacobian.length, name);
        // central differences of the original
        for (int j = 0; j < n; j++) {
            double h = 1e-6;
            Object[] plus = copy(args);
            add(plus, cells.get(j), h);
            Object[] minus = copy(args);
            add(minus, cells.get(j), -h);
            double[] fp = (double[]) Compiled.invoke(original, plus);
            double[] fm = (double[]) Compiled.invoke(original, minus);
            for (int i = 0; i < m; i++) {
                assertEquals(n, jacobian[i].length, name);
                double fd = (fp[i] - fm[i]) / (2 * h);
                assertEquals(fd, jacobian[i][j], 1e-6 * (1 + Math.abs(fd)), name + ": J[" + i + "][" + j + "]");
            }
        }

        Random random = new Random(name.hashCode());
        // JVP against J v
        Method differential = compiled.method(CLASS + "Gradient", name + "Differential");
        Object[] withTangents = new Object[args.length + positions.size()];
        Object[] given = copy(args);
        System.arraycopy(given, 0, withTangents, 0, args.length);
        double[] v = new double[n];
        int at = 0;
        for (int k = 0; k < positions.size(); k++) {
            Object a = args[positions.get(k)];
            if (a instanceof Double) {
                v[at] = random.nextGaussian();
                withTangents[args.length + k] = v[at++];
            } else if (a instanceof double[] arr) {
                double[] t = new double[arr.length];
                for (int i = 0; i < t.length; i++) {
                    t[i] = v[at++] = random.nextGaussian();
                }
                withTangents[args.length + k] = t;
            } else {
                double[][] mat = (double[][]) a;
                double[][] t = new double[mat.length][];
                for (int r = 0; r < mat.length; r++) {
                    t[r] = new double[mat[r].length];
                    for (int c = 0; c < t[r].length; c++) {
                        t[r][c] = v[at++] = random.nextGaussian();
                    }
                }
                withTangents[args.length + k] = t;
            }
        }
        Object[] tangentsBefore = copy(java.util.Arrays.copyOfRange(withTangents, args.length, withTangents.length));
        ArrayDifferential d = (ArrayDifferential) Compiled.invoke(differential, withTangents);
        assertArrayEquals(value, d.value(), 0.0, name + ": the JVP's value is the original's");
        for (int i = 0; i < m; i++) {
            double jv = 0;
            for (int j = 0; j < n; j++) {
                jv += jacobian[i][j] * v[j];
            }
            assertEquals(jv, d.differential()[i], 1e-12 * (1 + Math.abs(jv)) * n, name + ": (J v)[" + i + "]");
        }
        Object[] tangentsAfter = java.util.Arrays.copyOfRange(withTangents, args.length, withTangents.length);
        assertTrue(java.util.Arrays.deepEquals(tangentsBefore, tangentsAfter), name + ": tangents only read");

        // VJP against J^T u
        Method pullback = compiled.method(CLASS + "Gradient", name + "Pullback");
        double[] u = new double[m];
        for (int i = 0; i < m; i++) {
            u[i] = random.nextGaussian();
        }
        List<Object> call = new ArrayList<>(List.of(copy(args)));
        call.add(u.clone());
        List<Object> shadows = new ArrayList<>();
        for (int p : positions) {
            if (args[p] instanceof double[] arr) {
                shadows.add(new double[arr.length]);
            } else if (args[p] instanceof double[][] mat) {
                double[][] s = new double[mat.length][];
                for (int r = 0; r < mat.length; r++) {
                    s[r] = new double[mat[r].length];
                }
                shadows.add(s);
            }
        }
        call.addAll(shadows);
        Object result = Compiled.invoke(pullback, call.toArray());
        double[] jtu = new double[n];
        at = 0;
        int shadow = 0;
        // the record: value, then a component per differentiated parameter, in order
        List<Object> record = result instanceof Double ? List.of()
                : new ArrayList<>(Compiled.components(result).values());
        int component = 1;
        for (int p : positions) {
            if (args[p] instanceof Double) {
                jtu[at++] = (Double) record.get(component++);
            } else if (!record.isEmpty()) {
                component++;
            }
            if (args[p] instanceof Double) {
                continue;
            }
            if (args[p] instanceof double[]) {
                for (double e : (double[]) shadows.get(shadow++)) {
                    jtu[at++] = e;
                }
            } else {
                for (double[] row : (double[][]) shadows.get(shadow++)) {
                    for (double e : row) {
                        jtu[at++] = e;
                    }
                }
            }
        }
        double dot = 0;
        for (int i = 0; i < m; i++) {
            dot += u[i] * value[i];
        }
        double returnedDot = result instanceof Double x ? x : (Double) record.get(0);
        assertEquals(dot, returnedDot, 1e-12 * (1 + Math.abs(dot)) * m, name + ": the VJP's value is <u, f>");
        for (int j = 0; j < n; j++) {
            double expected = 0;
            for (int i = 0; i < m; i++) {
                expected += jacobian[i][j] * u[i];
            }
            assertEquals(expected, jtu[j], 1e-12 * (1 + Math.abs(expected)) * m, name + ": (J^T u)[" + j + "]");
        }
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
                error("must return double or double[], not double[][]", at(src, "double[][] outer", "[")));
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
    void callingAnArrayReturningMethodIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Chain {
                    @Differentiable
                    static double[] twice(double[] x) {
                        double[] y = new double[x.length];
                        for (int i = 0; i < x.length; i++) {
                            y[i] = 2 * x[i];
                        }
                        return y;
                    }

                    @Differentiable
                    static double sumOfTwice(double[] x) {
                        double[] y = twice(x);
                        return y[0];
                    }
                }
                """;
        assertRejected("com.example.Chain", src,
                error("'twice' returns double[]: calls of @Differentiable methods returning arrays",
                        at(src, "twice(x);", "(")));
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
