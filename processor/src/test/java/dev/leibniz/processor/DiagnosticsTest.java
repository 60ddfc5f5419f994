package dev.leibniz.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.leibniz.processor.DiagnosticsHarness.IN;
import static dev.leibniz.processor.DiagnosticsHarness.PICK;
import static dev.leibniz.processor.DiagnosticsHarness.assertErrorCount;
import static dev.leibniz.processor.DiagnosticsHarness.assertNoDiagnosticContaining;
import static dev.leibniz.processor.DiagnosticsHarness.assertNoGradient;
import static dev.leibniz.processor.DiagnosticsHarness.assertNoProcessorCrash;
import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.compile;
import static dev.leibniz.processor.DiagnosticsHarness.describe;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static dev.leibniz.processor.DiagnosticsHarness.pick;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.processor.DiagnosticsHarness.Pos;
import dev.leibniz.processor.DiagnosticsHarness.Result;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a user sees when a {@code @Differentiable} method is outside the supported subset: a compile error at the
 * line and column of the offending construct, no exception from the processor, and no gradient class for the
 * class that holds the method. {@link DiagnosticsHarness} says how positions are found and what is asserted;
 * {@link SwitchDiagnosticsTest} holds the same for switch, {@link HostileInputTest} for more hostile input.
 */
class DiagnosticsTest {
    // ==== statements outside the subset ===========================================================================

