package dev.leibniz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TapeTest {
    @Test
    void eachTypeIsItsOwnLastInFirstOutStack() {
        Tape tape = new Tape();
        tape.push(1.5);
        tape.push(7);
        tape.push(2.5);
        tape.push(true);
        tape.push(9L);
        tape.push(false);
        assertEquals(9L, tape.popLong());
        assertFalse(tape.popBoolean());
        assertTrue(tape.popBoolean());
        assertEquals(2.5, tape.popDouble());
        assertEquals(7, tape.popInt());
        assertEquals(1.5, tape.popDouble());
        assertTrue(tape.isEmpty());
    }

    @Test
    void growsFarBeyondItsInitialCapacityAndKeepsEveryValue() {
        Tape tape = new Tape();
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            tape.push(i * 0.5);
            tape.push(i);
        }
        for (int i = n - 1; i >= 0; i--) {
            assertEquals(i, tape.popInt());
            assertEquals(i * 0.5, tape.popDouble());
        }
        assertTrue(tape.isEmpty());
        assertTrue(tape.capacityBytes() >= 12L * n);
    }

    @Test
    void objectsComeBackAsTheTypeTheCallerExpects() {
        Tape tape = new Tape();
        tape.pushObject("first");
        tape.pushObject(java.util.List.of(1, 2));
        java.util.List<Integer> list = tape.popObject();
        String string = tape.popObject();
        assertEquals(java.util.List.of(1, 2), list);
        assertEquals("first", string);
        assertTrue(tape.isEmpty());
    }

    @Test
    void lentArraysAreZeroedAndReusedAfterClear() {
        Tape tape = new Tape();
        double[] v = tape.zeros(3);
        double[][] m = tape.zeros(2, 2);
        v[1] = 5;
        m[1][0] = 7;
        tape.clear();
        double[] again = tape.zeros(3);
        double[][] mAgain = tape.zerosLike(new double[][] {{1, 2}, {3, 4}});
        org.junit.jupiter.api.Assertions.assertSame(v, again);
        org.junit.jupiter.api.Assertions.assertSame(m, mAgain);
        assertEquals(0.0, again[1]);
        assertEquals(0.0, mAgain[1][0]);
        org.junit.jupiter.api.Assertions.assertNotSame(again, tape.zeros(3)); // a second loan is another array
    }

    @Test
    void clearMakesTheTapeReusable() {
        Tape tape = new Tape();
        tape.push(3.0);
        tape.push(4);
        tape.clear();
        assertTrue(tape.isEmpty());
        tape.push(5.0);
        assertEquals(5.0, tape.popDouble());
    }

    @Test
    void lentCopiesHoldTheValuesAndAreIndependentOfTheSource() {
        Tape tape = new Tape();
        double[] v = {1, 2, 3};
        double[][] m = {{1, 2}, {3}};
        double[] vCopy = tape.copyOf(v);
        double[][] mCopy = tape.copyOf(m);
        v[0] = 10;
        m[1][0] = 30;
        assertArrayEquals(new double[] {1, 2, 3}, vCopy);
        assertArrayEquals(new double[] {1, 2}, mCopy[0]);
        assertArrayEquals(new double[] {3}, mCopy[1]);
        tape.clear();
        assertArrayEquals(new double[] {10, 2, 3}, tape.copyOf(v), "a copy lent again after clear holds the new values");
    }

    @Test
    void aFrameLendsAboveWhatTheEnclosingFrameHoldsAndLeavingItForgetsOnlyItsOwn() {
        Tape tape = new Tape();
        int outer = tape.enter();
        tape.push(1.5);
        double[] outerZeros = tape.zeros(3);
        int inner = tape.enter();
        tape.push(2.5);
        tape.pushObject("inner");
        double[] innerZeros = tape.zeros(3);
        assertFalse(innerZeros == outerZeros);
        tape.leave(inner); // also when the inner call threw before popping
        assertEquals(1.5, tape.popDouble());
        assertTrue(tape.isEmpty());
        int again = tape.enter();
        assertTrue(tape.zeros(3) == innerZeros, "lends the same arrays again: nothing allocated per call");
        tape.leave(again);
        tape.leave(outer);
        assertTrue(tape.zeros(3) == outerZeros);
    }
}
