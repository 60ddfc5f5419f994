package dev.leibniz.samples;

import dev.leibniz.Differentiable;

/**
 * The reference article's running example: the volume of an ellipsoid with semi-axes {@code a, b, c}.
 *
 * <p>Leibniz generates {@code ShapesGradient} from this class at compile time.
 */
public final class Shapes {
    private Shapes() {
    }

    /** V(a, b, c) = 4/3 &pi; a b c. Its gradient holds the partial derivatives: b and c held fixed for dV/da. */
    @Differentiable
    public static double ellipsoidVolume(double a, double b, double c) {
        return 4.0 / 3.0 * Math.PI * a * b * c;
    }

    /**
     * The ellipsoid under the constraint b = a (a spheroid), with the constraint substituted <em>before</em>
     * differentiating. Leibniz applies the chain rule through {@link #ellipsoidVolume}, so the derivative with
     * respect to {@code a} is the total derivative dV/da = &part;V/&part;a + &part;V/&part;b &middot; db/da.
     */
    @Differentiable
    public static double spheroidVolume(double a, double c) {
        return ellipsoidVolume(a, a, c);
    }
}
