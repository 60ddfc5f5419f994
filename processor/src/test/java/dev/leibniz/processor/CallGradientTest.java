package dev.leibniz.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.GradientCheck;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradients through calls between {@code @Differentiable} methods: the chain rule within a class, across classes
 * of one compilation (imported, same package, static import), recursion, constant helpers, and a library compiled
 * earlier whose classes are only on the classpath.
 */
class CallGradientTest {
    private static final String CLASS = "com.example.Calls";

    private static final String LIB = """
            package com.example.lib;

            import dev.leibniz.Differentiable;

            public final class Lib {
                private Lib() {
                }

                @Differentiable
                public static double softplus(double x) {
                    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
                }

                @Differentiable
                public static double scaledProduct(double a, int k, double b) {
                    return k * a * b + a;
                }
            }
            """;

    private static final String HELPER = """
            package com.example;

            import dev.leibniz.Differentiable;

            final class Helper {
                private Helper() {
                }

                @Differentiable
                static double damped(double x, double rate) {
                    return Math.exp(-rate * x) * Math.cos(x);
                }
            }
            """;

    private static final String SOURCE = """
            package com.example;

            import static com.example.lib.Lib.scaledProduct;

            import com.example.lib.Lib;
            import dev.leibniz.Differentiable;

            public final class Calls {
                private Calls() {
                }

                @Differentiable
                public static double square(double x) {
                    return x * x;
                }

                @Differentiable
                public static double cube(double x) {
                    return x * x * x;
                }

                @Differentiable
                public static double volume(double a, double b, double c) {
                    return 4.0 / 3.0 * Math.PI * a * b * c;
                }

                @Differentiable
                public static double callInLargerExpression(double x, double y) {
                    return 2 * square(x) + y * cube(x + y) - Math.sin(square(y));
                }

                @Differentiable
                public static double sameVariableTwice(double a, double c) {
                    return volume(a, a, c);
                }

                @Differentiable
                public static double sameVariableThreeTimes(double a) {
                    return volume(a, a, a);
                }

                @Differentiable
                public static double callAsArgumentOfCall(double x) {
                    return square(cube(x) + 1);
                }

                @Differentiable
                public static double callsNestedThreeDeep(double x, double y) {
                    return square(square(x * y) - cube(Math.sin(y)));
                }

                @Differentiable
                public static double scaledPower(double x, int k, double s) {
                    return k * s * x * x;
                }

                @Differentiable
                public static double callWithIntArguments(double x, int n) {
                    return scaledPower(x, n + 1, 0.5) + scaledPower(2 * x, 3, x);
                }

                @Differentiable
                public static double callWithConstantArgumentsOnly(double x) {
                    return x * square(3.0) + cube(2);
                }

                @Differentiable
                public static double callToImportedClass(double x) {
                    return Lib.softplus(x) * x;
                }

                @Differentiable
                public static double callToSamePackageClass(double x, double rate) {
                    return Helper.damped(x, rate) + x;
                }

                @Differentiable
                public static double callToStaticImport(double a, double b) {
                    return scaledProduct(a, 2, b) - scaledProduct(b, -1, a * a);
                }

                static int triangular(int n) {
                    return n * (n + 1) / 2;
                }

                static double half(int n) {
                    return n * 0.5;
                }

                @Differentiable
                public static double callToNonDifferentiableHelperWithIntArguments(double x, int n) {
                    return x * triangular(n) + half(3) * x * x + triangular(4);
                }

                @Differentiable
                public static double callWithBooleanAndLongArguments(double x, boolean flag, long m) {
                    return withFlags(x, flag, m) * withFlags(x * x, !flag, m + 1);
                }

                @Differentiable
                public static double withFlags(double x, boolean flag, long m) {
                    return flag ? x * m : x / (m + 1);
                }

                @Differentiable
                public static double callToMethodWithGuards(double x) {
                    return clipped(x) * clipped(2 * x) + clipped(-x);
                }

                @Differentiable
                public static double clipped(double x) {
                    if (x < -1) {
                        return -1;
                    }
                    if (x > 1) {
                        return 1;
                    }
                    return x * (1.5 - 0.5 * x * x);
                }

                @Differentiable
                public static double callResultStoredAndReassigned(double x, double y) {
                    double r = square(x);
                    r = volume(r, y, r);
                    r = r + square(r);
                    return r;
                }

                @Differentiable
                public static double composed(double x) {
                    return inner(x) * 2 + outer(inner(x));
                }

                @Differentiable
                public static double inner(double u) {
                    return Math.sin(u) * u;
                }

                @Differentiable
                public static double outer(double v) {
                    return Math.exp(v / 2) + v * v;
                }

                @Differentiable
                public static double h(double x) {
                    return outer(inner(x));
                }

                @Differentiable
                private static double privateHelper(double x, double y) {
                    return Math.sin(x) * y;
                }

                @Differentiable
                public static double callToPrivateMethod(double x, double y) {
                    return privateHelper(x * y, y) + privateHelper(y, x);
                }

                @Differentiable
                public static double callWithTernaryArgument(double x) {
                    return square(x > 0 ? x : -2 * x) + cube(x);
                }

                @Differentiable
                public static double callInCondition(double x, double y) {
                    double r = x * y;
                    if (square(x) > 2) {
                        r = r * x;
                    }
                    return r + (cube(y) < 1 ? y : 2 * y);
                }

                @Differentiable
                public static double intArgumentToDoubleParameter(double x, int n) {
                    return square(n) * x + cube(n + x);
                }

                @Differentiable
                public static double qualifiedCallToSameClass(double x) {
                    return Calls.square(x) * com.example.Calls.cube(x);
                }

                @Differentiable
                public static double callToNestedClass(double x) {
                    return Nested.twice(x) * x;
                }

                public static final class Nested {
                    private Nested() {
                    }

                    @Differentiable
                    public static double twice(double x) {
                        return 2 * x * x;
                    }
                }

                static double scale(double s) {
                    return s * 1.5;
                }

                @Differentiable
                public static double callToNonDifferentiableHelperWithConstantDoubleArgument(double x) {
                    return x * scale(2.0) + scale(-1);
                }

                @Differentiable
                public static double seeded(double dValue, double t1) {
                    return dValue * t1 + square(dValue);
                }

                @Differentiable
                public static double localNamedLikeCallee(double x) {
                    double square = square(x);
                    double seeded = seeded(square, x);
                    return square * seeded;
                }

                @Differentiable
                public static double callInTernaryBranch(double x) {
                    return x > 0 ? square(x) * 3 : cube(x) - x;
                }

                @Differentiable
                public static double callInIfBranchWithResultInCondition(double x, double y) {
                    double r = square(x);
                    if (r > 2) {
                        r = volume(x, y, r);
                    }
                    return r;
                }

                @Differentiable
                public static double power(double x, int n) {
                    return n == 0 ? 1 : x * power(x, n - 1);
                }

                @Differentiable
                public static double powerByIf(double x, int n) {
                    if (n == 0) {
                        return 1;
                    }
                    double half = powerByIf(x, n / 2);
                    if (n % 2 == 0) {
                        return half * half;
                    }
                    return half * half * x;
                }

                @Differentiable
                public static double ping(double x, int n) {
                    return n <= 0 ? x : pong(x * 1.5, n - 1);
                }

                @Differentiable
                public static double pong(double x, int n) {
                    return Math.sin(ping(x, n - 1)) + x;
                }
            }
            """;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, SOURCE, "com.example.Helper", HELPER, "com.example.lib.Lib", LIB);

    private static Compiled compiled() {
        return COMPILED.get();
    }

    private static GradientCheck check() {
        return COMPILED.check();
    }

    @ParameterizedTest
    @CsvSource({"1.5, 0.5", "-0.7, 1.2", "0.3, -2.0"})
    void chainRuleThroughCallsInsideALargerExpression(double x, double y) {
        check().check("callInLargerExpression", x, y);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 0.5", "-0.7, 1.2", "2.0, -3.0"})
    void sameVariablePassedTwiceGivesTheTotalDerivative(double a, double c) {
        check().check("sameVariableTwice", a, c);
        double[] g = check().gradient("sameVariableTwice", a, c);
        // V = 4/3 pi a b c at b = a: dV/da = 2 * (4/3 pi a c), twice the partial of the callee for its first
        // parameter; dV/dc = 4/3 pi a^2.
        double partialA = 4.0 / 3.0 * Math.PI * a * c;
        assertEquals(2 * partialA, g[1], 1e-12 * Math.max(1, Math.abs(2 * partialA)));
        assertEquals(4.0 / 3.0 * Math.PI * a * a, g[2], 1e-12 * Math.max(1, a * a * 4));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.5, 0.5, 2.0})
    void sameVariablePassedThreeTimes(double a) {
        check().check("sameVariableThreeTimes", a);
        double expected = 4.0 * Math.PI * a * a;
        assertEquals(expected, check().gradient("sameVariableThreeTimes", a)[1], 1e-12 * Math.max(1, expected));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.3, 0.4, 1.1})
    void callAsTheArgumentOfACall(double x) {
        check().check("callAsArgumentOfCall", x);
        double expected = 2 * (x * x * x + 1) * 3 * x * x;
        assertEquals(expected, check().gradient("callAsArgumentOfCall", x)[1], 1e-12 * Math.max(1, Math.abs(expected)));
    }

    @ParameterizedTest
    @CsvSource({"0.8, 1.1", "-1.2, 0.4", "1.3, -0.9"})
    void callsNestedThreeDeep(double x, double y) {
        check().check("callsNestedThreeDeep", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.5, 0.5, 2.0})
    void callInsideATernaryBranch(double x) {
        check().check("callInTernaryBranch", x);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 0.5", "1.0, 0.5", "-1.6, 2.0", "-0.5, -1.0"})
    void callResultTestedByAnIfAndPassedOnInItsBranch(double x, double y) {
        check().check("callInIfBranchWithResultInCondition", x, y);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 0", "-0.7, 2", "0.3, -4"})
    void callWithIntArgumentsMixedIn(double x, int n) {
        check().check("callWithIntArguments", x, n);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, 2.0})
    void callWithConstantArgumentsIsAConstant(double x) {
        check().check("callWithConstantArgumentsOnly", x);
        assertEquals(9.0, check().gradient("callWithConstantArgumentsOnly", x)[1], 0.0);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3.0, -0.5, 0.5, 3.0})
    void callToAnImportedClassOfTheSameCompilation(double x) {
        check().check("callToImportedClass", x);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 1.0", "2.0, -0.3", "-1.0, 0.2"})
    void callToAPackagePrivateClassOfTheSamePackageWithoutImport(double x, double rate) {
        check().check("callToSamePackageClass", x, rate);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 1.0", "2.0, -0.3", "-1.0, 0.2"})
    void callToAStaticallyImportedMethod(double a, double b) {
        check().check("callToStaticImport", a, b);
    }

    @ParameterizedTest
    @CsvSource({"1.3, 0", "1.3, 1", "1.3, 5", "-0.7, 3", "0.9, 8"})
    void recursiveMethod(double x, int n) {
        check().check("power", x, n);
        double expected = n == 0 ? 0.0 : n * Math.pow(x, n - 1);
        assertEquals(expected, check().gradient("power", x, n)[1], 1e-12 * Math.max(1, Math.abs(expected)));
    }

    @ParameterizedTest
    @CsvSource({"1.3, 0", "1.3, 1", "1.3, 6", "-0.7, 7", "0.9, 13"})
    void recursiveMethodWithEarlyReturnsAndARecursiveCallInALocal(double x, int n) {
        check().check("powerByIf", x, n);
        double expected = n == 0 ? 0.0 : n * Math.pow(x, n - 1);
        assertEquals(expected, check().gradient("powerByIf", x, n)[1], 1e-12 * Math.max(1, Math.abs(expected)));
    }

    @ParameterizedTest
    @CsvSource({"0.4, 0", "0.4, 1", "0.4, 4", "-1.1, 5", "2.0, 3"})
    void mutuallyRecursiveMethods(double x, int n) {
        check().check("ping", x, n);
        check().check("pong", x, n);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-0.5, 0", "2.0, -2"})
    void callToANonDifferentiableHelperWithIntArgumentsIsAConstant(double x, int n) {
        check().check("callToNonDifferentiableHelperWithIntArguments", x, n);
        double expected = n * (n + 1) / 2 + 3 * x;
        assertEquals(expected, check().gradient("callToNonDifferentiableHelperWithIntArguments", x, n)[1], 1e-12);
    }

    @ParameterizedTest
    @CsvSource({"1.5, true, 2", "1.5, false, 2", "-0.5, true, -4", "-0.5, false, 7"})
    void callWithBooleanAndLongArguments(double x, boolean flag, long m) {
        check().check("callWithBooleanAndLongArguments", x, flag, m);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-2.0, -0.8, -0.3, 0.3, 0.8, 2.0})
    void callToAMethodWithGuardClauses(double x) {
        check().check("callToMethodWithGuards", x);
    }

    @ParameterizedTest
    @CsvSource({"1.1, 0.7", "-0.6, 1.4", "0.9, -0.5"})
    void callResultsStoredInALocalThatIsReassigned(double x, double y) {
        check().check("callResultStoredAndReassigned", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.2, 0.3, 1.7})
    void sameCalleeCalledTwiceWithTheSameArgument(double x) {
        check().check("composed", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.2, 0.3, 1.7})
    void pullbackOfACompositionIsTheProductOfTheCalleesPullbacks(double x) throws Exception {
        check().check("h", x);
        Class<?> gradient = compiled().load(CLASS + "Gradient");
        double u = check().value("inner", x);
        double outerPart = component(invoke(gradient, "outerPullback", u, 1.0), "v");
        double innerPart = component(invoke(gradient, "innerPullback", x, 1.0), "u");
        double composed = component(invoke(gradient, "hPullback", x, 1.0), "x");
        assertEquals(outerPart * innerPart, composed, 1e-12 * Math.max(1, Math.abs(composed)));
        // A seed passed to h's pullback reaches the callees' pullbacks unchanged: hPullback(x, s) is
        // outerPullback(u, s).v * innerPullback(x, 1).u, and innerPullback(x, s').u is s' times the gradient.
        double seed = 0.75;
        double seeded = component(invoke(gradient, "hPullback", x, seed), "x");
        double outerSeeded = component(invoke(gradient, "outerPullback", u, seed), "v");
        assertEquals(outerSeeded * innerPart, seeded, 1e-12 * Math.max(1, Math.abs(seeded)));
        double innerSeeded = component(invoke(gradient, "innerPullback", x, outerSeeded), "u");
        assertEquals(innerSeeded, seeded, 1e-12 * Math.max(1, Math.abs(seeded)));
    }

    @ParameterizedTest
    @CsvSource({"0.5, 1.0", "2.0, -0.3", "-1.0, 0.2"})
    void callToAPrivateDifferentiableMethod(double x, double y) {
        check().check("callToPrivateMethod", x, y);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.5, -0.5, 0.5, 1.5})
    void callWithATernaryAsArgument(double x) {
        check().check("callWithTernaryArgument", x);
    }

    @ParameterizedTest
    @CsvSource({"2.0, 0.5", "2.0, 1.5", "1.0, 0.5", "-1.0, 1.5", "-2.0, -3.0"})
    void callInsideAnIfConditionAndATernaryCondition(double x, double y) {
        check().check("callInCondition", x, y);
    }

    @ParameterizedTest
    @CsvSource({"1.5, 3", "-0.5, 0", "2.0, -2"})
    void intArgumentPassedToADoubleParameterOfTheCallee(double x, int n) {
        check().check("intArgumentToDoubleParameter", x, n);
        double expected = n * n + 3 * (n + x) * (n + x);
        assertEquals(expected, check().gradient("intArgumentToDoubleParameter", x, n)[1],
                1e-12 * Math.max(1, Math.abs(expected)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.5, 0.5, 2.0})
    void qualifiedCallsToTheSameClass(double x) {
        check().check("qualifiedCallToSameClass", x);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.5, 0.5, 2.0})
    void callToANestedClass(double x) {
        check().check("callToNestedClass", x);
        assertEquals(6 * x * x, check().gradient("callToNestedClass", x)[1], 1e-12 * Math.max(1, 6 * x * x));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.5, 2.0})
    void callToANonDifferentiableHelperWithAConstantDoubleArgumentIsAConstant(double x) {
        check().check("callToNonDifferentiableHelperWithConstantDoubleArgument", x);
        assertEquals(3.0, check().gradient("callToNonDifferentiableHelperWithConstantDoubleArgument", x)[1], 0.0);
    }

    @ParameterizedTest
    @CsvSource({"0.5, 1.0", "2.0, -0.3"})
    void calleeWithParametersNamedLikeGeneratedVariables(double dValue, double t1) {
        check().check("seeded", dValue, t1);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.5, 0.5, 2.0})
    void localsNamedLikeTheCalledMethods(double x) {
        check().check("localNamedLikeCallee", x);
    }

    // ----- a library compiled earlier, whose classes are only on the classpath -----

    private static final String USER = """
            package com.example.app;

            import com.example.lib.Lib;
            import dev.leibniz.Differentiable;

            public final class App {
                private App() {
                }

                @Differentiable
                public static double loss(double x, double y) {
                    return Lib.softplus(x * y) + Lib.scaledProduct(x, 3, y);
                }
            }
            """;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void callToADifferentiableMethodOfALibraryCompiledEarlier(boolean libraryWithParameterNames,
            @TempDir Path libraryDir, @TempDir Path appDir) throws Exception {
        Compilation library = libraryWithParameterNames
                ? Compiled.compiler().withOptions(List.of("-Xlint:all", "-Werror", "-parameters"))
                        .compile(Compiled.sources("com.example.lib.Lib", LIB))
                : Compiled.compile("com.example.lib.Lib", LIB).compilation();
        assertSucceededWithoutWarnings(library);
        writeClassFiles(library, libraryDir);

        Compilation app = Compiled.compiler()
                .withClasspath(List.of(libraryDir.toFile(), runtimeClasses()))
                .compile(Compiled.sources("com.example.app.App", USER));
        assertSucceededWithoutWarnings(app);
        writeClassFiles(app, appDir);

        try (URLClassLoader libraryLoader = new URLClassLoader(new URL[] {libraryDir.toUri().toURL()},
                ClassLoader.getSystemClassLoader());
                URLClassLoader appLoader = new URLClassLoader(new URL[] {appDir.toUri().toURL()}, libraryLoader)) {
            Class<?> original = appLoader.loadClass("com.example.app.App");
            Class<?> gradient = appLoader.loadClass("com.example.app.AppGradient");
            for (double[] p : new double[][] {{0.5, 1.5}, {-2.0, 0.7}, {1.2, -1.1}}) {
                double x = p[0];
                double y = p[1];
                double[] g = components(invoke(gradient, "loss", x, y));
                double expectedValue = (double) invoke(original, "loss", x, y);
                assertEquals(Double.doubleToLongBits(expectedValue), Double.doubleToLongBits(g[0]), "value");
                // d/dz softplus(z) = 1 / (1 + e^-z); scaledProduct(x, 3, y) = 3xy + x
                double sigmoid = 1 / (1 + Math.exp(-x * y));
                assertEquals(sigmoid * y + 3 * y + 1, g[1], 1e-12, "d/dx at " + x + ", " + y);
                assertEquals(sigmoid * x + 3 * x, g[2], 1e-12, "d/dy at " + x + ", " + y);
                double[] pulled = components(invoke(gradient, "lossPullback", x, y, -2.0));
                assertEquals(-2.0 * g[1], pulled[1], 1e-12);
                assertEquals(-2.0 * g[2], pulled[2], 1e-12);
                // forward mode through the library's differentials
                double[] d = components(invoke(gradient, "lossDifferential", x, y, 0.25, -1.5));
                assertEquals(Double.doubleToLongBits(expectedValue), Double.doubleToLongBits(d[0]), "value");
                assertEquals(0.25 * g[1] - 1.5 * g[2], d[1], 1e-12 * (Math.abs(0.25 * g[1]) + Math.abs(1.5 * g[2])));
            }
        }
    }

    // ----- derivatives a library compiled earlier declares next to its methods -----

    private static final String SPECIAL = """
            package com.example.lib;

            import dev.leibniz.DerivativeOf;

            public final class Special {
                private Special() {
                }

                public static double softplus(double x) {
                    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
                }

                @DerivativeOf("softplus")
                public static double logistic(double x) {
                    return 1 / (1 + Math.exp(-x));
                }

                public static double product(double a, double b) {
                    return a * b;
                }

                @DerivativeOf(value = "product", wrt = "a")
                public static double productDa(double a, double b) {
                    return b;
                }

                @DerivativeOf(value = "product", wrt = "b")
                public static double productDb(double a, double b) {
                    return a;
                }
            }
            """;

    private static final String USES_SPECIAL = """
            package com.example.app;

            import com.example.lib.Special;
            import dev.leibniz.Differentiable;

            public final class Model {
                private Model() {
                }

                @Differentiable
                public static double loss(double x, double y) {
                    return Special.softplus(x * y) + Special.product(x, y);
                }
            }
            """;

    /** As Gradle's incremental build does when only the class that calls them changed. */
    @Test
    void derivativesDeclaredNextToTheirOriginalsInAClassCompiledEarlierApply(@TempDir Path libraryDir,
            @TempDir Path appDir) throws Exception {
        Compilation library = Compiled.compiler().withOptions(List.of("-Xlint:all", "-Werror", "-parameters"))
                .compile(Compiled.sources("com.example.lib.Special", SPECIAL));
        assertSucceededWithoutWarnings(library);
        writeClassFiles(library, libraryDir);

        Compilation app = Compiled.compiler()
                .withClasspath(List.of(libraryDir.toFile(), runtimeClasses()))
                .compile(Compiled.sources("com.example.app.Model", USES_SPECIAL));
        assertSucceededWithoutWarnings(app);
        writeClassFiles(app, appDir);
        try (URLClassLoader libraryLoader = new URLClassLoader(new URL[] {libraryDir.toUri().toURL()},
                ClassLoader.getSystemClassLoader());
                URLClassLoader appLoader = new URLClassLoader(new URL[] {appDir.toUri().toURL()}, libraryLoader)) {
            Class<?> gradient = appLoader.loadClass("com.example.app.ModelGradient");
            double x = 0.7;
            double y = -1.3;
            double[] g = components(invoke(gradient, "loss", x, y));
            double sigmoid = 1 / (1 + Math.exp(-x * y));
            assertEquals(sigmoid * y + y, g[1], 1e-12);
            assertEquals(sigmoid * x + x, g[2], 1e-12);
        }
    }

    @Test
    void aDerivativeWhoseWrtNamesAParameterOfAClassCompiledWithoutParameterNamesIsAnErrorAtTheCall(
            @TempDir Path libraryDir) throws Exception {
        Compilation library = Compiled.compile("com.example.lib.Special", SPECIAL).compilation();
        writeClassFiles(library, libraryDir);

        Compilation app = Compiled.compiler()
                .withClasspath(List.of(libraryDir.toFile(), runtimeClasses()))
                .compile(Compiled.sources("com.example.app.Model", USES_SPECIAL));
        // softplus's derivative, with one double parameter, needs no name and applies; product's does not
        assertThat(app).hadErrorCount(1);
        assertThat(app).hadErrorContaining("'product' is not @Differentiable, so no derivative can flow through it")
                .inFile(Compiled.sources("com.example.app.Model", USES_SPECIAL).get(0)).onLine(12);
    }

    /** What an older Leibniz generated for Lib: the gradient and the pullback, no differential. */
    private static final String LIB_GRADIENT_WITHOUT_DIFFERENTIAL = """
            package com.example.lib;

            public final class LibGradient {
                private LibGradient() {
                }

                public static Softplus softplus(double x) {
                    return softplusPullback(x, 1.0);
                }

                public static Softplus softplusPullback(double x, double dValue) {
                    double value = Lib.softplus(x);
                    return new Softplus(value, dValue / (1 + Math.exp(-x)));
                }

                public record Softplus(double value, double x) {
                }
            }
            """;

    @Test
    void calleeCompiledByAnOlderLeibnizWithoutADifferentialIsACompileErrorAtTheCall(@TempDir Path libraryDir)
            throws Exception {
        Compilation library = com.google.testing.compile.Compiler.javac().withOptions(List.of("-proc:none"))
                .compile(Compiled.sources("com.example.lib.Lib", LIB, "com.example.lib.LibGradient",
                        LIB_GRADIENT_WITHOUT_DIFFERENTIAL));
        assertSucceededWithoutWarnings(library);
        writeClassFiles(library, libraryDir);
        String user = """
                package com.example.app;

                import com.example.lib.Lib;
                import dev.leibniz.Differentiable;

                public final class App {
                    private App() {
                    }

                    @Differentiable
                    public static double loss(double x) {
                        return Lib.softplus(2 * x);
                    }
                }
                """;
        Compilation app = Compiled.compiler()
                .withClasspath(List.of(libraryDir.toFile(), runtimeClasses()))
                .compile(Compiled.sources("com.example.app.App", user));
        assertEquals(Compilation.Status.FAILURE, app.status());
        List<String> errors = app.errors().stream().map(d -> d.getLineNumber() + ": " + d.getMessage(null)).toList();
        assertEquals(List.of("12: 'softplus' was compiled by an older Leibniz: com.example.lib.LibGradient has no "
                + "softplusDifferential, which the differential of this method calls (forward mode); recompile Lib "
                + "with this version of Leibniz"), errors);
    }

    static File runtimeClasses() throws URISyntaxException {
        return new File(dev.leibniz.Differentiable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static void assertSucceededWithoutWarnings(Compilation compilation) {
        String diagnostics = compilation.diagnostics().stream()
                .map(d -> d.getKind() + ": " + d.getMessage(null) + " (line " + d.getLineNumber() + ")")
                .collect(Collectors.joining("\n"));
        // compile-testing keeps generated files only of a successful compilation; javac's diagnostics quote the
        // offending generated lines otherwise.
        String generated = compilation.status() != Compilation.Status.SUCCESS ? ""
                : compilation.generatedSourceFiles().stream()
                        .map(CallGradientTest::contents).collect(Collectors.joining("\n"));
        assertWithMessage("compilation must succeed without warnings:\n" + diagnostics + "\n" + generated)
                .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertWithMessage("diagnostics:\n" + diagnostics)
                .that(compilation.diagnostics().stream().filter(d -> d.getKind() != Diagnostic.Kind.NOTE).count())
                .isEqualTo(0);
    }

    static void writeClassFiles(Compilation compilation, Path dir) throws IOException {
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = file.toUri().getPath();
            String relative = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length());
            Path target = dir.resolve(relative);
            Files.createDirectories(target.getParent());
            try (InputStream in = file.openInputStream()) {
                Files.write(target, in.readAllBytes());
            }
        }
    }

    private static String contents(JavaFileObject file) {
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object invoke(Class<?> owner, String name, Object... args) throws Exception {
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                m.setAccessible(true);
                return m.invoke(null, args);
            }
        }
        throw new AssertionError("no method " + owner.getName() + "." + name);
    }

    private static double component(Object record, String name) throws Exception {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                return (double) accessor.invoke(record);
            }
        }
        throw new AssertionError(record.getClass().getName() + " has no component " + name);
    }

    private static double[] components(Object record) throws Exception {
        RecordComponent[] cs = record.getClass().getRecordComponents();
        double[] values = new double[cs.length];
        for (int i = 0; i < cs.length; i++) {
            Method accessor = cs[i].getAccessor();
            accessor.setAccessible(true);
            values[i] = (double) accessor.invoke(record);
        }
        return values;
    }
}
