package com.example;

/** Methods returning {@code double[]}. */
public final class Systems {
    private Systems() {
    }

    /** {@code @Differentiable}: {@code (x² + y² - 4, x y - 1)}. */
    public static double[] residual(double[] p) {
        return new double[] {p[0] * p[0] + p[1] * p[1] - 4, p[0] * p[1] - 1};
    }

    /** The same; its generated Jacobian is wrong at row 1, column 0. */
    public static double[] wrongResidual(double[] p) {
        return residual(p);
    }

    /** {@code @Differentiable}: {@code s · p²} element by element, with a scalar differentiated too. */
    public static double[] scaled(double[] p, double s) {
        double[] r = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            r[i] = s * p[i] * p[i];
        }
        return r;
    }
}
