package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.InPlaceCheck;
import dev.leibniz.processor.testing.JacobianCheck;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Differentiable} methods that write into the arrays they are given — void helpers that fill an output
 * ({@code accel(x, k, out)}, {@code matVec(a, x, out)}), in-place updates ({@code axpy(alpha, x, y)}), methods that
 * return a number and update their state — and the methods that call them. A writing method gets in-place forms,
 * whose shadows and tangents of the written arrays carry the derivatives of their contents through the call
 * ({@link InPlaceCheck}); a caller's forward sweep keeps the arrays before the call, and its reverse sweep puts them
 * back and pulls the shadows of its own arrays through those forms ({@link ArrayGradientCheck}: value bit for bit,
 * every partial against central differences, every form).
 */
class WritingHelpersTest {
    private static final String CLASS = "com.example.Springs";
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Springs {
                private Springs() {
                }

                /** Fills out, and reads what out held before: out is an input and an output. */
                @Differentiable
                public static void accel(double[] x, double k, double[] out) {
                    for (int i = 0; i < x.length; i++) {
                        double left = i > 0 ? x[i - 1] : 0.0;
                        double right = i + 1 < x.length ? x[i + 1] : 0.0;
                        out[i] = k * (left - 2 * x[i] + right) + 0.1 * out[i] * x[i];
                    }
                }

                @Differentiable
                public static void axpy(double alpha, double[] x, double[] y) {
                    for (int i = 0; i < x.length; i++) {
                        y[i] += alpha * x[i];
                    }
                }

                @Differentiable
                static void matVec(double[][] a, double[] x, double[] out) {
                    for (int i = 0; i < a.length; i++) {
                        double s = 0;
                        for (int j = 0; j < x.length; j++) {
                            s += a[i][j] * x[j];
                        }
                        out[i] = Math.tanh(s);
                    }
                }

                /** A value and an update of its argument. */
                @Differentiable
                public static double scaleAndSum(double[] w, double c) {
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        w[i] *= c;
                        s += w[i] * w[i];
                    }
                    return s;
                }

                /** A private void helper that returns early, and calls itself. */
                @Differentiable
                private static void smooth(double[] v, int passes) {
                    if (passes == 0) {
                        return;
                    }
                    for (int i = 1; i < v.length; i++) {
                        v[i] = 0.5 * (v[i] + v[i - 1] * v[i - 1]);
                    }
                    smooth(v, passes - 1);
                }

                /** A spring chain time-stepped with void helpers in its loop. */
                @Differentiable
                public static double energyAfter(double[] x0, double k, double dt) {
                    double[] x = x0.clone();
                    double[] v = new double[x.length];
                    double[] a = new double[x.length];
                    for (int step = 0; step < 5; step++) {
                        accel(x, k, a);
                        axpy(dt, a, v);
                        axpy(dt * 0.5 + k * 0.01, v, x);
                    }
                    double e = 0;
                    for (int i = 0; i < x.length; i++) {
                        e += x[i] * x[i] + 0.5 * v[i] * v[i];
                    }
                    return e;
                }

                /** The article's network with a void layer helper writing into rows of a matrix of activations. */
                @Differentiable
                public static double network(double[][] w1, double[][] w2, double[] x, double target) {
                    double[][] h = new double[2][w1.length];
                    matVec(w1, x, h[0]);
                    matVec(w2, h[0], h[1]);
                    double e = h[1][0] - target;
                    return 0.5 * e * e;
                }

                /** Calls whose value is used: a declaration, an assignment, a return. */
                @Differentiable
                public static double values(double[] w, double c) {
                    double s = scaleAndSum(w, c * 2);
                    double t;
                    t = scaleAndSum(w, c);
                    if (s > 1e6) {
                        return scaleAndSum(w, 0.5);
                    }
                    return s + t * w[0];
                }

                /**
                 * The caller's parameter written by the helper: the caller writes it too. An array the result never
                 * reads is written too, without derivative here: the helper's pullback gets scratch zeros for it.
                 */
                @Differentiable
                public static double writesItsParameter(double[] y, double[] x, double alpha) {
                    double[] unused = new double[x.length];
                    axpy(alpha, x, unused);
                    axpy(alpha, x, y);
                    smooth(y, 2);
                    return y[0] * y[1] + y[2];
                }