    @Test
    void enhancedForLoopOverACollectionIsAnErrorAtTheCollection() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Loops {
                    @Differentiable
                    static double sumOfPowers(double x) {
                        double sum = 0;
                        for (int k : java.util.List.of(1, 2, 3)) {
                            sum += Math.pow(x, k);
                        }
                        return sum;
                    }
                }
                """;
        assertRejected("com.example.Loops", src,
                error("enhanced for loops are supported over arrays only " + IN, at(src, "java.util.List.of(1, 2, 3)", "(")));
    }

    @Test
    void tryCatchIsAnErrorAtTheTryKeyword() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Guarded {
                    @Differentiable
                    static double safeLog(double x) {
                        try {
                            return Math.log(x);
                        } catch (ArithmeticException e) {
                            return 0.0;
                        }
                    }
                }
                """;
        assertRejected("com.example.Guarded", src,
                error("try/catch/finally is not supported " + IN, at(src, "try {")));
    }

    @Test
    void throwIsAnErrorAtTheThrowKeyword() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Guarded {
                    @Differentiable
                    static double checkedSqrt(double x) {
                        if (x < 0) {
                            throw new IllegalArgumentException("negative");
                        }
                        return Math.sqrt(x);
                    }
                }
                """;
        assertRejected("com.example.Guarded", src,
                error("throw is not supported " + IN, at(src, "throw new")));
    }

    @Test
    void synchronizedBlockIsAnErrorAtTheSynchronizedKeyword() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Shared {
                    @Differentiable
                    static double square(double x) {
                        double y;
                        synchronized (Shared.class) {
                            y = x * x;
                        }
                        return y;
                    }
                }
                """;
        assertRejected("com.example.Shared", src,
                error("synchronized blocks are not supported " + IN, at(src, "synchronized (")));
    }

    @Test
    void assertStatementIsAnErrorAtTheAssertKeyword() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Checked {
                    @Differentiable
                    static double root(double x) {
                        assert x >= 0 : "negative";
                        return Math.sqrt(x);
                    }
                }
                """;
        assertRejected("com.example.Checked", src,
                error("assert is not supported " + IN, at(src, "assert x")));
    }

    @Test
    void labelledStatementIsAnErrorAtTheLabel() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Labels {
                    @Differentiable
                    static double clipped(double x) {
                        double y = x;
                        done: {
                            if (x > 1) {
                                break done;
                            }
                            y = 2 * x;
                        }
                        return y;
                    }
                }
                """;
        assertRejected("com.example.Labels", src,
                error("labels are supported on loops only " + IN, at(src, "done: {")));
    }

    @Test
    void localClassIsAnErrorAtItsDeclaration() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Locals {
                    @Differentiable
                    static double f(double x) {
                        final class Helper {
                        }
                        return x;
                    }
                }
                """;
        // javac's preferred position of a class declaration is its 'class' keyword.
        assertRejected("com.example.Locals", src,
                error("local class 'Helper' is not supported " + IN + "; declare it outside the method",
                        at(src, "class Helper")));
    }

    @Test
    void discardedCallStatementIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Discard {
                    @Differentiable
                    static double f(double x) {
                        Math.sin(x);
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Discard", src,
                error("a call whose result is discarded cannot affect a derivative",
                        at(src, "Math.sin(x);", "(")));
    }

    // ==== types outside the subset ================================================================================

    @Test
    void arrayAccessOnAMutableStaticArrayIsAnErrorAtItsName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Weights {
                    static double[] W = {0.5, 2.0};
                    @Differentiable
                    static double weighted(double x) {
                        return W[1] * x;
                    }
                }
                """;
        assertRejected("com.example.Weights", src,
                error("static field 'W' is not final; a derivative cannot depend on mutable state", at(src, "W[1]")));
    }

    @Test
    void stringLocalIsAnErrorAtItsTypeAndItsLiteral() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Labelled {
                    @Differentiable
                    static double f(double x) {
                        String unit = "metres";
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Labelled", src,
                error("strings are not supported " + IN, at(src, "\"metres\"")),
                error("local 'unit' has type String, which Leibniz cannot differentiate; "
                        + "only double, float, long, int and boolean locals", at(src, "String unit")));
    }

    @Test
    void varLocalOfStringIsOneErrorAtTheLiteral() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Labelled {
                    @Differentiable
                    static double f(double x) {
                        var unit = "metres";
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Labelled", src,
                error("strings are not supported " + IN, at(src, "\"metres\"")));
    }

    @Test
    void charArithmeticIsAnErrorAtTheCharLiteral() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Chars {
                    @Differentiable
                    static double f(double x) {
                        return x * 'a';
                    }
                }
                """;
        assertRejected("com.example.Chars", src,
                error("char values are not supported " + IN + "; use int", at(src, "'a'")));
    }

    @Test
    void shortLocalIsOneErrorAtItsTypeAndItsUsesAreNotReportedAsUnknown() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Shorts {
                    @Differentiable
                    static double scaled(double x) {
                        short k = 2;
                        return k * x;
                    }
                }
                """;
        // The user declared 'k': a second error "cannot find symbol 'k'" at its use would be false and misleading.
        assertRejected("com.example.Shorts", src,
                error("local 'k' has type short, which Leibniz cannot differentiate", at(src, "short k")));
    }

    @Test
    void castToShortIsAnErrorAtTheCast() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Shorts {
                    @Differentiable
                    static double rounded(double x) {
                        return (short) x;
                    }
                }
                """;
        assertRejected("com.example.Shorts", src,
                error("casts to short are not supported " + IN, at(src, "(short) x")));
    }

    @Test
    void doubleOperandOfBitwiseAndIsAnErrorAtTheOperator() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Bits {
                    @Differentiable
                    static double masked(double x) {
                        return x & 1;
                    }
                }
                """;
        assertRejected("com.example.Bits", src,
                error("bad operand types double and int for '&'", at(src, "x & 1", "&")));
    }

    // ==== declarations outside the subset =========================================================================

    @Test
    void instanceMethodIsAnErrorAtTheMethodName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Model {
                    @Differentiable
                    double square(double x) {
                        return x * x;
                    }
                }
                """;
        assertRejected("com.example.Model", src,
                error("@Differentiable method 'square' must be static", at(src, "square(double x)")));
    }

    @Test
    void methodReturningIntIsAnErrorAtTheReturnType() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Ints {
                    @Differentiable
                    static int floor(double x) {
                        return (int) x;
                    }
                }
                """;
        assertRejected("com.example.Ints", src,
                error("@Differentiable method 'floor' must return double, float, double[] or void, not int",
                        at(src, "int floor")));
    }

    @Test
    void voidMethodWritingNoArrayIsAnErrorAtTheMethod() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Voids {
                    @Differentiable
                    static void nothing(double x) {
                    }
                }
                """;
        assertRejected("com.example.Voids", src,
                error("@Differentiable method 'nothing' returns void and writes into no double array it "
                        + "differentiates, so it has no output to differentiate; return the value, or write it into "
                        + "an array parameter", at(src, "nothing(")));
    }

    @Test
    void genericMethodIsAnErrorAtTheTypeParameter() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Generic {
                    @Differentiable
                    static <T> double square(double x) {
                        return x * x;
                    }
                }
                """;
        assertRejected("com.example.Generic", src,
                error("generic @Differentiable methods are not supported", at(src, "<T>", "T")));
    }

    @Test
    void varargsParameterIsAnErrorAtTheParameter() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Varargs {
                    @Differentiable
                    static double first(double x, double... rest) {
                        return x;
                    }
                }
                """;
        // One parameter, one mistake, one error: not a second one at '...' that calls it an array parameter.
        assertRejected("com.example.Varargs", src,
                error("varargs parameters are not supported by @Differentiable", at(src, "rest)")));
    }

    @Test
    void parameterNamedValueIsAnErrorAtTheParameterName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Names {
                    @Differentiable
                    static double twice(double value) {
                        return 2 * value;
                    }
                }
                """;
        assertRejected("com.example.Names", src,
                error("parameter 'value' clashes with the 'value' component of the generated gradient record",
                        at(src, "value)")));
    }

    @Test
    void parameterNamedHashCodeIsAnErrorAtTheParameterName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Names {
                    @Differentiable
                    static double twice(double hashCode) {
                        return 2 * hashCode;
                    }
                }
                """;
        assertRejected("com.example.Names", src,
                error("parameter 'hashCode' cannot name a component of the generated gradient record",
                        at(src, "hashCode)")));
    }

    @Test
    void overloadedDifferentiableMethodsAreAnErrorAtTheSecondDeclaration() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Overloaded {
                    @Differentiable
                    static double area(double r) {
                        return Math.PI * r * r;
                    }
                    @Differentiable
                    static double area(double w, double h) {
                        return w * h;
                    }
                }
                """;
        assertRejected("com.example.Overloaded", src,
                error("overloaded @Differentiable methods are not supported: 'area' is already declared",
                        at(src, "area(double w")));
    }

    /** Named like a method generated for f, or so that its record is named like one of f's accumulate records. */
    @ParameterizedTest
    @CsvSource({"fPullback, fPullback", "fAccumulate, fAccumulate", "fDifferential, fDifferential",
            "fSweeps, fSweeps", "FAccumulate, record FAccumulate",
            "FHessianVectorAccumulate, record FHessianVectorAccumulate"})
    void methodNamedLikeAGeneratedMemberOfAnotherIsAnErrorAtTheSecondDeclaration(String name, String member) {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Clash {
                    @Differentiable(hessian = true)
                    static double f(double[] x, double b) {
                        return x[0] * x[0] * b;
                    }
                    @Differentiable
                    static double %s(double x) {
                        return x;
                    }
                }
                """.formatted(name);
        assertRejected("com.example.Clash", src,
                error("@Differentiable methods 'f' and '" + name + "' would generate members with the same name "
                        + "(" + member + ")", at(src, name + "(double x)")));
    }

    @Test
    void methodsWhoseRecordsWouldShareANameAreAnErrorAtTheSecondDeclaration() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Clash {
                    @Differentiable
                    static double area(double x) {
                        return x * x;
                    }
                    @Differentiable
                    static double Area(double x) {
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Clash", src,
                error("@Differentiable methods 'area' and 'Area' would generate members with the same name "
                        + "(record Area)", at(src, "Area(double x)")));
    }

    @Test
    void interfaceMethodWithoutBodyIsAnErrorAtTheMethodName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                interface Model {
                    @Differentiable
                    double loss(double x);
                }
                """;
        assertRejected("com.example.Model", src,
                error("@Differentiable method 'loss' must be static", at(src, "loss(")),
                error("@Differentiable method 'loss' has no body to differentiate", at(src, "loss(")));
    }

    @Test
    void classThatAlreadyDeclaresItsGradientClassIsAnErrorAtTheClass() {
        String shapes = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Shapes {
                    @Differentiable
                    static double area(double r) {
                        return Math.PI * r * r;
                    }
                }
                """;
        String handWritten = """
                package com.example;
                final class ShapesGradient {
                }
                """;
        JavaFileObject shapesFile = JavaFileObjects.forSourceString("com.example.Shapes", shapes);
        JavaFileObject gradientFile = JavaFileObjects.forSourceString("com.example.ShapesGradient", handWritten);
        // Reported on the class declaration, where javac puts an element's diagnostics: its 'class' keyword.
        assertRejected(compile(shapesFile, gradientFile), shapesFile,
                error("class com.example.ShapesGradient already exists; Leibniz generates a class of that name "
                        + "for the @Differentiable methods of Shapes", at(shapes, "class Shapes {")));
    }

    // ==== names: fields ===========================================================================================

    @Test
    void instanceFieldReadIsAnErrorAtTheName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Scaled {
                    double gain = 2.0;
                    @Differentiable
                    static double apply(double x) {
                        return gain * x;
                    }
                }
                """;
        assertRejected("com.example.Scaled", src,
                error("instance field 'gain' cannot be read " + IN, at(src, "gain * x")));
    }

    @Test
    void nonFinalStaticFieldReadIsAnErrorAtTheName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Scaled {
                    static double gain = 2.0;
                    @Differentiable
                    static double apply(double x) {
                        return gain * x;
                    }
                }
                """;
        assertRejected("com.example.Scaled", src,
                error("static field 'gain' is not final; a derivative cannot depend on mutable state",
                        at(src, "gain * x")));
    }

    @Test
    void nonFinalStaticFieldOfAnotherClassIsAnErrorAtTheDot() {
        String settings = """
                package com.example;
                final class Settings {
                    static double gain = 2.0;
                }
                """;
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Scaled {
                    @Differentiable
                    static double apply(double x) {
                        return Settings.gain * x;
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString("com.example.Scaled", src);
        assertRejected(compile(file, JavaFileObjects.forSourceString("com.example.Settings", settings)), file,
                error("static field 'gain' is not final", at(src, "Settings.gain", ".")));
    }

    @Test
    void privateStaticFinalFieldThatIsNotAConstantIsAnErrorAtTheName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Roots {
                    private static final double K = Math.sqrt(2);
                    @Differentiable
                    static double scaled(double x) {
                        return K * x;
                    }
                }
                """;
        assertRejected("com.example.Roots", src,
                error("'K' is no compile-time constant and is private, so the generated gradient class "
                        + "RootsGradient cannot read it; make it package-private", at(src, "K * x")));
    }

    @Test
    void assignmentToStaticFieldIsAnErrorAtTheField() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Memo {
                    static double last;
                    @Differentiable
                    static double remember(double x) {
                        last = x;
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Memo", src,
                error("only locals, parameters and their array elements can be assigned " + IN + "; 'last' is not one",
                        at(src, "last = x")));
    }

    @Test
    void unknownNameIsReportedOnceAtTheName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Typo {
                    @Differentiable
                    static double f(double x) {
                        return x * scael;
                    }
                }
                """;
        assertRejected("com.example.Typo", src, error("cannot find symbol", at(src, "scael")));
    }

    // ==== expressions outside the subset ==========================================================================

    @Test
    void lambdaIsAnErrorAtTheLambda() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                import java.util.function.DoubleUnaryOperator;
                final class Lambdas {
                    @Differentiable
                    static double f(double x) {
                        DoubleUnaryOperator square = v -> v * v;
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Lambdas", src,
                error("lambdas and method references cannot be differentiated", at(src, "v -> v * v")),
                error("local 'square' has type DoubleUnaryOperator", at(src, "DoubleUnaryOperator square")));
    }

    @Test
    void methodReferenceIsAnErrorAtTheReference() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                import java.util.function.DoubleUnaryOperator;
                final class Lambdas {
                    @Differentiable
                    static double f(double x) {
                        DoubleUnaryOperator sine = Math::sin;
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Lambdas", src,
                error("lambdas and method references cannot be differentiated", at(src, "Math::sin")),
                error("local 'sine' has type DoubleUnaryOperator", at(src, "DoubleUnaryOperator sine")));
    }

    @Test
    void objectCreationIsAnErrorAtTheNewKeyword() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Objects {
                    @Differentiable
                    static double f(double x) {
                        Object lock = new Object();
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Objects", src,
                error("object creation is not supported " + IN, at(src, "new Object()")),
                error("local 'lock' has type Object", at(src, "Object lock")));
    }

    @Test
    void methodCallOnAValueIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Boxed {
                    @Differentiable
                    static double f(double x) {
                        return Double.valueOf(x).doubleValue();
                    }
                }
                """;
        assertRejected("com.example.Boxed", src,
                error("method calls on values are not supported " + IN, at(src, "doubleValue()", "(")));
    }

    @Test
    void instanceofIsAnErrorAtTheOperator() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Types {
                    static final Object UNIT = "m";
                    @Differentiable
                    static double f(double x) {
                        return UNIT instanceof String ? x : 2 * x;
                    }
                }
                """;
        assertRejected("com.example.Types", src,
                error("instanceof is not supported " + IN, at(src, "instanceof")));
    }

    @Test
    void anExistingArrayAsARowOfAnInitialiserIsAnErrorAtTheRow() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Rows {
                    @Differentiable
                    static double firstOfRow(double[] w) {
                        double[][] m = {w, {1.0, 2.0}};
                        return m[0][0];
                    }
                }
                """;
        assertRejected("com.example.Rows", src, error("a row of an array initialiser must be a new array",
                at(src, "{w, {1.0, 2.0}}", "w")));
    }

    // ==== calls ===================================================================================================

    @Test
    void nonDifferentiableHelperWithADifferentiatedArgumentIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Helpers {
                    static double helper(double v) {
                        return v * v;
                    }
                    @Differentiable
                    static double f(double x) {
                        return 3 * helper(x);
                    }
                }
                """;
        assertRejected("com.example.Helpers", src,
                error("'helper' is not @Differentiable, so no derivative can flow through it, and its argument "
                        + "depends on a differentiated parameter; annotate it with @Differentiable",
                        at(src, "helper(x)", "(")));
    }

    @Test
    void nonDifferentiableHelperOfALocalThatDependsOnAParameterIsAnError() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Helpers {
                    static double helper(double v) {
                        return v * v;
                    }
                    @Differentiable
                    static double f(double x) {
                        double t = x + 1;
                        double u = helper(t);
                        return u;
                    }
                }
                """;
        assertRejected("com.example.Helpers", src,
                error("'helper' is not @Differentiable", at(src, "helper(t)", "(")));
    }

    @Test
    void aJdkMethodWithoutAKnownDerivativeIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Sums {
                    @Differentiable
                    static double f(double x) {
                        return x + Double.sum(x, 1);
                    }
                }
                """;
        assertRejected("com.example.Sums", src,
                error("'sum' is not @Differentiable, so no derivative can flow through it, and its argument depends on "
                        + "a differentiated parameter; compute it with supported operations",
                        at(src, "Double.sum(x, 1)", "(")));
    }

    @Test
    void privateHelperIsAnErrorAtTheCallBecauseTheGradientClassCannotCallIt() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Helpers {
                    private static double scale(int n) {
                        return n * 0.5;
                    }
                    @Differentiable
                    static double f(double x, int n) {
                        return scale(n) * x;
                    }
                }
                """;
        assertRejected("com.example.Helpers", src,
                error("'scale' is private, so the generated gradient class HelpersGradient cannot call it; "
                        + "make it package-private", at(src, "scale(n)", "(")));
    }

    @Test
    void instanceHelperIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Helpers {
                    double scale(int n) {
                        return n * 0.5;
                    }
                    @Differentiable
                    static double f(double x, int n) {
                        return scale(n) * x;
                    }
                }
                """;
        assertRejected("com.example.Helpers", src,
                error("instance method 'scale' cannot be called from a @Differentiable method",
                        at(src, "scale(n)", "(")));
    }

    @Test
    void unknownMethodIsReportedOnceAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Typo {
                    @Differentiable
                    static double f(double x) {
                        return Math.sinn(x);
                    }
                }
                """;
        assertRejected("com.example.Typo", src, error("cannot find symbol", at(src, "sinn(x)", "(")));
    }

    @Test
    void explicitTypeArgumentsAreAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Generic {
                    static <T> double identity(double v) {
                        return v;
                    }
                    @Differentiable
                    static double f(double x) {
                        return Generic.<String>identity(2.0) * x;
                    }
                }
                """;
        assertRejected("com.example.Generic", src,
                error("explicit type arguments are not supported " + IN, at(src, "identity(2.0)", "(")));
    }

    @Test
    void callToAnInvalidDifferentiableMethodIsAnErrorAtBothMethods() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Chain {
                    @Differentiable
                    double inner(double x) {
                        return x * x;
                    }
                    @Differentiable
                    static double outer(double x) {
                        return 2 * inner(x);
                    }
                }
                """;
        assertRejected("com.example.Chain", src,
                error("@Differentiable method 'inner' must be static", at(src, "inner(double x)")),
                error("instance method 'inner' cannot be called from a @Differentiable method, which is static",
                        at(src, "inner(x)", "(")));
    }

    @Test
    void wrtNamingAnUnknownOrNonFloatingParameterIsAnErrorAtThatName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Selected {
                    @Differentiable(wrt = {"x", "z", "n"})
                    static double power(double x, int n) {
                        return Math.pow(x, n);
                    }
                }
                """;
        assertRejected("com.example.Selected", src,
                error("wrt names 'z', which is not a parameter of power", at(src, "\"z\"")),
                error("wrt names 'n', a parameter of type int; only double parameters and arrays of double can be "
                        + "differentiated", at(src, "\"n\"")));
    }

    @Test
    void anArgumentWithADerivativeForAParameterTheCalleeLeavesOutOfWrtIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                import dev.leibniz.Leibniz;
                final class Scaled {
                    @Differentiable(wrt = "x")
                    static double scaled(double x, double scale) {
                        return scale * x;
                    }

                    @Differentiable
                    static double twice(double a) {
                        return scaled(a, a);
                    }

                    @Differentiable
                    static double held(double a) {
                        return scaled(a, Leibniz.noDerivative(a));
                    }
                }
                """;
        assertRejected("com.example.Scaled", src, error("'scaled' does not differentiate its parameter 'scale' (its "
                + "wrt leaves it out), and the argument depends on a differentiated parameter",
                at(src, "scaled(a, a)", "(")));
    }

    // ==== several problems, and whole classes =====================================================================

    @Test
    void everyProblemOfAMethodIsReportedInOneCompilation() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Messy {
                    @Differentiable
                    static double messy(double x, short f) {
                        double y = x * 'a';
                        synchronized (Messy.class) {
                            y = y / 2;
                        }
                        y = (x = 3) + y;
                        return y + 'c';
                    }
                }
                """;
        assertRejected("com.example.Messy", src,
                error("parameter 'f' has type short", at(src, "short f")),
                error("char values are not supported " + IN + "; use int", at(src, "'a'")),
                error("synchronized blocks are not supported " + IN, at(src, "synchronized (Messy.class)")),
                error("char values are not supported " + IN, at(src, "'c'")));
    }

    @Test
    void problemsOfEveryMethodOfAClassAreReported() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Two {
                    @Differentiable
                    static double first(double x) {
                        return x * 'a';
                    }
                    @Differentiable
                    static double second(double x) {
                        return x * 'c';
                    }
                }
                """;
        assertRejected("com.example.Two", src,
                error("char values are not supported " + IN + "; use int", at(src, "'a'")),
                error("char values are not supported " + IN, at(src, "'c'")));
    }

    @Test
    void unsupportedCallIsReportedTogetherWithOtherProblemsOfTheSameMethod() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Messy {
                    @Differentiable
                    static double messy(double x) {
                        double y = x * 'a';
                        return y + Double.sum(x, 1);
                    }
                }
                """;
        // Both are independent mistakes; a user should not have to fix one and recompile to learn of the other.
        assertRejected("com.example.Messy", src,
                error("char values are not supported " + IN + "; use int", at(src, "'a'")),
                error("'sum' is not @Differentiable", at(src, "Double.sum(x, 1)", "(")));
    }

    @Test
    void oneRejectedMethodMeansNoGradientClassAtAllForItsClass() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Half {
                    @Differentiable
                    static double good(double x) {
                        return x * x;
                    }
                    @Differentiable
                    static double bad(double x) {
                        try {
                            x = x / 2;
                        } finally {
                            x = x + 1;
                        }
                        return x;
                    }
                }
                """;
        assertRejected("com.example.Half", src,
                error("try/catch/finally is not supported " + IN, at(src, "try {")));
    }

    @Test
    void rejectedClassDoesNotPreventTheGradientOfAnotherClass() {
        String bad = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Bad {
                    @Differentiable
                    static double f(double x) {
                        return x * 'a';
                    }
                }
                """;
        String good = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Good {
                    @Differentiable
                    static double f(double x) {
                        return x * x;
                    }
                }
                """;
        JavaFileObject badFile = JavaFileObjects.forSourceString("com.example.Bad", bad);
        Result result = compile(badFile, JavaFileObjects.forSourceString("com.example.Good", good));
        assertRejected(result, badFile, error("char values are not supported " + IN + "; use int", at(bad, "'a'")));
        assertWithMessage("GoodGradient is generated although Bad is rejected")
                .that(result.generatedSources()).contains("com.example.GoodGradient");
    }

    @Test
    void nestedClassGetsNoGradientClassWhenRejected() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Outer {
                    static final class Inner {
                        @Differentiable
                        static double f(double x) {
                            return x * 'a';
                        }
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString("com.example.Outer", src);
        assertRejected(compile(file), file,
                error("char values are not supported " + IN + "; use int", at(src, "'a'")));
    }

    // ==== javac's own errors ======================================================================================

    @Test
    void typeErrorOutsideADifferentiableMethodIsJavacsOwnAndDoesNotBreakTheProcessor() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Mixed {
                    @Differentiable
                    static double square(double x) {
                        return x * x;
                    }
                    static int broken() {
                        return "not a number";
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString("com.example.Mixed", src);
        Compilation compilation = compile(file).compilation();
        assertThat(compilation).failed();
        assertNoProcessorCrash(compilation);
        assertThat(compilation).hadErrorContaining("incompatible types")
                .inFile(file).onLine(at(src, "\"not a number\"").line())
                .atColumn(at(src, "\"not a number\"").column());
        assertErrorCount(compilation, 1);
    }

    @Test
    void unknownTypeInADifferentiableSignatureDoesNotBreakTheProcessor() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Unknown {
                    @Differentiable
                    static double f(double x, Vector3 v) {
                        return x;
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString("com.example.Unknown", src);
        Result result = compile(file);
        Compilation compilation = result.compilation();
        assertThat(compilation).failed();
        assertNoProcessorCrash(compilation);
        Pos type = at(src, "Vector3 v");
        assertThat(compilation).hadErrorContaining("Vector3").inFile(file).onLine(type.line())
                .atColumn(type.column());
        assertNoGradient(result, file);
    }

    @Test
    void unknownTypeInADifferentiableBodyDoesNotBreakTheProcessor() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Unknown {
                    @Differentiable
                    static double f(double x) {
                        return Vectors.norm(x);
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString("com.example.Unknown", src);
        Result result = compile(file);
        Compilation compilation = result.compilation();
        assertThat(compilation).failed();
        assertNoProcessorCrash(compilation);
        Pos type = at(src, "Vectors.norm");
        assertThat(compilation).hadErrorContaining("Vectors").inFile(file).onLine(type.line())
                .atColumn(type.column());
        assertErrorCount(compilation, 1);
        assertNoGradient(result, file);
    }

    // ==== messages that must not mislead ===========================================================================

    @Test
    void thisQualifiedInstanceFieldIsReportedAsAnInstanceFieldNotAsAnUnknownSymbol() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Scaled {
                    double gain = 2.0;
                    @Differentiable
                    double apply(double x) {
                        return this.gain * x;
                    }
                }
                """;
        // 'this' exists; "cannot find symbol 'this'" would send the user looking for a typo.
        assertRejected("com.example.Scaled", src,
                error("@Differentiable method 'apply' must be static", at(src, "apply(double x)")),
                error("instance field 'gain' cannot be read " + IN, at(src, "this.gain", ".")));
    }

    @Test
    void lengthOfAMutableStaticArrayIsReportedAtTheArrayNotAsAnUnknownSymbol() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Weights {
                    static double[] W = {0.5, 2.0};
                    @Differentiable
                    static double scaled(double x) {
                        return W.length * x;
                    }
                }
                """;
        // 'W' is declared two lines above; "cannot find symbol 'W'" is false, and so is "arrays are not supported"
        // (array parameters are): what stops it is reading a mutable static field, at W.
        assertRejected("com.example.Weights", src,
                error("static field 'W' is not final; a derivative cannot depend on mutable state",
                        at(src, "W.length")));
    }

    @Test
    void booleanReturnedFromADoubleMethodIsNotSaidToNeedACast() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Steps {
                    @Differentiable
                    static double positive(double x) {
                        return x > 0;
                    }
                }
                """;
        assertRejected("com.example.Steps", src,
                error("incompatible types: boolean cannot be", at(src, "x > 0", ">")));
        // Java has no cast from boolean to double: advice to add one cannot be followed.
        assertNoDiagnosticContaining(compile(JavaFileObjects.forSourceString("com.example.Steps", src)),
                "without a cast");
    }

    @Test
    void jdkMethodWithADifferentiatedArgumentIsRejectedWithoutAdviceToAnnotateTheJdk() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Sums {
                    @Differentiable
                    static double shifted(double x) {
                        return Double.sum(x, 1.0);
                    }
                }
                """;
        assertRejected("com.example.Sums", src,
                error("'sum' is not @Differentiable", at(src, "sum(x, 1.0)", "(")));
        // Double.sum cannot be annotated by the user: "annotate it with @Differentiable" is advice they cannot take.
        assertNoDiagnosticContaining(compile(JavaFileObjects.forSourceString("com.example.Sums", src)),
                "annotate it with @Differentiable");
    }

    @Test
    void userClassNamedMathIsNotMistakenForJavaLangMath() {
        String math = """
                package com.example;
                final class Math {
                    static double sin(double v) {
                        return v;
                    }
                }
                """;
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Waves {
                    @Differentiable
                    static double wave(double x) {
                        return Math.sin(x);
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString("com.example.Waves", src);
        // Here Math is com.example.Math, an ordinary helper: "Math.sin has no derivative Leibniz knows" is false.
        assertRejected(compile(file, JavaFileObjects.forSourceString("com.example.Math", math)), file,
                error("'sin' is not @Differentiable", at(src, "Math.sin(x)", "(")));
    }

    @Test
    void nestedAndTopLevelClassesWhoseGradientNamesCollideAreOneClearError() {
        String outer = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Outer {
                    static final class Inner {
                        @Differentiable
                        static double f(double x) {
                            return x * x;
                        }
                    }
                }
                """;
        String flat = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Outer_Inner {
                    @Differentiable
                    static double g(double x) {
                        return x * x;
                    }
                }
                """;
        JavaFileObject outerFile = JavaFileObjects.forSourceString("com.example.Outer", outer);
        JavaFileObject flatFile = JavaFileObjects.forSourceString("com.example.Outer_Inner", flat);
        Compilation compilation = compile(outerFile, flatFile).compilation();
        assertThat(compilation).failed();
        assertNoProcessorCrash(compilation);
        assertErrorCount(compilation, 1);
        assertWithMessage("warnings; all diagnostics:\n" + describe(compilation))
                .that(compilation.warnings()).isEmpty();
        Diagnostic<? extends JavaFileObject> error = compilation.errors().get(0);
        // Both classes are named, so that the user knows what to rename (Filer's "Attempt to recreate a file" does not).
        assertWithMessage("the error must name both classes:\n" + describe(compilation))
                .that(error.getMessage(Locale.ROOT)).contains("Outer.Inner");
        assertWithMessage("the error must name both classes:\n" + describe(compilation))
                .that(error.getMessage(Locale.ROOT)).containsMatch("\\bOuter_Inner\\b");
        assertWithMessage("the error must point at one of the two class declarations:\n" + describe(compilation))
                .that(List.of(at(outer, "class Inner"), at(flat, "class Outer_Inner")))
                .contains(new Pos(error.getLineNumber(), error.getColumnNumber()));
    }

    // ==== supported code and javac's errors must never crash the processor ==========================================

    @Test
    void differentiableCallInsideABranchIsDifferentiatedNotACrash() {
        // Calls to @Differentiable methods and if/else are both supported; together they must be too.
        Compiled compiled = Compiled.compile("com.example.Branches", """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Branches {
                    @Differentiable
                    static double square(double x) {
                        return x * x;
                    }
                    @Differentiable
                    static double piecewise(double x, int n) {
                        if (n == 0) {
                            return x;
                        }
                        return x * square(x);
                    }
                }
                """);
        new GradientCheck(compiled, "com.example.Branches").check("piecewise", 1.5, 2);
    }

    @Test
    void recursiveDifferentiableMethodIsDifferentiatedByTheChainRuleNotACrash() {
        // Recursion is in the subset; CallGradientTest checks it further (early returns, mutual recursion).
        Compiled compiled = Compiled.compile("com.example.Powers", """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Powers {
                    @Differentiable
                    static double power(double x, int n) {
                        return n == 0 ? 1.0 : x * power(x, n - 1);
                    }
                }
                """);
        new GradientCheck(compiled, "com.example.Powers").check("power", 1.3, 4);
    }

    @Test
    void parameterNamedMathDoesNotBreakTheGeneratedCode() {
        // Valid Java inside the subset: the generated code must not let the parameter shadow java.lang.Math.
        Compiled compiled = Compiled.compile("com.example.Shadow", """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Shadow {
                    @Differentiable
                    static double f(double Math, double y) {
                        return Math * java.lang.Math.sin(y);
                    }
                }
                """);
        new GradientCheck(compiled, "com.example.Shadow").check("f", 1.5, 0.5);
    }

    @Test
    void deprecatedHelperOfTheSameClassDoesNotMakeTheGeneratedCodeWarn() {
        // The user's own code compiles without a warning (deprecation is silent within a class); generated code
        // must not add one, or a -Werror build fails on a file the user never wrote.
        Compiled compiled = Compiled.compile("com.example.Legacy", """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Legacy {
                    @Deprecated
                    static final double GAIN = 2.0;
                    @Deprecated
                    static double scale(int n) {
                        return n * 0.5;
                    }
                    @Differentiable
                    static double f(double x, int n) {
                        return GAIN * scale(n) * x;
                    }
                }
                """);
        new GradientCheck(compiled, "com.example.Legacy").check("f", 1.5, 3);
    }

    @Test
    void javacFlowErrorInADifferentiableMethodIsReportedOnceInTheUsersCode() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Flow {
                    @Differentiable
                    static double f(double x) {
                        double y;
                        if (x > 0) {
                            y = x;
                        }
                        return y * x;
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString("com.example.Flow", src);
        Compilation compilation = compile(file).compilation();
        assertThat(compilation).failed();
        assertNoProcessorCrash(compilation);
        Pos use = at(src, "y * x");
        assertThat(compilation).hadErrorContaining("variable y might not have been initialized").inFile(file)
                .onLine(use.line()).atColumn(use.column());
        assertErrorCount(compilation, 1);
    }

    // ==== the harness itself ======================================================================================

    @Test
    void harnessSeesTheGradientClassesOfAnAcceptedClass() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Fine {
                    @Differentiable
                    static double square(double x) {
                        return x * x;
                    }
                    static final class Inner {
                        @Differentiable
                        static double cube(double x) {
                            return x * x * x;
                        }
                    }
                }
                """;
        Result result = compile(JavaFileObjects.forSourceString("com.example.Fine", src));
        assertThat(result.compilation()).succeededWithoutWarnings();
        assertWithMessage("the harness must see what Leibniz generates, or the 'no gradient' checks prove nothing")
                .that(result.generatedSources())
                .containsExactly("com.example.FineGradient", "com.example.Fine_InnerGradient");
    }
}
