package dev.leibniz.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.leibniz.processor.DiagnosticsHarness.IN;
import static dev.leibniz.processor.DiagnosticsHarness.PICK;
import static dev.leibniz.processor.DiagnosticsHarness.assertOnlyErrors;
import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.compile;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static dev.leibniz.processor.DiagnosticsHarness.pick;

import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.processor.DiagnosticsHarness.Result;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile input: constructs a user may well write in a {@code @Differentiable} method, outside the subset or odd
 * in it. Each is either differentiated correctly (checked against finite differences) or an error at the construct
 * that says what to write instead — one error per mistake, no exception from the processor, no gradient class
 * ({@link DiagnosticsHarness}). Where javac itself rejects the code, javac's error is the one the user sees, once.
 * docs/unsupported.md lists every rejected construct with its message.
 */
class HostileInputTest {
    private static final String VALUES = "which computes with double, long, int and boolean values";
    private static final String NEVER_ENDS = "this loop never ends: its condition is always true and no break or "
            + "return leaves it; end it with a break or a return, or give it a condition that becomes false";

    // ==== objects and instance state =================================================================================

    /** Each argument is a value a static method can take, but not a number; its error names it exactly. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            this         | this | 'this' does not exist in a @Differentiable method, which is static; pass the values you need from the object as parameters
            null         | null | null is not supported in a @Differentiable method, which computes with double, long, int and boolean values
            double.class | .    | class literals are not supported in a @Differentiable method, which computes with double, long, int and boolean values
            """)
    void anArgumentThatIsNoNumberIsAnErrorAtTheArgument(String argument, String caret, String message) {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static double size(Object o) {
                        return 8.0;
                    }
                    @Differentiable
                    static double f(double x) {
                        return size(%s) * x;
                    }
                }
                """.formatted(argument);
        // 'this' exists and double.class reads no field: "cannot find symbol" or "field access" would mislead.
        assertRejected(PICK, src, error(message, at(src, argument + ")", caret)));
    }

    @Test
    void superCallIsAnErrorAtTheCall() {
        String src = pick("""
                static double f(double x) {
                    return super.hashCode() * x;
                }
                """);
        assertRejected(PICK, src, error("instance method 'hashCode' cannot be called from a @Differentiable method, "
                + "which is static and has no 'super'; make the method static, or pass its result as a parameter",
                at(src, "hashCode()", "(")));
    }

    @Test
    void anonymousClassIsAnErrorAtTheNewKeywordAndTheLocalsType() {
        String src = pick("""
                static double f(double x) {
                    Runnable task = new Runnable() {
                        public void run() {
                        }
                    };
                    return x;
                }
                """);
        assertRejected(PICK, src,
                error("object creation is not supported " + IN, at(src, "new Runnable()")),
                error("local 'task' has type Runnable", at(src, "Runnable task")));
    }

    @Test
    void enumConstantIsAnErrorAtTheConstant() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    enum Mode { LINEAR, SQUARE }
                    static final Mode DEFAULT = Mode.SQUARE;
                    @Differentiable
                    static double f(double x) {
                        return DEFAULT == Mode.SQUARE ? x * x : x;
                    }
                }
                """;
        assertRejected(PICK, src,
                error("constant 'DEFAULT' has type com.example.Pick.Mode", at(src, "DEFAULT ==")),
                error("enum constant 'SQUARE' cannot be used " + IN + ", " + VALUES + "; pass an int or boolean "
                        + "parameter instead", at(src, "Mode.SQUARE ?", ".")));
    }

    @Test
    void methodCallOnAnEnumConstantIsACallOnAValueNotAnUnknownSymbol() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    enum Mode { LINEAR, SQUARE }
                    @Differentiable
                    static double f(double x) {
                        return Mode.SQUARE.ordinal() * x;
                    }
                }
                """;
        // Mode.SQUARE exists: "cannot find symbol 'Mode.SQUARE'" would be false.
        assertRejected(PICK, src, error("method calls on values are not supported " + IN + "; only static methods "
                + "can be called", at(src, "ordinal()", "(")));
    }

    @Test
    void instanceofWithAPatternIsAnErrorAtTheOperator() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static final Object UNIT = "m";
                    @Differentiable
                    static double f(double x) {
                        return UNIT instanceof String s ? x : 2 * x;
                    }
                }
                """;
        assertRejected(PICK, src, error("instanceof is not supported " + IN + ", " + VALUES + "; test the type in "
                + "the caller and pass the outcome as a boolean parameter", at(src, "instanceof")));
    }

    @Test
    void fieldOfAValueIsAnErrorAtTheDot() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static final class Point {
                        final double x = 1.0;
                    }
                    static final Point ORIGIN = new Point();
                    @Differentiable
                    static double f(double x) {
                        return ORIGIN.x * x;
                    }
                }
                """;
        assertRejected(PICK, src, error("field access on a value ('ORIGIN.x') is not supported " + IN + "; only static "
                + "final constants such as Math.PI can be read", at(src, "ORIGIN.x", ".")));
    }

    @Test
    void objectAndListParametersAreErrorsAtTheirTypes() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                import java.util.List;
                final class Pick {
                    @Differentiable
                    static double f(Object o, List<Double> xs, double x) {
                        return x;
                    }
                }
                """;
        assertRejected(PICK, src,
                error("parameter 'o' has type Object; @Differentiable parameters are double and float "
                        + "(differentiated), long, int, boolean (inputs without derivative), or arrays of them with one "
                        + "or two dimensions", at(src, "Object o")),
                error("parameter 'xs' has type List<Double>", at(src, "List<Double> xs", "<")));
    }

    // ==== boxed and narrow types: each names the type to write instead ===============================================

    @Test
    void boxedParametersAreErrorsThatNameThePrimitiveToWrite() {
        String src = pick("""
                static double f(Double x, Integer n, java.lang.Long m, Boolean b) {
                    return x;
                }
                """);
        assertRejected(PICK, src,
                error("parameter 'x' has type Double; @Differentiable parameters are double and float "
                        + "(differentiated), long, int, boolean (inputs without derivative), or arrays of them with one "
                        + "or two dimensions; write double instead of Double", at(src, "Double x")),
                error("; write int instead of Integer", at(src, "Integer n")),
                error("; write long instead of java.lang.Long", at(src, "java.lang.Long m", ".Long")),
                error("; write boolean instead of Boolean", at(src, "Boolean b")));
    }

    @Test
    void boxedLocalIsOneErrorAtItsType() {
        String src = pick("""
                static double f(double x) {
                    Double y = x;
                    return y * 2;
                }
                """);
        assertRejected(PICK, src, error("local 'y' has type Double, which Leibniz cannot differentiate; only double, "
                + "float, long, int and boolean locals, and arrays of them with one or two dimensions, are "
                + "supported; write double instead of Double", at(src, "Double y")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            short | int
            byte  | int
            char  | int
            """)
    void narrowPrimitiveParameterIsAnErrorThatNamesTheTypeToWrite(String type, String instead) {
        String src = pick("""
                static double f(double x, %s k) {
                    return x * k;
                }
                """.formatted(type));
        // Its uses are not errors of their own: the declaration says it all.
        assertRejected(PICK, src, error("parameter 'k' has type " + type + "; @Differentiable parameters are double "
                + "and float (differentiated), long, int, boolean (inputs without derivative), or arrays of them with "
                + "one or two dimensions; write " + instead + " instead of " + type,
                at(src, type + " k")));
    }

    @Test
    void arrayOfBoxedDoublesParameterIsOneErrorNotAlsoOneAtEachElementRead() {
        String src = pick("""
                static double f(Double[] a) {
                    return a[0] * a[1];
                }
                """);
        assertRejected(PICK, src, error("parameter 'a' has type Double[]; @Differentiable parameters are double "
                + "and float (differentiated), long, int, boolean (inputs without derivative), or arrays of them with "
                + "one or two dimensions; write double[] instead of Double[]",
                at(src, "Double[] a", "[")));
    }

    @Test
    void arrayOfBoxedDoublesLocalIsOneErrorNotAlsoOneAtItsInitialiser() {
        String src = pick("""
                static double f(double x) {
                    Double[] a = {x, 2 * x};
                    return x;
                }
                """);
        // "an array initialiser needs a declared array type" would be false: it has one, outside the subset.
        assertRejected(PICK, src, error("local 'a' has type Double[], which Leibniz cannot differentiate; only "
                + "double, float, long, int and boolean locals, and arrays of them with one or two "
                + "dimensions, are supported; write double[] instead of Double[]", at(src, "Double[] a", "[")));
    }

    @Test
    void newArrayOfObjectsIsAnErrorAtTheNewKeywordAndTheLocalsType() {
        String src = pick("""
                static double f(double x) {
                    Object[] cells = new Object[3];
                    return x;
                }
                """);
        assertRejected(PICK, src,
                error("arrays of Object are not supported " + IN + "; use double, long, int or boolean elements",
                        at(src, "new Object[3]")),
                error("local 'cells' has type Object[]", at(src, "Object[] cells", "[")));
    }

    @Test
    void newArrayOfBoxedDoublesNamesThePrimitiveToWrite() {
        String src = pick("""
                static double f(double x, int n) {
                    double[] a = new Double[n];
                    return x;
                }
                """);
        assertRejected(PICK, src, error("arrays of Double are not supported " + IN + "; use double, long, int or "
                + "boolean elements; write double instead of Double", at(src, "new Double[n]")));
    }

    // ==== arrays outside the subset ==================================================================================

    @Test
    void threeDimensionalArrayParameterIsOneErrorAtItsType() {
        String src = pick("""
                static double f(double[][][] t) {
                    return t[0][0][0];
                }
                """);
        assertRejected(PICK, src, error("parameter 't' has type double[][][]; @Differentiable parameters are double "
                + "and float (differentiated), long, int, boolean (inputs without derivative), or arrays of them with "
                + "one or two dimensions", at(src, "double[][][] t", "[")));
    }

    @Test
    void newArrayWithoutEveryLengthIsAnErrorThatShowsTheForm() {
        String src = pick("""
                static double f(double x, int n) {
                    double[][] m = new double[n][];
                    return x;
                }
                """);
        assertRejected(PICK, src, error("give every length of a new array " + IN + ", as in new double[n][m]",
                at(src, "new double[n][]")));
    }

    @Test
    void assigningAWholeRowIsAnErrorAtTheRow() {
        String src = pick("""
                static double f(double[][] m, double[] r) {
                    m[0] = r;
                    return m[0][0];
                }
                """);
        assertRejected(PICK, src, error("assigning a whole row of an array is not supported " + IN + "; assign its "
                + "elements", at(src, "m[0] = r", "[")));
    }

    @Test
    void doubleIndexAndLongLengthAreErrorsAtThem() {
        String src = pick("""
                static double f(double[] a, double x, long n) {
                    double[] b = new double[n];
                    return a[x];
                }
                """);
        assertRejected(PICK, src,
                error("an array length must be an int, not long", at(src, "[n]", "n")),
                error("an array index must be an int, not double", at(src, "a[x]", "x")));
    }

    // ==== strings and characters =====================================================================================

    @Test
    void stringConcatenationIsOneErrorAtTheOutermostOperator() {
        String src = pick("""
                static double f(double x) {
                    double y = 2 * x + " m" + x;
                    return y;
                }
                """);
        assertRejected(PICK, src, error("strings are not supported " + IN + ", " + VALUES + "; pass numbers as "
                + "parameters instead", at(src, "+ x;")));
    }

    @Test
    void conditionalBetweenStringsIsOneErrorAtTheQuestionMark() {
        String src = pick("""
                static double f(double x) {
                    var unit = x > 1 ? "m" : "mm";
                    return x;
                }
                """);
        assertRejected(PICK, src, error("strings are not supported " + IN, at(src, "? \"m\"")));
    }

    @Test
    void textBlockIsAnErrorAtItsStart() {
        String src = pick("""
                static double f(double x) {
                    var help = \"""
                            metres
                            \""";
                    return x;
                }
                """);
        assertRejected(PICK, src, error("strings are not supported " + IN, at(src, "\"\"\"\n", "\"")));
    }

    @Test
    void charLocalIsAnErrorAtItsTypeThatNamesIntAndAtItsLiteral() {
        String src = pick("""
                static double f(double x) {
                    char c = 'a';
                    return x;
                }
                """);
        assertRejected(PICK, src,
                error("char values are not supported " + IN + "; use int", at(src, "'a'")),
                error("local 'c' has type char, which Leibniz cannot differentiate; only double, float, long, int "
                        + "and boolean locals, and arrays of them with one or two dimensions, are "
                        + "supported; write int instead of char", at(src, "char c")));
    }

    // ==== arithmetic that throws =====================================================================================

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            int z = n / 0;              | 0          | division
            long z = n % 0L;            | 0L         | remainder
            int z = n; z /= 0;          | 0          | division
            int z = n / (ZERO * 3);     | (ZERO * 3) | division
            long z = n / Pick.ZERO;     | .ZERO      | division
            """)
    void integerDivisionByAConstantZeroIsAnErrorAtTheDivisor(String statement, String divisor, String what) {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static final int ZERO = 0;
                    @Differentiable
                    static double f(double x, int n) {
                        %s
                        return x * z;
                    }
                }
                """.formatted(statement);
        // Java throws ArithmeticException; javac warns ([divzero]), and generated code would repeat the warning.
        assertRejected(PICK, src, error("integer " + what + " by zero always throws ArithmeticException, and a "
                + "@Differentiable method must not throw; divide by a value that is not zero",
                at(src, statement, divisor)));
    }

    @Test
    void floatingDivisionByZeroIsInfinityAndNotAnError() {
        // IEEE semantics, as in the original: no exception, and no warning in the generated code either.
        Result result = compile(JavaFileObjects.forSourceString(PICK, pick("""
                static double f(double x, int n) {
                    return x / 0 + n / 0.0 + x % 0;
                }
                """)));
        assertThat(result.compilation()).succeededWithoutWarnings();
        assertWithMessage("generated sources").that(result.generatedSources()).containsExactly(PICK + "Gradient");
    }

    // ==== calls ======================================================================================================

    @Test
    void callOfAMethodThatWritesIntoItsArrayArgumentInsideALargerExpressionIsAnErrorAtTheCall() {
        // both methods are @Differentiable: pick annotates the first. Java reads b[0] after twice wrote it; a call
        // that writes arrays is differentiated as a statement of its own (WritingHelpersTest)
        String src = pick("""
                static double twice(double[] a) {
                    a[0] = 2 * a[0];
                    return a[0];
                }
                @Differentiable
                static double f(double[] b) {
                    return twice(b) + b[0];
                }
                """);
        assertRejected(PICK, src, error("a call of 'twice', which writes into the arrays it is given, is supported as "
                + "a statement of its own, as the whole value of a declaration, an assignment or a return, or in a "
                + "value that reads no array element and calls no other method (but Math's), so that nothing else "
                + "sees the arrays change; call it first (double r = twice(...);)",
                at(src, "twice(b)", "(")));
    }

    @Test
    void mathRandomIsAnErrorAtTheCall() {
        String src = pick("""
                static double f(double x) {
                    return x * Math.random();
                }
                """);
        assertRejected(PICK, src, error("Math.random() is not supported " + IN + ": the method would return another "
                + "value on every call, and its Hessian and Jacobian run it more than once; draw the number in the "
                + "caller and pass it as a parameter, left out of wrt", at(src, "random()", "(")));
    }

    @Test
    void callsThatNeedBoxingOrVarargsAreErrorsAtTheCalls() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static double boxed(Double d) {
                        return d;
                    }
                    static double first(double... xs) {
                        return xs[0];
                    }
                    @Differentiable
                    static double f(double x) {
                        return boxed(1.0) * first(2.0, 3.0) * x;
                    }
                }
                """;
        assertRejected(PICK, src,
                error("no single static method boxed(double) applies without boxing or varargs; Leibniz resolves calls "
                        + "on double, long, int and boolean arguments only", at(src, "boxed(1.0)", "(")),
                error("no single static method first(double, double) applies without boxing or varargs",
                        at(src, "first(2.0, 3.0)", "(")));
    }

    @Test
    void voidCallInAnExpressionIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static void log(double v) {
                    }
                    @Differentiable
                    static double f(double x) {
                        double y = log(x);
                        return x;
                    }
                }
                """;
        assertRejected(PICK, src, error("'log' returns void; only calls whose value is used are supported",
                at(src, "log(x)", "(")));
    }

    @Test
    void callOfAMethodThatDeclaresACheckedExceptionIsAnErrorAtTheCall() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static double scale(int n) throws java.io.IOException {
                        return n * 0.5;
                    }
                    @Differentiable
                    static double f(double x, int n) throws java.io.IOException {
                        return scale(n) * x;
                    }
                }
                """;
        // The generated gradient class calls it too, where nothing could catch or declare the IOException.
        assertRejected(PICK, src, error("'scale' declares throws IOException, which the generated gradient class "
                + "could neither catch nor declare; call it in a helper that catches it, or in the caller, and pass "
                + "the value as a parameter", at(src, "scale(n)", "(")));
    }

    // ==== statements and control flow ================================================================================

    @Test
    void tryFinallyWithoutCatchIsAnErrorAtTheTryKeyword() {
        String src = pick("""
                static double f(double x) {
                    double y;
                    try {
                        y = Math.log(x);
                    } finally {
                        y = 0;
                    }
                    return y;
                }
                """);
        assertRejected(PICK, src, error("try/catch/finally is not supported " + IN + "; handle errors in the caller, "
                + "and run what finally does there too", at(src, "try {")));
    }

    @Test
    void tryWithResourcesIsOneErrorAtTheTryKeyword() {
        String src = pick("""
                static double f(double x) {
                    try (java.io.StringReader in = new java.io.StringReader("1")) {
                        x = x * 2;
                    }
                    return x;
                }
                """);
        // Nothing inside the resource is reported on its own: the try is the mistake.
        assertRejected(PICK, src, error("try-with-resources is not supported " + IN + "; open and close resources "
                + "in the caller", at(src, "try (")));
    }

    @Test
    void returnWithoutAValueIsAnErrorAtTheReturn() {
        String src = pick("""
                static double f(double x) {
                    if (x > 0) {
                        return;
                    }
                    return x;
                }
                """);
        assertRejected(PICK, src, error("a @Differentiable method must return a value", at(src, "return;")));
    }

    @Test
    void synchronizedMethodIsAnErrorAtItsName() {
        String src = pick("""
                static synchronized double f(double x) {
                    return x * x;
                }
                """);
        assertRejected(PICK, src, error("@Differentiable method 'f' is synchronized, but its generated gradient takes "
                + "no lock; remove synchronized, and synchronize in the caller if it must", at(src, "f(double x)")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            record Point(double a, double b) {} | record    | Point
            interface Shape {}                  | interface | Shape
            enum Unit { M, MM }                 | enum      | Unit
            """)
    void localTypeDeclarationIsAnErrorAtItsKeyword(String declaration, String kind, String name) {
        String src = pick("""
                static double f(double x) {
                    %s
                    return x;
                }
                """.formatted(declaration));
        assertRejected(PICK, src, error("local " + kind + " '" + name + "' is not supported " + IN + "; declare it "
                + "outside the method", at(src, declaration)));
    }

    @Test
    void varWithoutAnInitialiserIsOneErrorAtItsNameNotAlsoOnesInTheGeneratedCode() {
        String src = pick("""
                static double f(double x) {
                    var y;
                    y = x;
                    return y;
                }
                """);
        // javac says so too, but only after Leibniz would have written code that declares y without a type
        assertRejected(PICK, src, error("cannot infer type for local variable y ('var' needs an initialiser); declare "
                + "its type, or give it a value", at(src, "var y;", "y")));
    }

    @Test
    void yieldOutsideASwitchExpressionIsAnErrorAtTheYield() {
        String src = pick("""
                static double f(double x) {
                    yield(x);
                    return x;
                }
                """);
        assertRejected(PICK, src, error("yield outside of a switch expression", at(src, "yield(x)")));
    }

    // ==== labels in odd places =======================================================================================

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            check: if (x > 1) { x = x / 2; }
            step: x = x * 2;
            nothing: ;
            block: { x = x + 1; }
            """)
    void labelOnAStatementThatIsNotALoopIsAnErrorAtTheLabel(String statement) {
        String src = pick("""
                static double f(double x) {
                    %s
                    return x;
                }
                """.formatted(statement));
        String label = statement.substring(0, statement.indexOf(':'));
        assertRejected(PICK, src, error("labels are supported on loops only " + IN + "; remove the label '" + label
                + "', or put it on a loop", at(src, statement)));
    }

    @Test
    void twoLabelsOnOneLoopAreAnErrorAtTheFirst() {
        String src = pick("""
                static double f(double x, int n) {
                    rows: cells: for (int i = 0; i < n; i++) {
                        x = x * 2;
                    }
                    return x;
                }
                """);
        assertRejected(PICK, src, error("a loop may have one label " + IN + "; remove 'rows' or 'cells'",
                at(src, "rows:")));
    }

    @Test
    void labelShadowingAnEnclosingLabelIsAnErrorInJavacsWords() {
        String src = pick("""
                static double f(double x, int n) {
                    outer:
                    for (int i = 0; i < n; i++) {
                        outer:
                        for (int j = 0; j < n; j++) {
                            x = x * 2;
                            break outer;
                        }
                    }
                    return x;
                }
                """);
        assertRejected(PICK, src, error("label outer already in use", at(src, "outer:\n            for (int j", "o")));
    }

    @Test
    void breakToAnUndefinedLabelIsAnErrorAtTheBreak() {
        String src = pick("""
                static double f(double x, int n) {
                    for (int i = 0; i < n; i++) {
                        break nowhere;
                    }
                    return x;
                }
                """);
        assertRejected(PICK, src, error("undefined label: nowhere", at(src, "break nowhere")));
    }

    // ==== loops that never end, and unreachable code =================================================================

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            for (;;) { x = x * 2; }                 | for
            while (true) { x = x * 2; }             | while
            do { x = x * 2; } while (true);         | do
            while (!false && 1 < 2) { x = x * 2; }  | while
            while (FOREVER) { x = x * 2; }          | while
            for (int i = 0; ; i++) { x = x + i; }   | for
            """)
    void loopThatNeverEndsIsAnErrorAtTheLoop(String loop, String keyword) {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static final boolean FOREVER = true;
                    @Differentiable
                    static double f(double x) {
                        %s
                    }
                }
                """.formatted(loop);
        // Valid Java (the method never returns), but the reverse sweep after the loop would be unreachable code.
        assertRejected(PICK, src, error(NEVER_ENDS, at(src, loop, keyword)));
    }

    @Test
    void loopThatNeverEndsInsideABranchOfAnotherLoopIsAnErrorAtThatLoop() {
        String src = pick("""
                static double f(double x, int n) {
                    for (int i = 0; i < n; i++) {
                        if (x > 1) {
                            while (true) {
                                x = x * 2;
                                continue;
                            }
                        }
                        x = x * x;
                    }
                    return x;
                }
                """);
        assertRejected(PICK, src, error(NEVER_ENDS, at(src, "while (true)")));
    }

    @Test
    void loopThatNeverEndsInACaseIsAnErrorAtTheLoop() {
        String src = pick("""
                static double f(double x, int k) {
                    switch (k) {
                        case 0:
                            for (;;) {
                                x = x * 2;
                            }
                        default:
                            x = x * 3;
                    }
                    return x;
                }
                """);
        assertRejected(PICK, src, error(NEVER_ENDS, at(src, "for (;;)")));
    }

    @Test
    void loopWhoseBodyIsRejectedIsNotAlsoSaidToNeverEnd() {
        String src = pick("""
                static double f(double x) {
                    while (true) {
                        throw new IllegalStateException();
                    }
                }
                """);
        assertRejected(PICK, src, error("throw is not supported " + IN, at(src, "throw")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            return x * x; x = 2;
            for (int i = 0; i < n; i++) { continue; x = x * 2; }
            for (int i = 0; i < n; i++) { break; x = x * 2; }
            if (x > 0) { return x; } else { return -x; } x = 2;
            while (true) { x = x * 2; if (x > 9) { return x; } } x = 2;
            switch (n) { case 0: return x; x = 2; default: x = 3 * x; }
            """)
    void unreachableStatementIsJavacsErrorReportedOnceWithoutAProcessorError(String statements) {
        String src = pick("""
                static double f(double x, int n) {
                    %s
                    return x;
                }
                """.formatted(statements));
        // javac rejects the method after Leibniz has run; its error, once, is all the user sees.
        JavaFileObject file = JavaFileObjects.forSourceString(PICK, src);
        String dead = statements.substring(statements.lastIndexOf("x = 2") >= 0 ? statements.lastIndexOf("x = 2")
                : statements.lastIndexOf("x = x * 2"));
        assertOnlyErrors(compile(file).compilation(), file, error("unreachable statement", at(src, dead)));
    }

    @Test
    void returnAfterAnEndlessLoopIsOneErrorAtTheLoopNotAlsoJavacsUnreachableStatement() {
        String src = pick("""
                static double f(double x) {
                    while (true) {
                        x = x * 2;
                    }
                    return x;
                }
                """);
        // The loop is the mistake; javac, stopped by Leibniz's error, does not add "unreachable statement".
        assertRejected(PICK, src, error(NEVER_ENDS, at(src, "while (true)")));
    }

    @Test
    void missingReturnIsJavacsErrorReportedOnce() {
        String src = pick("""
                static double f(double x) {
                    if (x > 0) {
                        return x;
                    }
                }
                """);
        JavaFileObject file = JavaFileObjects.forSourceString(PICK, src);
        assertOnlyErrors(compile(file).compilation(), file,
                error("missing return statement", at(src, "}\n    }\n}", "}\n}")));
    }

    @Test
    void localDeclaredTwiceIsJavacsErrorReportedOnce() {
        String src = pick("""
                static double f(double x) {
                    double y = x;
                    double y = 2 * x;
                    return y;
                }
                """);
        JavaFileObject file = JavaFileObjects.forSourceString(PICK, src);
        assertOnlyErrors(compile(file).compilation(), file,
                error("variable y is already defined in method f(double)", at(src, "y = 2 * x", "y")));
    }

    // ==== where a @Differentiable method may not be ==================================================================

    @Test
    void abstractMethodIsAnErrorAtItsNameThatItHasNoBody() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                abstract class Model {
                    @Differentiable
                    abstract double loss(double x);
                }
                """;
        assertRejected("com.example.Model", src,
                error("@Differentiable method 'loss' must be static", at(src, "loss(")),
                error("@Differentiable method 'loss' has no body to differentiate", at(src, "loss(")));
    }

    @Test
    void nativeMethodIsAnErrorAtItsNameThatItHasNoBody() {
        String src = pick("""
                static native double f(double x);
                """);
        assertRejected(PICK, src, error("@Differentiable method 'f' has no body to differentiate", at(src, "f(")));
    }

    @Test
    void defaultInterfaceMethodIsAnErrorAtItsName() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                interface Model {
                    @Differentiable
                    default double loss(double x) {
                        return x * x;
                    }
                }
                """;
        assertRejected("com.example.Model", src,
                error("@Differentiable method 'loss' must be static: Leibniz differentiates functions of their "
                        + "parameters, not of object state", at(src, "loss(")));
    }

    @Test
    void annotationOnAConstructorOrAFieldIsJavacsErrorReportedOnceEach() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Model {
                    @Differentiable
                    Model(double x) {
                    }
                    @Differentiable
                    double gain = 1.0;
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString("com.example.Model", src);
        String message = "not applicable to this kind of declaration"; // javac 17 says "annotation type", javac 25 "annotation interface"
        assertOnlyErrors(compile(file).compilation(), file,
                error(message, at(src, "@Differentiable\n    Model", "@")),
                error(message, at(src, "@Differentiable\n    double", "@")));
    }

    @Test
    void typeVariableParametersAreErrorsAtTheirTypes() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick<T> {
                    @Differentiable
                    static <N extends Number> double f(N n, double x) {
                        return x;
                    }
                    @Differentiable
                    double g(T t, double x) {
                        return x;
                    }
                }
                """;
        assertRejected(PICK, src,
                error("generic @Differentiable methods are not supported", at(src, "<N extends", "N")),
                error("parameter 'n' has type N", at(src, "N n")),
                error("@Differentiable method 'g' must be static", at(src, "g(T t")),
                error("parameter 't' has type T", at(src, "T t")));
    }

    @Test
    void methodsOfAnonymousAndLocalClassesAreErrorsAtTheirNames() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Hidden {
                    @Differentiable
                    static double visible(double x) {
                        return x * x;
                    }
                    static Object make() {
                        return new Object() {
                            @Differentiable
                            static double square(double x) {
                                return x * x;
                            }
                        };
                    }
                    static double local(double y) {
                        class Helper {
                            @Differentiable
                            static double cube(double x) {
                                return x * x * x;
                            }
                        }
                        return y;
                    }
                }
                """;
        // javac shows annotation processors members of classes only; these would be skipped without a word.
        assertRejected("com.example.Hidden", src,
                error("@Differentiable method 'square' is in an anonymous class, which no generated class can name; "
                        + "move it to a top-level or member class", at(src, "square(")),
                error("@Differentiable method 'cube' is in a local class", at(src, "cube(")));
    }

    @Test
    void aCompilationWhoseOnlyDifferentiableMethodIsInALocalClassGeneratesNothing() {
        // javac does not run Leibniz at all then (it sees no @Differentiable): a documented limit, not a crash.
        Result result = compile(JavaFileObjects.forSourceString("com.example.Hidden", """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Hidden {
                    static double local(double y) {
                        class Helper {
                            @Differentiable
                            static double cube(double x) {
                                return x * x * x;
                            }
                        }
                        return y;
                    }
                }
                """));
        assertThat(result.compilation()).succeededWithoutWarnings();
        assertWithMessage("generated sources").that(result.generatedSources()).isEmpty();
    }

    // ==== hostile but valid: differentiated, and correct =============================================================

    @Test
    void staticMethodsOfAnInterfaceAnEnumARecordAndAGenericClassAreDifferentiated() {
        Compiled compiled = Compiled.compile(
                "com.example.Curve", """
                        package com.example;
                        import dev.leibniz.Differentiable;
                        interface Curve {
                            @Differentiable
                            static double f(double x) {
                                return Math.sin(x) * x;
                            }
                        }
                        """,
                "com.example.Unit", """
                        package com.example;
                        import dev.leibniz.Differentiable;
                        enum Unit {
                            METRE;
                            @Differentiable
                            static double f(double x, double y) {
                                return Math.exp(x * y);
                            }
                        }
                        """,
                "com.example.Point", """
                        package com.example;
                        import dev.leibniz.Differentiable;
                        record Point(double a, double b) {
                            @Differentiable
                            static double f(double x) {
                                return Math.sqrt(x);
                            }
                            record Polar(double r, double theta) {
                                @Differentiable
                                static double f(double r, double theta) {
                                    return r * Math.cos(theta);
                                }
                            }
                        }
                        """,
                "com.example.Box", """
                        package com.example;
                        import dev.leibniz.Differentiable;
                        final class Box<T extends Comparable<T>> {
                            @Differentiable
                            static double f(double x, int n) {
                                return Math.pow(x, n);
                            }
                        }
                        """);
        new GradientCheck(compiled, "com.example.Curve").check("f", 0.7);
        new GradientCheck(compiled, "com.example.Unit").check("f", 0.3, -1.2);
        new GradientCheck(compiled, "com.example.Point").check("f", 2.5);
        // a nested record's gradient class is Point_PolarGradient, which GradientCheck does not derive: closed form
        Object polar = Compiled.invoke(compiled.method("com.example.Point_PolarGradient", "f"),
                new Object[] {1.5, 0.4});
        Map<String, Object> gradient = Compiled.components(polar);
        assertWithMessage("r cos t").that((double) gradient.get("value")).isEqualTo(1.5 * Math.cos(0.4));
        assertWithMessage("d(r cos t)/dr").that((double) gradient.get("r")).isWithin(1e-15).of(Math.cos(0.4));
        assertWithMessage("d(r cos t)/dt").that((double) gradient.get("theta")).isWithin(1e-15)
                .of(-1.5 * Math.sin(0.4));
        new GradientCheck(compiled, "com.example.Box").check("f", 1.3, 3);
    }

    @Test
    void labelledDoWhileSiblingLoopsSharingALabelAndEndlessLoopsLeftByAJumpAreDifferentiated() {
        Compiled compiled = Compiled.compile(PICK, """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    @Differentiable
                    static double doWhile(double x, int n) {
                        int i = 0;
                        outer:
                        do {
                            i++;
                            if (i % 3 == 0) {
                                continue outer;
                            }
                            x = 1.2 * x + 0.1 * Math.sin(x);
                            if (x > 50) {
                                break outer;
                            }
                        } while (i < n);
                        return x;
                    }

                    @Differentiable
                    static double siblings(double x, int n) {
                        scan:
                        for (int i = 0; i < n; i++) {
                            x = x * 1.5;
                            if (x > 4) {
                                break scan;
                            }
                        }
                        scan:
                        for (int i = 0; i < n; i++) {
                            if (i == 1) {
                                continue scan;
                            }
                            x = x + Math.cos(x);
                        }
                        return x;
                    }

                    @Differentiable
                    static double endless(double x, int n) {
                        rows:
                        for (int i = 0; i < n; i++) {
                            while (true) {
                                x = x * 1.25;
                                if (x > i + 1) {
                                    continue rows;
                                }
                            }
                        }
                        while (true) {
                            if (x > 10) {
                                return x * x;
                            }
                            x = x * 2;
                        }
                    }
                }
                """);
        GradientCheck check = new GradientCheck(compiled, PICK);
        check.check("doWhile", 0.8, 7);
        check.check("siblings", 0.6, 4);
        check.check("endless", 0.7, 4);
    }

    @Test
    void forHeadersThatDeclareSeveralVariablesAreDifferentiated() {
        // The reverse sweep reads j: hoisting it alone out of "for (int i = 0, j = 10; ...)" crashed the processor.
        Compiled compiled = Compiled.compile(PICK, """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static int count(int n) {
                        return 2 * n;
                    }
                    static double scale(double a) {
                        return a;
                    }
                    @Differentiable
                    static double counters(double x) {
                        double s = 0;
                        for (int i = 0, j = 10; i < j; i++, j--) {
                            s += x * i - j * Math.sin(x);
                        }
                        return s;
                    }
                    @Differentiable
                    static double counted(double x, int n) {
                        double s = 0;
                        for (int i = 0, m = count(n); i < m; i++) {
                            s += Math.cos(x * i);
                        }
                        return s;
                    }
                    @Differentiable
                    static double chosen(double x) {
                        double s = 0;
                        for (double a = x > 0 ? x : -x, b = 0.5 * a; a < 10; a = a * 2 + b) {
                            s += a * b;
                        }
                        return s;
                    }
                    @Differentiable
                    static double called(double x) {
                        double s = 0;
                        for (double a = scale(2.0) * x, b = Math.sin(a); a < 10; a = a * 2 + b) {
                            s += a * b;
                        }
                        return s;
                    }
                }
                """);
        GradientCheck check = new GradientCheck(compiled, PICK);
        check.check("counters", 0.7);
        check.check("counted", 0.7, 3);
        check.check("chosen", 0.7);
        check.check("chosen", -0.9);
        check.check("called", 0.6);
    }
}
