package com.example;

import dev.leibniz.Buffers;
import dev.leibniz.Differential;
import dev.leibniz.Tape;

/** What Leibniz generates for {@link Layers}, by hand, with two deliberately wrong methods. */
final class LayersGradient {
    private LayersGradient() {
    }

    /**
     * The value of the energy; {@code dValue} times its gradient added into {@code dw}, {@code dx} (assigned when
     * {@code overwrite}), with {@code skew * dValue} more at {@code w[1][2]}.
     */
    private static double sweep(double[][] w, double[] x, double dValue, double[][] dw, double[] dx,
            boolean overwrite, double skew) {
        double e = 0;
        for (int j = 0; j < w.length; j++) {
            double z = 0;
            for (int i = 0; i < x.length; i++) {
                z += w[j][i] * x[i];
            }
            double t = Math.tanh(z);
            e += t;
            double dz = dValue * (1 - t * t);
            for (int i = 0; i < x.length; i++) {
                dw[j][i] = (overwrite ? 0 : dw[j][i]) + dz * x[i] + (j == 1 && i == 2 ? skew * dValue : 0);
                dx[i] += dz * w[j][i];
            }
        }
        return e;
    }

    private static Differential tangent(double[][] w, double[] x, double[][] dw, double[] dx, double skew) {
        double[][] gw = Buffers.zerosLike(w);
        double[] gx = new double[x.length];
        double value = sweep(w, x, 1.0, gw, gx, false, skew);
        double d = 0;
        for (int j = 0; j < w.length; j++) {
            for (int i = 0; i < x.length; i++) {
                d += gw[j][i] * dw[j][i];
            }
        }
        for (int i = 0; i < x.length; i++) {
            d += gx[i] * dx[i];
        }
        return new Differential(value, d);
    }

    static Energy energy(double[][] w, double[] x) {
        double[][] dw = Buffers.zerosLike(w);
        double[] dx = new double[x.length];
        return new Energy(energyPullback(w, x, 1.0, dw, dx), dw, dx);
    }

    static double energyPullback(double[][] w, double[] x, double dValue, double[][] dw, double[] dx) {
        return sweep(w, x, dValue, dw, dx, false, 0);
    }

    static double energyAccumulate(double[][] w, double[] x, double[][] dw, double[] dx, Tape tape) {
        tape.clear();
        return sweep(w, x, 1.0, dw, dx, false, 0);
    }

    static Differential energyDifferential(double[][] w, double[] x, double[][] dw, double[] dx) {
        return tangent(w, x, dw, dx, 0);
    }

    static SkewedEnergy skewedEnergy(double[][] w, double[] x) {
        double[][] dw = Buffers.zerosLike(w);
        double[] dx = new double[x.length];
        return new SkewedEnergy(skewedEnergyPullback(w, x, 1.0, dw, dx), dw, dx);
    }

    static double skewedEnergyPullback(double[][] w, double[] x, double dValue, double[][] dw, double[] dx) {
        return sweep(w, x, dValue, dw, dx, false, 0.01);
    }

    static double skewedEnergyAccumulate(double[][] w, double[] x, double[][] dw, double[] dx, Tape tape) {
        return sweep(w, x, 1.0, dw, dx, false, 0.01);
    }

    static Differential skewedEnergyDifferential(double[][] w, double[] x, double[][] dw, double[] dx) {
        return tangent(w, x, dw, dx, 0.01);
    }

    static OverwritingEnergy overwritingEnergy(double[][] w, double[] x) {
        double[][] dw = Buffers.zerosLike(w);
        double[] dx = new double[x.length];
        return new OverwritingEnergy(overwritingEnergyPullback(w, x, 1.0, dw, dx), dw, dx);
    }

    static double overwritingEnergyPullback(double[][] w, double[] x, double dValue, double[][] dw, double[] dx) {
        return sweep(w, x, dValue, dw, dx, true, 0);
    }

    static double overwritingEnergyAccumulate(double[][] w, double[] x, double[][] dw, double[] dx, Tape tape) {
        return sweep(w, x, 1.0, dw, dx, true, 0);
    }

    static Differential overwritingEnergyDifferential(double[][] w, double[] x, double[][] dw, double[] dx) {
        return tangent(w, x, dw, dx, 0);
    }

    static SumOfSquares sumOfSquares(double[][] m) {
        double[][] dm = Buffers.zerosLike(m);
        return new SumOfSquares(sumOfSquaresPullback(m, 1.0, dm), dm);
    }

    static double sumOfSquaresPullback(double[][] m, double dValue, double[][] dm) {
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[r].length; c++) {
                dm[r][c] += dValue * 2 * m[r][c];
            }
        }
        return Layers.sumOfSquares(m);
    }

    static double sumOfSquaresAccumulate(double[][] m, double[][] dm, Tape tape) {
        return sumOfSquaresPullback(m, 1.0, dm);
    }

    static Differential sumOfSquaresDifferential(double[][] m, double[][] dm) {
        double d = 0;
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[r].length; c++) {
                d += 2 * m[r][c] * dm[r][c];
            }
        }
        return new Differential(Layers.sumOfSquares(m), d);
    }

    record Energy(double value, double[][] w, double[] x) {
    }

    record SkewedEnergy(double value, double[][] w, double[] x) {
    }

    record OverwritingEnergy(double value, double[][] w, double[] x) {
    }

    record SumOfSquares(double value, double[][] m) {
    }
}
