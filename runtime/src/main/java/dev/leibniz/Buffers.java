package dev.leibniz;

/**
 * Array helpers that generated code uses: gradient buffers and tangents shaped like their arrays, the copies that
 * keep a method's writes into its array parameters exactly as the original method leaves them (and the caller's
 * tangents as the caller passed them), the sum that adds adjoints worked out apart into the caller's buffers, and
 * for Hessians the unit vectors and the flattening of arrays into one row.
 */
public final class Buffers {
    private Buffers() {
    }

    /**
     * A new array of zeros with the shape of {@code like}: rows of the same lengths; {@code null} for {@code null}.
     *
     * @param like the array whose shape to take
     * @return the new array
     */
    public static double[][] zerosLike(double[][] like) {
        if (like == null) {
            return null;
        }
        double[][] zeros = new double[like.length][];
        for (int i = 0; i < like.length; i++) {
            zeros[i] = like[i] == null ? null : new double[like[i].length];
        }
        return zeros;
    }

    /**
     * A new array of zeros as long as {@code like}; {@code null} for {@code null}.
     *
     * @param like the array whose length to take
     * @return the new array
     */
    public static double[] zerosLike(double[] like) {
        return like == null ? null : new double[like.length];
    }

    /**
     * A deep copy: new rows with the same values.
     *
     * @param source the array to copy
     * @return the copy
     */
    public static double[][] copyOf(double[][] source) {
        double[][] copy = new double[source.length][];
        for (int i = 0; i < source.length; i++) {
            copy[i] = source[i] == null ? null : source[i].clone();
        }
        return copy;
    }

    /**
     * A copy.
     *
     * @param source the array to copy
     * @return the copy
     */
    public static double[] copyOf(double[] source) {
        return source.clone();
    }

    /**
     * Writes the values of {@code source} back into {@code target}, row by row, keeping target's rows.
     *
     * @param source the values
     * @param target the array to write them into, of the same shape
     */
    public static void copyInto(double[][] source, double[][] target) {
        for (int i = 0; i < source.length; i++) {
            if (source[i] != null && target[i] != null) {
                System.arraycopy(source[i], 0, target[i], 0, source[i].length);
            }
        }
    }

    /**
     * Writes the values of {@code source} back into {@code target}.
     *
     * @param source the values
     * @param target the array to write them into, at least as long
     */
    public static void copyInto(double[] source, double[] target) {
        System.arraycopy(source, 0, target, 0, source.length);
    }

    /**
     * Adds {@code source} into {@code target} element by element: {@code target[i][j] += source[i][j]}.
     *
     * @param source the values to add
     * @param target the array to add them into, of the same shape
     */
    public static void addInto(double[][] source, double[][] target) {
        for (int i = 0; i < source.length; i++) {
            if (source[i] != null) {
                addInto(source[i], target[i]);
            }
        }
    }

    /**
     * Adds {@code source} into {@code target} element by element: {@code target[i] += source[i]}.
     *
     * @param source the values to add
     * @param target the array to add them into, at least as long
     */
    public static void addInto(double[] source, double[] target) {
        for (int i = 0; i < source.length; i++) {
            target[i] += source[i];
        }
    }

    /**
     * How many elements {@code a} holds, row by row: the length of its row-major flattening.
     *
     * @param a the matrix, possibly ragged
     * @return the number of its elements
     */
    public static int size(double[][] a) {
        int n = 0;
        for (double[] row : a) {
            n += row.length;
        }
        return n;
    }

    /**
     * Makes {@code v} the unit vector along its element {@code index}: all zeros, and 1 there; all zeros when
     * {@code index} is outside it. How a Hessian picks out one direction after another.
     *
     * @param v the vector to overwrite
     * @param index the element to set to 1
     */
    public static void unit(double[] v, int index) {
        java.util.Arrays.fill(v, 0.0);
        if (index >= 0 && index < v.length) {
            v[index] = 1.0;
        }
    }

    /**
     * {@link #unit(double[], int)} for a matrix, its elements counted row by row.
     *
     * @param v the matrix to overwrite
     * @param index the element to set to 1, counted row by row
     */
    public static void unit(double[][] v, int index) {
        int start = 0;
        for (double[] row : v) {
            unit(row, index - start);
            start += row.length;
        }
    }

    /**
     * Copies {@code source} into {@code target} from {@code offset} on.
     *
     * @param source the values
     * @param target the row to copy them into
     * @param offset where in {@code target} the first goes
     */
    public static void flattenInto(double[] source, double[] target, int offset) {
        System.arraycopy(source, 0, target, offset, source.length);
    }

    /**
     * Copies {@code source}, row after row, into {@code target} from {@code offset} on.
     *
     * @param source the values, row by row
     * @param target the row to copy them into
     * @param offset where in {@code target} the first goes
     */
    public static void flattenInto(double[][] source, double[] target, int offset) {
        int at = offset;
        for (double[] row : source) {
            System.arraycopy(row, 0, target, at, row.length);
            at += row.length;
        }
    }

    /**
     * A new array of zeros with the shape of {@code like}, a {@code float[]}; {@code null} for {@code null}.
     *
     * @param like the array whose shape to copy
     * @return the zeros
     */
    public static float[] zerosLike(float[] like) {
        return like == null ? null : new float[like.length];
    }

