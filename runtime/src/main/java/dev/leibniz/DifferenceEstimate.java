package dev.leibniz;

/**
 * Finite-difference estimates of every partial derivative of a method at one point, computed from the original
 * method alone, with a bound on the rounding error each estimate may carry.
 *
 * <p>Each quotient divides by the distance between the two points actually evaluated, {@code (x + h) - (x - h)},
 * not by {@code 2h}: {@code x + h} is rounded, and the rounded step is the true one.
 *
 * <p>The rounding bound assumes each value of the method is off by up to {@value #ULPS} units of roundoff of its
 * size (what a computation of a few dozen operations, or a sum of some hundred terms that do not cancel, typically
 * carries); a quotient
 * {@code (f₊ - f₋) / d} may then be off by {@code ULPS · ε · (|f₊| + |f₋|) / d}. That term is what makes the
 * comparison fair for a function whose values are large next to its derivatives: the differences cannot resolve
 * a partial smaller than it.
 */
final class DifferenceEstimate {
    /** Units of roundoff assumed in each value of the method. */
    static final int ULPS = 16;
    private static final double EPSILON = Math.ulp(1.0);

    /** {@code f(x)}: one element for a method returning {@code double}, else the array it returns. */
    final double[] value;
    /** {@code derivative[i][k]}: the estimate of {@code ∂f[i]/∂x_k}. */
    final double[][] derivative;
    /** {@code roundoff[i][k]}: how much rounding in the method's values may move {@code derivative[i][k]}. */
    final double[][] roundoff;

    private final GeneratedMethods methods;
    private final Point point;

    private DifferenceEstimate(GeneratedMethods methods, Point point) {
        this.methods = methods;
        this.point = point;
        this.value = methods.evaluate(point.copy());
        this.derivative = new double[value.length][point.size()];
        this.roundoff = new double[value.length][point.size()];
    }

    /**
     * Estimates every partial of {@code methods.original} at {@code point}.
     *
     * @param step the relative step: coordinate {@code x} moves by {@code step · max(1, |x|)}
     */
    static DifferenceEstimate of(GeneratedMethods methods, Point point, GradientCheck.Differences differences,
            double step) {
        DifferenceEstimate estimate = new DifferenceEstimate(methods, point);
        double[] d = new double[estimate.value.length];
        double[] r = new double[estimate.value.length];
        double[] fine = new double[estimate.value.length];
        double[] fineRoundoff = new double[estimate.value.length];
        for (int k = 0; k < point.size(); k++) {
            double h = step * Math.max(1, Math.abs(point.get(k)));
            estimate.quotient(k, h, d, r);
            if (differences == GradientCheck.Differences.RICHARDSON) {
                // D(h) = f' + c h² + O(h⁴), so (4 D(h/2) - D(h)) / 3 = f' + O(h⁴).
                estimate.quotient(k, h / 2, fine, fineRoundoff);
                for (int i = 0; i < d.length; i++) {
                    d[i] = (4 * fine[i] - d[i]) / 3;
                    r[i] = (4 * fineRoundoff[i] + r[i]) / 3;
                }
            }
            for (int i = 0; i < d.length; i++) {
                estimate.derivative[i][k] = d[i];
                estimate.roundoff[i][k] = r[i];
            }
        }
        return estimate;
    }

    /** The central quotient along coordinate {@code k} with step {@code h} into {@code d}, its roundoff into {@code r}. */
    private void quotient(int k, double h, double[] d, double[] r) {
        double x = point.get(k);
        double xPlus = x + h;
        double xMinus = x - h;
        Object[] plus = point.copy();
        point.set(plus, k, xPlus);
        Object[] minus = point.copy();
        point.set(minus, k, xMinus);
        double[] fPlus = methods.evaluate(plus);
        double[] fMinus = methods.evaluate(minus);
        if (fPlus.length != value.length || fMinus.length != value.length) {
            throw new IllegalStateException(methods.label + " returns arrays of different lengths near "
                    + point.describe() + ": " + value.length + ", " + fPlus.length + " and " + fMinus.length
                    + "; its Jacobian cannot be checked there");
        }
        double distance = xPlus - xMinus;
        for (int i = 0; i < d.length; i++) {
            d[i] = (fPlus[i] - fMinus[i]) / distance;
            r[i] = ULPS * EPSILON * (Math.abs(fPlus[i]) + Math.abs(fMinus[i])) / distance;
        }
    }
}
