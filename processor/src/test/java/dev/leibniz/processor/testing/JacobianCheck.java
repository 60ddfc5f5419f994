package dev.leibniz.processor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.ArrayDifferential;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The generated members of a method returning {@code double[]}, checked against the original. */
public final class JacobianCheck {
    private final Compiled compiled;
    private final String className;

    public JacobianCheck(Compiled compiled, String className) {
        this.compiled = compiled;
        this.className = className;
    }


    private static Object[] copy(Object[] args) {
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof double[] a) {
                out[i] = a.clone();
            } else if (out[i] instanceof double[][] m) {
                double[][] c = new double[m.length][];
                for (int r = 0; r < m.length; r++) {
                    c[r] = m[r].clone();
                }
                out[i] = c;
            }
        }
        return out;
    }

    /** The differentiated parameters' positions: doubles and double arrays the wrt allows. */
    private static List<Integer> differentiated(Method original) {
        // the methods with wrt are features(x, scale) and inputOnly(x, data), wrt = {"x"} (parameter names are not in
        // the class file)
        boolean onlyFirst = original.getName().equals("features") || original.getName().equals("inputOnly");
        List<Integer> out = new ArrayList<>();
        Class<?>[] types = original.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            boolean floating = types[i] == double.class || types[i] == double[].class || types[i] == double[][].class;
            if (floating && (!onlyFirst || i == 0)) {
                out.add(i);
            }
        }
        return out;
    }

    /** Reads and writes the flattened differentiated scalars of {@code args}. */
    private static List<double[]> cells(Object[] args, List<Integer> positions) {
        List<double[]> out = new ArrayList<>(); // {index of arg, row, column} encoded as arrays to address
        for (int p : positions) {
            Object a = args[p];
            if (a instanceof Double) {
                out.add(new double[] {p, -1, -1});
            } else if (a instanceof double[] v) {
                for (int i = 0; i < v.length; i++) {
                    out.add(new double[] {p, i, -1});
                }
            } else {
                double[][] m = (double[][]) a;
                for (int r = 0; r < m.length; r++) {
                    for (int c = 0; c < m[r].length; c++) {
                        out.add(new double[] {p, r, c});
                    }
                }
            }
        }
        return out;
    }

    private static void add(Object[] args, double[] cell, double h) {
        int p = (int) cell[0];
        if (cell[1] < 0) {
            args[p] = (Double) args[p] + h;
        } else if (cell[2] < 0) {
            ((double[]) args[p])[(int) cell[1]] += h;
        } else {
            ((double[][]) args[p])[(int) cell[1]][(int) cell[2]] += h;
        }
    }

    /**
     * Checks {@code name}'s Jacobian against central differences of the original, its JVP against {@code J v}, its
     * VJP against <code>J<sup>T</sup>u</code>, and which mode builds the Jacobian.
     */
    public void check(String name, Object[] args, boolean reverseExpected, boolean forwardExpected) {
        Method original = compiled.method(className, name);
        List<Integer> positions = differentiated(original);
        List<double[]> cells = cells(args, positions);
        int n = cells.size();
        double[] value = ((double[]) Compiled.invoke(original, copy(args))).clone();
        int m = value.length;
        assertEquals(reverseExpected, m <= n, "the test's expectation of the mode");
        assertEquals(forwardExpected, m > n, "the test's expectation of the mode");

        double[][] jacobian = (double[][]) Compiled.invoke(compiled.method(className + "Gradient", name + "Jacobian"),
                copy(args));
        assertEquals(m, jacobian.length, name);
        // central differences of the original
        for (int j = 0; j < n; j++) {
            double h = 1e-6;
            Object[] plus = copy(args);
            add(plus, cells.get(j), h);
            Object[] minus = copy(args);
            add(minus, cells.get(j), -h);
            double[] fp = (double[]) Compiled.invoke(original, plus);
            double[] fm = (double[]) Compiled.invoke(original, minus);
            for (int i = 0; i < m; i++) {
                assertEquals(n, jacobian[i].length, name);
                double fd = (fp[i] - fm[i]) / (2 * h);
                assertEquals(fd, jacobian[i][j], 1e-6 * (1 + Math.abs(fd)), name + ": J[" + i + "][" + j + "]");
            }
        }

        Random random = new Random(name.hashCode());
        // JVP against J v
        Method differential = compiled.method(className + "Gradient", name + "Differential");
        Object[] withTangents = new Object[args.length + positions.size()];
        Object[] given = copy(args);
        System.arraycopy(given, 0, withTangents, 0, args.length);
        double[] v = new double[n];
        int at = 0;
        for (int k = 0; k < positions.size(); k++) {
            Object a = args[positions.get(k)];
            if (a instanceof Double) {
                v[at] = random.nextGaussian();
                withTangents[args.length + k] = v[at++];
            } else if (a instanceof double[] arr) {
                double[] t = new double[arr.length];
                for (int i = 0; i < t.length; i++) {
                    t[i] = v[at++] = random.nextGaussian();
                }
                withTangents[args.length + k] = t;
            } else {
                double[][] mat = (double[][]) a;
                double[][] t = new double[mat.length][];
                for (int r = 0; r < mat.length; r++) {
                    t[r] = new double[mat[r].length];
                    for (int c = 0; c < t[r].length; c++) {
                        t[r][c] = v[at++] = random.nextGaussian();
                    }
                }
                withTangents[args.length + k] = t;
            }
        }
        Object[] tangentsBefore = copy(java.util.Arrays.copyOfRange(withTangents, args.length, withTangents.length));
        ArrayDifferential d = (ArrayDifferential) Compiled.invoke(differential, withTangents);
        assertArrayEquals(value, d.value(), 0.0, name + ": the JVP's value is the original's");
        for (int i = 0; i < m; i++) {
            double jv = 0;
            for (int j = 0; j < n; j++) {
                jv += jacobian[i][j] * v[j];
            }
            assertEquals(jv, d.differential()[i], 1e-12 * (1 + Math.abs(jv)) * n, name + ": (J v)[" + i + "]");
        }
        Object[] tangentsAfter = java.util.Arrays.copyOfRange(withTangents, args.length, withTangents.length);
        assertTrue(java.util.Arrays.deepEquals(tangentsBefore, tangentsAfter), name + ": tangents only read");

        // VJP against J^T u
        Method pullback = compiled.method(className + "Gradient", name + "Pullback");
        double[] u = new double[m];
        for (int i = 0; i < m; i++) {
            u[i] = random.nextGaussian();
        }
        List<Object> call = new ArrayList<>(List.of(copy(args)));
        call.add(u.clone());
        List<Object> shadows = new ArrayList<>();
        for (int p : positions) {
            if (args[p] instanceof double[] arr) {
                shadows.add(new double[arr.length]);
            } else if (args[p] instanceof double[][] mat) {
                double[][] s = new double[mat.length][];
                for (int r = 0; r < mat.length; r++) {
                    s[r] = new double[mat[r].length];
                }
                shadows.add(s);
            }
        }
        call.addAll(shadows);
        Object result = Compiled.invoke(pullback, call.toArray());
        double[] jtu = new double[n];
        at = 0;
        int shadow = 0;
        // the record: value, then a component per differentiated parameter, in order
        List<Object> record = result instanceof Double ? List.of()
                : new ArrayList<>(Compiled.components(result).values());
        int component = 1;
        for (int p : positions) {
            if (args[p] instanceof Double) {
                jtu[at++] = (Double) record.get(component++);
            } else if (!record.isEmpty()) {
                component++;
            }
            if (args[p] instanceof Double) {
                continue;
            }
            if (args[p] instanceof double[]) {
                for (double e : (double[]) shadows.get(shadow++)) {
                    jtu[at++] = e;
                }
            } else {
                for (double[] row : (double[][]) shadows.get(shadow++)) {
                    for (double e : row) {
                        jtu[at++] = e;
                    }
                }
            }
        }
        double dot = 0;
        for (int i = 0; i < m; i++) {
            dot += u[i] * value[i];
        }
        double returnedDot = result instanceof Double x ? x : (Double) record.get(0);
        assertEquals(dot, returnedDot, 1e-12 * (1 + Math.abs(dot)) * m, name + ": the VJP's value is <u, f>");
        for (int j = 0; j < n; j++) {
            double expected = 0;
            for (int i = 0; i < m; i++) {
                expected += jacobian[i][j] * u[i];
            }
            assertEquals(expected, jtu[j], 1e-12 * (1 + Math.abs(expected)) * m, name + ": (J^T u)[" + j + "]");
        }
    }
}
