package dev.leibniz.processor.ir;

/**
 * An array of a primitive of the subset: {@code double[]} is {@code (DOUBLE, 1)}, {@code double[][]} is
 * {@code (DOUBLE, 2)}. Arrays of {@code double} carry derivatives element by element; the others are inputs.
 */
public record ArrayType(PrimitiveType element, int dimensions) implements Type {
    public ArrayType {
        if (dimensions < 1) {
            throw new IllegalArgumentException("an array has at least one dimension");
        }
    }

    /** The type of {@code a[i]}. */
    public Type component() {
        return dimensions == 1 ? element : new ArrayType(element, dimensions - 1);
    }

    public boolean carriesDerivatives() {
        return element.isReal();
    }

    // Written out: see Variable.
    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayType a && element == a.element && dimensions == a.dimensions;
    }

    @Override
    public int hashCode() {
        return 31 * element.ordinal() + dimensions;
    }

    @Override
    public String toString() {
        return element.keyword() + "[]".repeat(dimensions);
    }
}
