package dev.leibniz;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One point a {@link GradientCheck} checks at: the arguments of the method, converted to its parameter types and
 * copied when given, and their differentiated scalars — the coordinates — numbered in the order of the Hessian and
 * the Jacobian: the differentiated parameters in declaration order, an array's elements in turn, a matrix row by
 * row. Every evaluation gets a deep copy of the arguments, so a method that writes into its arrays sees them as
 * given each time.
 */
final class Point {
    private final Object[] arguments;
    private final GeneratedMethods methods;
    /** Per coordinate: the position of its parameter among the differentiated ones, and its row and column. */
    private final int[] differentiated;
    private final int[] row;
    private final int[] column;

    private Point(Object[] arguments, GeneratedMethods methods) {
        this.arguments = arguments;
        this.methods = methods;
        List<int[]> coordinates = new ArrayList<>();
        for (int j = 0; j < methods.differentiated.length; j++) {
            Object argument = arguments[methods.differentiated[j]];
            if (argument instanceof double[][] matrix) {
                for (int r = 0; r < matrix.length; r++) {
                    for (int c = 0; c < matrix[r].length; c++) {
                        coordinates.add(new int[] {j, r, c});
                    }
                }
            } else if (argument instanceof double[] array) {
                for (int i = 0; i < array.length; i++) {
                    coordinates.add(new int[] {j, i, -1});
                }
            } else {
                coordinates.add(new int[] {j, -1, -1});
            }
        }
        this.differentiated = coordinates.stream().mapToInt(c -> c[0]).toArray();
        this.row = coordinates.stream().mapToInt(c -> c[1]).toArray();
        this.column = coordinates.stream().mapToInt(c -> c[2]).toArray();
    }

    /**
     * The point at these arguments, checked against the parameter types and copied: any number for a {@code double},
     * an {@code Integer} (or smaller) for an {@code int}, arrays of exactly the parameter's type.
     *
     * @throws IllegalArgumentException if the arguments do not fit the parameters
     */
    static Point of(GeneratedMethods methods, Object[] given) {
        Class<?>[] types = methods.original.getParameterTypes();
        if (given.length != types.length) {
            throw new IllegalArgumentException(methods.label + " takes " + types.length + " arguments "
                    + signature(methods) + ", not " + given.length);
        }
        Object[] arguments = new Object[given.length];
        for (int i = 0; i < given.length; i++) {
            arguments[i] = convert(types[i], given[i], methods, i);
        }
        for (int p : methods.differentiated) {
            if (arguments[p] instanceof double[][] matrix) {
                for (double[] r : matrix) {
                    if (r == null) {
                        throw new IllegalArgumentException(methods.label + ": " + methods.names[p]
                                + " has a null row; a differentiated matrix needs all its rows");
                    }
                }
            }
        }
        return new Point(deepCopy(arguments), methods);
    }

    private static Object convert(Class<?> type, Object value, GeneratedMethods methods, int i) {
        Object converted = null;
        if (type == double.class && value instanceof Number number) {
            converted = number.doubleValue();
        } else if ((type == int.class || type == long.class)
                && (value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            converted = type == int.class ? (Object) ((Number) value).intValue() : (Object) ((Number) value).longValue();
        } else if (type == long.class && value instanceof Long) {
            converted = value;
        } else if (type == boolean.class && value instanceof Boolean) {
            converted = value;
        } else if (!type.isPrimitive() && type.isInstance(value)) {
            converted = value;
        }
        if (converted == null) {
            throw new IllegalArgumentException(methods.label + ": argument " + (i + 1) + " (" + methods.names[i] + ") is "
                    + (value == null ? "null" : "a " + value.getClass().getSimpleName()) + " where the parameter is "
                    + type.getSimpleName());
        }
        return converted;
    }

    private static String signature(GeneratedMethods methods) {
        Class<?>[] types = methods.original.getParameterTypes();
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            parameters.add(types[i].getSimpleName() + " " + methods.names[i]);
        }
        return "(" + String.join(", ", parameters) + ")";
    }

    /** Whether a parameter of this type can be differentiated: {@code double}, {@code double[]}, {@code double[][]}. */
    static boolean isFloating(Class<?> type) {
        return type == double.class || type == double[].class || type == double[][].class;
    }

    /** A deep copy of the arguments, for one evaluation. */
    Object[] copy() {
        return deepCopy(arguments);
    }

