package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import dev.leibniz.processor.testing.HessianCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The names and the sizes of what Leibniz generates. User methods named like generated members, generated records
 * named like the types generated code uses ({@code Tape}, {@code Buffers}, {@code Math}, the source class), and
 * nested classes of the source named like the generated class or a record work: generated members live in another
 * class, and JavaPoet qualifies a type that a nested record or the generated class hides. A record
 * named like its own generated class cannot exist and is an error at its method. The JVM's 255 parameter slots bound
 * every generated form: a method whose forms would pass it is an error at the method naming each form.
 */
class GeneratedNamesTest {
    private static final String CLASH = """
            package com.example;

            import dev.leibniz.Differentiable;

            final class Clash {
                static final double K = 2.0;

                private Clash() {
                }

                /** Named like the generated class and like the record of f: generated code writes them qualified. */
                static final class ClashGradient {
                    static final double K = Math.sqrt(2);

                    private ClashGradient() {
                    }

                    static double half(double x) {
                        return 0.5 * x;
                    }
                }

                static final class F {
                    static final double K = Math.sqrt(3);

                    private F() {
                    }
                }

                /** Named like the record of shifted's accumulate form, which shifted's generated code names. */
                static final class ShiftedAccumulate {
                    static final double K = Math.sqrt(5);

                    private ShiftedAccumulate() {
                    }
                }

                static double fGradient(double x) {
                    return -x;
                }

                static double fPullback(double x, double dValue) {
                    return -x * dValue;
                }

                static double fDifferential(double x, double dx) {
                    return -x * dx;
                }

                @Differentiable
                static double scale(double x) {
                    return K * x;
                }

                @Differentiable
                static double f(double x) {
                    return x * x * K;
                }

                /** Records Record and Override, named like java.lang's; methods named like contextual keywords. */
                @Differentiable
                static double record(double x) {
                    return x * x * K;
                }

                @Differentiable
                static double var(double x) {
                    return Math.exp(x);
                }

                @Differentiable(hessian = true)
                static double override(double x) {
                    return x * x * Math.sin(x);
                }

                @Differentiable
                static double permits(double x) {
                    return record(x) * var(x);
                }

                @Differentiable
                static double nestedNames(double x) {
                    return x * x * ClashGradient.K * F.K + ClashGradient.half(3.0);
                }

                @Differentiable
                static double tape(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += Math.sin(x[i]) * x[i];
                    }
                    return s;
                }

                @Differentiable
                static double shifted(double[] x, double c) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += Math.sin(x[i] + c) * ShiftedAccumulate.K;
                    }
                    return s;
                }

                @Differentiable
                static double buffers(double[][] m) {
                    double s = 0;
                    for (int i = 0; i < m.length; i++) {
                        s += m[i][0] * m[i][0];
                    }
                    return s * K;
                }

                @Differentiable
                static double differential(double x) {
                    return Math.sin(x) * K;
                }

                @Differentiable
                static double generated(double x) {
                    return Math.cos(x) * K;
                }

                @Differentiable
                static double suppressWarnings(double x) {
                    return Math.exp(x) * Clash.K;
                }

                @Differentiable
                static double math(double x) {
                    return Math.sin(x) * Math.PI + Math.E;
                }

                @Differentiable
                static double clash(double x) {
                    return Clash.K * x * x + scale(x);
                }

                @Differentiable
                static double writesArrayArguments(double[] x) {
                    x[0] = x[0] * x[0];
                    return x[0] + x[1];
                }

                @Differentiable(hessian = true)
                static double fHessianVectorAccumulateLike(double[] x) {
                    double s = 0;
                    for (int i = 0; i < x.length; i++) {
                        s += x[i] * x[i] * x[i];
                    }
                    return s;
                }
            }
            """;

