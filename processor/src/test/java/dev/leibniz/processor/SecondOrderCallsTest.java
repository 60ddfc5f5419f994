package dev.leibniz.processor;

import static dev.leibniz.processor.CallGradientTest.assertSucceededWithoutWarnings;
import static dev.leibniz.processor.CallGradientTest.runtimeClasses;
import static dev.leibniz.processor.CallGradientTest.writeClassFiles;
import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.HessianCheck;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Second derivatives through calls: a method with {@code hessian = true} that calls other {@code @Differentiable}
 * methods (helpers with scalars, arrays and loops, helpers returning arrays, void helpers writing their outputs,
 * chains of helpers, recursion, helpers of other classes and of libraries compiled earlier). Its differential calls the callees' differentials; reverse mode goes through each
 * such call by the callee's {@code fDifferentialPullback}. Every Hessian is checked by {@link HessianCheck} against
 * differences of the generated gradient (itself checked against the original elsewhere), and some against closed
 * forms.
 */
class SecondOrderCallsTest {
    private static final String CLASS = "com.example.Composed";
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Composed {
                private Composed() {
                }

                @Differentiable
                static double square(double x) {
                    return x * x;
                }

                @Differentiable
                private static double bump(double u, double w) {
                    return u * u * w + Math.sin(u * w);
                }

                @Differentiable(hessian = true)
                public static double scalars(double x, double y) {
                    double a = bump(x, y);
                    return a * a + bump(y, 2.0) * x + square(x - y) + square(3.0);
                }

                @Differentiable
                static double sigmoid(double z, double beta) {
                    return 1 / (1 + Math.exp(-beta * z));
                }

                @Differentiable
                static double dot(double[] w, double[] x) {
                    double s = 0;
                    for (int i = 0; i < w.length; i++) {
                        s += w[i] * x[i];
                    }
                    return s;
                }

                /** Two sigmoid units and an output unit, each a call per unit, squared error: the article's net. */
                @Differentiable(hessian = true)
                public static double network(double[] w1, double[] w2, double[] v, double[] x, double y) {
                    double[] h = {sigmoid(dot(w1, x), 1.5), sigmoid(dot(w2, x), 1.5)};
                    double out = sigmoid(dot(v, h), 1.5);
                    return (out - y) * (out - y);
                }

                @Differentiable
                static double power(double x, int n) {
                    return n == 0 ? 1 : x * power(x, n - 1);
                }

                @Differentiable(hessian = true)
                public static double recursive(double x, double y) {
                    return power(x, 4) * y + power(y, 3);
                }

                /** A helper that calls a helper: only the first has hessian = true. */
                @Differentiable
                static double softplus(double z) {
                    return Math.log1p(Math.exp(z));
                }

                @Differentiable
                static double smoothAbs(double z, double eps) {
                    return softplus(z / eps) * eps + softplus(-z / eps) * eps;
                }

                @Differentiable(hessian = true)
                public static double chain(double[] z) {
                    double s = 0;
                    for (int i = 0; i < z.length; i++) {
                        s += smoothAbs(z[i] - 0.5 * i, 0.3) * (i + 1);
                    }
                    return s;
                }

                /** wrt leaves a parameter out; the helper's int and constant parameters are inputs. */
                @Differentiable(wrt = "x")
                static double scaled(double x, double c, int k) {
                    return Math.exp(c * x) * k;
                }

                @Differentiable(hessian = true)
                public static double withoutSomeDerivatives(double x, double y) {
                    return scaled(x * y, 0.5, 3) + scaled(y, 2.0, 1);
                }

                /** The helper itself asks for its Hessian: callers use the same second-order forms. */
                @Differentiable(hessian = true)
                public static double rosenbrock(double x, double y) {
                    double a = 1 - x;
                    double b = y - x * x;
                    return a * a + 100 * b * b;
                }

                @Differentiable(hessian = true)
                public static double sumOfRosenbrocks(double[] x) {
                    double s = 0;
                    for (int i = 0; i + 1 < x.length; i++) {
                        s += rosenbrock(x[i], x[i + 1]);
                    }
                    return s;
                }

                /** A layer of sigmoid units, returning its activations. */
                @Differentiable
                static double[] layer(double[][] w, double[] x, double beta) {
                    double[] h = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        h[i] = sigmoid(dot(w[i], x), beta);
                    }
                    return h;
                }

