package dev.leibniz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class BuffersTest {
    @Test
    void zerosLikeHasTheShapeOfARaggedMatrix() {
        double[][] zeros = Buffers.zerosLike(new double[][] {{1, 2, 3}, {4}});
        assertArrayEquals(new double[] {0, 0, 0}, zeros[0]);
        assertArrayEquals(new double[] {0}, zeros[1]);
    }

    @Test
    void copyOfIsDeepAndCopyIntoWritesBackIntoTheSameRows() {
        double[][] original = {{1, 2}, {3, 4}};
        double[] firstRow = original[0];
        double[][] copy = Buffers.copyOf(original);
        assertNotSame(original[0], copy[0]);
        original[0][1] = 20;
        original[1][0] = 30;
        Buffers.copyInto(copy, original);
        assertSame(firstRow, original[0]);
        assertArrayEquals(new double[] {1, 2}, original[0]);
        assertArrayEquals(new double[] {3, 4}, original[1]);
    }

    @Test
    void addIntoAddsElementByElementIntoRaggedRows() {
        double[][] target = {{1, 2, 3}, {4}};
        Buffers.addInto(new double[][] {{10, 20, 30}, {40}}, target);
        assertArrayEquals(new double[] {11, 22, 33}, target[0]);
        assertArrayEquals(new double[] {44}, target[1]);
    }

    @Test
    void zerosLikeOfNullIsNull() {
        // the tangent of an array parameter the caller passes as null, for the method to assign later
        assertNull(Buffers.zerosLike((double[]) null));
        assertNull(Buffers.zerosLike((double[][]) null));
        assertEquals(3, Buffers.zerosLike(new double[] {1, 2, 3}).length);
    }

    @Test
    void unitVectorsOfARaggedMatrixCountItsElementsRowByRow() {
        double[][] v = {{5, 5, 5}, {5}, {5, 5}};
        assertEquals(6, Buffers.size(v));
        Buffers.unit(v, 3);
        assertArrayEquals(new double[] {0, 0, 0}, v[0]);
        assertArrayEquals(new double[] {1}, v[1]);
        assertArrayEquals(new double[] {0, 0}, v[2]);
        Buffers.unit(v, 6);
        assertEquals(0, Buffers.size(new double[][] {{}, {}}));
        assertArrayEquals(new double[] {0}, v[1]);
        double[] w = {1, 2, 3};
        Buffers.unit(w, -1);
        assertArrayEquals(new double[] {0, 0, 0}, w);
        Buffers.unit(w, 2);
        assertArrayEquals(new double[] {0, 0, 1}, w);
    }

    @Test
    void flattenIntoWritesRowAfterRowFromTheOffset() {
        double[] target = new double[7];
        Buffers.flattenInto(new double[] {9}, target, 0);
        Buffers.flattenInto(new double[][] {{1, 2}, {}, {3, 4, 5}}, target, 1);
        assertArrayEquals(new double[] {9, 1, 2, 3, 4, 5, 0}, target);
    }

    @Test
    void aSnapshotRestoresValuesIntoTheSameRowsForAnyPrimitiveType() {
        int[][] counts = {{1, 2}, {3}};
        int[] firstRow = counts[0];
        int[][] snapshot = Buffers.snapshot(counts);
        counts[0][1] = 20;
        counts[1][0] = 30;
        assertArrayEquals(new int[] {1, 2}, snapshot[0]);
        Buffers.restore(snapshot, counts);
        assertSame(firstRow, counts[0]);
        assertArrayEquals(new int[] {1, 2}, counts[0]);
        assertArrayEquals(new int[] {3}, counts[1]);
        double[] x = {0.5, 1.5};
        double[] kept = Buffers.snapshot(x);
        x[0] = 9;
        Buffers.restore(kept, x);
        assertArrayEquals(new double[] {0.5, 1.5}, x);
    }
}
