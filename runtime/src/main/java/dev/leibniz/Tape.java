package dev.leibniz;

import java.util.Arrays;

/**
 * The stacks on which generated code keeps, during the forward sweep, the values that the reverse sweep needs and
 * that the forward sweep overwrites: branch decisions, loop trip counts, overwritten variables. One typed,
 * primitive, growable stack per type: no boxing, amortised constant-time push and pop.
 *
 * <p>Generated code creates one tape per call (only when the method needs one), so calls never share a tape and
 * generated code is safe to run from many threads at once. A tape is not thread-safe itself. {@link #clear()}
 * makes it reusable.
 */
public final class Tape {
    private static final int INITIAL = 16;

    private double[] doubles = new double[INITIAL];
    private int doubleTop;
    private long[] longs = new long[INITIAL];
    private int longTop;
    private int[] ints = new int[INITIAL];
    private int intTop;
    private boolean[] booleans = new boolean[INITIAL];
    private int booleanTop;
    private Object[] objects = new Object[INITIAL];
    private int objectTop;

    /** A new, empty tape. */
    public Tape() {
    }

    public void push(double value) {
        if (doubleTop == doubles.length) {
            doubles = Arrays.copyOf(doubles, grow(doubleTop));
        }
        doubles[doubleTop++] = value;
    }

    public void push(long value) {
        if (longTop == longs.length) {
            longs = Arrays.copyOf(longs, grow(longTop));
        }
        longs[longTop++] = value;
    }

    public void push(int value) {
        if (intTop == ints.length) {
            ints = Arrays.copyOf(ints, grow(intTop));
        }
        ints[intTop++] = value;
    }

    public void push(boolean value) {
        if (booleanTop == booleans.length) {
            booleans = Arrays.copyOf(booleans, grow(booleanTop));
        }
        booleans[booleanTop++] = value;
    }

    /** Keeps an object, such as the gradient record of a method called in a loop. */
    public void pushObject(Object value) {
        if (objectTop == objects.length) {
            objects = Arrays.copyOf(objects, grow(objectTop));
        }
        objects[objectTop++] = value;
    }

    /** The last {@code double} pushed and not yet popped. */
    public double popDouble() {
        return doubles[--doubleTop];
    }

    public long popLong() {
        return longs[--longTop];
    }

    public int popInt() {
        return ints[--intTop];
    }

    public boolean popBoolean() {
        return booleans[--booleanTop];
    }

    /** The last object pushed and not yet popped, as the type the caller expects. */
    @SuppressWarnings("unchecked")
    public <T> T popObject() {
        T value = (T) objects[--objectTop];
        objects[objectTop] = null;
        return value;
    }

    /** Whether every pushed value has been popped. */
    public boolean isEmpty() {
        return doubleTop == 0 && longTop == 0 && intTop == 0 && booleanTop == 0 && objectTop == 0;
    }

    /** Forgets every value, keeping the storage for reuse. */
    public void clear() {
        doubleTop = 0;
        longTop = 0;
        intTop = 0;
        booleanTop = 0;
        Arrays.fill(objects, 0, objectTop, null);
        objectTop = 0;
    }

    /** Bytes of storage the tape holds now (its capacity, not its content). */
    public long capacityBytes() {
        return 8L * doubles.length + 8L * longs.length + 4L * ints.length + booleans.length
                + 8L * objects.length;
    }

    private static int grow(int size) {
        if (size >= Integer.MAX_VALUE / 2) {
            throw new OutOfMemoryError("tape larger than 2^30 values of one type");
        }
        return size * 2;
    }
}
