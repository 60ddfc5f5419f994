package dev.leibniz;

import dev.leibniz.GradientReport.Comparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks the derivatives Leibniz generated for a {@code @Differentiable} method against finite differences of the
 * method itself, at points you choose: for your own tests, like JAX's {@code check_grads}.
 *
 * <pre>{@code
 * GradientCheck.of(Shapes.class, "ellipsoidVolume").at(1.5, 0.8, 2.0).check();
 *
 * GradientCheck.of(Model.class, "loss")                     // @Differentiable(wrt = {"w"}) double loss(double[][] w, double[] x, int n)
 *         .at(w, x, 3)                                      // any number of points
 *         .at(otherW, otherX, 5)
 *         .check();                                         // AssertionError naming the worst component, e.g. w[1][2]
 * }</pre>
 *
 * <p><b>What is compared.</b> At each point, every partial derivative of the method with respect to a differentiated
 * parameter — each {@code double}, each element of a {@code double[]} or {@code double[][]}, of the parameters
 * {@code wrt} names (all of them by default) — is estimated by differences of the original method, and compared with
 * what every generated form returns: the record {@code f(args)}; the pullback {@code fPullback} with an adjoint
 * {@code dValue = -2.5}, called twice into the same buffers (it must scale with {@code dValue} and add, not
 * overwrite); the allocation-free {@code fAccumulate} with a new {@link Tape} and then with the same tape again; and
 * the differential {@code fDifferential} along each unit tangent. For a method returning {@code double[]}, the
 * Jacobian {@code fJacobian} entry by entry, the vector-Jacobian product {@code fPullback} with a fixed cotangent and
 * the Jacobian-vector products {@code fDifferential}. The value each form returns is compared with the original's.
 * Parameters without a derivative ({@code int}, {@code boolean}, those {@code wrt} leaves out) are passed as given.
 * Every call, of the original or of generated code, gets its own deep copy of the arguments, so a method that writes
 * into its arrays is checked from the arguments as given each time.
 *
 * <p><b>Differences and steps.</b> Coordinate {@code x} moves by {@code h = step · max(1, |x|)}: relative to its size,
 * so that {@code x ± h} keeps the same number of digits of {@code x}, and never below {@code step} near zero.
 * <ul>
 *   <li>{@link Differences#CENTRAL} (the default): {@code (f(x + h) - f(x - h)) / 2h}, two evaluations per scalar,
 *       with {@code step = ∛ε ≈ 6.1e-6}. Its error is about {@code h² |f'''| / 6} from truncation plus
 *       {@code ε |f| / h} from rounding; {@code h ∝ ∛ε} balances them, leaving about {@code ε^(2/3) ≈ 4e-11} for a
 *       well-scaled function.
 *   <li>{@link Differences#RICHARDSON}: the central quotients at {@code h} and {@code h / 2} combined,
 *       {@code (4 D(h/2) - D(h)) / 3}, which cancels the {@code h²} term: four evaluations per scalar, truncation
 *       {@code O(h⁴)}, with {@code step = ε^(1/5) ≈ 7.4e-4}, where {@code h⁴} and {@code ε / h} balance (about
 *       {@code 3e-13}). More accurate, and the larger step steps over noise in the method's values; but a kink or a
 *       branch within {@code h} of the point spoils it sooner.
 * </ul>
 *
 * <p><b>Tolerance.</b> A generated number passes when {@code |generated - estimate| <= absolute + relative ·
 * |estimate| + roundoff}:
 * <ul>
 *   <li>{@code relative = 1e-6}: far above the estimate's own relative error (about {@code 6e-12 · |f'''/f'|} for
 *       central differences, so it leaves room for third derivatives 10⁵ times the first), far below the error of a
 *       wrong derivative (a missing term of the chain rule, a wrong sign or factor, a stale value);
 *   <li>{@code absolute = 1e-6}: for partials that are zero or nearly, where a relative tolerance allows nothing,
 *       such as the gradient at a minimum. It covers the truncation error of the estimate of a zero partial,
 *       {@code h² |f'''| / 6 ≈ 6e-12 · |f'''|}, for third derivatives up to about 10⁵ (Rosenbrock's function has
 *       2400 at its minimum), and it is far below the error of a wrong derivative of a function whose values are
 *       around 1. For a function whose values are much smaller, lower it;
 *   <li>{@code roundoff}, computed: the rounding error the estimate may carry, {@code 16 ε (|f(x + h)| + |f(x - h)|) /
 *       2h}, so that a method whose values are large next to its derivatives (a loss summed over many points) is
 *       not failed for what the differences cannot resolve.
 * </ul>
 * {@link #tolerance(double, double)} and {@link #step(double)} change them, {@link #differences(Differences)} the
 * method. Check at points where the method is smooth: at a kink ({@code abs}, {@code max}, a branch) Leibniz returns
 * a documented one-sided or averaged derivative that differences cannot confirm.
 *
 * <p><b>Finding the generated code.</b> The check finds {@code ShapesGradient} and its members by reflection
 * (generated code itself never uses reflection), as the naming contract says; package-private and private methods
 * work too. It needs the processor to have run ({@code leibniz-processor} on the annotation processor path) and the
 * method to be {@code @Differentiable}, and says which is missing otherwise. Where the types of the parameters leave
 * open which of them {@code wrt} names, their names are read from the class file, which needs {@code -g} (Maven's and
 * Gradle's default) or {@code -parameters}. In a named module, open the package to the runtime.
 *
 * <p>A {@code GradientCheck} is immutable: each method returns a new one, so a configured check can be shared.
 */
public final class GradientCheck {
    /** {@value}: see the class documentation. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-6;
    /** {@value}: see the class documentation. */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-6;

    /** How the partials are estimated from the original method. */
    public enum Differences {
        /** {@code (f(x + h) - f(x - h)) / 2h}, with {@code h = ∛ε · max(1, |x|)} by default. */
        CENTRAL(Math.cbrt(Math.ulp(1.0))),
        /** {@code (4 D(h/2) - D(h)) / 3} of central quotients {@code D}, with {@code h = ε^(1/5) · max(1, |x|)} by default. */
        RICHARDSON(Math.pow(Math.ulp(1.0), 0.2));

        private final double defaultStep;

        Differences(double defaultStep) {
            this.defaultStep = defaultStep;
        }

        /**
         * The relative step used unless {@link GradientCheck#step(double)} sets another.
         *
         * @return the relative step
         */
        public double defaultStep() {
            return defaultStep;
        }
    }

    private final GeneratedMethods methods;
    private final List<Point> points;
    private final Differences differences;
    /** NaN: the default of the differences. */
    private final double step;
    private final double relative;
    private final double absolute;

    private GradientCheck(GeneratedMethods methods, List<Point> points, Differences differences, double step,
            double relative, double absolute) {
        this.methods = methods;
        this.points = List.copyOf(points);
        this.differences = differences;
        this.step = step;
        this.relative = relative;
        this.absolute = absolute;
    }

    /**
     * A check of the generated derivatives of {@code owner.method}, with central differences and the default
     * tolerances, at no point yet.
     *
     * @param owner the class declaring the method (not its generated {@code ...Gradient} class)
     * @param method the method's name
     * @param parameterTypes its parameter types, needed only when {@code owner} declares other methods of that name
     *     that Leibniz also differentiated (it does not allow that), or to pick one of several overloads
     * @return the check
     * @throws IllegalArgumentException if there is no such static method, or Leibniz generated nothing for it
     * @throws IllegalStateException if the generated class is missing (the processor did not run), out of date, or
     *     not accessible
     */
    public static GradientCheck of(Class<?> owner, String method, Class<?>... parameterTypes) {
        return new GradientCheck(GeneratedMethods.bind(owner, method, parameterTypes), List.of(),
                Differences.CENTRAL, Double.NaN, DEFAULT_RELATIVE_TOLERANCE, DEFAULT_ABSOLUTE_TOLERANCE);
    }

    /**
     * This check with one more point: the method's arguments, in order. Any number fits a {@code double} parameter
     * ({@code at(1, 2, 3)} is fine); arrays must be of the parameter's type. The arguments are copied now: changing
     * your arrays afterwards does not change the point.
     *
     * @param arguments the arguments of one call of the method
     * @return this check
     * @throws IllegalArgumentException if the arguments do not fit the method's parameters
     */
    public GradientCheck at(Object... arguments) {
        // A lone double[][] (or other array of arrays) comes as the varargs array itself.
        Object[] given = arguments.getClass() == Object[].class ? arguments : new Object[] {arguments};
        List<Point> more = new ArrayList<>(points);
        more.add(Point.of(methods, given));
        return new GradientCheck(methods, more, differences, step, relative, absolute);
    }

    /**
     * {@link #at(Object...)} for a method whose only parameter is a {@code double[][]}: without this overload, javac
     * would take the matrix for the array of arguments, and warn.
     *
     * @param argument the argument of one call of the method
     * @return this check
     */
    public GradientCheck at(double[][] argument) {
        return at(new Object[] {argument});
    }

    /**
     * This check with the partials estimated by {@code differences} (by default {@link Differences#CENTRAL}).
     *
     * @param differences how to estimate the partials
     * @return this check
     */
    public GradientCheck differences(Differences differences) {
        return new GradientCheck(methods, points, java.util.Objects.requireNonNull(differences), step, relative,
                absolute);
    }

    /**
     * This check with another relative step: each coordinate {@code x} moves by {@code relativeStep · max(1, |x|)}.
     * Smaller, for a method with a kink or branch near the point; larger, for one whose values are noisy.
     *
     * @param relativeStep the step relative to {@code max(1, |x|)}
     * @return this check
     * @throws IllegalArgumentException unless {@code 0 < relativeStep < 1}
     */
    public GradientCheck step(double relativeStep) {
        if (!(relativeStep > 0 && relativeStep < 1)) {
            throw new IllegalArgumentException("the relative step must be in (0, 1), not " + relativeStep);
        }
        return new GradientCheck(methods, points, differences, relativeStep, relative, absolute);
    }

    /**
     * This check with other tolerances: a number passes when {@code |generated - estimate| <= absolute + relative ·
     * |estimate| + roundoff}, the last term the rounding error of the estimate, which is always added.
     *
     * @param relative the tolerance relative to the estimate's magnitude
     * @param absolute the tolerance in absolute terms
     * @return this check
     * @throws IllegalArgumentException if either is negative or not finite
     */
    public GradientCheck tolerance(double relative, double absolute) {
        if (!(relative >= 0 && absolute >= 0 && Double.isFinite(relative) && Double.isFinite(absolute))) {
            throw new IllegalArgumentException("tolerances must be finite and not negative, not relative " + relative
                    + " and absolute " + absolute);
        }
        return new GradientCheck(methods, points, differences, step, relative, absolute);
    }

    /**
     * Runs the check at every point and reports all it compared, passed or not.
     *
     * @return every comparison, and whether all passed
     * @throws IllegalStateException if no point was given
     */
    public GradientReport report() {
        if (points.isEmpty()) {
            throw new IllegalStateException("no point to check " + methods.label + " at: add one with at(...)");
        }
        double h = Double.isNaN(step) ? differences.defaultStep() : step;
        List<Comparison> comparisons = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point point = points.get(i);
            DifferenceEstimate estimate = DifferenceEstimate.of(methods, point, differences, h);
            new FormChecks(methods, point, i, estimate, relative, absolute, comparisons).run();
            described.add(point.describe());
        }
        String settings = String.format(Locale.ROOT, "%s differences with step %.3g * max(1, |x|); tolerance %.3g + "
                + "%.3g * |estimate| + the estimate's roundoff", differences.name().toLowerCase(Locale.ROOT), h,
                absolute, relative);
        return new GradientReport(methods.label, settings, described, comparisons);
    }

    /**
     * Runs the check and throws if any generated number is outside its tolerance.
     *
     * @return the report, when everything passed (its {@link GradientReport#worst()} is the closest call)
     * @throws AssertionError with {@link GradientReport#toString()} as its message: the worst component by name and
     *     index, the form of the generated code, the generated number, the estimate, the error, the tolerance and the
     *     point, then the other failures
     * @throws IllegalStateException if no point was given
     */
    public GradientReport check() {
        GradientReport report = report();
        if (!report.passed()) {
            throw new AssertionError(report.toString());
        }
        return report;
    }
}
