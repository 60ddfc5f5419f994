package dev.leibniz.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * What the processor costs at compile time: javac on one class of {@code @Differentiable} methods (200 by default),
 * with the processor (which writes the gradient class, which javac then compiles too) and without it
 * ({@code -proc:none}), the same source and class path otherwise. Measured two ways, alternating the two builds:
 * <ul>
 *   <li>cold: a fresh {@code javac} process per build, as a command-line or CI build runs it; wall-clock time,
 *       JVM start included;</li>
 *   <li>warm: javac's API in this JVM, after warm-up builds, as a build daemon or an IDE runs it.</li>
 * </ul>
 * It prints the median of each and their ratio. Run it with the benchmarks jar, which holds the runtime and the
 * processor: {@code java -cp benchmarks/target/benchmarks.jar dev.leibniz.benchmarks.ProcessorCost [methods [runs]]}.
 */
public final class ProcessorCost {
    private static final String PROCESSOR = "dev.leibniz.processor.LeibnizProcessor";

    private ProcessorCost() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int methods = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String classPath = System.getProperty("java.class.path");
        Path dir = Files.createTempDirectory("leibniz-processor-cost");
        Path source = dir.resolve("Methods.java");
        Files.writeString(source, source(methods));

        Path generated = dir.resolve("generated");
        Files.createDirectories(generated);
        List<String> without = javacOptions(classPath, dir, "without", "-proc:none", source.toString());
        List<String> with = javacOptions(classPath, dir, "with", "-processorpath", classPath, "-processor", PROCESSOR,
                "-s", generated.toString(), source.toString());
        // The two parts of the difference: the processor alone (it writes the gradient class, which javac parses
        // but does not compile), and javac compiling the generated class (from its source, without the processor).
        List<String> processing = javacOptions(classPath, dir, "processing", "-proc:only", "-processorpath",
                classPath, "-processor", PROCESSOR, "-s", dir.resolve("generated-again").toString(),
                source.toString());
        Files.createDirectories(dir.resolve("generated-again"));

        // One build of each first: it fills the file caches, shows that both compile, and writes the gradient class.
        javacProcess(without);
        javacProcess(with);
        List<String> generatedToo = new ArrayList<>(javacOptions(classPath, dir, "generated-too", "-proc:none",
                source.toString()));
        try (Stream<Path> files = Files.walk(generated)) {
            files.filter(Files::isRegularFile).forEach(file -> generatedToo.add(file.toString()));
        }

        List<List<String>> builds = List.of(without, with, processing, generatedToo);
        double[][] cold = new double[builds.size()][runs];
        for (int r = 0; r < runs; r++) {
            for (int b = 0; b < builds.size(); b++) {
                cold[b][r] = javacProcess(builds.get(b));
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        double[][] warm = new double[builds.size()][runs];
        for (int r = -3; r < runs; r++) {
            for (int b = 0; b < builds.size(); b++) {
                double seconds = javacHere(javac, builds.get(b));
                if (r >= 0) {
                    warm[b][r] = seconds;
                }
            }
        }

        long sourceLines = lines(source);
        long generatedLines;
        try (Stream<Path> files = Files.walk(generated)) {
            generatedLines = files.filter(Files::isRegularFile).mapToLong(ProcessorCost::lines).sum();
        }
        System.out.printf(Locale.ROOT, "javac on a class of %d @Differentiable methods (%d lines; the processor"
                + " writes %d lines), median of %d builds, %s%n", methods, sourceLines, generatedLines, runs,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.println();
        System.out.println("| javac | without the processor | with the processor | ratio | processing only"
                + " (-proc:only) | source and generated class, without the processor |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        row("cold (a fresh javac process)", cold);
        row("warm (javac's API, after 3 builds)", warm);
    }

    static List<String> javacOptions(String classPath, Path dir, String out, String... options) {
        List<String> all = new ArrayList<>(List.of("-cp", classPath, "-d", dir.resolve(out).toString()));
        all.addAll(List.of(options));
        return all;
    }

    /** Seconds for one build in a fresh javac process. */
    static double javacProcess(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
        command.addAll(options);
        long start = System.nanoTime();
        Process javac = new ProcessBuilder(command).inheritIO().start();
        if (javac.waitFor() != 0) {
            throw new IllegalStateException("javac failed: " + command);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds for one build through javac's API in this JVM. */
    static double javacHere(JavaCompiler javac, List<String> options) {
        long start = System.nanoTime();
        if (javac.run(null, null, null, options.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed: " + options);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The medians of the four builds: without, with, processing only, the generated class compiled too. */
    static void row(String what, double[][] seconds) {
        double without = median(seconds[0]);
        double with = median(seconds[1]);
        System.out.printf(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f | %.2f s | %.2f s |%n", what, without, with,
                with / without, median(seconds[2]), median(seconds[3]));
    }

    static double median(double[] seconds) {
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A class of {@code methods} {@code @Differentiable} methods, five kinds in turn, each with constants of its own:
     * a scalar expression of transcendental functions; locals and a branch; a loop over an array; a loop nest over a
     * matrix; and a loop that overwrites a scalar, which needs the tape.
     */
    static String source(int methods) {
        StringBuilder s = new StringBuilder("""
                import dev.leibniz.Differentiable;

                public final class Methods {
                    private Methods() {
                    }
                """);
        for (int i = 0; i < methods; i++) {
            String c = (i + 1) + ".5";
            s.append("\n    @Differentiable\n");
            String method = switch (i % 5) {
                case 0 -> """
                            public static double f%d(double x, double y) {
                                return Math.sin(x * %s) * y + Math.exp(-x * y) / (1 + y * y);
                            }
                        """;
                case 1 -> """
                            public static double f%d(double a, double b) {
                                double s = a * a - %s * b;
                                if (s > 0) {
                                    s = Math.sqrt(s);
                                } else {
                                    s = -s * b;
                                }
                                return s * a + Math.log1p(b * b);
                            }
                        """;
                case 2 -> """
                            public static double f%d(double[] x) {
                                double f = 0;
                                for (int k = 0; k + 1 < x.length; k++) {
                                    double a = x[k + 1] - x[k] * x[k];
                                    f += %s * a * a + (1 - x[k]) * (1 - x[k]);
                                }
                                return f;
                            }
                        """;
                case 3 -> """
                            public static double f%d(double[][] w, double[] x) {
                                double s = 0;
                                for (int j = 0; j < w.length; j++) {
                                    double z = 0;
                                    for (int k = 0; k < x.length; k++) {
                                        z += w[j][k] * x[k];
                                    }
                                    s += Math.tanh(z) * %s;
                                }
                                return s;
                            }
                        """;
                default -> """
                            public static double f%d(double x, int n) {
                                double y = x;
                                for (int k = 0; k < n; k++) {
                                    y = y - Math.sin(y) / %s;
                                }
                                return y * y;
                            }
                        """;
            };
            s.append(method.formatted(i, c));
        }
        return s.append("}\n").toString();
    }
}