    private static Object[] deepCopy(Object[] arguments) {
        Object[] copy = arguments.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] != null && copy[i].getClass().isArray()) {
                copy[i] = Buffers.snapshot(copy[i]);
            }
        }
        return copy;
    }

    /** How many differentiated scalars there are. */
    int size() {
        return differentiated.length;
    }

    /** The name of the parameter of coordinate {@code k}. */
    String parameter(int k) {
        return methods.names[methods.differentiated[differentiated[k]]];
    }

    /** The index of coordinate {@code k} in its parameter: empty, {@code [i]} or {@code [row, column]}. */
    List<Integer> index(int k) {
        return row[k] < 0 ? List.of() : column[k] < 0 ? List.of(row[k]) : List.of(row[k], column[k]);
    }

    /** Whether coordinate {@code k} is an element of an array (the accumulate form adds those only). */
    boolean inArray(int k) {
        return row[k] >= 0;
    }

    /** The value of coordinate {@code k} at this point. */
    double get(int k) {
        return get(arguments, k);
    }

    /** The value of coordinate {@code k} in {@code arguments} (a copy of this point's). */
    double get(Object[] arguments, int k) {
        Object argument = arguments[methods.differentiated[differentiated[k]]];
        if (argument instanceof double[][] matrix) {
            return matrix[row[k]][column[k]];
        }
        return argument instanceof double[] array ? array[row[k]] : (double) argument;
    }

    /** Sets coordinate {@code k} of {@code arguments} (a copy of this point's) to {@code value}. */
    void set(Object[] arguments, int k, double value) {
        int p = methods.differentiated[differentiated[k]];
        arguments[p] = with(arguments[p], k, value);
    }

    /** {@code argument} with coordinate {@code k} set to {@code value}: the same array, or the new {@code Double}. */
    private Object with(Object argument, int k, double value) {
        if (argument instanceof double[][] matrix) {
            matrix[row[k]][column[k]] = value;
            return matrix;
        }
        if (argument instanceof double[] array) {
            array[row[k]] = value;
            return array;
        }
        return value;
    }

    /**
     * Copies {@code factor} times the partials generated code returned for the {@code j}-th differentiated parameter
     * (a {@code Double}, {@code double[]} or {@code double[][]}) into {@code into}, at that parameter's coordinates;
     * NaN where the generated array lacks an element the argument has.
     */
    void read(int j, Object partials, double factor, double[] into) {
        for (int k = 0; k < size(); k++) {
            if (differentiated[k] != j) {
                continue;
            }
            double value = Double.NaN;
            if (partials instanceof double[][] matrix) {
                if (row[k] < matrix.length && matrix[row[k]] != null && column[k] < matrix[row[k]].length) {
                    value = matrix[row[k]][column[k]];
                }
            } else if (partials instanceof double[] array) {
                value = row[k] < array.length ? array[row[k]] : Double.NaN;
            } else if (partials instanceof Double scalar) {
                value = scalar;
            }
            into[k] = factor * value;
        }
    }

    /**
     * New zeroed arrays shaped like the differentiated array arguments, in order: the buffers a pullback or an
     * accumulate form adds into.
     */
    Object[] zeroBuffers() {
        List<Object> buffers = new ArrayList<>();
        for (int p : methods.differentiated) {
            if (arguments[p] instanceof double[][] matrix) {
                buffers.add(Buffers.zerosLike(matrix));
            } else if (arguments[p] instanceof double[] array) {
                buffers.add(Buffers.zerosLike(array));
            }
        }
        return buffers.toArray();
    }

    /** Copies {@code factor} times what the buffers of {@link #zeroBuffers} hold into {@code into}. */
    void readBuffers(Object[] buffers, double factor, double[] into) {
        int b = 0;
        for (int j = 0; j < methods.differentiated.length; j++) {
            if (arguments[methods.differentiated[j]].getClass().isArray()) {
                read(j, buffers[b++], factor, into);
            }
        }
    }

    /** A tangent per differentiated parameter, all zero but coordinate {@code k}, which is 1. */
    Object[] unitTangents(int k) {
        Object[] tangents = new Object[methods.differentiated.length];
        for (int j = 0; j < tangents.length; j++) {
            Object argument = arguments[methods.differentiated[j]];
            if (argument instanceof double[][] matrix) {
                tangents[j] = Buffers.zerosLike(matrix);
            } else if (argument instanceof double[] array) {
                tangents[j] = Buffers.zerosLike(array);
            } else {
                tangents[j] = 0.0;
            }
        }
        if (k < size()) {
            tangents[differentiated[k]] = with(tangents[differentiated[k]], k, 1.0);
        }
        return tangents;
    }

    /** {@code ellipsoidVolume(a = 1.5, b = 0.8, c = 2.0)}: arrays of up to 6 elements written out, larger by shape. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < arguments.length; i++) {
            parts.add(methods.names[i] + " = " + describe(arguments[i]));
        }
        return methods.original.getName() + "(" + String.join(", ", parts) + ")";
    }

    private static String describe(Object argument) {
        if (argument == null || !argument.getClass().isArray()) {
            return String.valueOf(argument);
        }
        int length = Array.getLength(argument);
        if (argument instanceof Object[] rows) {
            int elements = 0;
            Set<Integer> columns = new HashSet<>();
            for (Object r : rows) {
                int columnCount = r == null ? 0 : Array.getLength(r);
                elements += columnCount;
                columns.add(columnCount);
            }
            if (elements > 6) {
                String element = argument.getClass().getComponentType().getComponentType().getSimpleName();
                return element + "[" + length + "]" + (columns.size() == 1 ? "[" + columns.iterator().next() + "]" : "[]");
            }
        } else if (length > 6) {
            return argument.getClass().getComponentType().getSimpleName() + "[" + length + "]";
        }
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            elements.add(describe(Array.get(argument, i)));
        }
        return "[" + String.join(", ", elements) + "]";
    }
}
