package dev.leibniz.samples;

import dev.leibniz.Differential;
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
 *   <li>The differential ds = &part;s/&part;x dx + &part;s/&part;&beta; d&beta;: what the generated forward mode
 *       ({@code sigmoidDifferential}) computes in one pass along a change (dx, d&beta;) of the inputs, the
 *       gradient dotted with that change; and dV of the ellipsoid, the first-order part of the change of V.</li>
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

        System.out.println();
        double dx = 0.1;
        double dBeta = -0.2;
        System.out.println("Differential ds = ds/dx dx + ds/dbeta dbeta at dx = " + dx + ", dbeta = " + dBeta
                + ", in one forward pass");
        Differential ds = ActivationsGradient.sigmoidDifferential(x, beta, dx, dBeta);
        check("s from the differential", ds.value(), sig.value(), "the gradient's value");
        check("ds", ds.differential(), sig.x() * dx + sig.beta() * dBeta, "gradient . (dx, dbeta)");

        System.out.println();
        double da = 0.01;
        double db = -0.02;
        double dc = 0.005;
        System.out.println("Differential dV of the ellipsoid for (da, db, dc) = (" + da + ", " + db + ", " + dc + ")");
        Differential dV = ShapesGradient.ellipsoidVolumeDifferential(a, b, c, da, db, dc);
        check("dV", dV.differential(), v.a() * da + v.b() * db + v.c() * dc, "gradient . (da, db, dc)");
        double change = Shapes.ellipsoidVolume(a + da, b + db, c + dc) - v.value();
        System.out.printf(Locale.ROOT, "  %-48s %22.15f   dV is its first-order part: they differ by %.1e%n",
                "V(a + da, b + db, c + dc) - V(a, b, c)", change, Math.abs(change - dV.differential()));

        if (failed) {
            System.out.println("\nSome derivatives disagree with their closed forms or with each other.");
            System.exit(1);
        }
        System.out.println("\nAll derivatives agree with their closed forms and with each other.");
    }

    private static void check(String name, double actual, double expected) {
        check(name, actual, expected, "closed form");
    }

    private static void check(String name, double actual, double expected, String reference) {
        boolean ok = Math.abs(actual - expected) <= TOLERANCE * Math.max(1.0, Math.abs(expected));
        failed |= !ok;
        System.out.printf(Locale.ROOT, "  %-48s %22.15f   %s%n", name, actual,
                ok ? "ok (" + reference + " " + expected + ")" : "MISMATCH: " + reference + " is " + expected);
    }
}