                @Differentiable
                static double[] pair(double[] x) {
                    return new double[] {2 * x[0] * x[1], Math.sin(x[1])};
                }

                /** The article's two hidden layers, built from a helper that returns arrays. */
                @Differentiable(hessian = true)
                public static double layers(double[][] w1, double[][] w2, double[] x, double y) {
                    double[] h1 = layer(w1, x, 1.5);
                    double[] h2 = layer(w2, h1, 1.5);
                    double[] t = pair(h2);
                    double e = t[0] + t[1] - y;
                    return e * e;
                }

                /** Void helpers that write their outputs: an acceleration and an update in place. */
                @Differentiable
                static void accel(double[] x, double k, double[] out) {
                    for (int i = 0; i < x.length; i++) {
                        out[i] = -k * Math.sin(x[i]) * x[i];
                    }
                }

                @Differentiable
                static void axpy(double a, double[] x, double[] y) {
                    for (int i = 0; i < x.length; i++) {
                        y[i] += a * x[i];
                    }
                }

                /** Semi-implicit Euler steps through void helpers, then the energy. */
                @Differentiable(hessian = true)
                public static double stepped(double[] x0, double k, double dt) {
                    double[] x = x0.clone();
                    double[] v = new double[x.length];
                    double[] a = new double[x.length];
                    for (int s = 0; s < 4; s++) {
                        accel(x, k, a);
                        axpy(dt, a, v);
                        axpy(dt, v, x);
                    }
                    double e = 0;
                    for (int i = 0; i < x.length; i++) {
                        e += x[i] * x[i] + v[i] * v[i];
                    }
                    return e;
                }

                /** Mutual recursion. */
                @Differentiable
                static double even(double x, int n) {
                    return n == 0 ? Math.cos(x) : x * odd(x, n - 1);
                }

                @Differentiable
                static double odd(double x, int n) {
                    return n == 0 ? Math.sin(x) : 0.5 * x * even(x, n - 1);
                }

