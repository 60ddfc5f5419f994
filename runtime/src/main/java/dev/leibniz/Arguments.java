package dev.leibniz;

/**
 * The checks that generated code makes on entry, before it reads or writes anything: that a gradient buffer, a
 * tangent or a direction has the shape of its parameter and is not {@code null}, that a gradient buffer is an array
 * of its own, that a tape is given where one is needed, and that no argument shares an array with one that the
 * method writes into. Each throws an {@link IllegalArgumentException} that names the parameters and says what was
 * expected, so that a wrong call fails before it has changed any of the caller's arrays, instead of returning a
 * wrong gradient or failing half-way.
 *
 * <p>For generated code; not meant to be called from source code, and may change with the code Leibniz generates.
 * The checks cost a few comparisons per array argument, and one per row of a matrix; none of them allocates for
 * matrices of up to {@value #PAIRWISE} rows, and one given a tape allocates nothing once the tape has grown.
 */
public final class Arguments {
    /** Rows up to which sharing is found by comparing every pair, without a table. */
    static final int PAIRWISE = 16;

    private static final String GRADIENT = "a gradient buffer has its parameter's shape";
    private static final String TANGENT = "a tangent has its parameter's shape";
    private static final String DIRECTION = "a direction has its parameter's shape";

    private Arguments() {
    }

    /**
     * Checks a gradient buffer: not {@code null}, as long as its parameter, and not the parameter itself.
     *
     * @param buffer the buffer
     * @param name its name, for the message
     * @param parameter its parameter ({@code null} is not checked: the method decides what it does with it)
     * @param parameterName the parameter's name
     */
    public static void gradient(double[] buffer, String name, double[] parameter, String parameterName) {
        shape(buffer, name, parameter, parameterName, GRADIENT);
        if (buffer == parameter && buffer != null) {
            throw new IllegalArgumentException(name + " is " + parameterName + " itself: " + OWN);
        }
    }

    /**
     * Checks a gradient buffer of a matrix: not {@code null}, rows as many and each as long as its parameter's,
     * neither the parameter nor any of its rows the parameter's row of the same index.
     *
     * @param buffer the buffer
     * @param name its name, for the message
     * @param parameter its parameter ({@code null} is not checked)
     * @param parameterName the parameter's name
     */
    public static void gradient(double[][] buffer, String name, double[][] parameter, String parameterName) {
        shape(buffer, name, parameter, parameterName, GRADIENT);
        if (parameter == null) {
            return;
        }
        if (buffer == parameter) {
            throw new IllegalArgumentException(name + " is " + parameterName + " itself: " + OWN);
        }
        for (int i = 0; i < buffer.length; i++) {
            if (buffer[i] == parameter[i] && buffer[i] != null) {
                throw new IllegalArgumentException(name + "[" + i + "] is " + parameterName + "[" + i + "] itself: "
                        + OWN);
            }
        }
    }

    private static final String OWN = "a gradient buffer is an array of its own";

