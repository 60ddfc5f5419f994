package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.testing.ArrayGradientCheck;
import dev.leibniz.processor.testing.Compiled;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random reduction loops over neighbouring elements of two arrays, the loops that {@code LoopFusion} runs with their
 * reverse inside and where {@code Increments} merges updates across blocks, {@code Scaled} and {@code Signed} fold
 * terms and {@code ElementLocals} reads elements into locals. The general random tester makes few such loops; these
 * are checked by {@link ArrayGradientCheck} (value bit for bit, every element against central differences). A method
 * whose {@code y} cannot affect its result gets Leibniz's warning, suppressed here: that partial is 0, and checked so.
 */
class FusedLoopProgramsTest {
    private static final String CLASS = "com.example.Fused";
    private static final int METHODS = 40;

    /** {@code -Dleibniz.fused.rounds=N} checks N batches of methods, each from its own seed, instead of one. */
    @Test
    void randomReductionLoopsHaveTheGradientsOfTheirOriginals() {
        long seed = Long.getLong("leibniz.fused.seed", 20261126);
        for (int round = 0; round < Integer.getInteger("leibniz.fused.rounds", 1); round++) {
            checkBatch(new Random(seed + round));
        }
    }

    private static void checkBatch(Random random) {
        StringBuilder source = new StringBuilder("""
                package com.example;

                import dev.leibniz.Differentiable;

                @SuppressWarnings("leibniz") // a random loop may leave y out, or use it only in a value the sum ignores
                public final class Fused {
                    private Fused() {
                    }
                """);
        for (int k = 0; k < METHODS; k++) {
            source.append(method(k, random));
        }
        source.append("}\n");
        Compiled compiled = Compiled.compile(CLASS, source.toString());
        ArrayGradientCheck check = new ArrayGradientCheck(compiled, CLASS, source.toString());
        for (int k = 0; k < METHODS; k++) {
            for (int n : List.of(2, 5)) {
                check.check("loop" + k, values(random, n), values(random, n));
            }
        }
        String generated = compiled.generatedSource(CLASS + "Gradient");
        int fused = generated.split("Its reverse, right after it", -1).length - 1;
        assertTrue(fused >= METHODS / 2, "many loops fuse (in the pullback and Accumulate forms): " + fused);
    }

    private static String method(int k, Random random) {
        String a = expr(random, 2, List.of("x[i]", "x[i + 1]", "y[i]", "x[i] * x[i]"));
        String b = expr(random, 2, List.of("a", "x[i]", "y[i + 1]", "1 - x[i]"));
        String s = "100 * a * a + " + expr(random, 2, List.of("b", "b * b", "a", "x[i]", "y[i] * x[i + 1]"));
        return """

                    @Differentiable
                    public static double loop%d(double[] x, double[] y) {
                        double s = 0;
                        for (int i = 0; i + 1 < x.length; i++) {
                            double a = %s;
                            double b = %s;
                            s += %s;
                        }
                        return s;
                    }
                """.formatted(k, a, b, s);
    }

    /** A smooth expression over the given leaves and constants, curved gently enough for central differences. */
    private static String expr(Random random, int depth, List<String> leaves) {
        if (depth == 0 || random.nextInt(4) == 0) {
            return random.nextInt(5) == 0 ? List.of("2", "0.5", "1.5", "3.0").get(random.nextInt(4))
                    : leaves.get(random.nextInt(leaves.size()));
        }
        String l = expr(random, depth - 1, leaves);
        String r = expr(random, depth - 1, leaves);
        return switch (random.nextInt(7)) {
            case 0 -> l + " + " + r;
            case 1 -> "-(" + l + ") * (" + r + ")"; // no l - r: cancellation would blur the checks
            case 2, 3 -> "(" + l + ") * (" + r + ")";
            case 4 -> "-(" + l + ")";
            case 5 -> "Math.sin(" + List.of("x[i]", "x[i + 1]", "y[i]").get(random.nextInt(3)) + ")";
            default -> depth == 1 ? "(" + l + ") * (" + l + ")" : l + " * " + r; // low degree: differences stay accurate
        };
    }

    private static double[] values(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.round((random.nextDouble() * 2 - 1) * 1000) / 1000.0;
        }
        return v;
    }
}
