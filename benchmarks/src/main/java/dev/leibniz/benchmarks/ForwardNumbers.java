package dev.leibniz.benchmarks;

import java.lang.reflect.Array;
import org.apache.commons.math3.RealFieldElement;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.SparseGradient;

/**
 * Commons Math's two kinds of forward-mode numbers: the independent variables for the elements of arrays, and the
 * gradient read back into arrays. Variables are numbered across arrays, row by row; {@code first} is the number of
 * the element an array starts with, {@code count} how many variables there are in all.
 *
 * @param <T> {@code DerivativeStructure} (dense: every number carries all {@code count} partial derivatives) or
 *            {@code SparseGradient} (a map of the partials that are not zero)
 */
public abstract class ForwardNumbers<T extends RealFieldElement<T>> {
    /** First-order {@code DerivativeStructure}s. */
    public static final ForwardNumbers<DerivativeStructure> DERIVATIVE_STRUCTURE =
            new ForwardNumbers<>(DerivativeStructure.class) {
                @Override
                public DerivativeStructure variable(int index, int count, double value) {
                    return new DerivativeStructure(count, 1, index, value);
                }

                /** For order 1, {@code getAllDerivatives()} holds the value, then each variable's partial in order. */
                @Override
                public void addGradient(DerivativeStructure f, int first, double[] g) {
                    double[] all = f.getAllDerivatives();
                    for (int i = 0; i < g.length; i++) {
                        g[i] += all[1 + first + i];
                    }
                }
            };

    /** {@code SparseGradient}s. */
    public static final ForwardNumbers<SparseGradient> SPARSE_GRADIENT =
            new ForwardNumbers<>(SparseGradient.class) {
                @Override
                public SparseGradient variable(int index, int count, double value) {
                    return SparseGradient.createVariable(index, value);
                }

                @Override
                public void addGradient(SparseGradient f, int first, double[] g) {
                    for (int i = 0; i < g.length; i++) {
                        g[i] += f.getDerivative(first + i);
                    }
                }
            };

    private final Class<T> type;

    private ForwardNumbers(Class<T> type) {
        this.type = type;
    }

    /** Variable number {@code index} of {@code count}, at {@code value}. */
    public abstract T variable(int index, int count, double value);

    /** Adds &part;f/&part;v for the variables {@code first ... first + g.length - 1} into {@code g}. */
    public abstract void addGradient(T f, int first, double[] g);

    /** The variables {@code first ...} at the elements of {@code x}. */
    public T[] variables(double[] x, int first, int count) {
        @SuppressWarnings("unchecked")
        T[] v = (T[]) Array.newInstance(type, x.length);
        for (int i = 0; i < x.length; i++) {
            v[i] = variable(first + i, count, x[i]);
        }
        return v;
    }

    /** The variables {@code first ...} at the elements of {@code w}, row by row. */
    public T[][] variables(double[][] w, int first, int count) {
        @SuppressWarnings("unchecked")
        T[][] v = (T[][]) Array.newInstance(type, w.length, 0);
        for (int r = 0; r < w.length; r++) {
            v[r] = variables(w[r], first, count);
            first += w[r].length;
        }
        return v;
    }

    /** Adds &part;f/&part;w for the variables {@code first ...} into {@code g}, row by row. */
    public void addGradient(T f, int first, double[][] g) {
        for (double[] row : g) {
            addGradient(f, first, row);
            first += row.length;
        }
    }
}
