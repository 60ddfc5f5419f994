package com.example;

import dev.leibniz.Differential;
import dev.leibniz.Tape;

/** What Leibniz generates for {@link InPlace}, by hand: the gradient at {@code x} as passed, the side effect kept. */
public final class InPlaceGradient {
    private InPlaceGradient() {
    }

    public static Normalize normalize(double[] x) {
        double[] dx = new double[x.length];
        return new Normalize(normalizePullback(x, 1.0, dx), dx);
    }

    public static double normalizePullback(double[] x, double dValue, double[] dx) {
        double norm = 0;
        double weighted = 0;
        for (int i = 0; i < x.length; i++) {
            norm += x[i] * x[i];
            weighted += (i + 1) * x[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < x.length; i++) {
            dx[i] += dValue * ((i + 1) / norm - weighted * x[i] / (norm * norm * norm));
        }
        return InPlace.normalize(x);
    }

    public static double normalizeAccumulate(double[] x, double[] dx, Tape tape) {
        return normalizePullback(x, 1.0, dx);
    }

    public static Differential normalizeDifferential(double[] x, double[] dx) {
        double[] g = normalize(x.clone()).x();
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d += g[i] * dx[i];
        }
        return new Differential(InPlace.normalize(x), d);
    }

    public record Normalize(double value, double[] x) {
    }
}