                @Differentiable(hessian = true)
                public static double mutual(double x, double y) {
                    return even(x * y, 5) + odd(y, 4);
                }
            }
            """;

    private static final String OTHER = """
            package com.example;

            import dev.leibniz.Differentiable;

            final class Elsewhere {
                private Elsewhere() {
                }

                @Differentiable(hessian = true)
                static double usesAnotherClass(double x, double y) {
                    return Composed.sigmoid(x * y, 2.0) * Composed.square(y);
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE, "com.example.Elsewhere", OTHER);

    private static HessianCheck check() {
        return new HessianCheck(COMPILED.get(), CLASS);
    }

    @ParameterizedTest
    @CsvSource({"0.7, 1.3", "-1.2, 0.4", "2.0, -0.5"})
    void throughScalarHelpersPrivateOnesIncluded(double x, double y) {
        check().check("scalars", x, y);
    }

    @Test
    void throughHelpersWithArraysAndLoopsCalledPerUnit() {
        double[][] h = check().check("network", new double[] {0.3, -0.8}, new double[] {-0.5, 0.6},
                new double[] {1.1, -0.9}, new double[] {0.7, 1.4}, 0.25);
        assertEquals(9, h.length, "w1, w2, v, x (two each) and y");
    }

    @Test
    void throughHelpersThatReturnArrays() {
        double[][] h = check().check("layers", new double[][] {{0.3, -0.5}, {0.8, 0.1}},
                new double[][] {{-0.7, 0.4}, {0.6, -0.2}}, new double[] {1.1, -0.9}, 0.35);
        assertEquals(11, h.length, "w1, w2 (four each), x (two) and y");
    }

    @Test
    void throughVoidHelpersThatWriteTheirOutputsInALoop() {
        double[][] h = check().check("stepped", new double[] {0.3, -0.5, 0.9}, 1.7, 0.1);
        assertEquals(5, h.length, "x0 (three), k and dt");
    }

    @ParameterizedTest
    @CsvSource({"0.7, 1.3", "-1.1, 0.6"})
    void throughRecursion(double x, double y) {
        double[][] h = check().check("recursive", x, y);
        // x^4 y + y^3
        assertEquals(12 * x * x * y, h[0][0], 1e-12 * Math.max(1, Math.abs(12 * x * x * y)));
        assertEquals(4 * x * x * x, h[0][1], 1e-12 * Math.max(1, Math.abs(4 * x * x * x)));
        assertEquals(6 * y, h[1][1], 1e-12 * Math.max(1, Math.abs(6 * y)));
    }

    @Test
    void throughMutualRecursion() {
        check().check("mutual", 0.6, -0.9);
    }

    @Test
    void throughAHelperThatCallsAHelperInALoop() {
        check().check("chain", new double[] {0.2, 0.9, 0.4, -0.3});
    }

    @ParameterizedTest
    @CsvSource({"0.7, 1.3", "-0.4, 0.9"})
    void throughHelpersThatLeaveParametersOutOfWrt(double x, double y) {
        double[][] h = check().check("withoutSomeDerivatives", x, y);
        // 3 exp(0.5 x y) + exp(2 y)
        double e = 3 * Math.exp(0.5 * x * y);
        assertEquals(e * 0.25 * y * y, h[0][0], 1e-12 * Math.max(1, Math.abs(e)));
        assertEquals(e * (0.5 + 0.25 * x * y), h[0][1], 1e-12 * Math.max(1, Math.abs(e)));
        assertEquals(e * 0.25 * x * x + 4 * Math.exp(2 * y), h[1][1], 1e-11 * Math.max(1, Math.abs(e)));
    }

    @Test
    void throughAHelperThatHasAHessianItself() {
        double[] x = {0.5, 1.2, -0.3, 0.8};
        double[][] h = check().check("sumOfRosenbrocks", x);
        // the extended Rosenbrock's Hessian is tridiagonal: d2/dx0^2 = 2 - 400 (x1 - 3 x0^2)
        assertEquals(2 - 400 * (x[1] - 3 * x[0] * x[0]), h[0][0], 1e-9);
        assertEquals(-400 * x[0], h[0][1], 1e-9);
        assertEquals(0.0, h[0][2]);
    }

    @Test
    void throughHelpersOfAnotherClass() {
        new HessianCheck(COMPILED.get(), "com.example.Elsewhere").check("usesAnotherClass", 0.8, -1.3);
    }

    /**
     * The callee's form itself: the adjoints of the parameters are {@code dValue · H·v}, those of the directions
     * {@code dValue · ∇f}, and the value is the directional derivative.
     */
    @Test
    void theDifferentialPullbackGivesTheHessianVectorProductAndTheGradient() {
        double x = 0.9;
        double y = -0.4;
        double vx = 0.3;
        double vy = -1.7;
        Map<String, Object> pulled = Compiled.components(invoke("rosenbrockDifferentialPullback", x, y, vx, vy, 2.5));
        Map<String, Object> gradient = Compiled.components(invoke("rosenbrock", x, y));
        Map<String, Object> hv = Compiled.components(invoke("rosenbrockHessianVector", x, y, vx, vy));
        assertEquals(List.of("value", "x", "y", "vx", "vy"), List.copyOf(pulled.keySet()));
        double dx = (double) gradient.get("x");
        double dy = (double) gradient.get("y");
        assertEquals(dx * vx + dy * vy, (double) pulled.get("value"), 1e-12 * (Math.abs(dx * vx) + Math.abs(dy * vy)));
        assertEquals(2.5 * (double) hv.get("x"), (double) pulled.get("x"), 1e-10);
        assertEquals(2.5 * (double) hv.get("y"), (double) pulled.get("y"), 1e-10);
        assertEquals(2.5 * dx, (double) pulled.get("vx"), 1e-12 * Math.abs(dx));
        assertEquals(2.5 * dy, (double) pulled.get("vy"), 1e-12 * Math.abs(dy));
    }

    private static Object invoke(String name, Object... args) {
        for (Method m : COMPILED.get().load(CLASS + "Gradient").getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                m.setAccessible(true);
                return Compiled.invoke(m, args);
            }
        }
        throw new AssertionError("no " + name);
    }

    // ----- what is still refused -----

    @Test
    void aHelperThatReturnsAValueAndWritesIntoItsArraysIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Calls {
                    @Differentiable
                    static double scale(double[] x, double c) {
                        for (int i = 0; i < x.length; i++) {
                            x[i] *= c;
                        }
                        return x[0];
                    }
                    @Differentiable(hessian = true)
                    static double f(double[] x, double c) {
                        double[] y = x.clone();
                        double first = scale(y, c);
                        return first * y[1];
                    }
                }
                """;
        assertRejected("com.example.Calls", src, error("hessian = true: second derivatives do not go through calls "
                + "of methods that return a value and write into their arrays yet, and 'scale' does; let it return "
                + "void (the arrays it writes are its outputs), or write its computation here",
                at(src, "scale(y, c)", "(")));
    }

    @Test
    void aHelperWhoseOwnSecondDerivativeIsMissingIsAnErrorAtTheCallSayingWhy() {
        String src = """
                package com.example;
                import dev.leibniz.DerivativeOf;
                import dev.leibniz.Differentiable;
                final class Calls {
                    static double cube(double x) {
                        return x * x * x;
                    }
                    @DerivativeOf("cube")
                    static double cubeDerivative(double x) {
                        return 3 * x * x;
                    }
                    @Differentiable
                    static double helper(double x) {
                        return cube(x) + x;
                    }
                    @Differentiable(hessian = true)
                    static double f(double x, double y) {
                        return helper(x * y) * y;
                    }
                }
                """;
        assertRejected("com.example.Calls", src, error("hessian = true differentiates 'helper' twice, and it cannot "
                + "be: hessian = true needs the derivative of 'cubeDerivative', the @DerivativeOf derivative of 'cube', "
                + "and it has none: declare one with @DerivativeOf(\"cubeDerivative\") (a second derivative of "
                + "'cube'), or remove hessian = true", at(src, "helper(x * y)", "(")));
    }

    // ----- a library compiled earlier -----

    private static final String LIB = """
            package com.example.lib;

            import dev.leibniz.Differentiable;

            public final class Lib {
                private Lib() {
                }

                @Differentiable(hessian = true)
                public static double softplus(double z) {
                    return Math.log1p(Math.exp(z));
                }

                @Differentiable
                public static double plain(double z) {
                    return z * z;
                }

                @Differentiable
                public static void twice(double[] x, double[] out) {
                    out[0] = 2 * x[0];
                }
            }
            """;

    @Test
    void throughAMethodOfALibraryCompiledEarlierWithItsHessian(@TempDir Path libraryDir, @TempDir Path appDir)
            throws Exception {
        Compilation library = Compiled.compile("com.example.lib.Lib", LIB).compilation();
        assertSucceededWithoutWarnings(library);
        writeClassFiles(library, libraryDir);
        String app = """
                package com.example.app;

                import com.example.lib.Lib;
                import dev.leibniz.Differentiable;

                public final class App {
                    private App() {
                    }

                    @Differentiable(hessian = true)
                    public static double loss(double x, double y) {
                        return Lib.softplus(x * y);
                    }
                }
                """;
        Compilation compiled = Compiled.compiler().withClasspath(List.of(libraryDir.toFile(), runtimeClasses()))
                .compile(Compiled.sources("com.example.app.App", app));
        assertSucceededWithoutWarnings(compiled);
        writeClassFiles(compiled, appDir);
        try (URLClassLoader libraryLoader = new URLClassLoader(new URL[] {libraryDir.toUri().toURL()},
                ClassLoader.getSystemClassLoader());
                URLClassLoader appLoader = new URLClassLoader(new URL[] {appDir.toUri().toURL()}, libraryLoader)) {
            Method hessian = appLoader.loadClass("com.example.app.AppGradient").getMethod("lossHessian",
                    double.class, double.class);
            double x = 0.7;
            double y = -1.2;
            double[][] h = (double[][]) hessian.invoke(null, x, y);
            // softplus'' = s (1 - s), s the sigmoid of z = x y; d2/dx2 = s(1-s) y^2, d2/dxdy = s(1-s) x y + s
            double s = 1 / (1 + Math.exp(-x * y));
            assertEquals(s * (1 - s) * y * y, h[0][0], 1e-14);
            assertEquals(s * (1 - s) * x * y + s, h[0][1], 1e-14);
            assertEquals(s * (1 - s) * x * x, h[1][1], 1e-14);
        }
    }

    @Test
    void aMethodOfALibraryCompiledWithoutItsHessianIsAnErrorAtTheCall(@TempDir Path libraryDir) throws Exception {
        Compilation library = Compiled.compile("com.example.lib.Lib", LIB).compilation();
        writeClassFiles(library, libraryDir);
        String app = """
                package com.example.app;
                import com.example.lib.Lib;
                import dev.leibniz.Differentiable;
                public final class App {
                    @Differentiable(hessian = true)
                    public static double loss(double x) {
                        return Lib.plain(x) * x;
                    }
                }
                """;
        List<javax.tools.JavaFileObject> sources = Compiled.sources("com.example.app.App", app);
        Compilation compiled = Compiled.compiler().withClasspath(List.of(libraryDir.toFile(), runtimeClasses()))
                .compile(sources);
        com.google.testing.compile.CompilationSubject.assertThat(compiled).hadErrorContaining(
                "hessian = true differentiates 'plain' twice, and it cannot be: 'plain' was compiled earlier without "
                        + "the forms second derivatives go through; compile it with @Differentiable(hessian = true)")
                .inFile(sources.get(0)).onLineContaining("Lib.plain(x)");
    }

    @Test
    void aVoidMethodOfALibraryCompiledEarlierIsAnErrorAtTheCallThatSaysHowToGetItsForms(@TempDir Path libraryDir)
            throws Exception {
        Compilation library = Compiled.compile("com.example.lib.Lib", LIB).compilation();
        writeClassFiles(library, libraryDir);
        String app = """
                package com.example.app;
                import com.example.lib.Lib;
                import dev.leibniz.Differentiable;
                public final class App {
                    @Differentiable(hessian = true)
                    public static double loss(double[] x) {
                        double[] o = new double[1];
                        Lib.twice(x, o);
                        return o[0] * x[0];
                    }
                }
                """;
        List<javax.tools.JavaFileObject> sources = Compiled.sources("com.example.app.App", app);
        Compilation compiled = Compiled.compiler().withClasspath(List.of(libraryDir.toFile(), runtimeClasses()))
                .compile(sources);
        com.google.testing.compile.CompilationSubject.assertThat(compiled).hadErrorContaining(
                "hessian = true differentiates 'twice' twice, and it cannot be: 'twice' was compiled earlier without "
                        + "the forms second derivatives go through; a method returning void has them when it is "
                        + "compiled with a caller that has hessian = true: compile them together")
                .inFile(sources.get(0)).onLineContaining("Lib.twice(x, o)");
    }
}
