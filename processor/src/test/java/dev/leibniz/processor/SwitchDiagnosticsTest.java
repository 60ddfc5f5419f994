package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.IN;
import static dev.leibniz.processor.DiagnosticsHarness.PICK;
import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.error;
import static dev.leibniz.processor.DiagnosticsHarness.pick;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code switch} outside what the desugaring into if/else supports: selectors that are not {@code int}, patterns,
 * labels, jumps out of a switch expression, and switch expressions where their statements could not go. Each is an
 * error at the construct, with no exception and no gradient class ({@link DiagnosticsHarness}).
 */
class SwitchDiagnosticsTest {
    @Test
    void switchOnAStringParameterIsAnErrorAtTheSelector() {
        String src = pick("""
                static double scaled(double x, String mode) {
                    switch (mode) {
                        case "double":
                            return 2 * x;
                        default:
                            return x;
                    }
                }
                """);
        assertRejected(PICK, src,
                error("parameter 'mode' has type String", at(src, "String mode")),
                error("switch on String values is not supported " + IN + "; only switch on int is",
                        at(src, "switch (mode)", "mode")));
    }

    /** Only the selector is reported: the labels of a switch on something else would just repeat it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            double x         | "double" | String | "
            double x         | x * 2    | double | *
            double x, long n | n        | long   | n
            """)
    void switchOnANonIntIsAnErrorAtTheSelector(String parameters, String selector, String type, String caret) {
        String src = pick("""
                static double scaled(%s) {
                    double y = x;
                    switch (%s) {
                        case 1:
                            y = 2 * x;
                            break;
                        default:
                            y = 3 * x;
                    }
                    return y;
                }
                """.formatted(parameters, selector));
        assertRejected(PICK, src, error("switch on " + type + " values is not supported " + IN + "; only switch on "
                + "int is", at(src, "switch (" + selector + ")", caret)));
    }

    @Test
    void switchExpressionOnACharIsAnErrorAtTheSelector() {
        String src = pick("""
                static double scaled(double x, char c) {
                    return switch (c) {
                        case 'a' -> 2 * x;
                        default -> x;
                    };
                }
                """);
        assertRejected(PICK, src,
                error("parameter 'c' has type char", at(src, "char c")),
                error("switch on char values is not supported " + IN, at(src, "switch (c)", "c)")));
    }

    @Test
    void switchOnAnEnumIsAnErrorAtTheSelector() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    enum Mode { LINEAR, SQUARE }

                    @Differentiable
                    static double scaled(double x, Mode mode) {
                        switch (mode) {
                            case SQUARE:
                                return x * x;
                            default:
                                return x;
                        }
                    }
                }
                """;
        assertRejected(PICK, src,
                error("parameter 'mode' has type Mode", at(src, "Mode mode")),
                error("switch on Mode values is not supported " + IN, at(src, "switch (mode)", "mode")));
    }

    @Test
    void aCaseLabelThatIsNotAnIntIsAnErrorAtTheLabel() {
        String src = pick("""
                static double scaled(double x, int k) {
                    double y = x;
                    switch (k) {
                        case 1L -> y = 2 * x;
                        default -> y = 3 * x;
                    }
                    return y;
                }
                """);
        assertRejected(PICK, src,
                error("a case label must be an int constant " + IN + ", not long", at(src, "1L")));
    }

    @Test
    void patternsInASwitchAreAnErrorAtTheCase() {
        assumeTrue(Runtime.version().feature() >= 21, "patterns in switch are final since JDK 21");
        String src = pick("""
                static double scaled(double x, int k) {
                    double y = x;
                    switch (k) {
                        case Integer i when i > 2 -> y = 2 * x;
                        default -> y = 3 * x;
                    }
                    return y;
                }
                """);
        assertRejected(PICK, src,
                error("patterns in switch are not supported " + IN, at(src, "case Integer")));
    }

    @Test
    void caseNullIsAnErrorAtTheNull() {
        assumeTrue(Runtime.version().feature() >= 21, "case null is final since JDK 21");
        String src = pick("""
                static double scaled(double x, int k) {
                    return switch (k) {
                        case 1 -> x;
                        case null, default -> 2 * x;
                    };
                }
                """);
        assertRejected(PICK, src,
                error("an int selector is never null", at(src, "null")));
    }

    @Test
    void aLabelledSwitchIsAnErrorAtTheLabel() {
        String src = pick("""
                static double scaled(double x, int k) {
                    double y = x;
                    choice:
                    switch (k) {
                        case 0:
                            y = 2 * x;
                            break choice;
                        default:
                            y = 3 * x;
                    }
                    return y;
                }
                """);
        assertRejected(PICK, src,
                error("labels are supported on loops only " + IN, at(src, "choice:")));
    }

    @Test
    void continueInASwitchOutsideLoopsIsAnErrorAtTheContinue() {
        String src = pick("""
                static double scaled(double x, int k) {
                    double y = x;
                    switch (k) {
                        case 0:
                            continue;
                        default:
                            y = 3 * x;
                    }
                    return y;
                }
                """);
        assertRejected(PICK, src,
                error("continue outside a loop is not supported " + IN, at(src, "continue;")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            break;     | break cannot leave a switch expression; yield its value instead
            continue;  | continue cannot leave a switch expression; yield its value instead
            return x;  | return cannot leave a switch expression; yield its value instead
            """)
    void jumpOutOfASwitchExpressionIsAnErrorAtTheJump(String jump, String message) {
        String src = pick("""
                static double scaled(double x, int k) {
                    double y = 0;
                    for (int i = 0; i < k; i++) {
                        y = switch (i) {
                            case 0 -> {
                                if (x > 0) {
                                    %s
                                }
                                yield x;
                            }
                            default -> 2 * x;
                        };
                    }
                    return y;
                }
                """.formatted(jump));
        assertRejected(PICK, src, error(message, at(src, jump)));
    }

    @Test
    void yieldFromInsideALoopIsAnErrorAtTheYield() {
        String src = pick("""
                static double firstAbove(double x, int k) {
                    double y = switch (k) {
                        case 0 -> {
                            for (int i = 1; i < 4; i++) {
                                if (i * x > 1) {
                                    yield i * x;
                                }
                            }
                            yield x;
                        }
                        default -> 2 * x;
                    };
                    return y;
                }
                """);
        assertRejected(PICK, src,
                error("yield from inside a loop is not supported " + IN, at(src, "yield i * x;")));
    }

    @Test
    void switchExpressionOnAComputedValueInsideALargerExpressionIsAnErrorAtTheSelector() {
        String src = pick("""
                static double scaled(double x, int k) {
                    return 1 + switch (k % 2) {
                        case 0 -> x;
                        default -> 2 * x;
                    };
                }
                """);
        assertRejected(PICK, src,
                error("a switch expression on a computed value is supported " + IN + " only as the whole "
                        + "initialiser of a local", at(src, "k % 2", "%")));
    }

    @Test
    void switchExpressionOnAComputedValueAssignedToAnElementIsAnErrorAtTheSelector() {
        String src = pick("""
                static double scaled(double[] a, int k) {
                    a[0] = switch (k % 2) {
                        case 0 -> a[1];
                        default -> 2 * a[1];
                    };
                    return a[0];
                }
                """);
        assertRejected(PICK, src,
                error("a switch expression on a computed value is supported " + IN, at(src, "k % 2", "%")));
    }

    @Test
    void switchExpressionWithABlockArmInsideALargerExpressionIsAnErrorAtTheBlock() {
        String src = pick("""
                static double scaled(double x, int k) {
                    return 1 + switch (k) {
                        case 0 -> {
                            double t = x * x;
                            yield t;
                        }
                        default -> 2 * x;
                    };
                }
                """);
        assertRejected(PICK, src,
                error("a switch expression whose arms are not all expressions is supported " + IN + " only as "
                        + "the whole initialiser of a local", at(src, "case 0 -> {", "{")));
    }

    @Test
    void switchExpressionWithABlockArmInACompoundAssignmentIsAnErrorAtTheBlock() {
        String src = pick("""
                static double scaled(double x, int k) {
                    double y = x;
                    y *= switch (k) {
                        case 0 -> {
                            double t = x * x;
                            yield t;
                        }
                        default -> 2 * x;
                    };
                    return y;
                }
                """);
        assertRejected(PICK, src,
                error("a switch expression whose arms are not all expressions is supported " + IN,
                        at(src, "case 0 -> {", "{")));
    }

    @Test
    void switchExpressionWithoutDefaultIsAnErrorAtTheSwitch() {
        String src = pick("""
                static double scaled(double x, int k) {
                    double y = switch (k) {
                        case 0 -> x;
                        case 1 -> 2 * x;
                    };
                    double z = switch (k) {
                        case 0 -> {
                            double t = x * x;
                            yield t;
                        }
                        case 1 -> 2 * x;
                    };
                    return y + z;
                }
                """);
        String message = "a switch expression on an int needs a default case";
        assertRejected(PICK, src,
                error(message, at(src, "switch (k) {\n            case 0 -> x;", "s")),
                error(message, at(src, "switch (k) {\n            case 0 -> {", "s")));
    }

    @Test
    void switchExpressionMixingBooleanAndNumberArmsIsAnErrorAtTheSwitch() {
        String src = pick("""
                static double scaled(double x, int k) {
                    var y = switch (k) {
                        case 0 -> x;
                        default -> x > 1;
                    };
                    return x;
                }
                """);
        assertRejected(PICK, src,
                error("incompatible types in the arms of a switch expression: double and boolean",
                        at(src, "switch (k)")));
    }
}