                /**
                 * Calls in values that read no array, declared first: compound assignments, under Math in a return
                 * (found writing a time loop as a stranger would: e += step(x, v, dt)).
                 */
                @Differentiable
                public static double inExpressions(double[] w, double c) {
                    double e = 0;
                    for (int k = 0; k < 3; k++) {
                        e += scaleAndSum(w, c);
                    }
                    e -= c * scaleAndSum(w, c);
                    return 2 * e + Math.sqrt(1 + scaleAndSum(w, 0.5));
                }

                /** The caller's parameter written by a helper, then read in a condition. */
                @Differentiable
                public static double intoData(double[] x, double[] data) {
                    axpy(2.0, x, data);
                    return data[0] > 0 ? data[0] * x[1] : x[1];
                }

                /** A void method calling void methods: its own in-place forms go through theirs. */
                @Differentiable
                public static void twoSteps(double[] x, double k, double[] out) {
                    accel(x, k, out);
                    axpy(k, out, x);
                    smooth(x, 1);
                }

                /**
                 * Two locals named t in sibling blocks, one the parameter's array (read), the other a new one
                 * (written): a helper that writes no array it is given, called anywhere (found by the random tester).
                 */
                @Differentiable
                static double siblings(double[] x, double c) {
                    double s = 0;
                    if (c > 0) {
                        double[] t = x;
                        s = t[0] * c;
                    } else {
                        double[] t = new double[2];
                        t[0] = c * x[1];
                        s = t[0] * t[0];
                    }
                    return s;
                }

                @Differentiable
                public static double callsSiblings(double[] x, double c) {
                    return 1 + siblings(x, c) * siblings(x, -c);
                }

                /** A method returning double[] filled by a void helper: its VJP and JVP go through the helper's. */
                @Differentiable
                public static double[] accelOf(double[] x, double k) {
                    double[] out = new double[x.length];
                    accel(x, k, out);
                    return out;
                }

