package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.IN;
import static dev.leibniz.processor.DiagnosticsHarness.PICK;
import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.testing.compile.Compiler;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Names resolved the way javac resolves them (JLS 6 and 7.5), with realistic files beside the {@code @Differentiable}
 * code in one compilation: every import form (single-type, on demand, single-static, static on demand, nested types,
 * module imports on JDK 25), names in imports taken as fully qualified, and JLS 6.5.2's reclassification of a
 * qualified name's leftmost identifier with its shadowing: a local or parameter before a field, a field before a type
 * or a static import, a member type before an import, a type parameter before every type. Every gradient is checked
 * against finite differences, and its value against the closed form that the right resolution gives.
 */
class NameResolutionTest {
    /** JMH is not on the processor's test class path: the annotations a benchmark uses, as stubs. */
    private static final String[] JMH_TYPES = {
        "org.openjdk.jmh.annotations.Benchmark", """
            package org.openjdk.jmh.annotations;
            import java.lang.annotation.*;
            @Target(ElementType.METHOD) @Retention(RetentionPolicy.RUNTIME)
            public @interface Benchmark {
            }
            """,
        "org.openjdk.jmh.annotations.State", """
            package org.openjdk.jmh.annotations;
            import java.lang.annotation.*;
            @Target(ElementType.TYPE) @Retention(RetentionPolicy.RUNTIME)
            public @interface State {
                Scope value();
            }
            """,
        "org.openjdk.jmh.annotations.Scope", """
            package org.openjdk.jmh.annotations;
            public enum Scope { Benchmark, Group, Thread }
            """,
        "org.openjdk.jmh.annotations.Param", """
            package org.openjdk.jmh.annotations;
            import java.lang.annotation.*;
            @Target(ElementType.FIELD) @Retention(RetentionPolicy.RUNTIME)
            public @interface Param {
                String[] value() default {};
            }
            """,
    };

    private static final String UNITS = """
            package com.example.lib;
            import dev.leibniz.Differentiable;
            public final class Units {
                public static final double SCALE = 10.0;
                private Units() {
                }
                public static final class Metric {
                    public static final double CENTI = 0.01;
                    public static final double KILO = 1000.0;
                    private Metric() {
                    }
                }
                @Differentiable
                public static double twice(double x) {
                    return 2 * x;
                }
            }
            """;

    /** A benchmark of the generated code, as a JMH module has it: every JMH import on demand. */
    private static final String BENCHMARK = """
            package com.example;
            import java.util.concurrent.TimeUnit;
            import org.openjdk.jmh.annotations.*;
            @State(Scope.Thread)
            public class ModelBenchmark {
                @Param({"1", "2"})
                public String size;
                double x = 0.5;
                @Benchmark
                public double gradient() {
                    Runnable warmUp = new Runnable() {
                        @Override
                        public void run() {
                            TimeUnit.MILLISECONDS.toNanos(1);
                        }
                    };
                    warmUp.run();
                    return ModelGradient.waves(x).x();
                }
            }
            """;

    /** A test of the generated code, as JUnit users write one: the assertions imported statically on demand. */
    private static final String JUNIT_TEST = """
            package com.example;
            import static org.junit.jupiter.api.Assertions.*;
            import org.junit.jupiter.api.Test;
            class ModelTest {
                @Test
                void gradientOfWaves() {
                    assertEquals(Math.PI * Math.cos(0.5) + 2.0, ModelGradient.waves(0.5).x(), 1e-12);
                    assertTrue(ModelGradient.waves(0.0).value() == 0.0);
                }
            }
            """;

    /** The class under test: many imports on demand, Math's members imported statically, nested types imported. */
    private static final String MODEL = """
            package com.example;

            import com.example.lib.Units.*;
            import com.example.lib.Units;
            import dev.leibniz.*;
            import java.io.*;
            import java.util.*;
            import java.util.function.*;
            import static com.example.lib.Units.twice;
            import static java.lang.Math.*;
            import static java.util.Collections.*;

            public final class Model {
                /** Shadows Math.E, imported on demand: a field of the class comes before any static import. */
                static final double E = 2.0;
                /** A field named like a class: Math is the field, java.lang.Math the class. */
                static final double Math = 3.0;

                /** Shadows com.example.lib.Units, imported by name: a member type comes before any import. */
                static final class Units {
                    static final double SCALE = 100.0;
                    private Units() {
                    }
                }

                private Model() {
                }

                static List<Double> readings(File file, Function<File, Double> read) {
                    return new ArrayList<>(List.of(read.apply(file)));
                }

                @Differentiable
                public static double waves(double x) {
                    return sin(x) * PI + E * x;
                }

                @Differentiable
                public static double shadowed(double x) {
                    double PI = 1.5;
                    return PI * x + E * x * x;
                }

                @Differentiable
                public static double nested(double x) {
                    return Metric.CENTI * x * x + com.example.lib.Units.Metric.KILO * x + Metric.KILO;
                }

                @Differentiable
                public static double memberTypeFirst(double x) {
                    return Units.SCALE * x + com.example.lib.Units.SCALE * x;
                }

                @Differentiable
                public static double fieldsNamedLikeTypes(double x) {
                    return Math * x + 0.25 * java.lang.Math.exp(x) + java.lang.Math.E;
                }

                @Differentiable
                public static double staticImports(double x) {
                    return twice(x) * exp(x) + max(x, 0.5) * sqrt(x);
                }

                @Differentiable
                public static double parameterShadows(double E, double Math) {
                    return E * Math + cos(E);
                }
            }
            """;

