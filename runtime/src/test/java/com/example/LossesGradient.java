package com.example;

import dev.leibniz.Differential;
import dev.leibniz.Tape;

/** What Leibniz generates for {@link Losses}, by hand. */
public final class LossesGradient {
    private LossesGradient() {
    }

    public static Loss loss(double[] w, double[] x, double t, int n) {
        double[] dw = new double[w.length];
        return new Loss(lossPullback(w, x, t, n, 1.0, dw), dw);
    }

    public static double lossPullback(double[] w, double[] x, double t, int n, double dValue, double[] dw) {
        double y = 0;
        for (int i = 0; i < w.length; i++) {
            y += w[i] * x[i];
        }
        for (int i = 0; i < w.length; i++) {
            dw[i] += dValue * 2 * (y - t) * x[i] / n;
        }
        return (y - t) * (y - t) / n;
    }

    public static double lossAccumulate(double[] w, double[] x, double t, int n, double[] dw, Tape tape) {
        return lossPullback(w, x, t, n, 1.0, dw);
    }

    public static Differential lossDifferential(double[] w, double[] x, double t, int n, double[] dw) {
        double[] g = loss(w, x, t, n).w();
        double d = 0;
        for (int i = 0; i < w.length; i++) {
            d += g[i] * dw[i];
        }
        return new Differential(Losses.loss(w, x, t, n), d);
    }

    public static Biased biased(double[] w, double b, double[] x) {
        return biasedPullback(w, b, x, 1.0, new double[w.length]);
    }

    public static Biased biasedPullback(double[] w, double b, double[] x, double dValue, double[] dw) {
        double y = b;
        for (int i = 0; i < w.length; i++) {
            y += w[i] * x[i];
        }
        for (int i = 0; i < w.length; i++) {
            dw[i] += dValue * 2 * y * x[i];
        }
        return new Biased(y * y, dw, dValue * 2 * y);
    }

    public static BiasedAccumulate biasedAccumulate(double[] w, double b, double[] x, double[] dw, Tape tape) {
        Biased partials = biasedPullback(w, b, x, 1.0, dw);
        return new BiasedAccumulate(partials.value(), partials.b());
    }

    public static Differential biasedDifferential(double[] w, double b, double[] x, double[] dw, double db) {
        Biased g = biased(w, b, x);
        double d = g.b() * db;
        for (int i = 0; i < w.length; i++) {
            d += g.w()[i] * dw[i];
        }
        return new Differential(g.value(), d);
    }

    public static DroppedBias droppedBias(double[] w, double b, double[] x) {
        return droppedBiasPullback(w, b, x, 1.0, new double[w.length]);
    }

    public static DroppedBias droppedBiasPullback(double[] w, double b, double[] x, double dValue, double[] dw) {
        Biased partials = biasedPullback(w, b, x, dValue, dw);
        return new DroppedBias(partials.value(), partials.w(), partials.b());
    }

    /** The bug: the bias's partial computed and dropped. */
    public static DroppedBiasAccumulate droppedBiasAccumulate(double[] w, double b, double[] x, double[] dw,
            Tape tape) {
        return new DroppedBiasAccumulate(biasedAccumulate(w, b, x, dw, tape).value(), 0.0);
    }

    public static Differential droppedBiasDifferential(double[] w, double b, double[] x, double[] dw, double db) {
        return biasedDifferential(w, b, x, dw, db);
    }

    public static Product product(double a, double b) {
        return productPullback(a, b, 1.0);
    }

    public static Product productPullback(double a, double b, double dValue) {
        return new Product(a * b * b, dValue * 2 * a * b);
    }

    public static Differential productDifferential(double a, double b, double db) {
        return new Differential(a * b * b, 2 * a * b * db);
    }

    public record Loss(double value, double[] w) {
    }

    public record Product(double value, double b) {
    }

    public record Biased(double value, double[] w, double b) {
    }

    public record BiasedAccumulate(double value, double b) {
    }

    public record DroppedBias(double value, double[] w, double b) {
    }

    public record DroppedBiasAccumulate(double value, double b) {
    }
}
