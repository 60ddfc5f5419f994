package dev.leibniz.processor;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.CompiledOnce;
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
}
