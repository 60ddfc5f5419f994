package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Callee;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/** Describes {@code @Differentiable} methods by signature, for their own generation and for their callers. */
public final class Callees {
    private Callees() {
    }

    /** The {@code wrt} names of a method's {@code @Differentiable}, empty for the default (every double). */
    public static List<String> wrt(ExecutableElement method) {
        Object value = attribute(method, "wrt");
        List<String> names = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                names.add(String.valueOf(((AnnotationValue) item).getValue()));
            }
        }
        return names;
    }

    /** Whether a method's {@code @Differentiable} asks for second derivatives ({@code hessian = true}). */
    public static boolean hessian(ExecutableElement method) {
        return Boolean.TRUE.equals(attribute(method, "hessian"));
    }

    /** The value of an attribute of a method's {@code @Differentiable} that the source sets, or {@code null}. */
    private static Object attribute(ExecutableElement method, String name) {
        for (AnnotationMirror annotation : method.getAnnotationMirrors()) {
            if (((TypeElement) annotation.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(Symbols.DIFFERENTIABLE)) {
                for (var entry : annotation.getElementValues().entrySet()) {
                    if (entry.getKey().getSimpleName().contentEquals(name)) {
                        return entry.getValue().getValue();
                    }
                }
            }
        }
        return null;
    }

    /**
     * The callee a valid {@code @Differentiable} signature describes, or empty when the signature is outside the
     * subset (the method's own compilation reports why).
     */
    public static Optional<Callee> describe(ExecutableElement method, Symbols symbols) {
        boolean array = MethodTranslator.returnsArray(method);
        boolean returnsVoid = MethodTranslator.returnsVoid(method);
        if (!method.getModifiers().contains(Modifier.STATIC)
                || method.getReturnType().getKind() != TypeKind.DOUBLE
                        && method.getReturnType().getKind() != TypeKind.FLOAT && !array && !returnsVoid
                || !method.getTypeParameters().isEmpty() || method.isVarArgs()) {
            return Optional.empty();
        }
        List<Type> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Boolean> differentiated = new ArrayList<>();
        for (VariableElement p : method.getParameters()) {
            Optional<Type> type = Overloads.subsetType(p.asType());
            if (type.isEmpty()) {
                return Optional.empty();
            }
            types.add(type.get());
            names.add(p.getSimpleName().toString());
            differentiated.add(Differentiation.isDifferentiable(type.get()));
        }
        List<String> wrt = wrt(method);
        if (!wrt.isEmpty()) {
            for (int i = 0; i < names.size(); i++) {
                differentiated.set(i, differentiated.get(i) && wrt.contains(names.get(i)));
            }
        }
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        return Optional.of(new Callee(Symbols.classRef(owner), method.getSimpleName().toString(), types, names,
                differentiated, symbols.isAccessibleFromGeneratedCode(method), List.of(), true,
                array ? new ArrayType(PrimitiveType.DOUBLE, 1) : returnsVoid ? ClassType.VOID
                        : method.getReturnType().getKind() == TypeKind.FLOAT ? PrimitiveType.FLOAT : PrimitiveType.DOUBLE,
                false, false, false));
    }
}
