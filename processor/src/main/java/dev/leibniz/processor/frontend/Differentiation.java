package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Type;

/** Which types carry derivatives: {@code double}, and arrays of it. */
final class Differentiation {
    private Differentiation() {
    }

    static boolean isDifferentiable(Type type) {
        return PrimitiveType.isReal(type) || type instanceof ArrayType a && a.carriesDerivatives();
    }
}
