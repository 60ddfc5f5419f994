package com.example;

import dev.leibniz.ArrayDifferential;

/** What Leibniz generates for {@link Systems}, by hand, with one wrong Jacobian entry. */
public final class SystemsGradient {
    private SystemsGradient() {
    }

    private static double[][] jacobianOf(double[] p) {
        return new double[][] {{2 * p[0], 2 * p[1]}, {p[1], p[0]}};
    }

    private static double vjp(double[][] j, double[] p, double[] dValue, double[] dp) {
        double[] r = Systems.residual(p);
        for (int k = 0; k < 2; k++) {
            dp[k] += dValue[0] * j[0][k] + dValue[1] * j[1][k];
        }
        return r[0] * dValue[0] + r[1] * dValue[1];
    }

    private static ArrayDifferential jvp(double[][] j, double[] p, double[] dp) {
        return new ArrayDifferential(Systems.residual(p),
                new double[] {j[0][0] * dp[0] + j[0][1] * dp[1], j[1][0] * dp[0] + j[1][1] * dp[1]});
    }

    public static double residualPullback(double[] p, double[] dValue, double[] dp) {
        return vjp(jacobianOf(p), p, dValue, dp);
    }

    public static ArrayDifferential residualDifferential(double[] p, double[] dp) {
        return jvp(jacobianOf(p), p, dp);
    }

    public static double[][] residualJacobian(double[] p) {
        return jacobianOf(p);
    }

    public static double wrongResidualPullback(double[] p, double[] dValue, double[] dp) {
        return vjp(jacobianOf(p), p, dValue, dp);
    }

    public static ArrayDifferential wrongResidualDifferential(double[] p, double[] dp) {
        return jvp(jacobianOf(p), p, dp);
    }

    /** The bug: the entry at row 1, column 0 has the wrong sign. */
    public static double[][] wrongResidualJacobian(double[] p) {
        double[][] j = jacobianOf(p);
        j[1][0] = -j[1][0];
        return j;
    }

    public static Scaled scaledPullback(double[] p, double s, double[] dValue, double[] dp) {
        double ds = 0;
        double dot = 0;
        for (int i = 0; i < p.length; i++) {
            dp[i] += dValue[i] * 2 * s * p[i];
            ds += dValue[i] * p[i] * p[i];
            dot += s * p[i] * p[i] * dValue[i];
        }
        return new Scaled(dot, dp, ds);
    }

    public static ArrayDifferential scaledDifferential(double[] p, double s, double[] dp, double ds) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = 2 * s * p[i] * dp[i] + p[i] * p[i] * ds;
        }
        return new ArrayDifferential(Systems.scaled(p, s), d);
    }

    public static double[][] scaledJacobian(double[] p, double s) {
        double[][] j = new double[p.length][p.length + 1];
        for (int i = 0; i < p.length; i++) {
            j[i][i] = 2 * s * p[i];
            j[i][p.length] = p[i] * p[i];
        }
        return j;
    }

    public record Scaled(double value, double[] p, double s) {
    }
}