    private static Compiled compiled;
    private static GradientCheck check;

    @BeforeAll
    static void compile() {
        String[] sources = new String[JMH_TYPES.length + 12];
        System.arraycopy(JMH_TYPES, 0, sources, 0, JMH_TYPES.length);
        String[] rest = {
            "com.example.lib.Units", UNITS,
            "com.example.Model", MODEL,
            "com.example.ModelBenchmark", BENCHMARK,
            "com.example.ModelTest", JUNIT_TEST,
            "com.example.bench.Kernels", """
                package com.example.bench;
                import dev.leibniz.*;
                import org.openjdk.jmh.annotations.*;
                import static java.lang.Math.*;
                @State(Scope.Benchmark)
                public class Kernels {
                    @Param({"0.5"})
                    public double x;
                    static final double Benchmark = 2.0;
                    @Differentiable
                    public static double kernel(double x) {
                        return exp(-x * x) * Benchmark;
                    }
                    @Benchmark
                    public double gradient() {
                        return KernelsGradient.kernel(x).x();
                    }
                }
                """,
            "com.example.Other", """
                package com.example;
                import com.example.lib.*;
                import dev.leibniz.*;
                import java.util.*;
                import static com.example.lib.Units.Metric;
                final class Other {
                    private Other() {
                    }
                    static Map<String, Double> weights() {
                        return new HashMap<>();
                    }
                    @Differentiable
                    static double square(double x) {
                        return x * x * Metric.KILO + Units.SCALE * x;
                    }
                }
                """,
        };
        System.arraycopy(rest, 0, sources, JMH_TYPES.length, rest.length);
        // javac's -Xlint:processing would warn that no processor claims @Test or @Benchmark: not Leibniz's to claim
        Compiler compiler = Compiler.javac().withProcessors(new LeibnizProcessor())
                .withOptions("-Xlint:all,-processing", "-Werror");
        compiled = Compiled.compile(compiler, ClassLoader.getSystemClassLoader(), Compiled.sources(sources));
        check = new GradientCheck(compiled, "com.example.Model");
    }

    @Test
    void aJmhBenchmarkAndAJUnitTestWithImportsOnDemandCompileBesideTheGradientsTheyCall() throws Exception {
        Object benchmark = compiled.load("com.example.ModelBenchmark").getConstructor().newInstance();
        Method gradient = compiled.method("com.example.ModelBenchmark", "gradient");
        assertEquals(java.lang.Math.PI * java.lang.Math.cos(0.5) + 2.0, (double) gradient.invoke(benchmark), 1e-12);
        java.lang.reflect.Constructor<?> constructor = compiled.load("com.example.ModelTest").getDeclaredConstructor();
        constructor.setAccessible(true);
        Object test = constructor.newInstance();
        compiled.method("com.example.ModelTest", "gradientOfWaves").invoke(test);
        GradientCheck other = new GradientCheck(compiled, "com.example.Other");
        // Metric imported by a single static import of a member type, Units by an import on demand of its package
        other.check("square", 1.5);
        assertEquals(1.5 * 1.5 * 1000.0 + 10.0 * 1.5, other.value("square", 1.5), 0);
    }

    /** A benchmark class with its own @Differentiable method, and a constant named like JMH's @Benchmark. */
    @Test
    void aJmhStateClassWithADifferentiableMethod() {
        GradientCheck kernels = new GradientCheck(compiled, "com.example.bench.Kernels");
        kernels.check("kernel", 0.7);
        assertEquals(java.lang.Math.exp(-0.49) * 2.0, kernels.value("kernel", 0.7), 0);
    }

    @Test
    void mathImportedStaticallyOnDemandIsShadowedByAFieldOfTheClass() {
        for (double x : new double[] {-1.3, 0.2, 2.9}) {
            check.check("waves", x);
            assertEquals(java.lang.Math.sin(x) * java.lang.Math.PI + 2.0 * x, check.value("waves", x), 0);
        }
    }

