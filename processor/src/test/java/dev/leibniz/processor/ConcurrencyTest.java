package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Tape;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.CompiledOnce;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Generated code keeps no static mutable state and each call has its own tape: 8 threads calling the same
 * gradients at once, on different inputs, get exactly what a single thread gets.
 */
class ConcurrencyTest {
    private static final String CLASS = "com.example.Net";
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 300;

    private static final CompiledOnce COMPILED = new CompiledOnce(CLASS, CLASS, """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Net {
                private Net() {
                }

                /** One hidden tanh layer, a local array, overwritten locals: the reverse sweep needs the tape. */
                @Differentiable
                public static double loss(double[][] w1, double[] w2, double[] x, double t) {
                    double[] h = new double[w1.length];
                    for (int j = 0; j < w1.length; j++) {
                        double z = 0;
                        for (int i = 0; i < x.length; i++) {
                            z += w1[j][i] * x[i];
                        }
                        h[j] = Math.tanh(z);
                    }
                    double y = 0;
                    for (int j = 0; j < h.length; j++) {
                        y += w2[j] * h[j];
                    }
                    double e = y - t;
                    return 0.5 * e * e;
                }

                /** A trip count that depends on x: the halvings go on the tape. */
                @Differentiable
                public static double halveUntilSmall(double x, double c) {
                    while (x > 1) {
                        x = x / 2 + c * Math.sin(x);
                    }
                    return Math.exp(x);
                }
            }
            """);

    @Test
    void eightThreadsAtOnceGetWhatOneThreadGets() throws Exception {
        List<Object[]> inputs = new ArrayList<>();
        Random random = new Random(8);
        for (int k = 0; k < THREADS * CALLS_PER_THREAD; k++) {
            inputs.add(input(random));
        }
        List<List<Object>> expected = new ArrayList<>();
        for (Object[] in : inputs) {
            expected.add(results(in, new Tape()));
        }
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int first = thread * CALLS_PER_THREAD;
                Callable<Integer> work = () -> {
                    Tape tape = new Tape(); // one per thread, reused across its calls
                    start.await();
                    int checked = 0;
                    for (int k = first; k < first + CALLS_PER_THREAD; k++) {
                        assertEquals(render(expected.get(k)), render(results(inputs.get(k), tape)), "call " + k);
                        checked++;
                    }
                    return checked;
                };
                done.add(pool.submit(work));
            }
            int checked = 0;
            for (Future<Integer> f : done) {
                checked += f.get();
            }
            assertEquals(THREADS * CALLS_PER_THREAD, checked);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void generatedClassHasNoStaticFields() {
        Class<?> gradient = COMPILED.get().load(CLASS + "Gradient");
        for (Field f : gradient.getDeclaredFields()) {
            assertTrue(!Modifier.isStatic(f.getModifiers()), "static field " + f);
        }
    }

    /** Every generated form's results for one input: record components, pullback buffers, accumulate buffers. */
    private static List<Object> results(Object[] in, Tape tape) {
        Compiled compiled = COMPILED.get();
        String gradient = CLASS + "Gradient";
        double[][] w1 = (double[][]) in[0];
        double[] w2 = (double[]) in[1];
        double[] x = (double[]) in[2];
        double t = (double) in[3];
        List<Object> out = new ArrayList<>();
        Map<String, Object> record = Compiled.components(call(compiled.method(gradient, "loss"), w1, w2, x, t));
        out.addAll(record.values());
        double[][] dw1 = new double[w1.length][w1[0].length];
        double[] dw2 = new double[w2.length];
        double[] dx = new double[x.length];
        out.add(call(compiled.method(gradient, "lossAccumulate"), w1, w2, x, t, dw1, dw2, dx, tape));
        out.add(dw1);
        out.add(dw2);
        out.add(dx);
        double c = (double) in[4];
        out.addAll(Compiled.components(call(compiled.method(gradient, "halveUntilSmall"), in[5], c)).values());
        return out;
    }

    private static Object call(Method m, Object... args) {
        return Compiled.invoke(m, args);
    }

    private static Object[] input(Random random) {
        int hidden = 2 + random.nextInt(6);
        int inputs = 1 + random.nextInt(4);
        double[][] w1 = new double[hidden][inputs];
        for (double[] row : w1) {
            Arrays.setAll(row, i -> random.nextGaussian());
        }
        double[] w2 = new double[hidden];
        Arrays.setAll(w2, i -> random.nextGaussian());
        double[] x = new double[inputs];
        Arrays.setAll(x, i -> random.nextGaussian());
        return new Object[] {w1, w2, x, random.nextGaussian(), 0.3 * random.nextDouble(), 1 + 50 * random.nextDouble()};
    }

    private static String render(List<Object> results) {
        return Arrays.deepToString(results.toArray());
    }
}
