package dev.leibniz.processor.ir;

/** The type of an IR value: a primitive of the differentiable subset, or a generated gradient record. */
public sealed interface Type permits PrimitiveType, ArrayType, ClassType {
}
