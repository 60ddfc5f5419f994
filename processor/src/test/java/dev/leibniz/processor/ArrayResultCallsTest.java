package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
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
 * Calls of {@code @Differentiable} helpers returning {@code double[]} from differentiable code: the forward sweep
 * calls the helper, the reverse sweep its vector-Jacobian product with the adjoint of the array it returned, forward
 * mode its Jacobian-vector product. Methods returning a number are checked by {@link ArrayGradientCheck} (value bit
 * for bit, every partial against central differences, every form); methods returning an array by
 * {@link JacobianCheck} (Jacobian against differences, JVP, VJP).
 */
class ArrayResultCallsTest {
    private static final String CLASS = "com.example.Helpers";
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Helpers {
                private Helpers() {
                }

                @Differentiable
                static double[] layer(double[][] w, double[] x, double beta) {
                    double[] y = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        double z = 0;
                        for (int j = 0; j < x.length; j++) {
                            z += w[i][j] * x[j];
                        }
                        y[i] = 1 / (1 + Math.exp(-beta * z));
                    }
                    return y;
                }

                /** The article's network: two hidden layers built by one helper, squared error. */
                @Differentiable
                public static double mlp(double[][] w1, double[][] w2, double[][] w3, double[] x, double beta,
                        double target) {
                    double[] h1 = layer(w1, x, beta);
                    double[] h2 = layer(w2, h1, beta);
                    double[] out = layer(w3, h2, beta * 0.5);
                    double e = out[0] - target;
                    return 0.5 * e * e;
                }

