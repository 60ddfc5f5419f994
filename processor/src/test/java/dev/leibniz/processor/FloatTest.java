package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.processor.testing.Compiled;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code float} parameters, locals, literals, casts and results: the value stays bit for bit the original's (Java's
 * float arithmetic, promotion included), the partial of a {@code float} parameter is a {@code float}, and every
 * partial agrees with the same method written in {@code double} (a twin made from the source by replacing the
 * types, so the derivative is of the same function, without float rounding), to float precision. Forward mode and
 * second order are checked against the twin the same way.
 */
class FloatTest {
    private static final String METHODS = """
                private static final float RATE = 0.25f;
                static final float OFFSET = -1.5f;
                static final float[] TABLE = {0.5f, -1.25f, 2f};
                private static final float[][] GRID = {{1f, 2f / 3f}, {3f, 4f}};

                /** Copies of float arrays and float constant data: linear, the adjoints flow through them. */
                @Differentiable
                static float copies(float[] x, float s) {
                    float[] a = new float[x.length];
                    System.arraycopy(x, 0, a, 0, x.length);
                    float[] b = java.util.Arrays.copyOf(a, a.length);
                    java.util.Arrays.fill(a, s);
                    float t = 0;
                    for (int i = 0; i < b.length; i++) {
                        t += a[i] * b[i] * b[i] * TABLE[i % 3] + GRID[1][i % 2] * GRID[0][1];
                    }
                    return t;
                }

                @Differentiable
                static void scaleRows(float[][] m, float c) {
                    for (float[] row : m) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] *= c;
                        }
                    }
                }

                @Differentiable
                static float arithmetic(float x, float y, double z) {
                    float a = x * y + 1.5f;
                    float b = (float) Math.sin(a) * x;
                    double c = b * z + a;
                    for (int i = 0; i < 3; i++) {
                        a = a * 0.5f + b;
                    }
                    return (float) (c * a) + Math.abs(x - y);
                }

                @Differentiable
                static float promotion(float x, long k, int n) {
                    float a = x * k + n;
                    float b = a / n - k * RATE + OFFSET;
                    double c = a * 1e-3 + b;
                    return (float) c * x + (x > 0 ? b : a);
                }

                @Differentiable
                static float compound(float x, float y) {
                    x += y * 2;
                    x *= 0.5f;
                    x -= (float) Math.sqrt(y * y + 1);
                    x++;
                    y = -x * y;
                    return Math.max(x, y) + Math.min(x * x, 3f) + Math.copySign(x, y) * Math.signum(y);
                }

                @Differentiable
                static double mixed(float x, double y) {
                    float s = 0;
                    for (int i = 1; i <= 4; i++) {
                        s += x / i + (float) Math.exp(-y * i);
                    }
                    return s * y + Math.fma(x, x, s);
                }

                @Differentiable
                static float square(float x) {
                    return x * x;
                }

                @Differentiable(hessian = true)
                static float calls(float x, float y) {
                    float s = 0;
                    for (int i = 0; i < 2; i++) {
                        s += square(x - i) * y;
                    }
                    return s + square(y - x) * 0.5f;
                }

                @Differentiable
                static float dot(float[] w, float[] x) {
                    float s = 0;
                    for (int i = 0; i < w.length; i++) {
                        s += w[i] * x[i];
                    }
                    return s;
                }

                /**
                 * A layer of float weights, its activations in a local float[], a copy written into (a compound
                 * assignment of a double to a float element too, which JDK 20+ would warn about here).
                 */
                @SuppressWarnings("lossy-conversions")
                @Differentiable(hessian = true)
                static float network(float[][] w, float[] x, float b) {
                    float[] h = new float[w.length];
                    for (int i = 0; i < w.length; i++) {
                        h[i] = (float) Math.tanh(dot(w[i], x) + b);
                    }
                    float[] c = h.clone();
                    c[0] *= 2;
                    c[1] += x[0] * 0.1;
                    return dot(c, h);
                }

                /** Writes into its float array parameter, as time stepping does. */
                @Differentiable
                static float relax(float[] v, float rate) {
                    for (int k = 0; k < 3; k++) {
                        for (int i = 1; i < v.length; i++) {
                            v[i] += rate * (v[i - 1] - v[i]);
                        }
                    }
                    return v[v.length - 1];
                }

                @Differentiable(hessian = true)
                static float curvature(float x, float y) {
                    float a = 1 - x;
                    float b = y - x * x;
                    return a * a + 10 * b * b + (float) Math.log1p(x * x * y * y);
                }
            """;

