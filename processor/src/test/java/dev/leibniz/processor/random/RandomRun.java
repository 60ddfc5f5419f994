package dev.leibniz.processor.random;

import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Harness.Failure;
import dev.leibniz.processor.random.Harness.Kind;
import dev.leibniz.processor.random.Harness.Stats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** One randomized run: generate programs from a seed, compile them in batches, check them, shrink failures. */
final class RandomRun {
    final long seed;
    final int programs;
    /** The index of the first program run: a range of a long run replays with its seed ({@code leibniz.random.first}). */
    int first;
    final long seconds;
    final int threads;
    final int methodsPerBatch;
    final int pointsPerMethod;
    final int maxShrinks;
    final long shrinkMillis;

    final Stats stats = new Stats();
    final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    long elapsedMillis;
    boolean timedOut;

    RandomRun(long seed, int programs, long seconds, int threads, int methodsPerBatch, int pointsPerMethod,
            int maxShrinks, long shrinkMillis) {
        this.seed = seed;
        this.programs = programs;
        this.seconds = seconds;
        this.threads = threads;
        this.methodsPerBatch = methodsPerBatch;
        this.pointsPerMethod = pointsPerMethod;
        this.maxShrinks = maxShrinks;
        this.shrinkMillis = shrinkMillis;
    }

    /** The seed of the {@code index}-th program of a run (SplitMix64), printed with its failures. */
    static long programSeed(long runSeed, int index) {
        long z = runSeed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static Program generate(long programSeed, int index) {
        return new Generator(programSeed, "f" + index).program(programSeed);
    }

    void run() throws InterruptedException {
        long start = System.currentTimeMillis();
        long lastProgress = start;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Semaphore inFlight = new Semaphore(threads * 2);
        try {
            List<Program> batch = new ArrayList<>();
            int methods = 0;
            for (int i = first; i < programs; i++) {
                if (seconds > 0 && System.currentTimeMillis() - start > seconds * 1000) {
                    timedOut = true;
                    break;
                }
                Program p = generate(programSeed(seed, i), i);
                batch.add(p);
                methods += p.methods().size();
                if (methods >= methodsPerBatch || i == programs - 1) {
                    List<Program> submitted = List.copyOf(batch);
                    batch.clear();
                    methods = 0;
                    inFlight.acquire();
                    pool.execute(() -> {
                        try {
                            Harness.run(submitted, pointsPerMethod, stats, failures::add);
                        } catch (Throwable t) {
                            failures.add(new Failure(Kind.INVALID_PROGRAM, new Program(0, Harness.methods(submitted)),
                                    "(batch)", null, "harness", "the harness threw " + t + "\n" + stackTrace(t), ""));
                        } finally {
                            inFlight.release();
                        }
                    });
                }
                if (System.currentTimeMillis() - lastProgress > 60_000) {
                    lastProgress = System.currentTimeMillis();
                    System.out.printf("[random] %ds: %s; %d failures%n", (lastProgress - start) / 1000, stats,
                            failures.size());
                }
            }
            if (!batch.isEmpty()) {
                Harness.run(batch, pointsPerMethod, stats, failures::add);
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
        }
        elapsedMillis = System.currentTimeMillis() - start;
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /** Shrinks up to {@code maxShrinks} failures (one per distinct kind and key first) and describes them all. */
    String report() {
        StringBuilder out = new StringBuilder();
        Map<String, List<Failure>> groups = new LinkedHashMap<>();
        for (Failure f : failures) {
            groups.computeIfAbsent(f.kind() + " " + f.key(), k -> new ArrayList<>()).add(f);
        }
        out.append(failures.size()).append(" failing programs (run seed ").append(seed).append("):\n");
        groups.forEach((k, v) -> out.append("  ").append(v.size()).append(" x ").append(k).append("\n"));
        List<Failure> toShrink = new ArrayList<>();
        for (int round = 0; toShrink.size() < maxShrinks; round++) {
            boolean any = false;
            for (List<Failure> g : groups.values()) {
                if (round < g.size() && toShrink.size() < maxShrinks) {
                    toShrink.add(g.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        int n = 0;
        long shrinkEnd = System.currentTimeMillis() + shrinkMillis;
        for (Failure f : toShrink) {
            n++;
            long share = Math.max(0, (shrinkEnd - System.currentTimeMillis()) / (toShrink.size() - n + 1));
            long shrinkStart = System.currentTimeMillis();
            out.append("\n=== failure ").append(n).append(": ").append(f.kind()).append(" (program seed ")
                    .append(f.program().seed()).append(", run seed ").append(seed).append(") ===\n");
            out.append("original program:\n").append(Ast.print(f.program(), "    "));
            Failure s = Shrinker.shrink(f, share);
            out.append("shrunk (in ").append((System.currentTimeMillis() - shrinkStart) / 1000).append(" s):\n")
                    .append(Ast.print(s.program(), "    "));
            out.append(s.describe());
            if (!s.generated().isEmpty()) {
                out.append("generated:\n").append(s.generated()).append("\n");
            }
        }
        for (Failure f : failures) {
            if (!toShrink.contains(f)) {
                out.append("\nnot shrunk: ").append(f.kind()).append(" ").append(f.key()).append(" in ")
                        .append(f.method()).append(" (program seed ").append(f.program().seed()).append(")");
            }
        }
        return out.toString();
    }

    static void delete(String name) {
        try {
            Files.deleteIfExists(Path.of("target").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(String name, String text) {
        try {
            Path dir = Path.of("target");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
