package dev.leibniz.samples;

import java.util.Locale;

/**
 * The lesson of "A quick introduction to derivatives for machine learning people", run with generated gradients.
 *
 * <ol>
 *   <li>The partial derivative &part;V/&part;a of the ellipsoid's volume holds b and c fixed.</li>
 *   <li>Under the constraint b = a, the total derivative dV/da also follows b: substitute the constraint
 *       <em>before</em> differentiating ({@link Shapes#spheroidVolume}) and Leibniz's chain rule gives it.</li>
 *   <li>Substituting <em>after</em> differentiating (evaluating &part;V/&part;a at b = a) is off by a factor 2.</li>
 *   <li>The sigmoid's derivatives in x and in its steepness &beta;.</li>
 * </ol>
 *
 * <p>Every number is checked against its closed form; the program exits with status 1 if any disagrees.
 */
public final class ArticleDemo {
    private static final double TOLERANCE = 1e-12;
    private static boolean failed;

    private ArticleDemo() {
    }

    public static void main(String[] args) {
        double a = 1.5;
        double b = 0.8;
        double c = 2.0;

        System.out.println("Ellipsoid V(a, b, c) = 4/3 pi a b c at a = " + a + ", b = " + b + ", c = " + c);
        ShapesGradient.EllipsoidVolume v = ShapesGradient.ellipsoidVolume(a, b, c);
        check("V", v.value(), 4.0 / 3.0 * Math.PI * a * b * c);
        check("partial dV/da (b, c fixed)", v.a(), 4.0 / 3.0 * Math.PI * b * c);
        check("partial dV/db", v.b(), 4.0 / 3.0 * Math.PI * a * c);
        check("partial dV/dc", v.c(), 4.0 / 3.0 * Math.PI * a * b);

        System.out.println();
        System.out.println("Constraint b = a, substituted before differentiating: V(a) = 4/3 pi a^2 c at a = " + a);
        ShapesGradient.SpheroidVolume s = ShapesGradient.spheroidVolume(a, c);
        double total = s.a();
        check("total dV/da", total, 8.0 / 3.0 * Math.PI * a * c);
        double substitutedAfter = ShapesGradient.ellipsoidVolume(a, a, c).a();
        check("partial dV/da evaluated at b = a (substituted after)", substitutedAfter, 4.0 / 3.0 * Math.PI * a * c);
        System.out.printf(Locale.ROOT, "  substituting after differentiating misses the factor %.1f%n", total / substitutedAfter);

        System.out.println();
        double x = 0.7;
        double beta = 2.5;
        System.out.println("Sigmoid s(x; beta) = 1 / (1 + exp(-beta x)) at x = " + x + ", beta = " + beta);
        ActivationsGradient.Sigmoid sig = ActivationsGradient.sigmoid(x, beta);
        double expected = 1.0 / (1.0 + Math.exp(-beta * x));
        check("s", sig.value(), expected);
        check("ds/dx = beta s (1 - s)", sig.x(), beta * expected * (1 - expected));
        check("ds/dbeta = x s (1 - s)", sig.beta(), x * expected * (1 - expected));

        if (failed) {
            System.out.println("\nSome derivatives disagree with their closed forms.");
            System.exit(1);
        }
        System.out.println("\nAll derivatives agree with their closed forms.");
    }

    private static void check(String name, double actual, double expected) {
        boolean ok = Math.abs(actual - expected) <= TOLERANCE * Math.max(1.0, Math.abs(expected));
        failed |= !ok;
        System.out.printf(Locale.ROOT, "  %-48s %22.15f   %s%n", name, actual,
                ok ? "ok (closed form " + expected + ")" : "MISMATCH: closed form is " + expected);
    }
}
