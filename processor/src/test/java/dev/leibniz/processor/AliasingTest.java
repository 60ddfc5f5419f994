package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Differential;
import dev.leibniz.Tape;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.Rejected;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Arrays shared between arguments. A method that writes into an array parameter would read what it wrote through
 * another argument that is the same array (or, for a matrix, a row of it): every generated form refuses such a call
 * on entry with an {@link IllegalArgumentException} naming both, and changes nothing. Arrays that are only read
 * may be shared, and the derivatives are then the total ones; gradient buffers may be shared among themselves, and
 * receive the sum. A call nested in another on the same tape works.
 */
class AliasingTest {
    private static final String CLASS = "com.example.Shared";
    private static final String GRADIENT = CLASS + "Gradient";

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, """
            package com.example;

            import dev.leibniz.Differentiable;

            final class Shared {
                /** Writes only into its own copy, which is later pointed at b on one path: b is only read. */
                @Differentiable
                static double copyPointedAtAParameter(double[] a, double[] b, boolean keep) {
                    double[] c = java.util.Arrays.copyOf(b, b.length);
                    c[0] *= a[1];
                    double s = c[0];
                    if (keep) {
                        c = b;
                    }
                    return s * c[0] + a[0] * b[1];
                }

                /** Writes into b: called with one array twice it would read a after writing it through b. */
                @Differentiable(hessian = true)
                static double copyScaled(double[] a, @SuppressWarnings("leibniz") double[] b) {
                    b[0] = 3 * a[0];
                    return a[0] * a[0];
                }

                @Differentiable
                static double[] scaleInto(double[] x, double[] out) {
                    for (int i = 0; i < x.length; i++) {
                        out[i] = 2 * x[i];
                    }
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = out[i] * x[i];
                    }
                    return y;
                }

                /** Writes into the rows of m. */
                @Differentiable
                static double scaleRows(double[][] m, double[] w) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        for (int j = 0; j < w.length; j++) {
                            m[i][j] = m[i][j] * w[j];
                            s += m[i][j] * m[i][j];
                        }
                    }
                    return s;
                }

                /** Writes into v, reads the rows of m. */
                @Differentiable
                static double addRowsInto(double[] v, double[][] m) {
                    for (int i = 0; i < m.length; i++) {
                        for (int j = 0; j < v.length; j++) {
                            v[j] += m[i][j];
                        }
                    }
                    double s = 0;
                    for (int j = 0; j < v.length; j++) {
                        s += v[j] * v[j];
                    }
                    return s;
                }

                /** Writes into the rows of a, reads those of b. */
                @Differentiable
                static double addInto(double[][] a, double[][] b) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        for (int j = 0; j < a[i].length; j++) {
                            a[i][j] += b[i][j];
                            s += a[i][j] * a[i][j];
                        }
                    }
                    return s;
                }

                /** Writes into b through the JDK and through a helper: writes all the same. */
                @Differentiable
                static double fillThenRead(double[] a, @SuppressWarnings("leibniz") double[] b) {
                    java.util.Arrays.fill(b, 2.0);
                    return a[0] * a[0];
                }

                static void halve(double[] v) {
                    v[0] = v[0] / 2;
                }

                @Differentiable
                static double halveThenRead(double[] a, @SuppressWarnings("leibniz") double[] b) {
                    halve(b);
                    return a[0] * a[0];
                }

                @Differentiable
                static double dot(double[] a, double[] b) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * b[i];
                    }
                    return s;
                }

                /** The sum of the squares of m x, reading only. */
                @Differentiable
                static double quadratic(double[][] m, double[] x) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        double r = 0;
                        for (int j = 0; j < x.length; j++) {
                            r += m[i][j] * x[j];
                        }
                        s += r * r;
                    }
                    return s;
                }
            }
            """);

    private static Method method(String name) {
        return COMPILED.get().method(GRADIENT, name);
    }

    private static double[] v(double... values) {
        return values;
    }

    private static double[][] rows(int n, int columns) {
        double[][] m = new double[n][columns];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < columns; j++) {
                m[i][j] = 0.1 * (i + 1) - 0.05 * j;
            }
        }
        return m;
    }

    // ==== writes into an array shared with another argument: refused in every form ==================================

    @Test
    void oneArrayForAWrittenAndAReadParameterIsRefusedInEveryForm() {
        String message = "b and a are the same array, and copyScaled writes into b: pass a copy";
        double[] x = v(1.5);
        assertEquals(message, Rejected.message(method("copyScaled"), x, x));
        assertEquals(message, Rejected.message(method("copyScaledPullback"), x, x, 1.0, v(0), v(0)));
        assertEquals(message, Rejected.message(method("copyScaledAccumulate"), x, x, v(0), v(0), new Tape()));
        assertEquals(message, Rejected.message(method("copyScaledDifferential"), x, x, v(1), v(0)));
        assertEquals(message, Rejected.message(method("copyScaledHessianVector"), x, x, v(1), v(0)));
        assertEquals(message, Rejected.message(method("copyScaledHessianVectorAccumulate"), x, x, v(1), v(0), v(0),
                v(0), new Tape()));
        assertEquals(message, Rejected.message(method("copyScaledHessian"), x, x));
    }

    @Test
    void separateArraysGiveTheDerivativeWithRespectToTheValuesPassed() {
        double[] a = v(1.5);
        double[] b = v(0.0);
        Map<String, Object> g = Compiled.components(Compiled.invoke(method("copyScaled"), new Object[] {a, b}));
        assertEquals(2.25, (double) g.get("value"));
        assertArrayEquals(v(3.0), (double[]) g.get("a"));
        assertArrayEquals(v(4.5), b, "the write into b is kept");
    }

    @Test
    void writesThroughTheJdkOrAHelperMethodCountAsWrites() {
        double[] x = v(1.5);
        assertEquals("b and a are the same array, and fillThenRead writes into b: pass a copy",
                Rejected.message(method("fillThenReadAccumulate"), x, x, v(0), v(0), new Tape()));
        assertEquals("b and a are the same array, and halveThenRead writes into b: pass a copy",
                Rejected.message(method("halveThenReadPullback"), x, x, 1.0, v(0), v(0)));
        double[] b = v(4.0);
        Map<String, Object> g = Compiled.components(Compiled.invoke(method("halveThenRead"), new Object[] {x, b}));
        assertArrayEquals(v(3.0), (double[]) g.get("a"));
        assertArrayEquals(v(2.0), b, "the helper's write into b is kept");
    }

    @Test
    void oneArrayForTheWrittenParameterOfAVectorValuedMethodIsRefusedInEveryForm() {
        String message = "out and x are the same array, and scaleInto writes into out: pass a copy";
        double[] x = v(0.5, -1.0);
        assertEquals(message, Rejected.message(method("scaleIntoPullback"), x, x, v(1, 1), v(0, 0), v(0, 0)));
        assertEquals(message, Rejected.message(method("scaleIntoDifferential"), x, x, v(1, 0), v(0, 0)));
        assertEquals(message, Rejected.message(method("scaleIntoJacobian"), x, x));
    }

    @Test
    void aTangentOrCotangentThatIsAWrittenArrayIsRefused() {
        double[] a = v(1.5);
        double[] b = v(0.0);
        assertEquals("b and da are the same array, and copyScaled writes into b: pass a copy",
                Rejected.message(method("copyScaledDifferential"), a, b, b, v(0)));
        double[] x = v(0.5, -1.0);
        double[] out = v(0, 0);
        assertEquals("out and dValue are the same array, and scaleInto writes into out: pass a copy",
                Rejected.message(method("scaleIntoPullback"), x, out, out, v(0, 0), v(0, 0)));
    }

    @Test
    void rowsOfAWrittenMatrixThatAreOneArrayAreRefusedInEveryForm() {
        double[] r = v(0.5, -1.0);
        double[][] m = {r, r};
        double[] w = v(2, 3);
        String message = "m[0] and m[1] are the same array, and scaleRows writes into m: pass a copy";
        assertEquals(message, Rejected.message(method("scaleRows"), m, w));
        assertEquals(message, Rejected.message(method("scaleRowsPullback"), m, w, 1.0, rows(2, 2), v(0, 0)));
        assertEquals(message, Rejected.message(method("scaleRowsAccumulate"), m, w, rows(2, 2), v(0, 0),
                new Tape()));
        assertEquals(message, Rejected.message(method("scaleRowsDifferential"), m, w, rows(2, 2), v(0, 0)));
    }

    @Test
    void sharedRowsOfALargeWrittenMatrixAreFoundWithAndWithoutATape() {
        double[][] m = rows(40, 2);
        m[31] = m[3];
        double[] w = v(2, 3);
        String message = "m[3] and m[31] are the same array, and scaleRows writes into m: pass a copy";
        assertEquals(message, Rejected.message(method("scaleRowsPullback"), m, w, 1.0, rows(40, 2), v(0, 0)));
        Tape tape = new Tape();
        assertEquals(message, Rejected.message(method("scaleRowsAccumulate"), m, w, rows(40, 2), v(0, 0), tape));
        m[31] = m[31].clone();
        Compiled.invoke(method("scaleRowsAccumulate"), new Object[] {m, w, rows(40, 2), v(0, 0), tape});
    }

    @Test
    void aVectorThatIsARowOfAWrittenMatrixIsRefused() {
        double[][] m = rows(3, 2);
        assertEquals("m[1] and w are the same array, and scaleRows writes into m: pass a copy",
                Rejected.message(method("scaleRowsPullback"), m, m[1], 1.0, rows(3, 2), v(0, 0)));
    }

    @Test
    void aWrittenVectorThatIsARowOfAReadMatrixIsRefused() {
        double[][] m = rows(3, 2);
        assertEquals("v and m[2] are the same array, and addRowsInto writes into v: pass a copy",
                Rejected.message(method("addRowsInto"), m[2], m));
        assertEquals("v and m[2] are the same array, and addRowsInto writes into v: pass a copy",
                Rejected.message(method("addRowsIntoAccumulate"), m[2], m, v(0, 0), rows(3, 2), new Tape()));
    }

    @Test
    void rowsOfAWrittenMatrixSharedWithAnotherMatrixAreRefused() {
        double[][] a = rows(3, 2);
        double[][] b = {rows(1, 2)[0], rows(1, 2)[0], a[1]};
        assertEquals("a[1] and b[2] are the same array, and addInto writes into a: pass a copy",
                Rejected.message(method("addInto"), a, b));
        assertEquals("a and b are the same array, and addInto writes into a: pass a copy",
                Rejected.message(method("addInto"), a, a));
        double[][] large = rows(30, 2);
        double[][] other = rows(30, 2);
        other[29] = large[7];
        assertEquals("a[7] and b[29] are the same array, and addInto writes into a: pass a copy",
                Rejected.message(method("addIntoAccumulate"), large, other, rows(30, 2), rows(30, 2), new Tape()));
        assertEquals("a[7] and b[29] are the same array, and addInto writes into a: pass a copy",
                Rejected.message(method("addIntoPullback"), large, other, 1.0, rows(30, 2), rows(30, 2)));
    }

    @Test
    void aGradientBufferThatIsAnotherArgumentIsRefused() {
        double[] a = v(1, 2);
        double[] b = v(3, 4);
        assertEquals("da and b are the same array: a gradient buffer is an array of its own",
                Rejected.message(method("dotAccumulate"), a, b, b, v(0, 0), new Tape()));
    }

    // ==== arrays only read may be shared ==========================================================================

    @Test
    void oneArrayForTwoReadParametersGivesTheTotalDerivative() {
        double[] x = v(0.3, -1.2, 2.0);
        double[] expected = differences(t -> dotOf(t, t), x);
        Map<String, Object> g = Compiled.components(Compiled.invoke(method("dot"), new Object[] {x, x}));
        assertClose(expected, sum((double[]) g.get("a"), (double[]) g.get("b")));

        double[] d = new double[3];
        Compiled.invoke(method("dotPullback"), new Object[] {x, x, 1.0, d, d});
        assertClose(expected, d); // two buffers that are one array receive the sum
        double[] da = new double[3];
        double[] db = new double[3];
        Compiled.invoke(method("dotAccumulate"), new Object[] {x, x, da, db, new Tape()});
        assertClose(expected, sum(da, db));
        double[] t = v(0.5, 0.25, -1.0);
        Differential differential = (Differential) Compiled.invoke(method("dotDifferential"),
                new Object[] {x, x, t, t});
        assertEquals(dotOf(expected, t), differential.differential(), 1e-6);
    }

    @Test
    void aCopyLaterPointedAtAParameterLeavesThatParameterReadOnlyAndShareable() {
        for (boolean keep : new boolean[] {true, false}) {
            double[] x = v(0.3, -1.2, 2.0);
            ToDoubleFunction<double[]> f = t -> {
                double s = t[0] * t[1];
                return s * (keep ? t[0] : s) + t[0] * t[1];
            };
            double[] expected = differences(f, x);
            Map<String, Object> g = Compiled.components(Compiled.invoke(method("copyPointedAtAParameter"),
                    new Object[] {x, x, keep}));
            assertClose(expected, sum((double[]) g.get("a"), (double[]) g.get("b")));
            double[] d = new double[3];
            Compiled.invoke(method("copyPointedAtAParameterAccumulate"), new Object[] {x, x, keep, d, d, new Tape()});
            assertClose(expected, d);
        }
    }

    @Test
    void aMatrixWhoseRowsAreOneReadArrayAndThatArrayAsAVectorGiveTheTotalDerivative() {
        double[] x = v(0.3, -1.2, 2.0);
        double[][] m = {x, x};
        double[] expected = differences(t -> 2 * dotOf(t, t) * dotOf(t, t), x);
        Map<String, Object> g = Compiled.components(Compiled.invoke(method("quadratic"), new Object[] {m, x}));
        double[][] dm = (double[][]) g.get("m");
        assertClose(expected, sum(sum(dm[0], dm[1]), (double[]) g.get("x")));
        double[][] bm = new double[2][3];
        double[] bx = new double[3];
        Compiled.invoke(method("quadraticAccumulate"), new Object[] {m, x, bm, bx, new Tape()});
        assertClose(expected, sum(sum(bm[0], bm[1]), bx));
    }

    private static double dotOf(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    /** Central differences of {@code f} at {@code x}, element by element. */
    static double[] differences(ToDoubleFunction<double[]> f, double[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double h = 1e-6 * Math.max(1, Math.abs(x[i]));
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            d[i] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (plus[i] - minus[i]);
        }
        return d;
    }

    static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-6 * (1 + Math.abs(expected[i])),
                    "element " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