                @Differentiable
                private static double[] accel(double[] x, double k) {
                    double[] a = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        a[i] = -k * Math.sin(x[i]);
                    }
                    return a;
                }

                /** Velocity Verlet with a private acceleration helper called in the loop. */
                @Differentiable
                public static double verlet(double[] x0, double[] v0, double k, double dt) {
                    double[] x = x0.clone();
                    double[] v = v0.clone();
                    double[] a = accel(x, k);
                    for (int s = 0; s < 5; s++) {
                        for (int i = 0; i < x.length; i++) {
                            x[i] += dt * v[i] + 0.5 * dt * dt * a[i];
                        }
                        double[] next = accel(x, k);
                        for (int i = 0; i < x.length; i++) {
                            v[i] += 0.5 * dt * (a[i] + next[i]);
                        }
                        a = next;
                    }
                    double e = 0;
                    for (int i = 0; i < x.length; i++) {
                        e += x[i] * x[i] + v[i] * v[i];
                    }
                    return e;
                }

                @Differentiable
                static double[] step(double[] x, double dt) {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = x[i] + dt * Math.cos(x[i] * x[(i + 1) % x.length]);
                    }
                    return y;
                }

                /** The state replaced by the helper's result each step: x = step(x, dt). */
                @Differentiable
                public static double reassignedInALoop(double[] x0, double dt, int steps) {
                    double[] x = x0;
                    for (int s = 0; s < steps; s++) {
                        x = step(x, dt);
                    }
                    return x[0] * x[1];
                }

                /** No array parameter: the result's adjoint is the only array the VJP takes. */
                @Differentiable
                static double[] polar(double r, double t) {
                    return new double[] {r * Math.cos(t), r * Math.sin(t)};
                }

                @Differentiable
                static double sum(double[] v) {
                    double s = 0;
                    for (double e : v) {
                        s += e;
                    }
                    return s;
                }

                /** A helper's array passed on to a helper returning a number, and a scalar argument expression. */
                @Differentiable
                public static double scalarsOnly(double r, double t) {
                    double[] p = polar(r * r, t + 1);
                    return sum(p) + p[0] * p[1];
                }

                @Differentiable(wrt = {"x"})
                static double[] scaled(double[] x, double s) {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = s * x[i] * x[i];
                    }
                    return y;
                }

                /** A helper differentiating only some parameters: the others must carry no derivative here. */
                @Differentiable
                public static double partlyDifferentiated(double[] x, double c) {
                    double[] y = scaled(x, 3);
                    return y[0] + c * y[1];
                }

                /** An array-valued method returning a helper's result, after reassigning through helpers. */
                @Differentiable
                public static double[] composed(double[] x, double dt) {
                    double[] y = step(x, dt);
                    y = step(y, dt * 2);
                    return step(y, dt);
                }

                /** A result discarded on one path, the call inside a branch. */
                @Differentiable
                public static double inABranch(double[] x, double dt) {
                    double[] y = x;
                    if (x[0] > 0) {
                        y = step(x, dt);
                    }
                    return y[0] + y[1];
                }

                /** The helper's result written afterwards, and read again by the reverse sweep. */
                @Differentiable
                public static double resultWrittenAfterwards(double[] x, double dt) {
                    double[] y = step(x, dt);
                    y[0] = y[0] * y[1];
                    y[1] = Math.sin(y[0]);
                    return y[0] + y[1];
                }

                /** The call in one arm of a switch, the parameter itself in the other. */
                @Differentiable
                public static double inASwitchArm(double[] x, double dt, int k) {
                    double[] y;
                    switch (k) {
                        case 0 -> y = step(x, dt);
                        case 1 -> y = step(step(x, dt), dt * x[0]);
                        default -> y = x;
                    }
                    return y[0] * y[1];
                }

                /** A for-each over a helper's result, and over constant data named through its class. */
                @Differentiable
                public static double overEachElement(double[] x, double dt) {
                    double s = 0;
                    for (double e : step(x, dt)) {
                        s += e * e;
                    }
                    for (double w : Helpers.WEIGHTS) {
                        s += w * x[0];
                    }
                    return s;
                }

                static final double[] WEIGHTS = {0.5, -1.5};

                /** Recursion through its own vector-Jacobian product. */
                @Differentiable
                static double[] repeated(double[] x, int n) {
                    double[] y = x.clone();
                    if (n > 0) {
                        double[] z = repeated(x, n - 1);
                        for (int i = 0; i < y.length; i++) {
                            y[i] = Math.sin(z[i]) * x[i];
                        }
                    }
                    return y;
                }

                /** A recursive helper called on each row of a matrix. */
                @Differentiable
                public static double rowsOfAMatrix(double[][] m, double c) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        double[] r = repeated(m[i], 2);
                        s += r[0] * r[1] * c;
                    }
                    return s;
                }

                /** Calls as arguments of calls: each declared first, innermost first. */
                @Differentiable
                public static double nested(double[][] w1, double[][] w2, double[] x, double dt) {
                    double[] h = layer(w2, layer(w1, step(x, dt), dt), 2 * dt);
                    double s = sum(step(step(h, dt), Math.sin(dt)));
                    return s + sum(layer(w1, x, dt)) * step(x, dt)[1];
                }

                /** A new array of elements of a row named with var: not the row (found by the random tester). */
                @Differentiable
                static double[] fromARow(double[][] m, double c) {
                    var row = m[0];
                    var same = row;
                    return new double[] {same[0] * c, row[1]};
                }

                @Differentiable
                public static double callsFromARow(double[][] m, double c) {
                    double[] r = fromARow(m, c);
                    return r[0] * r[1];
                }

                /** An argument written after the call: the VJP must see it as it was at the call. */
                @Differentiable
                public static double argumentWrittenAfterwards(double[] x, double dt) {
                    double[] w = x.clone();
                    double[] y = step(w, dt);
                    w[0] = w[1] * 3;
                    double[] z = step(w, dt);
                    return y[0] * z[0] + y[1] * z[1];
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE);

    private static ArrayGradientCheck check() {
        return new ArrayGradientCheck(COMPILED.get(), CLASS, SOURCE);
    }

    private static JacobianCheck jacobian() {
        return new JacobianCheck(COMPILED.get(), CLASS);
    }

    @Test
    void aNetworkBuiltFromALayerHelperGetsEveryWeightsGradient() {
        check().check("mlp", new double[][] {{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.7}},
                new double[][] {{0.2, -0.6, 0.9}, {0.1, 0.4, -0.3}}, new double[][] {{0.8, -0.5}},
                new double[] {0.8, -1.1}, 1.3, 0.25);
    }

    @Test
    void aVerletIntegratorWithAnAccelerationHelperInItsLoop() {
        check().check("verlet", new double[] {0.4, -0.9, 1.3}, new double[] {0.1, 0.3, -0.2}, 0.7, 0.1);
    }

    @Test
    void stateReplacedByTheHelpersResultEachStep() {
        check().check("reassignedInALoop", new double[] {0.4, -0.9, 0.2}, 0.1, 3);
        check().check("reassignedInALoop", new double[] {0.4, -0.9, 0.2}, 0.1, 0);
    }

    @Test
    void helpersWithScalarParametersOnlyAndArraysPassedOnToOtherHelpers() {
        check().check("scalarsOnly", 0.7, 0.3);
    }

    @Test
    void aHelperThatDifferentiatesSomeParametersOnly() {
        check().check("partlyDifferentiated", new double[] {0.4, -0.9}, 1.7);
    }

    @Test
    void anArrayValuedMethodComposedOfHelpersHasTheRightJacobian() {
        jacobian().check("composed", new Object[] {new double[] {0.4, -0.9, 0.2, 1.1, -0.3}, 0.3}, true, false);
    }

    @Test
    void aCallOnOnePathOnly() {
        check().check("inABranch", new double[] {0.4, -0.9}, 0.3);
        check().check("inABranch", new double[] {-0.4, -0.9}, 0.3);
    }

    @Test
    void aCallInOneArmOfASwitch() {
        for (int k = 0; k < 3; k++) {
            check().check("inASwitchArm", new double[] {0.4, -0.9}, 0.3, k);
        }
    }

    @Test
    void aRecursiveHelperCalledOnTheRowsOfAMatrix() {
        check().check("rowsOfAMatrix", new double[][] {{0.3, 1.2}, {0.5, -0.4}, {-0.7, 0.9}}, 0.7);
        jacobian().check("repeated", new Object[] {new double[] {0.3, 1.2, -0.4}, 3}, true, false);
    }

    @Test
    void aForEachOverAHelpersResult() {
        check().check("overEachElement", new double[] {0.4, -0.9, 0.2}, 0.3);
    }

    @Test
    void callsAsArgumentsOfCallsAreDeclaredFirstInnermostFirst() {
        check().check("nested", new double[][] {{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.7}},
                new double[][] {{0.2, -0.6, 0.9}, {0.1, 0.4, -0.3}}, new double[] {0.8, -1.1}, 0.7);
    }

    @Test
    void aNewArrayOfElementsOfARowNamedWithVarIsNotTheRow() {
        check().check("callsFromARow", new double[][] {{0.3, 1.2}, {0.5, -0.4}}, 0.7);
    }

    @Test
    void theResultAndTheArgumentsMayBeWrittenAfterTheCall() {
        check().check("resultWrittenAfterwards", new double[] {0.4, -0.9}, 0.3);
        check().check("argumentWrittenAfterwards", new double[] {0.4, -0.9}, 0.3);
    }

    @Test
    void theReverseSweepCallsTheHelpersVectorJacobianProduct() {
        String generated = COMPILED.get().generatedSource(CLASS + "Gradient");
        assertTrue(generated.contains("HelpersGradient.layerPullback(w2, h1, beta, dh2, dw2, dh1)"), generated);
    }

    // ---- a library compiled earlier, whose classes are only on the classpath

    private static final String LIBRARY = """
            package com.example.lib;

            import dev.leibniz.Differentiable;

            public final class Lib {
                private Lib() {
                }

                @Differentiable
                public static double[] squares(double[] x, double c) {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = c * x[i] * x[i];
                    }
                    return y;
                }

                @Differentiable
                public static double[] itself(double[] x) {
                    return x;
                }
            }
            """;

    private static final String APP = """
            package com.example.app;

            import com.example.lib.Lib;
            import dev.leibniz.Differentiable;

            public final class App {
                private App() {
                }

                @Differentiable
                public static double energy(double[] x, double c) {
                    double[] y = Lib.squares(x, c);
                    return y[0] + 2 * y[1];
                }
            }
            """;

    @Test
    void aHelperOfALibraryCompiledEarlierIsCalledThroughItsVectorJacobianProduct(@TempDir Path libraryDir,
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
            Class<?> gradient = appLoader.loadClass("com.example.app.AppGradient");
            Method energy = gradient.getDeclaredMethod("energy", double[].class, double.class);
            energy.setAccessible(true);
            Map<String, Object> g = Compiled.components(energy.invoke(null, new double[] {0.5, -1.5}, 3.0));
            // c x0^2 + 2 c x1^2
            assertEquals(3.0 * 0.25 + 2 * 3.0 * 2.25, (double) g.get("value"), 1e-15);
            assertArrayEquals(new double[] {2 * 3.0 * 0.5, 4 * 3.0 * -1.5}, (double[]) g.get("x"), 1e-15);
            assertEquals(0.25 + 2 * 2.25, (double) g.get("c"), 1e-15);
        }

        String aliasing = APP.replace("Lib.squares(x, c)", "Lib.itself(x)").replace("return y[0]",
                "y[1] = c;\n        return y[0]");
        Compilation refused = Compiled.compiler()
                .withClasspath(List.of(libraryDir.toFile(), CallGradientTest.runtimeClasses()))
                .compile(Compiled.sources("com.example.app.App", aliasing));
        assertTrue(refused.errors().stream().anyMatch(e -> e.getMessage(null).contains(
                "'itself' may return an array it is given")), refused.errors().toString());
    }

    // ---- what stays refused

    /** A class {@code %s} with a helper {@code twice} returning an array, and then {@code %s}, a method using it. */
    private static final String TWICE_IN = """
            package com.example;
            import dev.leibniz.Differentiable;
            final class %s {
                @Differentiable
                static double[] twice(double[] x) {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = 2 * x[i];
                    }
                    return y;
                }
            %s}
            """;

    @Test
    void aCallInAConditionABranchOrAStatementWithSideEffectsIsAnErrorThatSaysWhereItMayStand() {
        String src = TWICE_IN.formatted("Inside", """
                    @Differentiable
                    static double first(double[] x) {
                        int i = 0;
                        double s = x[i++] + twice(x)[0];
                        if (twice(x)[1] > 0) {
                            s += 1;
                        }
                        return x[0] > 0 ? twice(x)[0] : s;
                    }
                """);
        String message = "a call of 'twice', which returns double[], is supported in the value of a declaration, an "
                + "assignment or a return that has no side effects, where it is evaluated exactly once";
        assertRejected("com.example.Inside", src,
                error(message, at(src, "twice(x)[0];", "(")),
                error(message, at(src, "twice(x)[1]", "(")),
                error(message, at(src, "twice(x)[0] : s", "(")));
    }

    @Test
    void aDiscardedCallIsAnErrorThatSaysItCannotAffectTheDerivative() {
        String src = TWICE_IN.formatted("Discarded", """
                    @Differentiable
                    static double first(double[] x) {
                        twice(x);
                        return x[0];
                    }
                """);
        assertRejected("com.example.Discarded", src,
                error("a call whose result is discarded cannot affect a derivative (the method writes into no array "
                        + "it is given); remove it, or use its result", at(src, "twice(x);", "(")));
    }

    @Test
    void aHelperThatMayReturnItsOwnArgumentIsAnError() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Same {
                    @Differentiable
                    static double[] clipped(double[] x) {
                        double[] y = x;
                        if (x[0] > 1) {
                            y = new double[] {1, x[1]};
                        }
                        return y;
                    }

                    @Differentiable
                    static double f(double[] x) {
                        double[] y = clipped(x);
                        y[1] = 3 * y[1];
                        return x[1] * y[1];
                    }
                }
                """;
        assertRejected("com.example.Same", src,
                error("'clipped' may return an array it is given (or a row of one) rather than a new array",
                        at(src, "clipped(x);", "(")));
    }
}