    @Test
    void recordsNamedLikeTypesThatGeneratedCodeNamesAndUserMethodsNamedLikeGeneratedMembers() {
        Compiled compiled = Compiled.compile("com.example.Clash", CLASH);
        GradientCheck scalar = new GradientCheck(compiled, "com.example.Clash");
        for (String method : List.of("f", "nestedNames", "differential", "generated", "suppressWarnings", "math",
                "clash", "record", "var", "override", "permits")) {
            scalar.check(method, 0.7);
        }
        assertEquals(-0.7, scalar.value("fGradient", 0.7), 0.0); // the user's own, untouched
        ArrayGradientCheck arrays = new ArrayGradientCheck(compiled, "com.example.Clash", CLASH);
        arrays.check("tape", (Object) new double[] {0.5, -1.5, 2.0});
        arrays.check("buffers", (Object) new double[][] {{0.5, 1.0}, {-1.5, 2.0}});
        arrays.check("shifted", new double[] {0.5, -1.5, 2.0}, 0.3);
        arrays.check("writesArrayArguments", (Object) new double[] {0.5, -1.5});
        new HessianCheck(compiled, "com.example.Clash").check("fHessianVectorAccumulateLike",
                (Object) new double[] {0.5, -1.5});
        new HessianCheck(compiled, "com.example.Clash").check("override", 0.4);
    }

    /**
     * Classes of the package named like java.lang's hide them there (JLS 6.4.1): generated code that wrote Math.cos
     * would call com.example.Math.cos, a wrong derivative without a word. It writes java.lang.Math instead.
     */
    @Test
    void classesOfThePackageNamedLikeJavaLangClassesDoNotCaptureGeneratedCalls() {
        String decoy = """
                package com.example;
                public final class %s {
                    private %1$s() {
                    }
                    public static double sin(double x) {
                        return 42;
                    }
                    public static double cos(double x) {
                        return 43;
                    }
                    public static double exp(double x) {
                        return 44;
                    }
                }
                """;
        Compiled compiled = Compiled.compile("com.example.Math", decoy.formatted("Math"),
                "com.example.StrictMath", decoy.formatted("StrictMath"), "com.example.Waves", """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Waves {
                    private Waves() {
                    }
                    @Differentiable
                    static double f(double x) {
                        return java.lang.Math.sin(x) * java.lang.StrictMath.exp(x);
                    }
                    @Differentiable(hessian = true)
                    static double g(double[] a) {
                        double s = 0;
                        for (int i = 0; i < a.length; i++) {
                            s += java.lang.Math.cos(a[i]) * a[i];
                        }
                        return s;
                    }
                }
                """);
        new GradientCheck(compiled, "com.example.Waves").check("f", 0.6);
        new HessianCheck(compiled, "com.example.Waves").check("g", (Object) new double[] {0.5, -1.5});
    }

