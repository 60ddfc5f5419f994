package dev.leibniz.processor.ir;

/**
 * A class type in generated code: a gradient record such as {@code ShapesGradient.EllipsoidVolume}, or the
 * runtime's {@code Tape}.
 */
public record ClassType(ClassRef name) implements Type {
    public static final ClassType TAPE = new ClassType(ClassRef.of("dev.leibniz", "Tape"));
}