    private static final String FLOATS = "package com.example;\nimport dev.leibniz.Differentiable;\n"
            + "final class Floats {\n" + METHODS + "}\n";

    /** The same methods in double: float becomes double, a float literal a double one, a cast to float goes. */
    private static final String TWIN = "package com.example;\nimport dev.leibniz.Differentiable;\n"
            + "final class Twin {\n" + METHODS.replace("(float) ", "").replace("float", "double").replaceAll("(\\d)f\\b", "$1") + "}\n";

    private static final Compiled COMPILED = Compiled.compile("com.example.Floats", FLOATS, "com.example.Twin", TWIN);

    @ParameterizedTest
    @CsvSource({"arithmetic, 0.7, -1.3, 0.4", "arithmetic, -0.2, 0.9, -1.1", "promotion, 0.8, 3, 2",
            "promotion, -1.4, -2, 5", "compound, 0.6, -0.7, -", "compound, -1.2, 0.3, -", "mixed, 0.9, 0.4, -",
            "mixed, -0.3, 1.2, -", "curvature, 0.4, 0.8, -", "calls, 0.7, -0.4, -",
            "square, 1.3, -, -"})
    void theValueIsTheOriginalsAndEachPartialTheDoubleTwinsToFloatPrecision(String method, String a, String b,
            String c) {
        Object[] args = arguments(method, a, b, c);
        Object value = Compiled.invoke(COMPILED.method("com.example.Floats", method), args);
        Map<String, Object> gradient = Compiled.components(invoke("FloatsGradient", method, args));
        Map<String, Object> twin = Compiled.components(invoke("TwinGradient", method, twinArguments(args)));
        assertEquals(((Number) value).doubleValue(), ((Number) gradient.get("value")).doubleValue(), 0.0,
                "the value, bit for bit");
        Method original = COMPILED.method("com.example.Floats", method);
        int k = 0;
        for (var p : original.getParameters()) {
            if (p.getType() == float.class || p.getType() == double.class) {
                String name = List.copyOf(gradient.keySet()).get(1 + k);
                Object partial = gradient.get(name);
                assertEquals(p.getType(), partial.getClass() == Float.class ? float.class : double.class,
                        "the partial of a " + p.getType() + " parameter has its type");
                double expected = ((Number) twin.get(name)).doubleValue();
                assertEquals(expected, ((Number) partial).doubleValue(), 1e-4 * Math.max(1, Math.abs(expected)),
                        method + ": d/d" + name);
                // forward mode: the tangent 1 along this parameter, 0 along the others
                Object[] tangents = new Object[args.length + countReal(original)];
                System.arraycopy(args, 0, tangents, 0, args.length);
                int j = 0;
                for (var q : original.getParameters()) {
                    if (q.getType() == float.class || q.getType() == double.class) {
                        tangents[args.length + j] = j == k ? 1.0 : 0.0;
                        j++;
                    }
                }
                double differential = (double) Compiled.components(invoke("FloatsGradient",
                        method + "Differential", tangents)).get("differential");
                assertEquals(((Number) partial).doubleValue(), differential,
                        1e-6 * Math.max(1, Math.abs(differential)), method + ": forward mode along " + name);
                k++;
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0.4, 0.8", "-0.9, 0.3"})
    void theHessianOfAFloatMethodIsTheDoubleTwinsToFloatPrecisionThroughFloatCallsToo(float x, float y) {
        for (String method : List.of("curvature", "calls")) {
            double[][] h = (double[][]) invoke("FloatsGradient", method + "Hessian", x, y);
            double[][] twin = (double[][]) invoke("TwinGradient", method + "Hessian", (double) x, (double) y);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(twin[i][j], h[i][j], 1e-4 * Math.max(1, Math.abs(twin[i][j])),
                            method + ": H[" + i + "][" + j + "]");
                }
            }
        }
    }

    private static int countReal(Method m) {
        int n = 0;
        for (var p : m.getParameters()) {
            n += p.getType() == float.class || p.getType() == double.class ? 1 : 0;
        }
        return n;
    }

    private static Object[] arguments(String method, String... texts) {
        Method m = COMPILED.method("com.example.Floats", method);
        List<Object> args = new ArrayList<>();
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            String t = texts[i].strip();
            args.add(types[i] == float.class ? (Object) Float.parseFloat(t)
                    : types[i] == double.class ? (Object) Double.parseDouble(t)
                    : types[i] == long.class ? (Object) Long.parseLong(t) : (Object) Integer.parseInt(t));
        }
        return args.toArray();
    }

