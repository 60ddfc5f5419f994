package dev.leibniz;

import dev.leibniz.GradientReport.Comparison;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Calls every generated form of a method at one point and compares what each returns with the difference estimate:
 *
 * <ul>
 *   <li>{@code f}, the record: the value and every partial;
 *   <li>{@code fPullback} with {@code dValue = -2.5}, called twice into the same buffers: the value, the scalar
 *       partials of the second call, and half of what the buffers hold, each against {@code dValue} times the
 *       estimate (a pullback adds into its buffers; one that overwrote them would be off by half);
 *   <li>{@code fAccumulate} into zeroed buffers with a new {@link Tape}, then again with the same tape and buffers:
 *       the value, the scalar partials it returns beside the value when scalars are differentiated, and the array
 *       partials, the second time half of what the buffers hold (a tape is reused across steps in training loops:
 *       what the first call leaves on it must not change the second);
 *   <li>{@code fDifferential}, once per differentiated scalar with the unit tangent along it: its value and its
 *       differential, which is that partial;
 *   <li>for a method returning {@code double[]}: {@code fJacobian}, entry by entry; {@code fPullback} with a fixed
 *       cotangent {@code u} of alternating signs, against {@code uᵀ} times the estimated Jacobian; and
 *       {@code fDifferential}, whose differential along a unit tangent is a column of the Jacobian.
 * </ul>
 *
 * Every call gets its own copy of the arguments.
 */
final class FormChecks {
    /** The adjoint of the result given to the pullback: not 1, so that a pullback that ignores it fails. */
    static final double D_VALUE = -2.5;

    private final GeneratedMethods methods;
    private final Point point;
    private final int pointIndex;
    private final DifferenceEstimate estimate;
    private final double relative;
    private final double absolute;
    private final List<Comparison> out;
    private final String f;

    FormChecks(GeneratedMethods methods, Point point, int pointIndex, DifferenceEstimate estimate, double relative,
            double absolute, List<Comparison> out) {
        this.methods = methods;
        this.point = point;
        this.pointIndex = pointIndex;
        this.estimate = estimate;
        this.relative = relative;
        this.absolute = absolute;
        this.out = out;
        this.f = methods.original.getName();
    }

    void run() {
        if (methods.vectorValued) {
            jacobian();
            vectorJacobianProduct();
        } else {
            gradient();
            pullback();
            if (methods.accumulate != null) {
                accumulate();
            }
        }
        differential();
    }

    private void gradient() {
        Object record = GeneratedMethods.invoke(methods.gradient, point.copy());
        double[] partials = new double[point.size()];
        for (int j = 0; j < methods.differentiated.length; j++) {
            point.read(j, methods.component(record, 1 + j), 1, partials);
        }
        String form = f;
        value(form, -1, (double) methods.component(record, 0), estimate.value[0]);
        partials(form, -1, partials, estimate.derivative[0], estimate.roundoff[0], false);
    }

    private void pullback() {
        Object[] buffers = point.zeroBuffers();
        Object result = null;
        for (int call = 0; call < 2; call++) {
            result = GeneratedMethods.invoke(methods.pullback, arguments(point.copy(), D_VALUE, buffers));
        }
        double[] partials = pullbackPartials(result, buffers);
        String form = f + "Pullback(dValue = " + D_VALUE + ")";
        double value = methods.pullbackReturnsRecord() ? (double) methods.component(result, 0) : (double) result;
        value(form, -1, value, estimate.value[0]);
        partials(form, -1, partials, scaled(estimate.derivative[0], D_VALUE), scaled(estimate.roundoff[0], -D_VALUE),
                false);
    }

    /** The scalar partials from the record of the last call, and half of the two calls' sums in the buffers. */
    private double[] pullbackPartials(Object result, Object[] buffers) {
        double[] partials = new double[point.size()];
        if (methods.pullbackReturnsRecord()) {
            for (int j = 0; j < methods.differentiated.length; j++) {
                Object component = methods.component(result, 1 + j);
                if (component instanceof Double) {
                    point.read(j, component, 1, partials);
                }
            }
        }
        point.readBuffers(buffers, 0.5, partials);
        return partials;
    }

    private void accumulate() {
        Object[] buffers = point.zeroBuffers();
        Tape tape = new Tape();
        for (int call = 1; call <= 2; call++) {
            String form = f + (call == 1 ? "Accumulate(new Tape)" : "Accumulate(Tape reused)");
            Object result = GeneratedMethods.invoke(methods.accumulate, arguments(point.copy(), buffers, tape));
            double[] partials = new double[point.size()];
            point.readBuffers(buffers, 1.0 / call, partials); // the buffers hold what all calls so far added
            value(form, -1, methods.accumulated(result, point, partials), estimate.value[0]);
            // a form generated before the scalars came back returns the value alone: its arrays are still checked
            partials(form, -1, partials, estimate.derivative[0], estimate.roundoff[0],
                    !methods.accumulateReturnsRecord());
        }
    }