    @Test
    void aLocalShadowsTheFieldAndTheImportedConstant() {
        for (double x : new double[] {-0.7, 1.1}) {
            check.check("shadowed", x);
            assertEquals(1.5 * x + 2.0 * x * x, check.value("shadowed", x), 0);
        }
    }

    @Test
    void nestedTypesImportedOnDemandAndByQualifiedName() {
        for (double x : new double[] {-2.0, 0.3}) {
            check.check("nested", x);
            assertEquals(0.01 * x * x + 1000.0 * x + 1000.0, check.value("nested", x), 0);
        }
    }

    @Test
    void aMemberTypeShadowsTheTypeImportedByName() {
        check.check("memberTypeFirst", 0.8);
        assertEquals(100.0 * 0.8 + 10.0 * 0.8, check.value("memberTypeFirst", 0.8), 0);
    }

    @Test
    void aFieldNamedMathIsTheValueWhileJavaLangMathStillNamesTheClass() {
        for (double x : new double[] {-0.4, 1.7}) {
            check.check("fieldsNamedLikeTypes", x);
            assertEquals(3.0 * x + 0.25 * java.lang.Math.exp(x) + java.lang.Math.E,
                    check.value("fieldsNamedLikeTypes", x), 0);
        }
    }

    /** max is Math's and Collections' (imported on demand both): overload resolution picks Math.max(double, double). */
    @Test
    void singleAndOnDemandStaticImportsOfMethods() {
        for (double x : new double[] {0.3, 2.2}) {
            check.check("staticImports", x);
        }
    }

    @Test
    void parametersShadowFieldsNamedLikeThem() {
        check.check("parameterShadows", 0.9, -1.4);
        assertEquals(0.9 * -1.4 + java.lang.Math.cos(0.9), check.value("parameterShadows", 0.9, -1.4), 0);
    }

    @Test
    void moduleImportResolvesTypesOfTheModulesExportedPackages() {
        assumeTrue(Runtime.version().feature() >= 25, "import module is final since JDK 25");
        Compiled modules = Compiled.compile("com.example.Weekly", """
                package com.example;
                import module java.base;
                import dev.leibniz.Differentiable;
                final class Weekly {
                    private Weekly() {
                    }
                    static List<String> days() {
                        return new ArrayList<>();
                    }
                    @Differentiable
                    static double f(double x) {
                        return Calendar.FRIDAY * x * x + Math.sin(x);
                    }
                }
                """);
        GradientCheck weekly = new GradientCheck(modules, "com.example.Weekly");
        weekly.check("f", 0.7);
        assertEquals(6 * 0.49 + java.lang.Math.sin(0.7), weekly.value("f", 0.7), 1e-15);
    }

    // ==== names that are not what they look like =====================================================================

