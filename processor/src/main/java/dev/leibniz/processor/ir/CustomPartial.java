package dev.leibniz.processor.ir;

import java.util.List;

/**
 * A partial derivative the user supplies with {@code @DerivativeOf}: the static method {@code owner.method}, taking
 * the original's arguments, is its derivative with respect to parameter {@code parameter}.
 *
 * @param partials the derivatives declared in turn for {@code owner.method}, by parameter (one level deep): what
 *     second order differentiates the user's derivative with
 */
public record CustomPartial(int parameter, ClassRef owner, String method, List<CustomPartial> partials) {
    public CustomPartial {
        partials = List.copyOf(partials);
    }

    public CustomPartial(int parameter, ClassRef owner, String method) {
        this(parameter, owner, method, List.of());
    }

    public CustomPartial withPartials(List<CustomPartial> own) {
        return new CustomPartial(parameter, owner, method, own);
    }
}