                @Differentiable
                public static double callsTwoSteps(double[] x, double k) {
                    double[] out = {1.0, -1.0, 0.5};
                    twoSteps(x, k, out);
                    return out[0] * x[2] + out[1];
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static ArrayGradientCheck check() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    private static InPlaceCheck inPlace() {
        return new InPlaceCheck(COMPILED.get(), CLASS);
    }

    @Test
    void aVoidHelperFillingAnOutputItAlsoReadsHasInPlaceDerivatives() {
        inPlace().check("accel", true, List.of(2), new double[] {0.3, -0.2, 0.5}, 1.7, new double[] {1.0, 2.0, -1.0});
    }

    @Test
    void anAxpyUpdatesTheAdjointAndTangentOfItsOutputInPlace() {
        inPlace().check("axpy", true, List.of(2), 0.7, new double[] {0.3, -0.2}, new double[] {1.5, 0.25});
    }

    @Test
    void aMethodReturningAValueAndUpdatingItsArgumentHasInPlaceFormsBesideTheOthers() {
        inPlace().check("scaleAndSum", false, List.of(0), new double[] {1, 2, 3}, 1.5);
        check().check("scaleAndSum", new double[] {1, 2, 3}, 1.5);
    }

    @Test
    void aVoidMethodCallingVoidMethods() {
        inPlace().check("twoSteps", true, List.of(0, 2), new double[] {0.3, -0.2, 0.5}, 0.8,
                new double[] {1.0, 2.0, -1.0});
        check().check("callsTwoSteps", new double[] {0.3, -0.2, 0.5}, 0.8);
    }

    @Test
    void localsOfOneNameInSiblingBlocksAreTwoVariablesToTheMemoryEffects() {
        check().check("callsSiblings", new double[] {0.4, -0.7}, 1.3);
    }

    @Test
    void aMethodReturningAnArrayFilledByAVoidHelperHasTheRightJacobian() {
        new JacobianCheck(COMPILED.get(), CLASS).check("accelOf", new Object[] {new double[] {0.3, -0.2, 0.5}, 1.7},
                true, false);
    }

    @Test
    void aSpringChainTimeSteppedWithVoidHelpersInItsLoop() {
        check().check("energyAfter", new double[] {0.3, -0.2, 0.5, 0.1}, 1.3, 0.1);
    }

    @Test
    void aNetworkWhoseLayerHelperWritesIntoRowsOfAMatrix() {
        check().check("network", new double[][] {{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.7}},
                new double[][] {{0.2, -0.6, 0.9}}, new double[] {0.8, -1.1}, 0.25);
    }

    @Test
    void callsWhoseValueIsDeclaredAssignedOrReturned() {
        check().check("values", new double[] {1, 2, 3}, 0.7);
        check().check("values", new double[] {10, 20, 30}, 7.0);
    }

    @Test
    void aHelperWritingTheCallersParameterAndARecursivePrivateVoidHelper() {
        check().check("writesItsParameter", new double[] {0.5, -0.3, 0.8}, new double[] {0.2, 0.4, -0.6}, 1.2);
    }

    @Test
    void callsInValuesThatReadNoArrayAreDeclaredFirst() {
        check().check("inExpressions", new double[] {0.3, -0.4}, 0.9);
    }

    @Test
    void aHelperWritingAParameterThatAConditionReads() {
        check().check("intoData", new double[] {0.5, -0.3}, new double[] {0.1, 0.2});
        check().check("intoData", new double[] {-0.5, -0.3}, new double[] {0.1, 0.2});
    }

    private static final String LIBRARY = """
            package com.example.lib;

            import dev.leibniz.Differentiable;

            public final class Lib {
                private Lib() {
                }

                @Differentiable
                public static void axpy(double alpha, double[] x, double[] y) {
                    for (int i = 0; i < x.length; i++) {
                        y[i] += alpha * x[i];
                    }
                }

                @Differentiable
                public static double scaleAndSum(double[] w, double c) {
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        w[i] *= c;
                        s += w[i];
                    }
                    return s;
                }
            }
            """;

    private static final String APP = """
            package com.example.app;

            import com.example.lib.Lib;
            import dev.leibniz.Differentiable;

            final class App {
                @Differentiable
                static double f(double[] x, double c) {
                    double[] y = {1.0, 2.0};
                    Lib.axpy(c, x, y);
                    double s = Lib.scaleAndSum(y, c);
                    return s * y[0];
                }
            }
            """;

    /** f = s * y0 with y = (1 + c x0, 2 + c x1) scaled by c, s = c (y0 + y1): the closed form, by hand. */
    @Test
    void helpersOfALibraryCompiledEarlierAreCalledThroughTheirInPlaceForms(@TempDir Path libraryDir,
            @TempDir Path appDir) throws Exception {
        Compilation library = Compiled.compile("com.example.lib.Lib", LIBRARY).compilation();
        CallGradientTest.assertSucceededWithoutWarnings(library);
        CallGradientTest.writeClassFiles(library, libraryDir);
        Compilation app = Compiled.compiler()
                .withClasspath(List.of(libraryDir.toFile(), CallGradientTest.runtimeClasses()))
                .compile(Compiled.sources("com.example.app.App", APP));
        CallGradientTest.assertSucceededWithoutWarnings(app);
        CallGradientTest.writeClassFiles(app, appDir);
        try (URLClassLoader libraryLoader = new URLClassLoader(new URL[] {libraryDir.toUri().toURL()},
                ClassLoader.getSystemClassLoader());
                URLClassLoader appLoader = new URLClassLoader(new URL[] {appDir.toUri().toURL()}, libraryLoader)) {
            Method f = appLoader.loadClass("com.example.app.AppGradient").getDeclaredMethod("f", double[].class,
                    double.class);
            f.setAccessible(true);
            double x0 = 0.5;
            double x1 = -1.5;
            double c = 3.0;
            Map<String, Object> g = Compiled.components(f.invoke(null, new double[] {x0, x1}, c));
            // u = 1 + c x0, v = 2 + c x1; f = c (u + v) * c u = c^2 u (u + v)
            double u = 1 + c * x0;
            double v = 2 + c * x1;
            assertEquals(c * c * u * (u + v), (double) g.get("value"), 1e-12);
            double dfdu = c * c * (2 * u + v);
            double dfdv = c * c * u;
            assertArrayEquals(new double[] {dfdu * c, dfdv * c}, (double[]) g.get("x"), 1e-12);
            assertEquals(2 * c * u * (u + v) + dfdu * x0 + dfdv * x1, (double) g.get("c"), 1e-12);
        }
    }

    @Test
    void aWritingCallInsideALargerExpressionIsRefusedWithWhereToPutIt() {
        String source = """
                package com.example;

                import dev.leibniz.Differentiable;

                final class Inside {
                    @Differentiable
                    static double scaleAndSum(double[] w, double c) {
                        w[0] *= c;
                        return w[0] * w[1];
                    }

                    @Differentiable
                    static double f(double[] w, double c) {
                        return w[1] + scaleAndSum(w, c);
                    }
                }
                """;
        assertRejected("com.example.Inside", source, error("a call of 'scaleAndSum', which writes into the arrays it "
                + "is given, is supported as a statement of its own, as the whole value of a declaration, an "
                + "assignment or a return, or in a value that reads no array element and calls no other method (but "
                + "Math's), so that nothing else sees the arrays change; call it first (double r = scaleAndSum(...);)",
                at(source, "scaleAndSum(w, c);", "(")));
    }

    @Test
    void oneArrayPassedAsTheOutputAndAsAnInputIsRefusedAtTheSecond() {
        String source = """
                package com.example;

                import dev.leibniz.Differentiable;

                final class Twice {
                    @Differentiable
                    static void axpy(double alpha, double[] x, double[] y) {
                        for (int i = 0; i < x.length; i++) {
                            y[i] += alpha * x[i];
                        }
                    }

                    @Differentiable
                    static double f(double[] v, double a) {
                        axpy(a, v, v);
                        return v[0];
                    }
                }
                """;
        assertRejected("com.example.Twice", source, error("'axpy' writes into its parameter 'y', and the array 'v' "
                + "is passed as its parameter 'x' too, so what it reads changes as it writes; pass a copy "
                + "(v.clone())", at(source, "axpy(a, v, v);", "v);")));
    }

    /**
     * A method whose written array would need what Leibniz refuses (a helper that is not differentiable writes it),
     * though its result does not read it, keeps its other derivatives; a call of it from differentiable code, which
     * needs the array's, is refused at the call.
     */
    @Test
    void aCallOfAMethodWhoseWrittenArrayWouldNeedARefusedConstructIsRefusedAtTheCall() {
        String source = """
                package com.example;

                import dev.leibniz.Differentiable;

                final class Outputs {
                    static void halve(double[] v) {
                        v[0] = v[0] / 2;
                    }

                    @Differentiable
                    static double f(double[] x, @SuppressWarnings("leibniz") double[] out) {
                        halve(out);
                        return x[1] * x[1];
                    }

                    @Differentiable
                    static double g(double[] x) {
                        double[] out = new double[1];
                        double r = f(x, out);
                        return r + out[0];
                    }
                }
                """;
        assertRejected("com.example.Outputs", source, error("'f' writes into arrays it is given, and the derivatives "
                + "of what it writes would need what Leibniz refuses in 'f' (though its result does not): 'halve' may "
                + "write into 'out'", at(source, "f(x, out);", "(")));
    }

    @Test
    void aHelperWritingAParameterItsWrtLeavesOutIsRefusedAtTheArgument() {
        String source = """
                package com.example;

                import dev.leibniz.Differentiable;

                final class LeftOut {
                    @Differentiable(wrt = {"x"})
                    static double into(double[] x, double[] out) {
                        out[0] = x[0] * x[1];
                        return x[0];
                    }

                    @Differentiable
                    static double f(double[] x) {
                        double[] out = new double[1];
                        into(x, out);
                        return out[0];
                    }
                }
                """;
        assertRejected("com.example.LeftOut", source, error("'into' writes into its parameter 'out', which its wrt "
                + "leaves out, so its derivatives cannot carry what the caller's array holds through the call; add "
                + "\"out\" to its wrt", at(source, "into(x, out);", "out")));
    }
}
