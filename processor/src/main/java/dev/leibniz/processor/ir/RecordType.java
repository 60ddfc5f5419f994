package dev.leibniz.processor.ir;

/**
 * A record declared in a generated gradient class, for example {@code ShapesGradient.EllipsoidVolume}.
 *
 * @param name the record, nested in its gradient class
 */
public record RecordType(ClassRef name) implements Type {
}
