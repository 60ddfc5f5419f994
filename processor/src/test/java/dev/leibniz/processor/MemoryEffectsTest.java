package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.HessianCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which storage each array name denotes, and which calls write into it: array parameters reassigned or swapped
 * inside the method, helpers that write into the arrays they are given, and the JDK's array copies and fills.
 * Every method is checked by {@link ArrayGradientCheck}: the value and the caller's arrays bit for bit against the
 * original, every partial against central differences, every form.
 */
class MemoryEffectsTest {
    private static final String REASSIGNED_SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;
            import java.util.Arrays;

            public final class Reassigned {
                private Reassigned() {
                }

                @Differentiable
                public static double reassignedToANewArray(double[] a, double x) {
                    double s = a[0] * x;
                    a = new double[2];
                    a[0] = s * s;
                    return a[0] + a[1];
                }

                @Differentiable
                public static double reassignedToAnotherParameter(double[] a, double[] b) {
                    double s = a[0] * a[1];
                    a = b;
                    a[0] = s * b[1];
                    return a[0] * a[0] + s;
                }

                @Differentiable
                public static double matrixReassigned(double[][] m, double x) {
                    double s = m[0][0] * x;
                    m = new double[2][2];
                    m[1][1] = s * s;
                    return m[1][1] + m[0][0];
                }

                @Differentiable
                public static double pingPong(double[] a, double[] buf, int steps) {
                    for (int k = 0; k < steps; k++) {
                        for (int i = 0; i < a.length; i++) {
                            double left = a[(i + a.length - 1) % a.length];
                            buf[i] = 0.5 * a[i] + 0.25 * left * a[i];
                        }
                        double[] t = a;
                        a = buf;
                        buf = t;
                    }
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * a[i];
                    }
                    return s;
                }

                /** Reassigned on one path only: the name stands for either array. */
                @Differentiable
                public static double reassignedInABranch(double[] a, double x, boolean fresh) {
                    if (fresh) {
                        a = new double[3];
                        a[1] = x;
                    }
                    a[0] = a[0] * x + x * x;
                    return a[0] * a[1];
                }

                @Differentiable
                public static double pingPongMatrix(double[][] u, double[][] v, int steps) {
                    for (int k = 0; k < steps; k++) {
                        for (int i = 0; i < u.length; i++) {
                            for (int j = 0; j < u[i].length; j++) {
                                v[i][j] = u[i][j] + 0.1 * u[(i + 1) % u.length][j] * u[i][j];
                            }
                        }
                        double[][] t = u;
                        u = v;
                        v = t;
                    }
                    return u[0][0] * u[1][1] - u[0][1];
                }

