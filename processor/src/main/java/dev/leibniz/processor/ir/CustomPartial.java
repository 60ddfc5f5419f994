package dev.leibniz.processor.ir;

/**
 * A partial derivative the user supplies with {@code @DerivativeOf}: the static method {@code owner.method}, taking
 * the original's arguments, is its derivative with respect to parameter {@code parameter}.
 */
public record CustomPartial(int parameter, ClassRef owner, String method) {
}
