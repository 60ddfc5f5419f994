package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Tape;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import dev.leibniz.processor.testing.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated form checks its gradient buffers, tangents, directions, cotangent and tape on entry: a buffer too
 * short, too long, {@code null}, the parameter itself, or with a row of the wrong length is refused with an
 * {@link IllegalArgumentException} that names it and its parameter, before anything of the caller's is changed.
 */
class ArgumentChecksTest {
    private static final String CLASS = "com.example.Checked";
    private static final String GRADIENT = CLASS + "Gradient";

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, """
            package com.example;

            import dev.leibniz.Differentiable;

            final class Checked {
                /** A scalar differentiated too, and a loop that overwrites e: the forms keep a record and a tape. */
                @Differentiable(hessian = true)
                static double energy(double[] x, double[][] m, double s) {
                    double e = 0;
                    for (int i = 0; i < m.length; i++) {
                        double r = 0;
                        for (int j = 0; j < x.length; j++) {
                            r += m[i][j] * x[j];
                        }
                        e = Math.sin(e) + s * r * r;
                    }
                    return e;
                }

                /** Arrays only: the pullback and the accumulate form share their sweeps. */
                @Differentiable
                static double arraysOnly(double[] x, double[][] m) {
                    double e = 0;
                    for (int i = 0; i < m.length; i++) {
                        double r = 0;
                        for (int j = 0; j < x.length; j++) {
                            r += m[i][j] * x[j];
                        }
                        e = Math.sin(e) + r * r;
                    }
                    return e;
                }

                @Differentiable
                static double[] layer(double[] x, double[][] m) {
                    double[] y = new double[m.length];
                    for (int i = 0; i < m.length; i++) {
                        double z = 0;
                        for (int j = 0; j < x.length; j++) {
                            z += m[i][j] * x[j];
                        }
                        y[i] = Math.tanh(z);
                    }
                    return y;
                }
            }
            """);

    private static double[] x() {
        return new double[] {0.3, -0.7, 1.1};
    }

    private static double[][] m() {
        return new double[][] {{0.5, -0.2, 0.4}, {0.1, 0.9, -0.6}};
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 0.25);
        return a;
    }

    private static double[][] filled(int rows, int columns) {
        double[][] a = new double[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = filled(columns);
        }
        return a;
    }

    /**
     * A form, how to make a valid call of it (arguments {@code x} and {@code m} first), where in it the extra array
     * of {@code x}'s shape and the one of {@code m}'s shape are, and what the form calls them.
     */
    private record Form(String name, UnaryOperator<List<Object>> rest, int vector, int matrix, String vectorName,
            String matrixName, String rule) {
        Object[] args(double[] x, double[][] m) {
            List<Object> args = new ArrayList<>(List.of(x, m));
            return rest.apply(args).toArray();
        }

        boolean buffer() {
            return rule.startsWith("a gradient buffer");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String BUFFER = "a gradient buffer has its parameter's shape";

    private static List<Form> forms() {
        return List.of(
                new Form("energyPullback", a -> with(a, 0.8, 1.0, filled(3), filled(2, 3)), 4, 5, "dx", "dm",
                        BUFFER),
                new Form("energyAccumulate", a -> with(a, 0.8, filled(3), filled(2, 3), new Tape()), 3, 4, "dx", "dm",
                        BUFFER),
                new Form("arraysOnlyPullback", a -> with(a, 1.0, filled(3), filled(2, 3)), 3, 4, "dx", "dm", BUFFER),
                new Form("arraysOnlyAccumulate", a -> with(a, filled(3), filled(2, 3), new Tape()), 2, 3, "dx", "dm",
                        BUFFER),
                new Form("layerPullback", a -> with(a, filled(2), filled(3), filled(2, 3)), 3, 4, "dx", "dm", BUFFER),
                new Form("energyDifferential", a -> with(a, 0.8, filled(3), filled(2, 3), 0.5), 3, 4, "dx", "dm",
                        "a tangent has its parameter's shape"),
                new Form("layerDifferential", a -> with(a, filled(3), filled(2, 3)), 2, 3, "dx", "dm",
                        "a tangent has its parameter's shape"),
                new Form("energyHessianVector", a -> with(a, 0.8, filled(3), filled(2, 3), 0.5), 3, 4, "vx", "vm",
                        "a direction has its parameter's shape"),
                new Form("energyHessianVectorAccumulate", a -> with(a, 0.8, filled(3), filled(2, 3), 0.5, filled(3),
                        filled(2, 3), new Tape()), 3, 4, "vx", "vm", "a direction has its parameter's shape"),
                new Form("energyHessianVectorAccumulate", a -> with(a, 0.8, filled(3), filled(2, 3), 0.5, filled(3),
                        filled(2, 3), new Tape()), 6, 7, "dx", "dm", BUFFER));
    }

    private static List<Object> with(List<Object> args, Object... more) {
        args.addAll(List.of(more));
        return args;
    }

    /** A wrong argument in place of the extra array of one form, and what the message must say. */
    static Stream<Arguments> wrongArguments() {
        List<Arguments> cases = new ArrayList<>();
        for (Form f : forms()) {
            String v = f.vectorName();
            String w = f.matrixName();
            cases.add(Arguments.of(f, "too short", f.vector(), (Object) new double[2],
                    v + " has length 2, but x has length 3: " + f.rule()));
            cases.add(Arguments.of(f, "too long", f.vector(), (Object) new double[4],
                    v + " has length 4, but x has length 3: " + f.rule()));
            cases.add(Arguments.of(f, "null", f.vector(), null, v + " is null, but x has length 3: " + f.rule()));
            cases.add(Arguments.of(f, "too few rows", f.matrix(), (Object) new double[1][3],
                    w + " has 1 rows, but m has 2: " + f.rule()));
            cases.add(Arguments.of(f, "a row too short", f.matrix(), (Object) new double[][] {new double[3],
                    new double[2]}, w + "[1] has length 2, but m[1] has length 3: " + f.rule()));
            cases.add(Arguments.of(f, "a row too long", f.matrix(), (Object) new double[][] {new double[4],
                    new double[3]}, w + "[0] has length 4, but m[0] has length 3: " + f.rule()));
            cases.add(Arguments.of(f, "a null row", f.matrix(), (Object) new double[][] {new double[3], null},
                    w + "[1] is null, but m[1] has length 3: " + f.rule()));
            cases.add(Arguments.of(f, "null matrix", f.matrix(), null, w + " is null, but m has 2 rows: " + f.rule()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("wrongArguments")
    void aWrongBufferTangentOrDirectionIsRefusedBeforeAnythingIsWritten(Form form, String what, int at,
            Object wrong, String message) {
        Object[] args = form.args(x(), m());
        args[at] = wrong;
        assertEquals(message, Rejected.message(COMPILED.get().method(GRADIENT, form.name()), args));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void aGradientBufferThatIsItsParameterOrSharesItsRowIsRefused(Form form) {
        if (!form.buffer()) {
            return;
        }
        double[] x = x();
        double[][] m = m();
        Object[] args = form.args(x, m);
        args[form.vector()] = x;
        assertEquals(form.vectorName() + " is x itself: a gradient buffer is an array of its own",
                Rejected.message(COMPILED.get().method(GRADIENT, form.name()), args));
        args = form.args(x, m);
        args[form.matrix()] = m;
        assertEquals(form.matrixName() + " is m itself: a gradient buffer is an array of its own",
                Rejected.message(COMPILED.get().method(GRADIENT, form.name()), args));
        args = form.args(x, m);
        args[form.matrix()] = new double[][] {new double[3], m[1]};
        assertEquals(form.matrixName() + "[1] is m[1] itself: a gradient buffer is an array of its own",
                Rejected.message(COMPILED.get().method(GRADIENT, form.name()), args));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void theRightShapesAreAccepted(Form form) {
        Compiled.invoke(COMPILED.get().method(GRADIENT, form.name()), form.args(x(), m()));
    }

    @Test
    void aGradientBufferThatIsAnotherArgumentIsRefused() {
        double[][] square = {{0.5, -0.2, 0.4}, {0.1, 0.9, -0.6}, {0.3, 0.3, 0.2}};
        double[] u = filled(3);
        String message = Rejected.message(COMPILED.get().method(GRADIENT, "layerPullback"), x(), square, u, u,
                filled(3, 3));
        assertEquals("dx and dValue are the same array: a gradient buffer is an array of its own", message);
    }

    @Test
    void aTangentThatIsItsOwnParameterIsFineForAMethodThatOnlyReadsIt() {
        double[] x = x();
        double[][] m = m();
        Object shared = Compiled.invoke(COMPILED.get().method(GRADIENT, "energyDifferential"),
                new Object[] {x, m, 0.8, x, m, 0.5});
        Object copied = Compiled.invoke(COMPILED.get().method(GRADIENT, "energyDifferential"),
                new Object[] {x, m, 0.8, x.clone(), new double[][] {m[0].clone(), m[1].clone()}, 0.5});
        assertEquals(copied, shared);
    }

    @Test
    void aCotangentOfTheWrongLengthIsRefusedBeforeAnAdjointIsAdded() {
        for (int length : new int[] {1, 3}) {
            assertEquals("the cotangent has length " + length + ", but the result has length 2: a cotangent has the "
                    + "shape of the result", Rejected.message(COMPILED.get().method(GRADIENT, "layerPullback"), x(),
                            m(), new double[length], filled(3), filled(2, 3)));
        }
        assertEquals("dValue is null: a cotangent has the shape of the result",
                Rejected.message(COMPILED.get().method(GRADIENT, "layerPullback"), x(), m(), null, filled(3),
                        filled(2, 3)));
    }

    @Test
    void aNullTapeIsRefusedWhereTheFormNeedsOne() {
        String rule = "tape is null: this form keeps what its reverse sweep needs on a Tape; pass one (a new Tape() "
                + "once, reused across calls by one thread)";
        assertEquals(rule, Rejected.message(COMPILED.get().method(GRADIENT, "energyAccumulate"), x(), m(), 0.8,
                filled(3), filled(2, 3), null));
        assertEquals(rule, Rejected.message(COMPILED.get().method(GRADIENT, "arraysOnlyAccumulate"), x(), m(),
                filled(3), filled(2, 3), null));
        assertEquals(rule, Rejected.message(COMPILED.get().method(GRADIENT, "energyHessianVectorAccumulate"), x(),
                m(), 0.8, filled(3), filled(2, 3), 0.5, filled(3), filled(2, 3), null));
    }

    @Test
    void theAccumulateFormLeavesTheTapeAsItFoundIt() {
        Tape tape = new Tape();
        tape.push(42.0);
        double[] dx = new double[3];
        double[][] dm = new double[2][3];
        Compiled.invoke(COMPILED.get().method(GRADIENT, "arraysOnlyAccumulate"), new Object[] {x(), m(), dx, dm,
            tape});
        assertEquals(42.0, tape.popDouble());
        assertTrue(tape.isEmpty());
    }

    @Test
    void aFormThatThrowsLeavesTheTapeAsItFoundIt() {
        Tape tape = new Tape();
        double[][] ragged = {{0.5, -0.2, 0.4}, {0.1}};   // the method itself fails on the short row, half-way
        double[][] dm = {new double[3], new double[1]};
        try {
            COMPILED.get().method(GRADIENT, "arraysOnlyAccumulate").invoke(null, x(), ragged, new double[3], dm, tape);
        } catch (ReflectiveOperationException e) {
            assertTrue(e.getCause() instanceof ArrayIndexOutOfBoundsException, e.getCause().toString());
        }
        assertTrue(tape.isEmpty());
        double[] dx = new double[3];
        double[][] fresh = new double[2][3];
        double value = (double) Compiled.invoke(COMPILED.get().method(GRADIENT, "arraysOnlyAccumulate"),
                new Object[] {x(), m(), dx, fresh, tape});
        double[] expected = new double[3];
        double[][] expectedM = new double[2][3];
        double pulled = (double) Compiled.invoke(COMPILED.get().method(GRADIENT, "arraysOnlyPullback"),
                new Object[] {x(), m(), 1.0, expected, expectedM});
        assertEquals(pulled, value);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(dx));
        assertEquals(java.util.Arrays.deepToString(expectedM), java.util.Arrays.deepToString(fresh));
    }
}
