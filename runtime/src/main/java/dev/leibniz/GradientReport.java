package dev.leibniz;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a {@link GradientCheck} found: every number the generated code returned, compared with its finite-difference
 * estimate (or, for a value, with what the original method returns), and which of them are outside their tolerance.
 * {@link #toString()} is the message {@link GradientCheck#check()} throws: the worst component by name and index,
 * the form of the generated code it came from, the generated number, the estimate, the error, the tolerance and the
 * point.
 *
 * <pre>{@code
 * GradientReport report = GradientCheck.of(Model.class, "loss").at(w, x, t).report();
 * report.passed();               // every comparison within its tolerance
 * report.worst().component();    // "w[1][2]": the one furthest out, relative to its tolerance
 * report.maxError();             // the largest |generated - estimate|
 * }</pre>
 */
public final class GradientReport {
    /** At most this many comparisons outside tolerance are listed after the worst one in {@link #toString()}. */
    private static final int LISTED = 10;

    private final String method;
    private final String settings;
    private final List<String> points;
    private final List<Comparison> comparisons;

    GradientReport(String method, String settings, List<String> points, List<Comparison> comparisons) {
        this.method = method;
        this.settings = settings;
        this.points = List.copyOf(points);
        this.comparisons = List.copyOf(comparisons);
    }

    /**
     * One number generated code returned, against its estimate.
     *
     * @param point which point, an index into {@link GradientReport#points()} (the order of the {@code at} calls)
     * @param form the generated method it came from, with how it was called: {@code f}, the record form;
     *     {@code fPullback(dValue = -2.5)}; {@code fAccumulate(new Tape)} and {@code fAccumulate(Tape reused)};
     *     {@code fDifferential}, with unit tangents; {@code fJacobian}; {@code fPullback(dValue = u)}, the
     *     vector-Jacobian product
     * @param output for a method returning {@code double[]}, the element of the result this is a derivative of
     *     (the row of the Jacobian); -1 otherwise
     * @param parameter the differentiated parameter, or {@code "value"} for the value the form returns
     * @param index the element of the parameter: empty for a {@code double}, {@code [i]} for a {@code double[]},
     *     {@code [row, column]} for a {@code double[][]}; for {@code "value"}, the element of a returned array
     * @param generated what the generated code returned
     * @param estimate the finite-difference estimate of the same derivative (times {@code dValue}, or the cotangent,
     *     for a pullback), or for {@code "value"} what the original method returns
     * @param error {@code |generated - estimate|}, 0 when they are equal (infinities included), NaN if either is
     * @param tolerance how large the error may be: {@code absolute + relative · |estimate| + roundoff}, the last
     *     term the rounding error the estimate itself may carry; 0 when the estimate is not finite
     */
    public record Comparison(int point, String form, int output, String parameter, List<Integer> index,
            double generated, double estimate, double error, double tolerance) {
        /**
         * A comparison; {@code index} is copied.
         *
         * @param point see {@link #point()}
         * @param form see {@link #form()}
         * @param output see {@link #output()}
         * @param parameter see {@link #parameter()}
         * @param index see {@link #index()}
         * @param generated see {@link #generated()}
         * @param estimate see {@link #estimate()}
         * @param error see {@link #error()}
         * @param tolerance see {@link #tolerance()}
         */
        public Comparison {
            index = List.copyOf(index);
        }

        /**
         * The component's name: {@code w[1][2]}, {@code beta}, {@code value}; for a derivative of a method returning
         * {@code double[]}, {@code d value[2] / d w[1][2]}.
         *
         * @return the name
         */
        public String component() {
            String name = parameter + index.stream().map(i -> "[" + i + "]").collect(Collectors.joining());
            return output < 0 ? name : "d value[" + output + "] / d " + name;
        }

        /**
         * Whether the error is within the tolerance; never for NaN.
         *
         * @return whether it passed
         */
        public boolean passed() {
            return error <= tolerance;
        }

        /**
         * {@code error / tolerance}: above 1 fails; 0 for an exact match, infinite for NaN.
         *
         * @return the ratio
         */
        public double ratio() {
            if (error == 0) {
                return 0;
            }
            return Double.isNaN(error) ? Double.POSITIVE_INFINITY : error / tolerance;
        }
    }

    /**
     * The checked method, as {@code Shapes.ellipsoidVolume}.
     *
     * @return the method
     */
    public String method() {
        return method;
    }

    /**
     * The points checked, in the order of the {@code at} calls, each as the call of the method with its arguments.
     *
     * @return the points
     */
    public List<String> points() {
        return points;
    }

    /**
     * Every comparison, point by point, form by form.
     *
     * @return the comparisons
     */
    public List<Comparison> comparisons() {
        return comparisons;
    }

    /**
     * The comparisons outside their tolerance, worst first.
     *
     * @return the failures
     */
    public List<Comparison> failures() {
        return comparisons.stream().filter(c -> !c.passed()).sorted(byRatio().reversed()).toList();
    }

    /**
     * Whether every comparison is within its tolerance.
     *
     * @return whether all passed
     */
    public boolean passed() {
        return comparisons.stream().allMatch(Comparison::passed);
    }

    /**
     * The comparison with the largest {@link Comparison#ratio() error relative to its tolerance}: the one that
     * failed worst, or when all passed the one closest to failing.
     *
     * @return the worst comparison
     */
    public Comparison worst() {
        return comparisons.stream().max(byRatio()).orElseThrow();
    }

    /**
     * The largest {@link Comparison#error() error}, in the units of its derivative; NaN if any is NaN.
     *
     * @return the largest error
     */
    public double maxError() {
        double max = 0;
        for (Comparison c : comparisons) {
            max = Double.isNaN(c.error()) ? Double.NaN : Math.max(max, c.error());
        }
        return max;
    }

    private static Comparator<Comparison> byRatio() {
        return Comparator.comparingDouble(Comparison::ratio);
    }

    /** The verdict, the worst comparison in full, the other failures one per line, and how the check was made. */
    @Override
    public String toString() {
        List<Comparison> failures = failures();
        StringBuilder s = new StringBuilder();
        String counted = comparisons.size() + " comparisons at " + points.size() + (points.size() == 1 ? " point" : " points");
        Comparison worst = worst();
        if (failures.isEmpty()) {
            s.append("Gradient check of ").append(method).append(" passed: ").append(counted)
                    .append(" within tolerance. Closest to failing:\n");
        } else {
            s.append("Gradient check of ").append(method).append(" failed: ").append(failures.size()).append(" of ")
                    .append(counted).append(" outside tolerance. Worst:\n");
        }
        boolean value = worst.parameter().equals("value") && worst.output() < 0;
        s.append("  ").append(worst.component()).append(" from ").append(worst.form()).append('\n')
                .append("    generated   ").append(worst.generated()).append('\n')
                .append(value ? "    original    " : "    differences ").append(worst.estimate())
                .append(value ? "" : scaling(worst.form())).append('\n')
                .append("    error       ").append(format(worst.error()))
                .append(", tolerance ").append(format(worst.tolerance())).append('\n')
                .append("    at ").append(points.get(worst.point()));
        if (points.size() > 1) {
            s.append(" (point ").append(worst.point() + 1).append(" of ").append(points.size()).append(')');
        }
        s.append('\n');
        if (!Double.isFinite(worst.estimate())) {
            s.append("  The estimate is not finite: the method is not finite within a step of the point; check at a "
                    + "point further inside its domain, or with a smaller step.\n");
        }
        if (failures.size() > 1) {
            s.append("Also outside tolerance:\n");
            for (Comparison c : failures.subList(1, Math.min(failures.size(), LISTED + 1))) {
                s.append("  ").append(c.component()).append(" from ").append(c.form()).append(": generated ")
                        .append(c.generated()).append(", estimate ").append(c.estimate()).append(", error ")
                        .append(format(c.error())).append(", tolerance ").append(format(c.tolerance()))
                        .append(points.size() > 1 ? ", point " + (c.point() + 1) : "").append('\n');
            }
            if (failures.size() > LISTED + 1) {
                s.append("  and ").append(failures.size() - LISTED - 1).append(" more\n");
            }
        }
        return s.append(settings).toString();
    }

    /** What a pullback's estimate is made of: the differences times its adjoint. */
    private static String scaling(String form) {
        if (form.endsWith("(dValue = u)")) {
            return "  (u^T times the differences' Jacobian)";
        }
        return form.contains("(dValue = ") ? "  (dValue times the differences)" : "";
    }

    private static String format(double x) {
        return String.format(Locale.ROOT, "%.3g", x);
    }
}
