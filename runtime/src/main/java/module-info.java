/**
 * Leibniz's runtime: {@link dev.leibniz.Differentiable} and {@link dev.leibniz.DerivativeOf}, what generated
 * gradient classes use at run time ({@link dev.leibniz.Tape}, {@link dev.leibniz.Buffers},
 * {@link dev.leibniz.Differential}, {@link dev.leibniz.ArrayDifferential}), and {@link dev.leibniz.GradientCheck}
 * for tests.
 *
 * <p>A module that declares {@code @Differentiable} methods {@code requires dev.leibniz}: its generated classes use
 * these types. {@code GradientCheck} calls the methods it checks by reflection, so a module whose gradients it
 * checks opens their package to this module ({@code opens com.example.model to dev.leibniz;}).
 */
module dev.leibniz {
    exports dev.leibniz;
}