    @Test
    void aFieldNamedLikeAPackageMakesTheQualifiedNameAValue() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static final double java = 3.0;
                    @Differentiable
                    static double f(double x) {
                        return java.lang.Math.cos(x) * x;
                    }
                }
                """;
        // JLS 6.5.2: 'java' is the field, so java.lang is a field access on a double, as javac says too
        assertRejected(PICK, src, error("'java' is the field Pick.java here, which obscures the package java (JLS "
                + "6.4.2: a variable is chosen over a type or package of its name); rename the field",
                at(src, "java.lang.Math.cos")));
    }

    @Test
    void aFieldNamedLikeAClassObscuresTheClass() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static final double Math = 3.0;
                    @Differentiable
                    static double f(double x) {
                        return Math.sin(x) + Math.PI * x;
                    }
                }
                """;
        String message = "'Math' is the field Pick.Math here, which obscures the class Math (JLS 6.4.2: a variable is "
                + "chosen over a type or package of its name); rename the field";
        assertRejected(PICK, src, error(message, at(src, "Math.sin")), error(message, at(src, "Math.PI")));
    }

    @Test
    void aParameterOrLocalNamedLikeAClassObscuresTheClass() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    @Differentiable
                    static double f(double x, double Math) {
                        double java = x * Math;
                        return Math.sqrt(x) + java.lang.Math.PI * java;
                    }
                }
                """;
        assertRejected(PICK, src,
                error("'Math' is the parameter Math here, which obscures the class Math (JLS 6.4.2: a variable is "
                        + "chosen over a type or package of its name); rename the parameter", at(src, "Math.sqrt")),
                error("'java' is the local java here, which obscures the package java (JLS 6.4.2: a variable is "
                        + "chosen over a type or package of its name); rename the local", at(src, "java.lang")));
    }

    @Test
    void aMethodImportedOnDemandFromTwoClassesIsAmbiguous() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                import static java.lang.Math.*;
                import static java.lang.StrictMath.*;
                final class Pick {
                    @Differentiable
                    static double f(double x) {
                        return sin(x) * x;
                    }
                }
                """;
        assertRejected(PICK, src, error("the call of 'sin' is ambiguous: it matches Math.sin(double) and "
                + "StrictMath.sin(double) equally well, imported statically from each class; qualify the call with "
                + "the class you mean", at(src, "sin(x)", "(")));
    }

    @Test
    void overloadsOfOneClassThatMatchEquallyWellAreAmbiguous() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static double g(int n, double x) {
                        return n * x;
                    }
                    static double g(double x, int n) {
                        return n * x;
                    }
                    @Differentiable
                    static double f(double x) {
                        return g(2, 3) * x;
                    }
                }
                """;
        assertRejected(PICK, src, error("the call of 'g' is ambiguous: it matches g(int, double) and g(double, int) "
                + "equally well; cast an argument to choose one", at(src, "g(2, 3)", "(")));
    }

    /** A single static import comes before one on demand: sin is Math's, whatever StrictMath.* imports. */
    @Test
    void aSingleStaticImportShadowsOneOnDemand() {
        Compiled single = Compiled.compile("com.example.Single", """
                package com.example;
                import dev.leibniz.Differentiable;
                import static java.lang.Math.sin;
                import static java.lang.StrictMath.*;
                final class Single {
                    private Single() {
                    }
                    @Differentiable
                    static double f(double x) {
                        return sin(x) * cos(x);
                    }
                }
                """);
        new GradientCheck(single, "com.example.Single").check("f", 0.4);
    }

    /** Classes of the default package, with imports on demand (no class can import from the default package). */
    @Test
    void theDefaultPackageWithImportsOnDemand() {
        Compiled compiled = Compiled.compile("Plain", """
                import dev.leibniz.*;
                import java.util.*;
                import static java.lang.Math.*;
                public final class Plain {
                    private Plain() {
                    }
                    static List<String> names() {
                        return new ArrayList<>();
                    }
                    @Differentiable
                    public static double f(double x) {
                        return sin(x) * PI;
                    }
                }
                """, "User", """
                import static java.util.Map.*;
                final class User {
                    private User() {
                    }
                    static Entry<String, Double> derivative(double x) {
                        return entry("df/dx", PlainGradient.f(x).x());
                    }
                }
                """);
        new GradientCheck(compiled, "Plain").check("f", 0.3);
    }

    /**
     * The scan for {@code @Differentiable} methods of local classes reads annotations as javac would: imported on
     * demand, or shadowed by a member type of the class around them (an annotation of the user's that has the name).
     */
    @Test
    void localClassesAreFoundThroughImportsOnDemandAndNotThroughAShadowedName() {
        String src = """
                package com.example;
                import dev.leibniz.*;
                import java.util.*;
                final class Pick {
                    @Differentiable
                    static double f(double x) {
                        return x * x;
                    }
                    static final class Tools {
                        @interface Differentiable {
                        }
                        static Runnable task() {
                            return new Runnable() {
                                @Differentiable
                                static double notLeibnizs(double x) {
                                    return x;
                                }
                                @Override
                                public void run() {
                                }
                            };
                        }
                    }
                    static Comparator<Double> order() {
                        class Local implements Comparator<Double> {
                            @dev.leibniz.Differentiable
                            static double cube(double x) {
                                return x * x * x;
                            }
                            @Override
                            public int compare(Double a, Double b) {
                                return Double.compare(a, b);
                            }
                        }
                        return new Local();
                    }
                }
                """;
        assertRejected(PICK, src, error("@Differentiable method 'cube' is in a local class, which no generated class "
                + "can name; move it to a top-level or member class", at(src, "cube(")));
    }

    @Test
    void aTypeParameterShadowsTheTypeOfItsName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick<Math> {
                    @Differentiable
                    static double f(double x) {
                        return Math.sin(x);
                    }
                }
                """;
        assertRejected(PICK, src, error("'Math' is a type parameter of the enclosing class here, which shadows any "
                + "type of that name; write the type's qualified name", at(src, "Math.sin")));
    }

    @Test
    void aLocalNamedLikeAClassIsTheLocal() {
        Compiled local = Compiled.compile("com.example.Local", """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Local {
                    private Local() {
                    }
                    @Differentiable
                    static double f(double x) {
                        double Math = x * x;
                        double sin = 2.0;
                        return Math * sin + java.lang.Math.sin(x);
                    }
                }
                """);
        new GradientCheck(local, "com.example.Local").check("f", 0.6);
    }
}