    /** The arguments for the double twin: floats widened, float arrays copied into double arrays. */
    private static Object[] twinArguments(Object[] args) {
        Object[] twin = args.clone();
        for (int i = 0; i < twin.length; i++) {
            if (twin[i] instanceof Float f) {
                twin[i] = (double) f;
            } else if (twin[i] instanceof float[] a) {
                double[] d = new double[a.length];
                for (int j = 0; j < a.length; j++) {
                    d[j] = a[j];
                }
                twin[i] = d;
            } else if (twin[i] instanceof float[][] m) {
                twin[i] = java.util.Arrays.stream(m).map(r -> twinArguments(new Object[] {r})[0])
                        .toArray(double[][]::new);
            }
        }
        return twin;
    }

    private static Object invoke(String gradientClass, String name, Object... args) {
        for (Method m : COMPILED.load("com.example." + gradientClass).getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                m.setAccessible(true);
                return Compiled.invoke(m, args);
            }
        }
        throw new AssertionError("no " + gradientClass + "." + name);
    }

    @org.junit.jupiter.api.Test
    void floatArraysHaveFloatPartialsThatAreTheDoubleTwinsInEveryForm() {
        float[][] w = {{0.3f, -0.2f}, {0.5f, 0.1f}};
        float[] x = {1f, -2f};
        Object[] args = {w, x, 0.1f};
        Map<String, Object> g = Compiled.components(invoke("FloatsGradient", "network", args));
        Map<String, Object> twin = Compiled.components(invoke("TwinGradient", "network", twinArguments(args)));
        assertEquals(((Number) Compiled.invoke(COMPILED.method("com.example.Floats", "network"), args)).doubleValue(),
                (double) g.get("value"), 0.0, "the value, bit for bit");
        assertClose(flatten(twin.get("w")), flatten(g.get("w")), "dw");
        assertClose(flatten(twin.get("x")), flatten(g.get("x")), "dx");
        assertEquals((double) twin.get("b"), (float) g.get("b"), 1e-4, "db");
        // the accumulate form adds into float buffers
        float[][] dw = {{1f, 1f}, {1f, 1f}};
        float[] dx = {0f, 0f};
        Object returned = invoke("FloatsGradient", "networkAccumulate", w, x, 0.1f, dw, dx, new dev.leibniz.Tape());
        double[] expected = flatten(g.get("w"));
        double[] added = flatten(dw);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] + 1, added[i], 1e-6, "dw added");
        }
        assertEquals((float) g.get("b"), (float) Compiled.components(returned).get("b"), 1e-6f);
        // forward mode along w[1][0]
        float[][] tw = {{0f, 0f}, {1f, 0f}};
        double d = (double) Compiled.components(invoke("FloatsGradient", "networkDifferential", w, x, 0.1f, tw,
                new float[2], 0.0)).get("differential");
        assertEquals(flatten(g.get("w"))[2], d, 1e-5);
        // the Hessian, against the twin's
        double[][] h = (double[][]) invoke("FloatsGradient", "networkHessian", w, x, 0.1f);
        double[][] th = (double[][]) invoke("TwinGradient", "networkHessian", twinArguments(args));
        for (int i = 0; i < th.length; i++) {
            assertClose(th[i], h[i], "H row " + i);
        }
    }

    @org.junit.jupiter.api.Test
    void aFloatArrayParameterWrittenIntoEndsAsTheOriginalLeavesIt() {
        float[] v = {1f, 0.5f, -0.25f, 2f};
        float[] original = v.clone();
        Compiled.invoke(COMPILED.method("com.example.Floats", "relax"), new Object[] {original, 0.3f});
        float[] viaGradient = v.clone();
        Map<String, Object> g = Compiled.components(invoke("FloatsGradient", "relax", viaGradient, 0.3f));
        org.junit.jupiter.api.Assertions.assertArrayEquals(original, viaGradient, "the caller's array, bit for bit");
        Map<String, Object> twin = Compiled.components(invoke("TwinGradient", "relax",
                twinArguments(new Object[] {v.clone(), 0.3f})));
        assertClose(flatten(twin.get("v")), flatten(g.get("v")), "dv");
        assertEquals((double) twin.get("rate"), (float) g.get("rate"), 1e-4, "drate");
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    /** Any array of numbers, flattened row by row, as doubles. */
    private static double[] flatten(Object array) {
        List<Double> out = new ArrayList<>();
        flattenInto(array, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flattenInto(Object array, List<Double> out) {
        for (int i = 0; i < java.lang.reflect.Array.getLength(array); i++) {
            Object e = java.lang.reflect.Array.get(array, i);
            if (e instanceof Number n) {
                out.add(n.doubleValue());
            } else {
                flattenInto(e, out);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void copiesOfFloatArraysAndFloatConstantDataAreDifferentiatedLikeTheDoubleTwins() {
        Object[] args = {new float[] {1f, -2f, 0.5f, 3f}, 0.75f};
        Map<String, Object> g = Compiled.components(invoke("FloatsGradient", "copies", args));
        Map<String, Object> twin = Compiled.components(invoke("TwinGradient", "copies", twinArguments(args)));
        assertClose(flatten(twin.get("x")), flatten(g.get("x")), "dx");
        assertEquals((double) twin.get("s"), (float) g.get("s"), 1e-4, "ds");
        assertEquals(((Number) Compiled.invoke(COMPILED.method("com.example.Floats", "copies"), args)).doubleValue(),
                (double) g.get("value"), 0.0, "the value, bit for bit (2f / 3f folded as Java folds it)");
    }

    @org.junit.jupiter.api.Test
    void rowsOfAFloatMatrixThatAreOneArrayAreRefusedOnEntryWhereTheMethodWritesThem() {
        float[] row = {1f, 2f};
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> {
                    try {
                        Method m = null;
                        for (Method candidate : COMPILED.load("com.example.FloatsGradient").getDeclaredMethods()) {
                            if (candidate.getName().equals("scaleRowsPullback")) {
                                m = candidate;
                            }
                        }
                        m.setAccessible(true);
                        m.invoke(null, new float[][] {row, row}, 2f, new float[][] {{0f, 0f}, {0f, 0f}});
                    } catch (java.lang.reflect.InvocationTargetException t) {
                        throw t.getCause();
                    }
                });
        assertEquals("m[0] and m[1] are the same array, and scaleRows writes into m: pass a copy", e.getMessage());
        assertEquals(1f, row[0], "nothing written");
    }
}
