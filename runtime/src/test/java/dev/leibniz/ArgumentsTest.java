package dev.leibniz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
    private static double[][] matrix(int rows, int columns) {
        return new double[rows][columns];
    }

    @Test
    void checksThatPassAllocateNothingGivenATapeForLargeMatrices() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[][] m = matrix(40, 5);
        double[][] dm = matrix(40, 5);
        double[][] other = matrix(40, 5);
        double[] x = new double[5];
        double[] dx = new double[5];
        Tape tape = new Tape();
        Runnable checks = () -> {
            Arguments.gradient(dm, "dm", m, "m");
            Arguments.gradient(dx, "dx", x, "x");
            Arguments.tangent(dm, "dm", m, "m");
            Arguments.direction(dx, "dx", x, "x");
            Arguments.buffer(dx, "dx", x, "x2");
            Arguments.distinctRows(m, "m", "f", tape);
            Arguments.distinct(m, "m", other, "other", "f", tape);
            Arguments.distinct(m, "m", x, "x", "f");
            Arguments.distinct(x, "x", m, "m", "f");
            Arguments.tape(tape, "tape");
        };
        for (int i = 0; i < 20_000; i++) {
            checks.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            checks.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 10,000 rounds of checks that pass");
    }

    @Test
    void largeMatricesAreCheckedThroughATableAndSmallOnesPairwiseWithTheSameVerdicts() {
        for (int rows : new int[] {3, Arguments.PAIRWISE, Arguments.PAIRWISE + 1, 100}) {
            for (Tape scratch : new Tape[] {null, new Tape()}) {
                double[][] m = matrix(rows, 2);
                Arguments.distinctRows(m, "m", "f", scratch);
                m[rows - 1] = m[1];
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Arguments.distinctRows(m, "m", "f", scratch));
                assertEquals("m[1] and m[" + (rows - 1) + "] are the same array, and f writes into m: pass a copy",
                        e.getMessage());
                double[][] other = matrix(rows, 2);
                Arguments.distinct(matrix(rows, 2), "a", other, "b", "f", scratch);
                double[][] a = matrix(rows, 2);
                other[0] = a[rows - 2];
                e = assertThrows(IllegalArgumentException.class,
                        () -> Arguments.distinct(a, "a", other, "b", "f", scratch));
                assertEquals("a[" + (rows - 2) + "] and b[0] are the same array, and f writes into a: pass a copy",
                        e.getMessage());
            }
        }
    }

    @Test
    void nullArraysShareNothing() {
        Arguments.distinct((Object) null, "a", (Object) null, "b", "f");
        Arguments.distinct((double[][]) null, "a", (double[][]) null, "b", "f");
        Arguments.distinctRows(new double[][] {null, null}, "m", "f");
        Arguments.gradient(null, "dx", (double[]) null, "x");
    }
}
