package dev.leibniz;

import java.util.Arrays;

/**
 * The stacks on which generated code keeps, during the forward sweep, the values that the reverse sweep needs and
 * that the forward sweep overwrites: branch decisions, loop trip counts, overwritten variables. One typed,
 * primitive, growable stack per type: no boxing, amortised constant-time push and pop.
 *
 * <p>A tape also lends the zeroed arrays that generated code needs for the adjoints of a method's local arrays
 * ({@link #zeros(int)}); after {@link #clear()} it lends the same arrays again, so a training loop that passes one
 * tape to every step allocates nothing once the first step has run.
 *
 * <p>Generated code creates one tape per call when the method needs one, or uses the tape its caller passes to the
 * allocation-free {@code ...Accumulate} form; calls never share a tape, so generated code is safe to run from many
 * threads at once. A tape itself is not thread-safe: give each thread its own.
 *
 * <p>An accumulate form works in a frame of the tape ({@link #enter()}, {@link #leave(int)}): it pushes and lends
 * above what the tape held when it was called, and leaves the tape as it found it, also when it throws. So a call
 * nested in another that uses the same tape (a {@code @DerivativeOf} derivative or a method called from a
 * {@code @Differentiable} method that calls an accumulate form with the tape of the enclosing call) is correct.
 */
public final class Tape {
    private static final int INITIAL = 16;
    // A new tape allocates nothing until it is used: a gradient that tapes little pays little, and most methods
    // use one or two of these stacks. Empty arrays are immutable, so sharing them is safe.
    private static final double[] NO_DOUBLES = {};
    private static final long[] NO_LONGS = {};
    private static final int[] NO_INTS = {};
    private static final boolean[] NO_BOOLEANS = {};
    private static final Object[] NO_OBJECTS = {};
    private static final double[][] NO_VECTORS = {};
    private static final double[][][] NO_MATRICES = {};

    private double[] doubles = NO_DOUBLES;
    private int doubleTop;
    private long[] longs = NO_LONGS;
    private int longTop;
    private int[] ints = NO_INTS;
    private int intTop;
    private boolean[] booleans = NO_BOOLEANS;
    private int booleanTop;
    private Object[] objects = NO_OBJECTS;
    private int objectTop;
    private double[][] vectors = NO_VECTORS;
    private int vectorsLent;
    private double[][][] matrices = NO_MATRICES;
    private int matricesLent;
    /** Per open frame, what {@link #leave(int)} restores: the tops of the stacks and the counts lent. */
    private int[] frames = NO_INTS;
    private int frameTop;
    private Object[] identities = NO_OBJECTS;

    /** A new, empty tape. */
    public Tape() {
    }

    /**
     * Keeps a {@code double}, the last one {@link #popDouble()} returns.
     *
     * @param value the value
     */
    public void push(double value) {
        if (doubleTop == doubles.length) {
            doubles = Arrays.copyOf(doubles, grow(doubleTop));
        }
        doubles[doubleTop++] = value;
    }

    /**
     * Keeps a {@code long}, the last one {@link #popLong()} returns.
     *
     * @param value the value
     */
    public void push(long value) {
        if (longTop == longs.length) {
            longs = Arrays.copyOf(longs, grow(longTop));
        }
        longs[longTop++] = value;
    }

    /**
     * Keeps an {@code int}, the last one {@link #popInt()} returns.
     *
     * @param value the value
     */
    public void push(int value) {
        if (intTop == ints.length) {
            ints = Arrays.copyOf(ints, grow(intTop));
        }
        ints[intTop++] = value;
    }

    /**
     * Keeps a {@code boolean}, the last one {@link #popBoolean()} returns.
     *
     * @param value the value
     */
    public void push(boolean value) {
        if (booleanTop == booleans.length) {
            booleans = Arrays.copyOf(booleans, grow(booleanTop));
        }
        booleans[booleanTop++] = value;
    }

    /**
     * Keeps an object, such as the gradient record of a method called in a loop.
     *
     * @param value the object
     */
    public void pushObject(Object value) {
        if (objectTop == objects.length) {
            objects = Arrays.copyOf(objects, grow(objectTop));
        }
        objects[objectTop++] = value;
    }