    /** A variable dev is fine alone, and beside one named like a class that generated code names only as a type. */
    @Test
    void aVariableNamedLikeThePackageOfTheRuntimeAlone() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Spread {
                    private Spread() {
                    }
                    @Differentiable
                    static double f(double[][] m, double dev, double Tape) {
                        double s = 0;
                        for (int i = 0; i < m.length; i++) {
                            s += m[i][0] * m[i][0] * dev * Tape;
                        }
                        return s;
                    }
                }
                """;
        Compiled compiled = Compiled.compile("com.example.Spread", src);
        new ArrayGradientCheck(compiled, "com.example.Spread", src).check("f",
                new double[][] {{0.5, 1.0}, {-1.5, 2.0}}, 0.7, 1.3);
    }

    /**
     * A parameter Buffers makes generated code write dev.leibniz.Buffers.zerosLike(...), and a parameter dev hides
     * that name too: no name is left for the class, which is an error at the method.
     */
    @Test
    void variablesThatHideBothAClassAndItsPackageAreAnErrorAtTheMethod() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    @Differentiable
                    static double f(double[][] m, double dev, double Buffers) {
                        double s = 0;
                        for (int i = 0; i < m.length; i++) {
                            s += m[i][0] * m[i][0] * dev * Buffers;
                        }
                        return s;
                    }
                }
                """;
        assertRejected(DiagnosticsHarness.PICK, src, error("'f' has a parameter or local named dev, which hides the "
                + "package of dev.leibniz.Buffers, a class that its generated code must name by this qualified name, "
                + "because a variable or a class of the package named Buffers hides its simple name; rename the "
                + "variable dev", at(src, "f(")));
    }

    @Test
    void aRecordNamedLikeItsGeneratedClassIsAnErrorAtItsMethod() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    @Differentiable
                    static double pickGradient(double x) {
                        return x * x;
                    }
                }
                """;
        assertRejected(DiagnosticsHarness.PICK, src, error("@Differentiable method 'pickGradient' would get the record "
                + "PickGradient, the name of the generated class that holds it, which a nested class cannot have; "
                + "rename the method", at(src, "pickGradient(")));
    }

    @Test
    void aNestedClassesRecordNamedLikeItsGeneratedClassIsAnErrorAtItsMethod() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static final class Inner {
                        @Differentiable
                        static double pick_InnerGradient(double x) {
                            return x * x;
                        }
                    }
                }
                """;
        assertRejected(DiagnosticsHarness.PICK, src, error("would get the record Pick_InnerGradient, the name of the "
                + "generated class that holds it", at(src, "pick_InnerGradient(")));
    }

    // ==== the JVM's 255 parameter slots ==============================================================================

    private static String manyParameters(int n, String annotation) {
        String parameters = IntStream.range(0, n).mapToObj(i -> "double x" + i).collect(Collectors.joining(", "));
        String sum = IntStream.range(0, n).mapToObj(i -> "x" + i + " * x" + i + " * " + (i + 1))
                .collect(Collectors.joining(" + "));
        return """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    %s
                    static double wide(%s) {
                        return Math.sin(x0) * (%s);
                    }
                }
                """.formatted(annotation, parameters, sum);
    }

    private static Object[] arguments(int n) {
        Object[] args = new Object[n];
        for (int i = 0; i < n; i++) {
            args[i] = 0.1 * (i % 7) - 0.3;
        }
        return args;
    }

    /** 63 doubles: 126 slots, its differential 252, its record 129, its pullback 128: every form fits. */
    @Test
    void sixtyThreeDoublesFitEveryForm() {
        Compiled compiled = Compiled.compile("com.example.Pick", manyParameters(63, "@Differentiable"));
        new GradientCheck(compiled, "com.example.Pick").check("wide", arguments(63));
    }

    /** 64 doubles, 20 of them differentiated: the differential has 84 doubles, 168 slots. */
    @Test
    void wrtKeepsTheDifferentialOfManyParametersWithinTheLimit() {
        String wrt = IntStream.range(0, 20).mapToObj(i -> "\"x" + i + "\"").collect(Collectors.joining(", "));
        Compiled compiled = Compiled.compile("com.example.Pick",
                manyParameters(64, "@Differentiable(wrt = {" + wrt + "})"));
        List<String> names = IntStream.range(0, 20).mapToObj(i -> "x" + i).toList();
        ArrayGradientCheck.Gradient gradient = new ArrayGradientCheck(compiled, "com.example.Pick",
                manyParameters(64, "")).checkWrt("wide", names, arguments(64));
        assertEquals(20, gradient.partials().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 127, 128})
    void formsPastTheLimitAreAnErrorAtTheMethodNamingEachForm(int n) {
        String src = manyParameters(n, "@Differentiable");
        List<String> over = new ArrayList<>();
        if (2 * n > 255) {
            over.add("wide would take " + 2 * n);
        }
        if (2 * n + 2 > 255) {
            over.add("widePullback would take " + (2 * n + 2));
        }
        over.add("wideDifferential would take " + 4 * n);
        if (3 + 2 * n > 255) {
            over.add("record Wide would take " + (3 + 2 * n));
        }
        assertRejected(DiagnosticsHarness.PICK, src, error("'wide' has too many parameters for its generated forms: "
                + String.join(", ", over) + " parameter slots, more than the JVM's limit of 255 (a double or long "
                + "takes two slots, an array one, and a record's constructor one more for the record); pass the "
                + "values in a double[] parameter, or split the method", at(src, "wide(")));
    }

    @Test
    void theHessianVectorProductDoublesTheParametersToo() {
        String src = manyParameters(64, "@Differentiable(hessian = true)").replace("Math.sin(x0) * ", "");
        assertRejected(DiagnosticsHarness.PICK, src, error("wideDifferential would take 256, wideDifferentialPullback "
                + "would take 258, wideHessianVector would take 256 parameter slots", at(src, "wide(")));
    }
}