                @Differentiable(hessian = true)
                public static double reassignedWithHessian(double[] a, double x) {
                    double s = a[0] * x * a[1];
                    a = new double[] {s, x};
                    a[1] = a[0] * a[1];
                    return a[0] * a[1] + Math.sin(x);
                }
            }
            """;

    private static final String EFFECTS_SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;
            import java.util.Arrays;

            public final class Effects {
                private Effects() {
                }

                static int tick(int[] n) {
                    n[0]++;
                    return n[0];
                }

                static void scaleInPlace(double[] w, double c) {
                    for (int i = 0; i < w.length; i++) {
                        w[i] *= c;
                    }
                }

                @Differentiable(wrt = "x")
                public static double counterHelper(double[] x, int[] n) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        tick(n);
                        s += x[i] * n[0];
                    }
                    return s;
                }

                @Differentiable(wrt = "x")
                public static double dataRescaledInALoop(double[] x, double[] data) {
                    double s = 0;
                    for (int k = 0; k < 3; k++) {
                        for (int i = 0; i < x.length; i++) {
                            s += Math.sin(x[i]) * data[i];
                        }
                        scaleInPlace(data, 2.0);
                    }
                    return s;
                }

                @Differentiable
                public static double copied(double[] a, double[] b) {
                    System.arraycopy(a, 0, b, 1, 2);
                    Arrays.fill(a, 1.0);
                    return b[0] * b[1] * b[2] + a[0];
                }

                /** Shifts within one array: the JDK copies as if through a temporary. */
                @Differentiable
                public static double shiftedInPlace(double[] x) {
                    System.arraycopy(x, 0, x, 1, x.length - 1);
                    System.arraycopy(x, 2, x, 1, 2);
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += (i + 1) * x[i] * x[i];
                    }
                    return s;
                }

                @Differentiable
                public static double copies(double[] x) {
                    double[] longer = Arrays.copyOf(x, x.length + 2);
                    double[] middle = Arrays.copyOfRange(x, 1, 3);
                    double[] same = x.clone();
                    same[0] *= same[1];
                    Arrays.fill(longer, 1, 3, x[0] * 2);
                    return longer[1] * longer[longer.length - 1] + middle[0] * middle[1] + same[0] + longer[3];
                }

                @Differentiable(hessian = true)
                public static double copiesWithHessian(double[] x) {
                    double[] y = new double[x.length];
                    System.arraycopy(x, 0, y, 1, x.length - 1);
                    double[] z = y.clone();
                    return z[1] * z[2] * Math.exp(x[0]) + y[2] * y[2];
                }

                @Differentiable(wrt = "x")
                public static double indicesCopied(double[] x, int[] order) {
                    int[] o = new int[order.length];
                    System.arraycopy(order, 0, o, 0, order.length);
                    o[0] = o[1];
                    double s = 0;
                    for (int i = 0; i < o.length; i++) {
                        s += x[o[i]] * x[i];
                    }
                    return s;
                }

                static void halve(double[] w) {
                    double[] alias = w;
                    scaleInPlace(alias, 0.5);
                }

                static final class Util {
                    private Util() {
                    }

                    static void rotate(double[] d) {
                        double first = d[0];
                        for (int i = 0; i + 1 < d.length; i++) {
                            d[i] = d[i + 1];
                        }
                        d[d.length - 1] = first;
                    }
                }

                /** Writes through holders of the array it is given; stores a number named like it elsewhere. */
                static void zeroFirst(double[] w) {
                    double[][] holder = {w};
                    holder[0][0] = 0;
                    double[][] rows = new double[1][];
                    rows[0] = w;
                    rows[0][1] = rows[0][1] * 0.5;
                    if (w.length > 5) {
                        double[] tmp = w;
                        tmp[2] = 1;
                    } else {
                        double tmp = 2;
                        holder[0][0] = tmp; // a number, though a tmp elsewhere is an array
                    }
                }

                /** Returns what it is given, or a row of it: the caller's result is the caller's argument. */
                static double[] same(double[] w) {
                    return w;
                }

                static double[] firstRow(double[][] m) {
                    double[] row = m[0];
                    return row;
                }

                /** Writes through the array a call returns: the argument passed to that call. */
                static void bumpThroughReturned(double[] w) {
                    double[] alias = same(w);
                    alias[0] += 1;
                    double[][] holder = {w};
                    firstRow(holder)[1] *= 0.5;
                }

                static void decay(double[] d, int k) {
                    if (k > 0) {
                        d[k % d.length] *= 0.5;
                        decay(d, k - 1);
                    }
                }

                /** Helpers that write through an alias, a returned array, a nested call, another class, recursion, the JDK. */
                @Differentiable(wrt = "x")
                public static double helpersThatWriteData(double[] x, double[] data) {
                    double s = 0;
                    for (int k = 0; k < 2; k++) {
                        for (int i = 0; i < x.length; i++) {
                            s += Math.sin(x[i] * data[i]);
                        }
                        halve(data);
                        s += x[0] * data[0];
                        Util.rotate(data);
                        s += x[1] * data[0] * x[1];
                        decay(data, 3);
                        s += x[2] * data[1];
                        Arrays.sort(data);
                        s += x[0] * data[2] * x[2];
                        zeroFirst(data);
                        s += x[1] * data[0] + x[2] * data[1];
                        bumpThroughReturned(data);
                        s += x[0] * data[0] * data[1];
                    }
                    return s;
                }

                @Differentiable(hessian = true, wrt = "x")
                public static double counterWithHessian(double[] x, int[] n) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        tick(n);
                        s += x[i] * x[(i + 1) % x.length] * n[0];
                    }
                    return s * Math.sin(x[0]);
                }

                /** A condition the reverse sweep evaluates again reads a counter a helper increments. */
                @Differentiable(wrt = "x")
                public static double conditionOnACounter(double[] x, int[] n) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        if (n[0] % 2 == 0) {
                            s += x[i] * x[i];
                        } else {
                            s += Math.exp(x[i]);
                        }
                        int t = tick(n);
                        s += t * x[i];
                    }
                    return s;
                }
            }
            """;

    private static final CompiledOnce REASSIGNED = new CompiledOnce("com.example.Reassigned",
            "com.example.Reassigned", REASSIGNED_SOURCE);

    private static final CompiledOnce EFFECTS = new CompiledOnce("com.example.Effects", "com.example.Effects",
            EFFECTS_SOURCE);

    private static ArrayGradientCheck reassigned() {
        return new ArrayGradientCheck(REASSIGNED.get(), "com.example.Reassigned", REASSIGNED_SOURCE);
    }

    private static ArrayGradientCheck effects() {
        return new ArrayGradientCheck(EFFECTS.get(), "com.example.Effects", EFFECTS_SOURCE);
    }

    @Test
    void aParameterReassignedToANewArrayLeavesTheCallersArrayAlone() {
        reassigned().check("reassignedToANewArray", new double[] {1.5, -2}, 0.7);
    }

    @Test
    void aParameterReassignedToAnotherWritesOnlyThatOne() {
        reassigned().check("reassignedToAnotherParameter", new double[] {1.5, -2}, new double[] {0.3, 0.9});
    }

    @Test
    void aMatrixParameterReassignedLeavesTheCallersMatrixAlone() {
        reassigned().check("matrixReassigned", new double[][] {{1.5, -2}, {3, 4}}, 0.7);
    }

    @Test
    void pingPongBuffersEndWhereTheOriginalLeavesThem() {
        reassigned().check("pingPong", new double[] {0.5, -0.25, 0.75}, new double[3], 3);
    }

    @Test
    void aParameterReassignedOnOnePathWritesTheCallersArrayOnTheOther() {
        reassigned().check("reassignedInABranch", new double[] {1.5, -2, 0.5}, 0.7, true);
        reassigned().check("reassignedInABranch", new double[] {1.5, -2, 0.5}, 0.7, false);
    }

    @Test
    void pingPongMatricesEndWhereTheOriginalLeavesThem() {
        reassigned().check("pingPongMatrix", new double[][] {{0.5, -0.25}, {0.75, 0.1}},
                new double[][] {{0, 0}, {0, 0}}, 3);
    }

    @Test
    void aReassignedParameterHasTheRightHessian() {
        new HessianCheck(REASSIGNED.get(), "com.example.Reassigned").check("reassignedWithHessian",
                new double[] {0.5, -1.25}, 0.75);
    }

    @Test
    void copiesWithinOneArrayReadEachElementBeforeOverwritingIt() {
        effects().check("shiftedInPlace", new double[] {0.5, -0.25, 0.75, 1.5, -1});
    }

    @Test
    void copyOfCopyOfRangeCloneAndFillCarryDerivatives() {
        effects().check("copies", new double[] {0.5, -0.25, 0.75, 1.5});
    }

    @Test
    void arrayCopiesHaveTheRightHessian() {
        new HessianCheck(EFFECTS.get(), "com.example.Effects").check("copiesWithHessian",
                new double[] {0.5, -0.25, 0.75, 1.5});
    }

    @Test
    void copiedIndexArraysAreReadAsCopied() {
        effects().checkWrt("indicesCopied", List.of("x"), new double[] {0.5, -0.25, 0.75}, new int[] {2, 0, 1});
    }

    @Test
    void helpersThatWriteThroughAliasesReturnedArraysCallsOtherClassesRecursionAndTheJdkAreUndone() {
        effects().checkWrt("helpersThatWriteData", List.of("x"), new double[] {0.5, -0.25, 0.75},
                new double[] {3, 1, 2});
    }

    @Test
    void aCounterAHelperIncrementsHasTheRightHessian() {
        new HessianCheck(EFFECTS.get(), "com.example.Effects").wrt(0).check("counterWithHessian",
                new double[] {0.5, -0.25, 0.75}, new int[] {1});
    }

    @Test
    void aConditionOnACounterIsEvaluatedOnTheCounterAsItWas() {
        effects().checkWrt("conditionOnACounter", List.of("x"), new double[] {0.5, -0.25, 0.75, 0.3},
                new int[] {1});
    }

    @Test
    void aCounterAHelperIncrementsIsReadAsItWas() {
        effects().check("counterHelper", new double[] {0.5, -0.25, 0.75}, new int[] {2});
    }

    @Test
    void dataAHelperRescalesIsReadAsItWasEachIteration() {
        effects().checkWrt("dataRescaledInALoop", List.of("x"), new double[] {0.5, -0.25, 0.75},
                new double[] {1, 2, 3});
    }

    @Test
    void arraycopyAndFillAreDifferentiated() {
        effects().check("copied", new double[] {0.5, -0.25, 0.75}, new double[] {1, 2, 3});
    }

    // ==== what is refused, and where ==============================================================================

    private static final String REFUSED = """
            package com.example;

            import dev.leibniz.Differentiable;
            import java.util.Arrays;

            final class Refused {
                static int tick(int[] n) {
                    n[0]++;
                    return n[0];
                }

                static void scale(double[] w, double c) {
                    for (int i = 0; i < w.length; i++) {
                        w[i] *= c;
                    }
                }

                static double sum(double[] w) {
                    double s = 0;
                    for (double v : w) {
                        s += v;
                    }
                    return s;
                }

                @Differentiable(wrt = "x")
                static double insideAnExpression(double[] x, int[] n) {
                    return x[0] * tick(n);
                }

                @Differentiable
                static double writesWhatCarriesDerivatives(double[] x) {
                    scale(x, 2.0);
                    return x[0] * x[1];
                }

                @Differentiable(wrt = "x")
                static double writesDataFromDerivatives(double[] x, double[] data) {
                    scale(data, x[0]);
                    return data[0] * x[1];
                }

                @Differentiable
                static double sortsWhatCarriesDerivatives(double[] x) {
                    Arrays.sort(x);
                    return x[0];
                }

                @Differentiable
                static double copiesRows(double[][] m, double[][] c) {
                    System.arraycopy(m, 0, c, 0, 1);
                    double[][] d = m.clone();
                    return c[0][0] + d[0][0];
                }

                static double[] kept;

                static double keep(double[] w) {
                    double[] alias = w;
                    kept = alias;
                    return w.length;
                }

                @Differentiable(wrt = "x")
                static double keptThenChangedByAnotherCall(double[] x, double[] data) {
                    double n = keep(data);
                    return x[0] * data[0] * n;
                }

                @Differentiable
                static double copyAsAnArgument(double[] x) {
                    return sum(Arrays.copyOf(x, 2)) + sum(x.clone());
                }
            }
            """;

    @Test
    void aCallThatWritesArraysInsideAnExpressionIsAnErrorAtTheCall() {
        assertRejected("com.example.Refused", REFUSED,
                error("'tick' may write into 'n', so it must run as a statement of its own",
                        at(REFUSED, "x[0] * tick(n)", "(n")),
                error("'scale' may write into 'x', whose elements the result depends on through derivatives",
                        at(REFUSED, "scale(x, 2.0)", "(")),
                error("'scale' may write into 'data', whose elements the result depends on",
                        at(REFUSED, "scale(data, x[0])", "(")),
                error("'sort' may write into 'x', whose elements the result depends on",
                        at(REFUSED, "Arrays.sort(x)", "(")),
                error("System.arraycopy of a matrix copies references to its rows",
                        at(REFUSED, "System.arraycopy(m, 0, c, 0, 1)", "(")),
                error("clone() of a matrix copies the outer array only", at(REFUSED, "m.clone()", "(")),
                error("'keep' may keep a reference to the array 'data'", at(REFUSED, "keep(data);", "data")),
                error("Arrays.copyOf is supported as the whole value of a declaration or an assignment",
                        at(REFUSED, "Arrays.copyOf(x, 2)", "(")),
                error("clone() is supported as the whole value of a declaration or an assignment",
                        at(REFUSED, "x.clone()", "(")));
    }
}