    /**
     * The last {@code double} pushed and not yet popped.
     *
     * @return the value
     */
    public double popDouble() {
        return doubles[--doubleTop];
    }

    /**
     * The last {@code double} pushed and not yet popped, as the {@code float} it was: a {@code float} is kept as the
     * {@code double} it widens to, exactly.
     *
     * @return the value
     */
    public float popFloat() {
        return (float) doubles[--doubleTop];
    }

    /**
     * The last {@code long} pushed and not yet popped.
     *
     * @return the value
     */
    public long popLong() {
        return longs[--longTop];
    }

    /**
     * The last {@code int} pushed and not yet popped.
     *
     * @return the value
     */
    public int popInt() {
        return ints[--intTop];
    }

    /**
     * The last {@code boolean} pushed and not yet popped.
     *
     * @return the value
     */
    public boolean popBoolean() {
        return booleans[--booleanTop];
    }

    /**
     * The last object pushed and not yet popped, as the type the caller expects.
     *
     * @param <T> the type the caller expects
     * @return the object
     */
    @SuppressWarnings("unchecked")
    public <T> T popObject() {
        T value = (T) objects[--objectTop];
        objects[objectTop] = null;
        return value;
    }

    /**
     * A zeroed array of {@code length} doubles, lent until {@link #clear()}.
     *
     * @param length the length
     * @return the array
     */
    public double[] zeros(int length) {
        if (vectorsLent == vectors.length) {
            vectors = Arrays.copyOf(vectors, grow(vectorsLent));
        }
        double[] v = vectors[vectorsLent];
        if (v == null || v.length != length) {
            v = new double[length];
            vectors[vectorsLent] = v;
        } else {
            Arrays.fill(v, 0.0);
        }
        vectorsLent++;
        return v;
    }

    /**
     * A zeroed {@code rows} by {@code columns} matrix, lent until {@link #clear()}.
     *
     * @param rows the number of rows
     * @param columns the length of each row
     * @return the matrix
     */
    public double[][] zeros(int rows, int columns) {
        double[][] m = lendMatrix(rows);
        for (int i = 0; i < rows; i++) {
            if (m[i] == null || m[i].length != columns) {
                m[i] = new double[columns];
            } else {
                Arrays.fill(m[i], 0.0);
            }
        }
        return m;
    }

    /**
     * A zeroed matrix with the shape of {@code like} (rows of the same lengths), lent until {@link #clear()}.
     *
     * @param like the matrix whose shape to take
     * @return the matrix
     */
    public double[][] zerosLike(double[][] like) {
        double[][] m = lendMatrix(like.length);
        for (int i = 0; i < like.length; i++) {
            int columns = like[i] == null ? 0 : like[i].length;
            if (m[i] == null || m[i].length != columns) {
                m[i] = new double[columns];
            } else {
                Arrays.fill(m[i], 0.0);
            }
        }
        return m;
    }

    /**
     * A zeroed array as long as {@code like}, lent until {@link #clear()}.
     *
     * @param like the array whose length to take
     * @return the array
     */
    public double[] zerosLike(double[] like) {
        return zeros(like.length);
    }

    /**
     * A copy of {@code source}, lent until {@link #clear()}.
     *
     * @param source the array to copy
     * @return the copy
     */
    public double[] copyOf(double[] source) {
        double[] copy = zeros(source.length);
        System.arraycopy(source, 0, copy, 0, source.length);
        return copy;
    }

    /**
     * A copy of {@code source}, row by row (rows of the same lengths), lent until {@link #clear()}.
     *
     * @param source the matrix to copy
     * @return the copy
     */
    public double[][] copyOf(double[][] source) {
        double[][] copy = zerosLike(source);
        Buffers.copyInto(source, copy);
        return copy;
    }

    /**
     * Zeros with the shape of a {@code float[]}: a new array (the tape lends {@code double} arrays only).
     *
     * @param like the array whose shape to copy
     * @return the zeros
     */
    public float[] zerosLike(float[] like) {
        return new float[like.length];
    }

