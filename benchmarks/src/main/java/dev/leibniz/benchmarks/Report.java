package dev.leibniz.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The main class of {@code benchmarks.jar}: runs every benchmark of this package in a short configuration (one fork,
 * 3 warm-up and 5 measured iterations of 0.5 s, average time, JMH's GC profiler) and prints, after JMH's own
 * output, the README's tables: time per call, and the ratios the performance targets are stated in. JMH's
 * command-line options override the configuration ({@code -f 3 -i 10}, a regular expression to run fewer
 * benchmarks, {@code -h} for all of them).
 */
public final class Report {
    /** The ways a workload is computed: one benchmark method each, in every benchmark class. */
    enum Form {
        PRIMAL("primal", "primal"),
        GENERATED("generated", "generated (record)"),
        ACCUMULATE("generatedAccumulate", "generated (accumulate)"),
        HAND_WRITTEN("handWritten", "hand-written"),
        DERIVATIVE_STRUCTURE("derivativeStructure", "DerivativeStructure"),
        SPARSE_GRADIENT("sparseGradient", "SparseGradient"),
        CENTRAL_DIFFERENCES("centralDifferences", "central differences");

        final String method;
        final String title;

        Form(String method, String title) {
            this.method = method;
            this.title = title;
        }

        static Form of(String method) {
            for (Form form : values()) {
                if (form.method.equals(method)) {
                    return form;
                }
            }
            return null;
        }
    }

    /** One benchmark's figures: nanoseconds per call with JMH's 99.9% error, bytes allocated per call. */
    record Measured(double nanos, double error, double bytes) {
    }

    private Report() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
        CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListProfilers() || cli.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(Report.class.getPackageName() + "\\..*Benchmark\\.");
        }
        if (!cli.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!cli.getWarmupIterations().hasValue()) {
            options.warmupIterations(3);
        }
        if (!cli.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.milliseconds(500));
        }
        if (!cli.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5);
        }
        if (!cli.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.milliseconds(500));
        }
        if (cli.getBenchModes().isEmpty()) {
            options.mode(Mode.AverageTime);
        }
        if (!cli.getTimeUnit().hasValue()) {
            options.timeUnit(TimeUnit.NANOSECONDS);
        }
        if (cli.getProfilers().isEmpty()) {
            options.addProfiler(GCProfiler.class);
        }
        Map<String, Map<Form, Measured>> workloads = new LinkedHashMap<>();
        for (RunResult run : new Runner(options.build()).run()) {
            BenchmarkParams params = run.getParams();
            String name = params.getBenchmark();
            Form form = Form.of(name.substring(name.lastIndexOf('.') + 1));
            if (form != null && params.getMode() == Mode.AverageTime) {
                workloads.computeIfAbsent(workload(params), w -> new LinkedHashMap<>()).put(form, measured(run));
            }
        }
        System.out.println();
        System.out.print(tables(workloads));
    }

    /** "Rosenbrock n=1000" for RosenbrockBenchmark with {@code @Param n = 1000}. */
    static String workload(BenchmarkParams params) {
        String name = params.getBenchmark();
        String type = name.substring(0, name.lastIndexOf('.'));
        StringBuilder workload = new StringBuilder(type.substring(type.lastIndexOf('.') + 1).replace("Benchmark", ""));
        for (String key : params.getParamsKeys()) {
            workload.append(' ').append(key).append('=').append(params.getParam(key));
        }
        return workload.toString();
    }

    static Measured measured(RunResult run) {
        Result<?> primary = run.getPrimaryResult();
        double nanos = TimeUnit.NANOSECONDS.convert(1, run.getParams().getTimeUnit()) * primary.getScore();
        double error = nanos / primary.getScore() * primary.getScoreError();
        double bytes = Double.NaN;
        for (String key : run.getSecondaryResults().keySet()) {
            if (key.endsWith("gc.alloc.rate.norm")) {
                bytes = run.getSecondaryResults().get(key).getScore();
            }
        }
        return new Measured(nanos, error, bytes);
    }

    /** The README's tables and the targets, as Markdown. */
    static String tables(Map<String, Map<Form, Measured>> workloads) {
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("workload"));
        for (Form form : Form.values()) {
            header.add(form.title);
        }
        out.append("Time per call (JMH average time, ± its 99.9% error):\n\n");
        out.append(row(header)).append(rule(header.size()));
        workloads.forEach((workload, m) -> {
            List<String> cells = new ArrayList<>(List.of(workload));
            for (Form form : Form.values()) {
                Measured x = m.get(form);
                cells.add(x == null ? "–" : time(x.nanos()) + " ± " + percent(x.error() / x.nanos()));
            }
            out.append(row(cells));
        });

        List<Ratio> ratios = List.of(
                new Ratio("accumulate / hand-written", Form.ACCUMULATE, Form.HAND_WRITTEN),
                new Ratio("record / hand-written", Form.GENERATED, Form.HAND_WRITTEN),
                new Ratio("accumulate / primal", Form.ACCUMULATE, Form.PRIMAL),
                new Ratio("record / primal", Form.GENERATED, Form.PRIMAL),
                new Ratio("hand-written / primal", Form.HAND_WRITTEN, Form.PRIMAL),
                new Ratio("DerivativeStructure / accumulate", Form.DERIVATIVE_STRUCTURE, Form.ACCUMULATE),
                new Ratio("SparseGradient / accumulate", Form.SPARSE_GRADIENT, Form.ACCUMULATE),
                new Ratio("central differences / accumulate", Form.CENTRAL_DIFFERENCES, Form.ACCUMULATE));
        header = new ArrayList<>(List.of("workload"));
        for (Ratio ratio : ratios) {
            header.add(ratio.title());
        }
        header.addAll(List.of("B/call primal", "B/call accumulate", "B/call hand-written", "B/call record"));
        out.append("\nRatios of times, and bytes allocated per call (JMH -prof gc, gc.alloc.rate.norm):\n\n");
        out.append(row(header)).append(rule(header.size()));
        workloads.forEach((workload, m) -> {
            List<String> cells = new ArrayList<>(List.of(workload));
            for (Ratio ratio : ratios) {
                double r = ratio.of(m);
                cells.add(Double.isNaN(r) ? "–" : String.format(Locale.ROOT, r < 10 ? "%.2f" : "%.0f", r));
            }
            for (Form form : List.of(Form.PRIMAL, Form.ACCUMULATE, Form.HAND_WRITTEN, Form.GENERATED)) {
                Measured x = m.get(form);
                cells.add(x == null || Double.isNaN(x.bytes()) ? "–" : String.format(Locale.ROOT, "%.0f", x.bytes()));
            }
            out.append(row(cells));
        });
        out.append('\n').append(targets(workloads));
        return out.toString();
    }

    /** A ratio of two forms' times. */
    record Ratio(String title, Form numerator, Form denominator) {
        double of(Map<Form, Measured> m) {
            Measured a = m.get(numerator);
            Measured b = m.get(denominator);
            return a == null || b == null ? Double.NaN : a.nanos() / b.nanos();
        }
    }

    /** Each target of the issue, met or missed, with the figure that decides it. */
    static String targets(Map<String, Map<Form, Measured>> workloads) {
        StringBuilder out = new StringBuilder("Targets:\n\n");
        Ratio toHand = new Ratio("", Form.ACCUMULATE, Form.HAND_WRITTEN);
        for (String workload : List.of("Rosenbrock n=1000", "Mlp hidden=32")) {
            target(out, workloads, workload, toHand, r -> r <= 1.15, "generated (accumulate) <= 1.15 x hand-written");
        }
        for (Form form : List.of(Form.ACCUMULATE, Form.GENERATED, Form.HAND_WRITTEN)) {
            Ratio toPrimal = new Ratio("", form, Form.PRIMAL);
            workloads.keySet().forEach(workload -> target(out, workloads, workload, toPrimal, r -> r <= 3,
                    form.title + " <= 3 x primal"));
        }
        workloads.forEach((workload, m) -> {
            if (workload.startsWith("Rosenbrock") && m.containsKey(Form.ACCUMULATE) && m.containsKey(Form.PRIMAL)) {
                double extra = m.get(Form.ACCUMULATE).bytes() - m.get(Form.PRIMAL).bytes();
                out.append(String.format(Locale.ROOT, "- %s: %s: generated (accumulate) allocates %.1f B/call more"
                        + " than the primal%n", extra < 1 ? "met" : "MISSED", workload, extra));
            }
        });
        target(out, workloads, "Rosenbrock n=100", new Ratio("", Form.DERIVATIVE_STRUCTURE, Form.ACCUMULATE),
                r -> r >= 100, "DerivativeStructure >= 100 x generated (accumulate)");
        target(out, workloads, "Rosenbrock n=100", new Ratio("", Form.DERIVATIVE_STRUCTURE, Form.GENERATED),
                r -> r >= 100, "DerivativeStructure >= 100 x generated (record)");
        return out.toString();
    }

    static void target(StringBuilder out, Map<String, Map<Form, Measured>> workloads, String workload, Ratio ratio,
            Function<Double, Boolean> met, String what) {
        Map<Form, Measured> m = workloads.get(workload);
        double r = m == null ? Double.NaN : ratio.of(m);
        if (!Double.isNaN(r)) {
            out.append(String.format(Locale.ROOT, "- %s: %s: %s: %.2f%n", met.apply(r) ? "met" : "MISSED", workload,
                    what, r));
        }
    }

    static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    static String rule(int columns) {
        return "|" + " --- |".repeat(columns) + "\n";
    }

    /** Three significant digits in ns, µs or ms. */
    static String time(double nanos) {
        if (nanos < 1e3) {
            return String.format(Locale.ROOT, "%.3g ns", nanos);
        }
        if (nanos < 1e6) {
            return String.format(Locale.ROOT, "%.3g µs", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }
}
