package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Types;

/**
 * Chooses among overloads for primitive arguments as javac does in its first two phases (JLS 15.12.2.2–3:
 * identity and widening, no boxing, no varargs), then picks the most specific method.
 */
public final class Overloads {
    private final Types types;

    public Overloads(Types types) {
        this.types = types;
    }

    /** The chosen method, or empty when none applies or the choice is ambiguous. */
    public Optional<ExecutableElement> select(List<ExecutableElement> candidates, List<Type> argTypes) {
        List<ExecutableElement> maximal = mostSpecific(candidates, argTypes);
        return maximal.size() == 1 ? Optional.of(maximal.get(0)) : Optional.empty();
    }

    /**
     * The most specific applicable method, alone; several when the call is ambiguous (those no other is more
     * specific than); none when no method applies.
     */
    public List<ExecutableElement> mostSpecific(List<ExecutableElement> candidates, List<Type> argTypes) {
        List<ExecutableElement> applicable = new ArrayList<>();
        for (ExecutableElement m : candidates) {
            if (!m.isVarArgs() && isApplicable(m, argTypes)) {
                applicable.add(m);
            }
        }
        List<ExecutableElement> maximal = new ArrayList<>();
        for (ExecutableElement m : applicable) {
            boolean mostSpecific = applicable.stream().allMatch(other -> other == m || moreSpecific(m, other));
            if (mostSpecific) {
                maximal.add(m);
            }
        }
        if (maximal.size() == 1 || applicable.isEmpty()) {
            return maximal;
        }
        // ambiguous: the applicable methods that no other is strictly more specific than
        return applicable.stream().filter(m -> applicable.stream()
                .noneMatch(o -> o != m && moreSpecific(o, m) && !moreSpecific(m, o))).toList();
    }

    private boolean isApplicable(ExecutableElement m, List<Type> argTypes) {
        if (m.getParameters().size() != argTypes.size()) {
            return false;
        }
        for (int i = 0; i < argTypes.size(); i++) {
            TypeMirror param = m.getParameters().get(i).asType();
            boolean arrayAsObject = argTypes.get(i) instanceof ArrayType && isArraycopy(m); // (Object, int, Object, ...)
            if (!param.getKind().isPrimitive() && param.getKind() != TypeKind.ARRAY && !arrayAsObject) {
                return false;
            }
            TypeMirror arg = mirror(argTypes.get(i));
            if (!types.isSameType(arg, param) && !types.isSubtype(arg, param)) {
                return false;
            }
        }
        return true;
    }

    /** {@code System.arraycopy}, whose array parameters are declared {@code Object}; Leibniz writes it as a loop. */
    private static boolean isArraycopy(ExecutableElement m) {
        return m.getSimpleName().contentEquals("arraycopy") && m.getEnclosingElement() instanceof TypeElement owner
                && owner.getQualifiedName().contentEquals("java.lang.System");
    }

    private boolean moreSpecific(ExecutableElement m, ExecutableElement other) {
        for (int i = 0; i < m.getParameters().size(); i++) {
            TypeMirror mine = m.getParameters().get(i).asType();
            TypeMirror theirs = other.getParameters().get(i).asType();
            if (!types.isSameType(mine, theirs) && !types.isSubtype(mine, theirs)) {
                return false;
            }
        }
        return true;
    }

    private TypeMirror mirror(Type type) {
        if (type instanceof ArrayType array) {
            TypeMirror mirror = types.getPrimitiveType(kind(array.element()));
            for (int d = 0; d < array.dimensions(); d++) {
                mirror = types.getArrayType(mirror);
            }
            return mirror;
        }
        return types.getPrimitiveType(kind((PrimitiveType) type));
    }

    static TypeKind kind(PrimitiveType type) {
        return switch (type) {
            case DOUBLE -> TypeKind.DOUBLE;
            case FLOAT -> TypeKind.FLOAT;
            case LONG -> TypeKind.LONG;
            case INT -> TypeKind.INT;
            case BOOLEAN -> TypeKind.BOOLEAN;
        };
    }

    /** The subset's type for a type mirror, arrays included, or empty for anything else. */
    public static Optional<Type> subsetType(TypeMirror type) {
        if (type instanceof javax.lang.model.type.ArrayType array) {
            int dimensions = 1;
            TypeMirror element = array.getComponentType();
            while (element instanceof javax.lang.model.type.ArrayType inner) {
                dimensions++;
                element = inner.getComponentType();
            }
            int d = dimensions;
            return primitiveType(element).map(p -> new ArrayType(p, d));
        }
        return primitiveType(type).map(p -> p);
    }

    /** The subset's primitive type for a type mirror, or empty for anything else (char, short, arrays, ...). */
    public static Optional<PrimitiveType> primitiveType(TypeMirror type) {
        return switch (type.getKind()) {
            case DOUBLE -> Optional.of(PrimitiveType.DOUBLE);
            case FLOAT -> Optional.of(PrimitiveType.FLOAT);
            case LONG -> Optional.of(PrimitiveType.LONG);
            case INT -> Optional.of(PrimitiveType.INT);
            case BOOLEAN -> Optional.of(PrimitiveType.BOOLEAN);
            default -> Optional.empty();
        };
    }
}