    /**
     * Zeros with the shape of a {@code float[][]}: a new matrix.
     *
     * @param like the matrix whose shape to copy
     * @return the zeros
     */
    public float[][] zerosLike(float[][] like) {
        return Buffers.zerosLike(like);
    }

    /**
     * A copy of a {@code float[]}: a new array.
     *
     * @param source the array
     * @return the copy
     */
    public float[] copyOf(float[] source) {
        return source.clone();
    }

    /**
     * A copy of a {@code float[][]}: a new matrix, new rows.
     *
     * @param source the matrix
     * @return the copy
     */
    public float[][] copyOf(float[][] source) {
        return Buffers.copyOf(source);
    }

    private double[][] lendMatrix(int rows) {
        if (matricesLent == matrices.length) {
            matrices = Arrays.copyOf(matrices, grow(matricesLent));
        }
        double[][] m = matrices[matricesLent];
        if (m == null || m.length != rows) {
            m = new double[rows][];
            matrices[matricesLent] = m;
        }
        matricesLent++;
        return m;
    }

    /**
     * Whether every pushed value has been popped.
     *
     * @return whether nothing is left to pop
     */
    public boolean isEmpty() {
        return doubleTop == 0 && longTop == 0 && intTop == 0 && booleanTop == 0 && objectTop == 0;
    }

    /**
     * Opens a frame: what is pushed and lent from now on is above what the tape holds, and {@link #leave(int)}
     * forgets it. How an accumulate form uses the tape its caller passes, so that a call nested in one that uses the
     * same tape leaves the enclosing call's values alone.
     *
     * @return the frame, to pass to {@link #leave(int)}
     */
    public int enter() {
        if (frameTop + FRAME > frames.length) {
            frames = Arrays.copyOf(frames, Math.max(4 * FRAME, frames.length * 2));
        }
        int frame = frameTop;
        frames[frame] = doubleTop;
        frames[frame + 1] = longTop;
        frames[frame + 2] = intTop;
        frames[frame + 3] = booleanTop;
        frames[frame + 4] = objectTop;
        frames[frame + 5] = vectorsLent;
        frames[frame + 6] = matricesLent;
        frameTop += FRAME;
        return frame;
    }

    /**
     * Closes a frame and every frame opened in it: the tape holds again what it held when {@link #enter()} returned
     * {@code frame}, and lends the same arrays again.
     *
     * @param frame what {@link #enter()} returned
     */
    public void leave(int frame) {
        doubleTop = frames[frame];
        longTop = frames[frame + 1];
        intTop = frames[frame + 2];
        booleanTop = frames[frame + 3];
        int objects = frames[frame + 4];
        if (objectTop > objects) {
            Arrays.fill(this.objects, objects, objectTop, null);
        }
        objectTop = objects;
        vectorsLent = frames[frame + 5];
        matricesLent = frames[frame + 6];
        frameTop = frame;
    }

    private static final int FRAME = 7;

    /** An empty table of {@code capacity} (a power of two) slots for {@link Arguments}, to be emptied after use. */
    Object[] identities(int capacity) {
        if (identities.length < capacity) {
            identities = new Object[capacity];
        }
        return identities;
    }

    /** Forgets every value, keeping the storage for reuse. */
    public void clear() {
        doubleTop = 0;
        longTop = 0;
        intTop = 0;
        booleanTop = 0;
        Arrays.fill(objects, 0, objectTop, null);
        objectTop = 0;
        vectorsLent = 0;
        matricesLent = 0;
        frameTop = 0;
    }

    /**
     * Bytes of storage the tape holds now (its capacity, not its content).
     *
     * @return the bytes held
     */
    public long capacityBytes() {
        return 8L * doubles.length + 8L * longs.length + 4L * ints.length + booleans.length
                + 8L * objects.length;
    }

    private static int grow(int size) {
        if (size >= Integer.MAX_VALUE / 2) {
            throw new OutOfMemoryError("tape larger than 2^30 values of one type");
        }
        return Math.max(INITIAL, size * 2);
    }
}