    /**
     * Checks that a gradient buffer is not an argument the form reads: the form adds into the buffer while it reads
     * the other.
     *
     * @param buffer the buffer
     * @param name its name
     * @param other another array argument of the form
     * @param otherName its name
     */
    public static void buffer(Object buffer, String name, Object other, String otherName) {
        if (buffer == other && buffer != null) {
            throw new IllegalArgumentException(name + " and " + otherName + " are the same array: " + OWN);
        }
        // arrays of another element type than double (float[][]): a row of one may be the other
        if (buffer instanceof Object[] rows && !(other instanceof Object[])) {
            buffer(other, otherName, rows, name);
        } else if (other instanceof Object[] rows && !(buffer instanceof Object[]) && buffer != null) {
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == buffer) {
                    throw new IllegalArgumentException(name + " and " + otherName + "[" + i + "] are the same "
                            + "array: " + OWN);
                }
            }
        }
    }

    /**
     * Checks a gradient buffer of a {@code float[]} or {@code float[][]} parameter, as for {@code double}: its
     * parameter's shape, and not the parameter itself (nor, row by row, its rows).
     *
     * @param buffer the buffer
     * @param name its name
     * @param parameter its parameter ({@code null} is not checked)
     * @param parameterName the parameter's name
     */
    public static void gradient(Object buffer, String name, Object parameter, String parameterName) {
        shape(buffer, name, parameter, parameterName, GRADIENT);
        if (parameter == null) {
            return;
        }
        if (buffer == parameter) {
            throw new IllegalArgumentException(name + " is " + parameterName + " itself: " + OWN);
        }
        if (buffer instanceof Object[] rows) {
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == ((Object[]) parameter)[i] && rows[i] != null) {
                    throw new IllegalArgumentException(name + "[" + i + "] is " + parameterName + "[" + i
                            + "] itself: " + OWN);
                }
            }
        }
    }

    /**
     * Checks a tangent of a {@code float[]} or {@code float[][]} parameter: not {@code null}, and of its shape.
     *
     * @param tangent the tangent
     * @param name its name
     * @param parameter its parameter ({@code null} is not checked)
     * @param parameterName the parameter's name
     */
    public static void tangent(Object tangent, String name, Object parameter, String parameterName) {
        shape(tangent, name, parameter, parameterName, TANGENT);
    }

    /**
     * Checks a direction of a {@code float[]} or {@code float[][]} parameter: not {@code null}, and of its shape.
     *
     * @param direction the direction
     * @param name its name
     * @param parameter its parameter ({@code null} is not checked)
     * @param parameterName the parameter's name
     */
    public static void direction(Object direction, String name, Object parameter, String parameterName) {
        shape(direction, name, parameter, parameterName, DIRECTION);
    }

    /** The shape check of any array type: lengths, and row by row for arrays of arrays. */
    private static void shape(Object a, String name, Object parameter, String parameterName, String rule) {
        if (parameter == null) {
            return;
        }
        int length = java.lang.reflect.Array.getLength(parameter);
        String what = parameter instanceof Object[] ? length + " rows" : "length " + length;
        if (a == null) {
            throw new IllegalArgumentException(name + " is null, but " + parameterName + " has " + what + ": " + rule);
        }
        if (java.lang.reflect.Array.getLength(a) != length) {
            throw new IllegalArgumentException(name + " has " + (parameter instanceof Object[]
                    ? java.lang.reflect.Array.getLength(a) + " rows, but " + parameterName + " has " + length
                    : "length " + java.lang.reflect.Array.getLength(a) + ", but " + parameterName + " has length "
                            + length) + ": " + rule);
        }
        if (parameter instanceof Object[] rows && a instanceof Object[] aRows) {
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] != null) {
                    shape(aRows[i], name + "[" + i + "]", rows[i], parameterName + "[" + i + "]", rule);
                }
            }
        }
    }

    /**
     * Checks that a vector gradient buffer is no row of a matrix the form reads.
     *
     * @param buffer the buffer
     * @param name its name
     * @param other a matrix the form reads
     * @param otherName its name
     */
    public static void buffer(double[] buffer, String name, double[][] other, String otherName) {
        if (buffer == null || other == null) {
            return;
        }
        for (int i = 0; i < other.length; i++) {
            if (other[i] == buffer) {
                throw new IllegalArgumentException(name + " and " + otherName + "[" + i + "] are the same array: "
                        + OWN);
            }
        }
    }

    /**
     * Checks that no row of a matrix gradient buffer is a vector the form reads.
     *
     * @param buffer the buffer
     * @param name its name
     * @param other a vector the form reads
     * @param otherName its name
     */
    public static void buffer(double[][] buffer, String name, double[] other, String otherName) {
        if (buffer != null) {
            buffer(other, otherName, buffer, name);
        }
    }

    /**
     * Checks a tangent: not {@code null}, and as long as its parameter.
     *
     * @param tangent the tangent
     * @param name its name
     * @param parameter its parameter ({@code null} is not checked)
     * @param parameterName the parameter's name
     */
    public static void tangent(double[] tangent, String name, double[] parameter, String parameterName) {
        shape(tangent, name, parameter, parameterName, TANGENT);
    }

    /**
     * Checks a tangent of a matrix: not {@code null}, and rows as many and each as long as its parameter's.
     *
     * @param tangent the tangent
     * @param name its name
     * @param parameter its parameter ({@code null} is not checked)
     * @param parameterName the parameter's name
     */
    public static void tangent(double[][] tangent, String name, double[][] parameter, String parameterName) {
        shape(tangent, name, parameter, parameterName, TANGENT);
    }

    /**
     * Checks a direction of a Hessian-vector product: not {@code null}, and as long as its parameter.
     *
     * @param direction the direction
     * @param name its name
     * @param parameter its parameter ({@code null} is not checked)
     * @param parameterName the parameter's name
     */
    public static void direction(double[] direction, String name, double[] parameter, String parameterName) {
        shape(direction, name, parameter, parameterName, DIRECTION);
    }

    /**
     * Checks a direction of a matrix: not {@code null}, and rows as many and each as long as its parameter's.
     *
     * @param direction the direction
     * @param name its name
     * @param parameter its parameter ({@code null} is not checked)
     * @param parameterName the parameter's name
     */
    public static void direction(double[][] direction, String name, double[][] parameter, String parameterName) {
        shape(direction, name, parameter, parameterName, DIRECTION);
    }

    /**
     * Checks the cotangent of a vector-Jacobian product, on entry: not {@code null}.
     *
     * @param cotangent the cotangent
     * @param name its name
     */
    public static void cotangent(double[] cotangent, String name) {
        if (cotangent == null) {
            throw new IllegalArgumentException(name + " is null: a cotangent has the shape of the result");
        }
    }

    /**
     * Checks the cotangent of a vector-Jacobian product against the result, once the forward sweep has computed it
     * and before anything is added into the caller's buffers.
     *
     * @param result the array the method returns
     * @param cotangent the cotangent
     * @return the length of the result
     */
    public static int cotangent(double[] result, double[] cotangent) {
        if (cotangent.length != result.length) {
            throw new IllegalArgumentException("the cotangent has length " + cotangent.length + ", but the result has "
                    + "length " + result.length + ": a cotangent has the shape of the result");
        }
        return result.length;
    }

    /**
     * Checks that a form that keeps what its reverse sweep needs on a tape was given one.
     *
     * @param tape the tape
     * @param name its name
     */
    public static void tape(Tape tape, String name) {
        if (tape == null) {
            throw new IllegalArgumentException(name + " is null: this form keeps what its reverse sweep needs on a "
                    + "Tape; pass one (a new Tape() once, reused across calls by one thread)");
        }
    }

    /**
     * Checks that an array the method writes into is not another argument, which it would change while reading it.
     *
     * @param written the array the method writes into
     * @param name its name
     * @param other another array argument
     * @param otherName its name
     * @param method the method, for the message
     */
    public static void distinct(Object written, String name, Object other, String otherName, String method) {
        if (written == other && written != null) {
            throw shared(name, otherName, name, method);
        }
        // arrays of another element type than double (float[][]): rows count, as for double
        if (written instanceof Object[] rows && other != null) {
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == other || other instanceof Object[] others && holds(others, rows[i])) {
                    throw shared(name + "[" + i + "]", otherName, name, method);
                }
            }
        } else if (other instanceof Object[] rows && written != null) {
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == written) {
                    throw shared(name, otherName + "[" + i + "]", name, method);
                }
            }
        }
    }

    /**
     * The same, with working storage (for {@code float[][]} the checks need none).
     *
     * @param written the array the method writes into
     * @param name its name
     * @param other another array argument
     * @param otherName its name
     * @param method the method, for the message
     * @param scratch a tape for working storage, or {@code null}
     */
    public static void distinct(Object written, String name, Object other, String otherName, String method,
            Tape scratch) {
        distinct(written, name, other, otherName, method);
    }

    /** Whether {@code rows} holds {@code row} (not {@code null}) by identity. */
    private static boolean holds(Object[] rows, Object row) {
        if (row == null) {
            return false;
        }
        for (Object r : rows) {
            if (r == row) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks that no two rows of a {@code float[][]} the method writes into are the same array, as for
     * {@code double[][]}.
     *
     * @param written the matrix the method writes into
     * @param name its name
     * @param method the method, for the message
     * @param scratch a tape for working storage, or {@code null}
     */
    public static void distinctRows(Object[] written, String name, String method, Tape scratch) {
        if (written == null) {
            return;
        }
        for (int i = 0; i < written.length; i++) {
            for (int j = i + 1; j < written.length; j++) {
                if (written[i] == written[j] && written[i] != null) {
                    throw shared(name + "[" + i + "]", name + "[" + j + "]", name, method);
                }
            }
        }
    }

    /**
     * The same, without working storage.
     *
     * @param written the matrix the method writes into
     * @param name its name
     * @param method the method, for the message
     */
    public static void distinctRows(Object[] written, String name, String method) {
        distinctRows(written, name, method, null);
    }

    /**
     * Checks that no row of a matrix the method writes into is a vector argument.
     *
     * @param written the matrix the method writes into
     * @param name its name
     * @param other a vector argument
     * @param otherName its name
     * @param method the method, for the message
     */
    public static void distinct(double[][] written, String name, double[] other, String otherName, String method) {
        if (written == null || other == null) {
            return;
        }
        for (int i = 0; i < written.length; i++) {
            if (written[i] == other) {
                throw shared(name + "[" + i + "]", otherName, name, method);
            }
        }
    }

    /**
     * Checks that a vector the method writes into is no row of a matrix argument.
     *
     * @param written the vector the method writes into
     * @param name its name
     * @param other a matrix argument
     * @param otherName its name
     * @param method the method, for the message
     */
    public static void distinct(double[] written, String name, double[][] other, String otherName, String method) {
        if (written == null || other == null) {
            return;
        }
        for (int i = 0; i < other.length; i++) {
            if (other[i] == written) {
                throw shared(name, otherName + "[" + i + "]", name, method);
            }
        }
    }

    /**
     * Checks that a matrix the method writes into shares neither itself nor a row with another matrix argument.
     *
     * @param written the matrix the method writes into
     * @param name its name
     * @param other another matrix argument
     * @param otherName its name
     * @param method the method, for the message
     */
    public static void distinct(double[][] written, String name, double[][] other, String otherName, String method) {
        distinct(written, name, other, otherName, method, null);
    }

    /**
     * {@link #distinct(double[][], String, double[][], String, String)}, with a tape that lends the table it needs
     * for large matrices, so that it allocates nothing.
     *
     * @param written the matrix the method writes into
     * @param name its name
     * @param other another matrix argument
     * @param otherName its name
     * @param method the method, for the message
     * @param scratch the tape that lends the table, or {@code null} to allocate one
     */
    public static void distinct(double[][] written, String name, double[][] other, String otherName, String method,
            Tape scratch) {
        if (written == null || other == null) {
            return;
        }
        if (written == other) {
            throw shared(name, otherName, name, method);
        }
        if ((long) written.length * other.length <= PAIRWISE * PAIRWISE) {
            for (int i = 0; i < written.length; i++) {
                for (int j = 0; j < other.length; j++) {
                    if (written[i] == other[j] && written[i] != null) {
                        throw shared(name + "[" + i + "]", otherName + "[" + j + "]", name, method);
                    }
                }
            }
            return;
        }
        Object[] table = table(written.length, scratch);
        try {
            for (double[] row : written) {
                add(table, row);
            }
            for (int j = 0; j < other.length; j++) {
                if (other[j] != null && contains(table, other[j])) {
                    throw shared(name + "[" + indexOf(written, other[j], 0) + "]", otherName + "[" + j + "]", name,
                            method);
                }
            }
        } finally {
            java.util.Arrays.fill(table, null);
        }
    }

    /**
     * Checks that the rows of a matrix the method writes into are distinct arrays: a write into one would change
     * another.
     *
     * @param written the matrix the method writes into
     * @param name its name
     * @param method the method, for the message
     */
    public static void distinctRows(double[][] written, String name, String method) {
        distinctRows(written, name, method, null);
    }

    /**
     * {@link #distinctRows(double[][], String, String)}, with a tape that lends the table it needs for large
     * matrices, so that it allocates nothing.
     *
     * @param written the matrix the method writes into
     * @param name its name
     * @param method the method, for the message
     * @param scratch the tape that lends the table, or {@code null} to allocate one
     */
    public static void distinctRows(double[][] written, String name, String method, Tape scratch) {
        if (written == null) {
            return;
        }
        if (written.length <= PAIRWISE) {
            for (int i = 0; i < written.length; i++) {
                for (int j = i + 1; j < written.length; j++) {
                    if (written[i] == written[j] && written[i] != null) {
                        throw shared(name + "[" + i + "]", name + "[" + j + "]", name, method);
                    }
                }
            }
            return;
        }
        Object[] table = table(written.length, scratch);
        try {
            for (int j = 0; j < written.length; j++) {
                if (written[j] != null && !add(table, written[j])) {
                    throw shared(name + "[" + indexOf(written, written[j], 0) + "]", name + "[" + j + "]", name,
                            method);
                }
            }
        } finally {
            java.util.Arrays.fill(table, null);
        }
    }

    private static IllegalArgumentException shared(String first, String second, String written, String method) {
        return new IllegalArgumentException(first + " and " + second + " are the same array, and " + method
                + " writes into " + written + ": pass a copy");
    }

    private static void shape(double[] a, String name, double[] parameter, String parameterName, String rule) {
        if (parameter == null) {
            return;
        }
        if (a == null) {
            throw new IllegalArgumentException(name + " is null, but " + parameterName + " has length "
                    + parameter.length + ": " + rule);
        }
        if (a.length != parameter.length) {
            throw new IllegalArgumentException(name + " has length " + a.length + ", but " + parameterName
                    + " has length " + parameter.length + ": " + rule);
        }
    }

    private static void shape(double[][] a, String name, double[][] parameter, String parameterName, String rule) {
        if (parameter == null) {
            return;
        }
        if (a == null) {
            throw new IllegalArgumentException(name + " is null, but " + parameterName + " has " + parameter.length
                    + " rows: " + rule);
        }
        if (a.length != parameter.length) {
            throw new IllegalArgumentException(name + " has " + a.length + " rows, but " + parameterName + " has "
                    + parameter.length + ": " + rule);
        }
        for (int i = 0; i < a.length; i++) {
            if (parameter[i] != null && (a[i] == null || a[i].length != parameter[i].length)) {
                // the names of the rows are made only for the message
                shape(a[i], name + "[" + i + "]", parameter[i], parameterName + "[" + i + "]", rule);
            }
        }
    }

    /** An empty open-addressing table of identities, a power of two at least twice {@code size}. */
    private static Object[] table(int size, Tape scratch) {
        int capacity = Integer.highestOneBit(Math.max(2, size) * 2 - 1) << 1;
        return scratch == null ? new Object[capacity] : scratch.identities(capacity);
    }

    /** Adds {@code key}; false if it was there already. */
    private static boolean add(Object[] table, Object key) {
        if (key == null) {
            return true;
        }
        int mask = table.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (table[i] == null) {
                table[i] = key;
                return true;
            }
            if (table[i] == key) {
                return false;
            }
        }
    }

    private static boolean contains(Object[] table, Object key) {
        int mask = table.length - 1;
        for (int i = slot(key, mask); table[i] != null; i = (i + 1) & mask) {
            if (table[i] == key) {
                return true;
            }
        }
        return false;
    }

    private static int slot(Object key, int mask) {
        int h = System.identityHashCode(key) * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    private static int indexOf(Object[] rows, Object row, int from) {
        for (int i = from; i < rows.length; i++) {
            if (rows[i] == row) {
                return i;
            }
        }
        return -1;
    }
}
