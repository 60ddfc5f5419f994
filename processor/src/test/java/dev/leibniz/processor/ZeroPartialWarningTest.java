package dev.leibniz.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.leibniz.processor.DiagnosticsHarness.assertWarnings;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.compile;
import static dev.leibniz.processor.DiagnosticsHarness.compileAllowingWarnings;
import static dev.leibniz.processor.DiagnosticsHarness.describe;
import static dev.leibniz.processor.DiagnosticsHarness.warning;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.processor.DiagnosticsHarness.Pos;
import dev.leibniz.processor.DiagnosticsHarness.Result;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.InMemoryClassLoader;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Locale;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The warning at a differentiated parameter whose partial is always 0 (as Swift warns): a typo such as returning the
 * wrong variable would otherwise give a silent zero gradient. One javac warning per parameter, at the parameter's
 * name; it does not stop generation; {@code @SuppressWarnings("leibniz")} on the parameter, the method or a class
 * around it silences it, and nothing else does. Leibniz warns only where the partial is certainly 0 at every point
 * (activity analysis finds the parameter useless: never read, or read only where no derivative flows): the
 * parameter is never read, or read only in conditions, indices, integer conversions, piecewise-constant functions or
 * {@code Leibniz.noDerivative}; for an array, that holds for every element.
 */
class ZeroPartialWarningTest {
    private static final String SUPPRESS = "if that is intended, leave it out with wrt, or suppress this with "
            + "@SuppressWarnings(\"leibniz\")";

    private static String neverRead(String parameter, String method) {
        return "parameter '" + parameter + "' of '" + method + "' is differentiated but is never read, so its partial "
                + "is always 0; " + SUPPRESS;
    }

    private static String noDerivativeFlows(String parameter, String method) {
        return "parameter '" + parameter + "' of '" + method + "' is differentiated but cannot affect its result "
                + "through a derivative (it reaches the result, if at all, only through conditions, indices, integer "
                + "conversions, piecewise-constant functions or Leibniz.noDerivative), so its partial is always 0; "
                + SUPPRESS;
    }

    /** Where javac puts a warning at a parameter: its name, the last word of {@code declaration} ("double y"). */
    private static Pos param(String src, String declaration) {
        Pos start = at(src, declaration);
        return new Pos(start.line(), start.column() + declaration.lastIndexOf(' ') + 1);
    }

    private static String source(String className, String members) {
        return """
                package com.example;
                import dev.leibniz.Differentiable;
                import dev.leibniz.Leibniz;
                final class %s {
                %s}
                """.formatted(className, members.indent(4));
    }

    private static JavaFileObject file(String className, String src) {
        return JavaFileObjects.forSourceString("com.example." + className, src);
    }

    @Test
    void aParameterNeverReadGetsOneWarningAtItsNameAndTheGradientIsStillGenerated() throws Exception {
        String src = source("Typo", """
                @Differentiable
                static double f(double x, double y) {
                    double z = x * y;
                    return x * x; // meant z
                }
                """);
        // z is read: y reaches z, which the result does not use
        JavaFileObject file = file("Typo", src);
        Result result = compileAllowingWarnings(file);
        assertWarnings(result, file, warning(noDerivativeFlows("y", "f"), param(src, "double y")));

        src = source("Typo", """
                @Differentiable
                static double f(double x, double y) {
                    return x * x;
                }
                """);
        file = file("Typo", src);
        result = compileAllowingWarnings(file);
        assertWarnings(result, file, warning(neverRead("y", "f"), param(src, "double y")));
        // generated all the same, and the warned partial is 0
        ClassLoader loader = new InMemoryClassLoader(getClass().getClassLoader(), result.compilation());
        Method gradient = Class.forName("com.example.TypoGradient", true, loader)
                .getDeclaredMethod("f", double.class, double.class);
        gradient.setAccessible(true);
        Object record = gradient.invoke(null, 3.0, 2.0);
        assertThat(component(record, "x")).isEqualTo(6.0);
        assertThat(component(record, "y")).isEqualTo(0.0);
    }