    /**
     * A new matrix of zeros with the shape of {@code like}, row by row; {@code null} for {@code null}.
     *
     * @param like the matrix whose shape to copy
     * @return the zeros
     */
    public static float[][] zerosLike(float[][] like) {
        if (like == null) {
            return null;
        }
        float[][] zeros = new float[like.length][];
        for (int i = 0; i < like.length; i++) {
            zeros[i] = like[i] == null ? null : new float[like[i].length];
        }
        return zeros;
    }

    /**
     * A copy of a {@code float[]}.
     *
     * @param source the array
     * @return the copy
     */
    public static float[] copyOf(float[] source) {
        return source.clone();
    }

    /**
     * A deep copy of a {@code float[][]}: new rows.
     *
     * @param source the matrix
     * @return the copy
     */
    public static float[][] copyOf(float[][] source) {
        float[][] copy = new float[source.length][];
        for (int i = 0; i < source.length; i++) {
            copy[i] = source[i] == null ? null : source[i].clone();
        }
        return copy;
    }

    /**
     * Copies the contents of {@code source} into {@code target}, of its shape.
     *
     * @param source the array read
     * @param target the array written
     */
    public static void copyInto(float[] source, float[] target) {
        System.arraycopy(source, 0, target, 0, source.length);
    }

    /**
     * Copies the contents of {@code source} into {@code target}, row by row.
     *
     * @param source the matrix read
     * @param target the matrix written
     */
    public static void copyInto(float[][] source, float[][] target) {
        for (int i = 0; i < source.length; i++) {
            if (source[i] != null && target[i] != null) {
                System.arraycopy(source[i], 0, target[i], 0, source[i].length);
            }
        }
    }

    /**
     * Adds {@code source} into {@code target}, element by element.
     *
     * @param source the array read
     * @param target the array added into
     */
    public static void addInto(float[] source, float[] target) {
        for (int i = 0; i < source.length; i++) {
            target[i] += source[i];
        }
    }

    /**
     * Adds {@code source} into {@code target}, row by row.
     *
     * @param source the matrix read
     * @param target the matrix added into
     */
    public static void addInto(float[][] source, float[][] target) {
        for (int i = 0; i < source.length; i++) {
            if (source[i] != null) {
                addInto(source[i], target[i]);
            }
        }
    }

    /**
     * The number of elements of a {@code float[][]}.
     *
     * @param a the matrix
     * @return the sum of its rows' lengths
     */
    public static int size(float[][] a) {
        int n = 0;
        for (float[] row : a) {
            n += row.length;
        }
        return n;
    }

    /**
     * Sets {@code v} to the unit vector along {@code index} (all zeros if it is out of range).
     *
     * @param v the vector
     * @param index the element that is 1
     */
    public static void unit(float[] v, int index) {
        java.util.Arrays.fill(v, 0f);
        if (index >= 0 && index < v.length) {
            v[index] = 1f;
        }
    }

    /**
     * Sets {@code v} to the unit vector along the {@code index}-th element, counted row by row.
     *
     * @param v the matrix
     * @param index the element that is 1
     */
    public static void unit(float[][] v, int index) {
        int start = 0;
        for (float[] row : v) {
            unit(row, index - start);
            start += row.length;
        }
    }

    /**
     * Copies a {@code float[]} into {@code target} from {@code offset}, widened.
     *
     * @param source the array read
     * @param target the array written
     * @param offset where the first element goes
     */
    public static void flattenInto(float[] source, double[] target, int offset) {
        for (int i = 0; i < source.length; i++) {
            target[offset + i] = source[i];
        }
    }

    /**
     * Copies a {@code float[][]} into {@code target} from {@code offset}, row after row, widened.
     *
     * @param source the matrix read
     * @param target the array written
     * @param offset where the first element goes
     */
    public static void flattenInto(float[][] source, double[] target, int offset) {
        int at = offset;
        for (float[] row : source) {
            flattenInto(row, target, at);
            at += row.length;
        }
    }

    /**
     * A copy of an array of any primitive type, with copies of its rows for a matrix: the arguments a method writes
     * into, as they were, for a Hessian whose every row must start from them.
     *
     * @param <T> the array type
     * @param array the array to copy
     * @return the copy
     */
    @SuppressWarnings("unchecked")
    public static <T> T snapshot(T array) {
        int n = java.lang.reflect.Array.getLength(array);
        Object copy = java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), n);
        System.arraycopy(array, 0, copy, 0, n);
        if (copy instanceof Object[] rows) {
            for (int i = 0; i < n; i++) {
                rows[i] = rows[i] == null ? null : snapshot(rows[i]);
            }
        }
        return (T) copy;
    }

    /**
     * Writes the values of a {@link #snapshot} back into {@code array}, row by row, keeping its rows.
     *
     * @param <T> the array type
     * @param snapshot what {@link #snapshot} returned for {@code array}
     * @param array the array to restore
     */
    public static <T> void restore(T snapshot, T array) {
        if (snapshot instanceof Object[] rows) {
            Object[] target = (Object[]) array;
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] != null && target[i] != null) {
                    restore(rows[i], target[i]);
                }
            }
        } else {
            System.arraycopy(snapshot, 0, array, 0, java.lang.reflect.Array.getLength(snapshot));
        }
    }
}