    private void differential() {
        String form = f + "Differential";
        for (int k = 0; k < point.size(); k++) {
            Object result = GeneratedMethods.invoke(methods.differential,
                    arguments(point.copy(), point.unitTangents(k)));
            double[] value = result instanceof ArrayDifferential d ? d.value() : new double[] {((Differential) result).value()};
            double[] differential = result instanceof ArrayDifferential d ? d.differential()
                    : new double[] {((Differential) result).differential()};
            if (k == 0) {
                values(form, value);
            }
            for (int i = 0; i < estimate.value.length; i++) {
                partial(form, methods.vectorValued ? i : -1, k, element(differential, i), estimate.derivative[i][k],
                        estimate.roundoff[i][k]);
            }
        }
    }

    private void jacobian() {
        double[][] jacobian = (double[][]) GeneratedMethods.invoke(methods.jacobian, point.copy());
        String form = f + "Jacobian";
        for (int i = 0; i < estimate.value.length; i++) {
            double[] row = i < jacobian.length ? jacobian[i] : new double[0];
            for (int k = 0; k < point.size(); k++) {
                partial(form, i, k, element(row, k), estimate.derivative[i][k], estimate.roundoff[i][k]);
            }
        }
    }

    private void vectorJacobianProduct() {
        int m = estimate.value.length;
        double[] u = new double[m];
        double dot = 0;
        for (int i = 0; i < m; i++) {
            u[i] = (i % 2 == 0 ? 1 : -1) * (1 + 0.25 * (i % 3));
            dot += estimate.value[i] * u[i];
        }
        double[] expected = new double[point.size()];
        double[] roundoff = new double[point.size()];
        for (int k = 0; k < expected.length; k++) {
            for (int i = 0; i < m; i++) {
                expected[k] += u[i] * estimate.derivative[i][k];
                roundoff[k] += Math.abs(u[i]) * estimate.roundoff[i][k];
            }
        }
        Object[] buffers = point.zeroBuffers();
        Object result = null;
        for (int call = 0; call < 2; call++) {
            result = GeneratedMethods.invoke(methods.pullback, arguments(point.copy(), u.clone(), buffers));
        }
        String form = f + "Pullback(dValue = u)";
        value(form, -1, methods.pullbackReturnsRecord() ? (double) methods.component(result, 0) : (double) result, dot);
        partials(form, -1, pullbackPartials(result, buffers), expected, roundoff, false);
    }

    private void values(String form, double[] generated) {
        for (int i = 0; i < estimate.value.length; i++) {
            value(form, methods.vectorValued ? i : -1, element(generated, i), estimate.value[i]);
        }
    }

    /** The value a form returns against the original's: element {@code i} of an array, or the scalar for -1. */
    private void value(String form, int i, double generated, double original) {
        add(form, -1, "value", i < 0 ? List.of() : List.of(i), generated, original, 0);
    }

    private void partials(String form, int output, double[] generated, double[] expected, double[] roundoff,
            boolean arraysOnly) {
        for (int k = 0; k < generated.length; k++) {
            if (!arraysOnly || point.inArray(k)) {
                partial(form, output, k, generated[k], expected[k], roundoff[k]);
            }
        }
    }

    private void partial(String form, int output, int k, double generated, double expected, double roundoff) {
        add(form, output, point.parameter(k), point.index(k), generated, expected, roundoff);
    }

    private void add(String form, int output, String parameter, List<Integer> index, double generated,
            double expected, double roundoff) {
        double error = generated == expected ? 0 : Math.abs(generated - expected);
        double tolerance = Double.isFinite(expected) ? absolute + relative * Math.abs(expected) + roundoff : 0;
        out.add(new Comparison(pointIndex, form, output, parameter, index, generated, expected, error, tolerance));
    }

    private static double element(double[] array, int i) {
        return i < array.length ? array[i] : Double.NaN;
    }

    private static double[] scaled(double[] values, double factor) {
        return Arrays.stream(values).map(v -> factor * v).toArray();
    }

    /** The arguments, then the extra values: a seed, a tape, the elements of an {@code Object[]} of buffers or tangents. */
    private static Object[] arguments(Object[] arguments, Object... more) {
        List<Object> all = new ArrayList<>(Arrays.asList(arguments));
        for (Object m : more) {
            if (m.getClass() == Object[].class) {
                all.addAll(Arrays.asList((Object[]) m));
            } else {
                all.add(m);
            }
        }
        return all.toArray();
    }
}