    private static Object component(Object record, String name) throws ReflectiveOperationException {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                return accessor.invoke(record);
            }
        }
        throw new AssertionError("no component " + name);
    }

    @Test
    void underWerrorTheWarningFailsTheBuildAsJavacsOwnWarningsDo() {
        String src = source("Strict", """
                @Differentiable
                static double f(double x, double y) {
                    return Math.sin(x);
                }
                """);
        Compilation compilation = compile(file("Strict", src)).compilation();
        assertWithMessage(describe(compilation)).that(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
        assertThat(compilation.warnings()).hasSize(1);
        assertThat(compilation.warnings().get(0).getMessage(Locale.ROOT)).isEqualTo(neverRead("y", "f"));
        assertThat(compilation.errors()).hasSize(1);
        assertThat(compilation.errors().get(0).getMessage(Locale.ROOT)).contains("-Werror");
    }

    @Test
    void eachParameterGetsItsOwnWarningInEveryMethod() {
        String src = source("Several", """
                @Differentiable
                static double f(double a, double b, double c, double d) {
                    return b + d;
                }

                @Differentiable
                static double g(double u, double v) {
                    return 1.0;
                }
                """);
        JavaFileObject file = file("Several", src);
        assertWarnings(compileAllowingWarnings(file), file,
                warning(neverRead("a", "f"), param(src, "double a")),
                warning(neverRead("c", "f"), param(src, "double c")),
                warning(neverRead("u", "g"), param(src, "double u")),
                warning(neverRead("v", "g"), param(src, "double v")));
    }

    /**
     * Read, but only where derivatives do not flow: the partial is 0 wherever it exists. A condition makes the result
     * piecewise in {@code y}, with jumps but a zero slope everywhere else, which is the partial Leibniz computes (it
     * differentiates the branch taken): the warning says so.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "return y > 0 ? x : 2 * x;",
        "if (y < x) { return x; } return x * x;",
        "double s = 0; for (int i = 0; i < (int) y; i++) { s += x; } return s;",
        "return x * (int) y;",
        "return x * (long) Math.floor(y);",
        "return x * Math.floor(y) + Math.signum(y) + Math.round(y);",
        "return x * Leibniz.noDerivative(y * y);",
        "return x + Leibniz.noDerivative(Math.exp(y) * x);",
        "int k = (int) (y * 10); return k % 2 == 0 ? x : -x;",
        "double unused = y * y; return x;",
    })
    void aParameterReadOnlyWhereNoDerivativeFlowsIsWarnedAbout(String body) {
        String src = source("Flat", "@Differentiable\nstatic double f(double x, double y) {\n    " + body + "\n}\n");
        JavaFileObject file = file("Flat", src);
        assertWarnings(compileAllowingWarnings(file), file,
                warning(noDerivativeFlows("y", "f"), param(src, "double y")));
    }

    /** Wherever a derivative may flow from {@code y} to the result, however small or cancelling: no warning. */
    @ParameterizedTest
    @ValueSource(strings = {
        "return x + 0 * y;",
        "return x + y - y;",
        "return Math.abs(y) + x;",
        "return y > 0 ? x : y;",
        "double z = x; if (x > 1) { z = y; } return z;",
        "double[] t = new double[2]; t[1] = y; return t[0] + t[1] + x;",
        "double s = 0; for (int i = 0; i < 3; i++) { s += i == 2 ? y : x; } return s;",
        "y = x; return y;",
        "return x + Math.max(y, 0);",
        "return h(x, y);",
    })
    void noWarningWhereADerivativeMayFlow(String body) {
        String src = source("Live", """
                @Differentiable
                static double f(double x, double y) {
                    %s
                }

                @Differentiable
                static double h(double a, double b) {
                    return a * b;
                }
                """.formatted(body));
        Compiled.compile("com.example.Live", src); // -Xlint:all -Werror: no warning at all
    }

    @Test
    void anArrayIsWarnedAboutOnlyWhenNoneOfItsElementsCanAffectTheResult() {
        String src = source("Arrays", """
                @Differentiable
                static double f(double[] a, double[] b, double[][] m, double[][] n, double[] w) {
                    double s = 0;
                    for (int i = 0; i < b.length && i < a.length; i++) {
                        s += a[i] * (int) w[i];
                    }
                    return s + n[0][n[0].length - 1] + m.length;
                }
                """);
        JavaFileObject file = file("Arrays", src);
        assertWarnings(compileAllowingWarnings(file), file,
                warning(noDerivativeFlows("b", "f"), param(src, "double[] b")),
                warning(noDerivativeFlows("m", "f"), param(src, "double[][] m")),
                warning(noDerivativeFlows("w", "f"), param(src, "double[] w")));

        // one element is enough, through an alias, a copy or a row
        Compiled.compile("com.example.Elements", source("Elements", """
                @Differentiable
                static double f(double[] a, double[] b, double[][] m, double[] c) {
                    double[] s = b;
                    double[] copy = new double[1];
                    System.arraycopy(c, 0, copy, 0, 1);
                    double[] row = m[0];
                    return a[a.length - 1] + s[0] + row[0] + copy[0];
                }
                """));
    }

    @Test
    void aParameterLeftOutByWrtIsNotDifferentiatedAndGetsNoWarning() {
        Compiled.compile("com.example.Wrt", source("Wrt", """
                @Differentiable(wrt = {"x", "w"})
                static double f(double x, double y, double[] w, double[] v, int n) {
                    return x * w[0] + n;
                }
                """));
    }

    @Test
    void vectorValuedAndSecondOrderMethodsAreWarnedAboutToo() {
        String src = source("Forms", """
                @Differentiable
                static double[] f(double x, double y) {
                    return new double[] {x, 2 * x};
                }

                @Differentiable(hessian = true)
                static double g(double x, double y) {
                    return x * x * x;
                }
                """);
        JavaFileObject file = file("Forms", src);
        assertWarnings(compileAllowingWarnings(file), file,
                warning(neverRead("y", "f"), param(src, "f(double x, double y)")),
                warning(neverRead("y", "g"), param(src, "g(double x, double y)")));
    }

    @Test
    void suppressWarningsLeibnizOnTheParameterTheMethodOrAClassAroundItSilencesIt() {
        Compiled.compile("com.example.Quiet", source("Quiet", """
                @Differentiable
                static double onParameter(double x, @SuppressWarnings("leibniz") double unusedForNow) {
                    return x;
                }

                @Differentiable
                @SuppressWarnings({"unchecked", "leibniz"})
                static double onMethod(double x, double y) {
                    return x;
                }
                """));
        Compiled.compile("com.example.QuietClass", """
                package com.example;
                import dev.leibniz.Differentiable;
                @SuppressWarnings("leibniz")
                final class QuietClass {
                    @Differentiable
                    static double f(double x, double y) {
                        return x;
                    }

                    static final class Inner {
                        @Differentiable
                        static double g(double x, double y) {
                            return y > 0 ? 1 : 0;
                        }
                    }
                }
                """);
    }

    /** javac's convention: only the exact key; javac itself ignores {@code "all"}, and so does Leibniz. */
    @Test
    void suppressionNeedsTheExactKeyAndCoversOnlyWhatItIsOn() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Keys {
                    @Differentiable
                    @SuppressWarnings("all")
                    static double all(double x, double y) {
                        return x;
                    }

                    @Differentiable
                    static double other(double x, @SuppressWarnings("leibniz") double y, double z) {
                        return x;
                    }
                }
                """;
        JavaFileObject file = file("Keys", src);
        assertWarnings(compileAllowingWarnings(file), file,
                warning(neverRead("y", "all"), param(src, "all(double x, double y)")),
                warning(neverRead("z", "other"), param(src, "double z")));
    }

    @Test
    void generatedCodeIsNeverWarnedAbout() {
        Compiled.compile("com.example.Made", """
                package com.example;
                import dev.leibniz.Differentiable;
                @javax.annotation.processing.Generated("some.Tool")
                final class Made {
                    @Differentiable
                    static double f(double x, double y) {
                        return x;
                    }
                }
                """);
    }

    @Test
    void aMethodWithErrorsGetsItsErrorsAndNoWarning() {
        String src = source("Broken", """
                @Differentiable
                static double f(double x, double y) {
                    return new java.util.Random().nextDouble() * x;
                }
                """);
        Compilation compilation = compile(file("Broken", src)).compilation();
        assertWithMessage(describe(compilation)).that(compilation.warnings()).isEmpty();
        assertWithMessage(describe(compilation)).that(compilation.errors()).isNotEmpty();
    }
}
