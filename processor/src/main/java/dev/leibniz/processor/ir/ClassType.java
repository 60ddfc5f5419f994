package dev.leibniz.processor.ir;

/**
 * A class type in generated code: a gradient record such as {@code ShapesGradient.EllipsoidVolume}, or the
 * runtime's {@code Tape} and {@code Differential}.
 */
public record ClassType(ClassRef name) implements Type {
    public static final ClassType TAPE = new ClassType(ClassRef.of("dev.leibniz", "Tape"));
    public static final ClassType DIFFERENTIAL = new ClassType(ClassRef.of("dev.leibniz", "Differential"));
    /** The result of a call made for its effect only ({@link Stmt.Evaluate}). */
    public static final ClassType VOID = new ClassType(ClassRef.of("", "void"));
    public static final ClassType ARRAY_DIFFERENTIAL = new ClassType(ClassRef.of("dev.leibniz", "ArrayDifferential"));
}
