package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Tape;
import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.HessianCheck;
import dev.leibniz.processor.testing.Rejected;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code static final} arrays as constant data: data tables and coefficients read by {@code @Differentiable} methods
 * are inputs without derivative, read through a local declared on entry. Every form is checked against central
 * differences and the original (values and arrays bit for bit). Nothing the method runs may write into constant
 * data — an element assignment, a write through a local that may hold it or a row of it, the JDK's fills and copies,
 * a helper that writes its argument — each an error at the write; and an argument the method writes into, or adds a
 * gradient into, must not be constant data it reads, checked on entry of every form.
 */
class ConstantDataTest {
    private static final String CLASS = "com.example.Tables";
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Tables {
                static final double[] Y = {0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39};
                public static final double[][] COEFFS = {{1.0, -0.5}, {0.25, 2.0}, {-1.5, 0.75}};
                static final int[] ORDER = {2, 0, 1};

                private Tables() {
                }

                /** Bard's least-squares problem (Moré, Garbow and Hillstrom), its observations a table. */
                @Differentiable(hessian = true)
                public static double bard(double x1, double x2, double x3) {
                    double s = 0;
                    for (int i = 0; i < Y.length; i++) {
                        double u = i + 1;
                        double v = Y.length - i;
                        double r = Y[i] - (x1 + u / (v * x2 + Math.min(u, v) * x3));
                        s += r * r;
                    }
                    return s;
                }

                /** Rows of a table by for-each and through a local; an int table as indices. */
                @Differentiable
                public static double rows(double[] w, double t) {
                    double s = 0;
                    for (double[] row : COEFFS) {
                        s += row[0] * w[0] * t + row[1] * w[1] * w[1];
                    }
                    double[] last = COEFFS[COEFFS.length - 1];
                    for (int k : ORDER) {
                        s += last[k % 2] * w[k % w.length] * Tables.COEFFS[k][1];
                    }
                    return s * COEFFS[1].length;
                }

                static final class Other {
                    static final double[] SCALES = {2.0, 3.0};

                    private Other() {
                    }
                }

                /** A nested class's table, named with its class. */
                @Differentiable
                public static double qualified(double[] x) {
                    return Other.SCALES[0] * x[0] + Other.SCALES[1] * x[1] * x[1] + Tables.Y[2] * x[0] * x[1];
                }

                /** A copy of constant data is the method's own to write. */
                @Differentiable
                public static double copied(double x) {
                    double[] c = Y.clone();
                    c[0] = x * c[1];
                    return c[0] * c[0] + c[2];
                }

                /** A row chosen between a table and a parameter. */
                @Differentiable(wrt = "x")
                public static double eitherRow(double[] x, boolean useTable) {
                    double[] r = x;
                    if (useTable) {
                        r = COEFFS[1];
                    }
                    return r[0] * x[0] + r[1] * x[1] * x[1];
                }

                /** Writes into its parameter and reads constant data: no argument it writes may be that data. */
                @Differentiable(hessian = true)
                public static double writesParameter(double[] a, double x) {
                    a[0] = x * Y[1];
                    return a[0] * a[0] + COEFFS[0][1] * x * a[1];
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static ArrayGradientCheck check() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    private static Method method(String name) {
        return COMPILED.get().method(CLASS + "Gradient", name);
    }

    /** A static final array of the compiled class, the very array the generated code reads. */
    private static Object constant(String owner, String name) {
        try {
            Field f = COMPILED.get().load(owner).getDeclaredField(name);
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDataTableIsReadAsInputsWithoutDerivativeInEveryForm() {
        check().check("bard", 1.0, 1.0, 1.0);
        check().check("bard", 0.08, 1.5, 2.5);
    }

    @Test
    void aDataTableHasTheRightHessian() {
        new HessianCheck(COMPILED.get(), CLASS).check("bard", 0.08, 1.5, 2.5);
    }

    @Test
    void bardsGradientAtTheStartingPointIsTheClosedForm() {
        // at x = (1, 1, 1): r_i = y_i - 1 - u_i / (v_i + min(u_i, v_i)); ds/dx1 = -2 sum r_i
        double[] y = (double[]) constant(CLASS, "Y");
        double dx1 = 0;
        for (int i = 0; i < y.length; i++) {
            double u = i + 1;
            double v = y.length - i;
            dx1 += -2 * (y[i] - (1 + u / (v + Math.min(u, v))));
        }
        double[] g = check().check("bard", 1.0, 1.0, 1.0).partials().values().stream()
                .mapToDouble(p -> (double) p).toArray();
        assertEquals(dx1, g[0], 1e-12);
    }

    @Test
    void rowsOfATableByForEachAndThroughALocalAndAnIntTableAsIndices() {
        check().check("rows", new double[] {0.5, -1.25, 0.75}, 1.5);
    }

    @Test
    void aNestedClasssTableAndAQualifiedName() {
        check().check("qualified", new double[] {0.5, -1.25});
    }

    @Test
    void aCopyOfConstantDataIsTheMethodsOwn() {
        check().check("copied", 0.7);
        assertEquals(0.14, ((double[]) constant(CLASS, "Y"))[0], "the table is untouched");
    }

    @Test
    void aRowChosenBetweenATableAndAParameter() {
        check().checkWrt("eitherRow", List.of("x"), new double[] {0.5, -1.25}, true);
        check().checkWrt("eitherRow", List.of("x"), new double[] {0.5, -1.25}, false);
    }

    @Test
    void aWrittenParameterAndItsHessianWhenNotConstantData() {
        check().check("writesParameter", new double[] {0.5, -1.25}, 0.75);
        new HessianCheck(COMPILED.get(), CLASS).check("writesParameter", new double[] {0.5, -1.25}, 0.75);
    }

    @Test
    void constantDataAsAnArgumentTheMethodWritesIsRefusedInEveryForm() {
        double[] y = (double[]) constant(CLASS, "Y");
        double[] before = y.clone();
        String message = "a and Tables.Y are the same array, and writesParameter writes into a: pass a copy";
        assertEquals(message, Rejected.message(method("writesParameter"), y, 0.5));
        assertEquals(message, Rejected.message(method("writesParameterPullback"), y, 0.5, 1.0, new double[8]));
        assertEquals(message, Rejected.message(method("writesParameterAccumulate"), y, 0.5, new double[8],
                new Tape()));
        assertEquals(message, Rejected.message(method("writesParameterDifferential"), y, 0.5, new double[8], 1.0));
        assertEquals(message, Rejected.message(method("writesParameterHessian"), y, 0.5));
        assertArrayEquals(before, y, "nothing was written");
        double[][] coeffs = (double[][]) constant(CLASS, "COEFFS");
        assertEquals("a and Tables.COEFFS[2] are the same array, and writesParameter writes into a: pass a copy",
                Rejected.message(method("writesParameter"), coeffs[2], 0.5));
    }

    @Test
    void constantDataAsAGradientBufferIsRefused() {
        double[] scales = (double[]) constant("com.example.Tables$Other", "SCALES");
        assertEquals("dx and Other.SCALES are the same array: a gradient buffer is an array of its own",
                Rejected.message(method("qualifiedAccumulate"), new double[] {0.5, -1.25}, scales, new Tape()));
        double[][] coeffs = (double[][]) constant(CLASS, "COEFFS");
        String message = Rejected.message(method("rowsPullback"), new double[] {0.5, -1.25}, 1.5, 1.0, coeffs[1]);
        assertTrue(message.startsWith("dw and Tables.COEFFS[1] are the same array"), message);
    }

    @Test
    void theGeneratedCodeReadsEachTableOnceOnEntry() {
        String generated = COMPILED.get().generatedSource(CLASS + "Gradient");
        assertTrue(generated.contains("double[][] COEFFS = Tables.COEFFS;"), generated);
        assertTrue(generated.contains("int[] ORDER = Tables.ORDER;"), generated);
        assertTrue(generated.contains("double[] SCALES = Tables.Other.SCALES;"), generated);
    }

    // ==== private constant data: copied into the generated class while nothing can change it ======================

    private static final String PRIVATE_CLASS = "com.example.Observations";
    private static final String PRIVATE_SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Observations {
                private static final int N = 2;
                private static final double[] Y = {0.14, 0.18, -0.22, 1e-3, N * 0.5};
                private static final double[][] T = {{1, 2}, {3, -4.5}};
                private static final int[] PICK = {1, 0};

                private Observations() {
                }

                static final class Units {
                    private static final double[] Y = {5, 6};

                    private Units() {
                    }
                }

                /** Reads in the class itself, outside differentiable code, leave the copy right. */
                static double total() {
                    double s = 0;
                    for (int i = 0; i < Y.length; i++) {
                        s += Y[i] + T[i % 2][0] + T.length + T[0].length + Math.max(Y.length, T[1].length);
                    }
                    double[] own = Y.clone();
                    own[0] = s;
                    for (double y : Y) {
                        s += y;
                    }
                    return s + own[0];
                }

                @Differentiable(hessian = true)
                public static double fit(double a, double b) {
                    double s = 0;
                    for (int i = 0; i < Y.length; i++) {
                        double r = Y[i] - a * Math.exp(-b * (i + T[PICK[i % 2]][1]));
                        s += r * r;
                    }
                    return s + Units.Y[1] * a * b;
                }

                @Differentiable
                public static double weighted(double[] w) {
                    double s = 0;
                    for (double[] row : T) {
                        s += row[0] * w[0] * w[1] + row[1] * w[1];
                    }
                    return s;
                }
            }
            """;

    private static final CompiledOnce PRIVATE = new CompiledOnce(PRIVATE_CLASS, PRIVATE_CLASS, PRIVATE_SOURCE);

    @Test
    void privateConstantDataIsCopiedIntoTheGeneratedClassAndDifferentiatedInEveryForm() {
        ArrayGradientCheck check = new ArrayGradientCheck(PRIVATE.get(), PRIVATE_CLASS, PRIVATE_SOURCE);
        check.check("fit", 0.8, 0.3);
        check.check("weighted", new double[] {0.5, -1.25});
        new HessianCheck(PRIVATE.get(), PRIVATE_CLASS).check("fit", 0.8, 0.3);
    }

    @Test
    void theCopyIsOnePrivateFieldPerArrayWithTheInitialisersValues() {
        String generated = PRIVATE.get().generatedSource(PRIVATE_CLASS + "Gradient");
        assertTrue(generated.contains("private static final double[] Y = new double[] {0.14, 0.18, -0.22, 0.001, "
                + "1.0};"), generated);
        assertTrue(generated.contains("private static final double[][] T = new double[][] {{1.0, 2.0}, {3.0, "
                + "-4.5}};"), generated);
        assertTrue(generated.contains("private static final double[] Units_Y = new double[] {5.0, 6.0};"),
                generated);
        assertEquals(1, generated.split("int\\[\\] PICK = new").length - 1, generated);
    }

    private static final String UNSAFE = """
            package com.example;

            import dev.leibniz.Differentiable;

            final class Unsafe {
                private static final double[] WRITTEN = {1, 2};
                private static final double[] SHARED = {1, 2};
                private static final double[] COMPUTED = new double[2];
                private static final double[][] ROWS = {{1, 2}};

                static void change(double x) {
                    WRITTEN[0] = x;
                }

                static double[] share() {
                    return SHARED;
                }

                static double[] row() {
                    double[] r = ROWS[0];
                    return r;
                }

                @Differentiable
                static double f(double x) {
                    return x * WRITTEN[0] + x * SHARED[1] + x * COMPUTED[0] + x * ROWS[0][0];
                }
            }
            """;

    @Test
    void privateConstantDataThatOtherCodeMayChangeOrShareIsRefusedWithTheLine() {
        assertRejected("com.example.Unsafe", UNSAFE,
                error("static array 'WRITTEN' is private, and line 12 may change it or share it (WRITTEN[0] = x;), so "
                        + "Leibniz cannot copy it into the generated class; make it package-private, so that the "
                        + "generated gradient class UnsafeGradient can read it", at(UNSAFE, "x * WRITTEN[0]", "WRITTEN")),
                error("static array 'SHARED' is private, and line 16 may change it or share it (return SHARED;)",
                        at(UNSAFE, "SHARED[1]", "SHARED")),
                error("static array 'COMPUTED' is private, and its initialiser is not an array initialiser of "
                        + "constants", at(UNSAFE, "COMPUTED[0]", "COMPUTED")),
                error("static array 'ROWS' is private, and line 20 may change it or share it (double[] r = ROWS[0];)",
                        at(UNSAFE, "ROWS[0][0]", "ROWS")));
    }

    /**
     * A class declared at the top level of another class's file (an auxiliary class) draws javac's warning when
     * another file names it; the generated classes name it, and suppress exactly that.
     */
    @Test
    void theTablesAndMethodsOfAnAuxiliaryClassCompileWithoutWarnings() {
        Compiled compiled = Compiled.compile("com.example.Main", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class Main {
                    private Main() {
                    }

                    @Differentiable
                    public static double f(double x) {
                        return Helpers.g(x) * Tables.T[1] + Tables.h(2.0);
                    }
                }

                final class Helpers {
                    private Helpers() {
                    }

                    @Differentiable
                    static double g(double x) {
                        return x * x;
                    }
                }

                final class Tables {
                    static final double[] T = {1, 2};

                    private Tables() {
                    }

                    static double h(double x) {
                        return 3.0 * x;
                    }
                }
                """);
        new dev.leibniz.processor.testing.GradientCheck(compiled, "com.example.Main").check("f", 0.7);
        assertTrue(compiled.generatedSource("com.example.MainGradient").contains("@SuppressWarnings(\"auxiliaryclass\")"));
        assertTrue(compiled.generatedSource("com.example.HelpersGradient").contains("@SuppressWarnings(\"auxiliaryclass\")"));
    }

    // ==== what is refused, and where ==============================================================================

    private static final String REFUSED = """
            package com.example;

            import dev.leibniz.Differentiable;
            import java.util.Arrays;

            final class Refused {
                static final double[] Y = {0.14, 0.18, 0.22};
                static final double[][] T = {{1, 2}, {3, 4}};
                private static final double[] HIDDEN = {1, 2};
                static final char[] LETTERS = {'a'};
                static double[] mutable = {1, 2};

                static void scale(double[] a) {
                    a[0] *= 2;
                }

                static double[] hidden() {
                    return HIDDEN;
                }

                @Differentiable
                static double direct(double x) {
                    Y[0] = x;
                    return x * Y[1];
                }

                @Differentiable
                static double throughALocalRow(double x) {
                    double[] row = T[1];
                    row[0]++;
                    return x * row[1];
                }

                @Differentiable
                static double throughABranch(double[] x, boolean b) {
                    double[] r = x;
                    if (b) {
                        r = Y;
                    }
                    r[1] = x[0];
                    return x[0] * r[1];
                }

                @Differentiable
                static double byTheJdk(double x) {
                    Arrays.fill(Y, x);
                    System.arraycopy(Y, 0, T[0], 0, 2);
                    return x;
                }

                @Differentiable
                static double byAHelper(double x) {
                    scale(T[0]);
                    return x * T[0][0];
                }

                @Differentiable
                static double notAccessible(double x) {
                    return x * HIDDEN[0] + x * LETTERS.length + x * mutable[0];
                }
            }
            """;

    @Test
    void writesIntoConstantDataAreErrorsAtTheWrite() {
        assertRejected("com.example.Refused", REFUSED,
                error("this writes into the static final array 'Y', which a @Differentiable method reads as "
                        + "constant data; the reverse sweep reads it again, so the method may not change it: write "
                        + "into a copy (double[] copy = Y.clone();)", at(REFUSED, "Y[0] = x;")),
                error("this writes into 'row', which may hold the static final array 'T' (or a row of it)",
                        at(REFUSED, "row[0]++;")),
                error("this writes into 'r', which may hold the static final array 'Y'", at(REFUSED, "r[1] = x[0];")),
                error("this writes into the static final array 'Y'", at(REFUSED, "Arrays.fill(Y, x)", "(")),
                error("this writes into the static final array 'T' (or a row of it)",
                        at(REFUSED, "System.arraycopy(Y, 0, T[0], 0, 2)", "(")),
                error("'scale' may write into the static final array 'T'", at(REFUSED, "scale(T[0])", "(")),
                error("static array 'HIDDEN' is private, and line 18 may change it or share it (return HIDDEN;)",
                        at(REFUSED, "HIDDEN[0]", "HIDDEN")),
                error("static array 'LETTERS' has type char[]", at(REFUSED, "LETTERS.length", "LETTERS")),
                error("static field 'mutable' is not final", at(REFUSED, "mutable[0]", "mutable")));
    }
}
