package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.CustomPartial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The derivatives declared with {@code @DerivativeOf}, by the method they differentiate: those of this compilation,
 * and those a class compiled earlier declares next to the original it calls, which the first lookup of one of its
 * methods has {@link #readClassFilesWith read}.
 */
public final class CustomDerivatives {
    /** One declared partial derivative and the method that computes it. */
    public record Declared(CustomPartial partial, ExecutableElement method) {
    }

    private final Map<ExecutableElement, List<Declared>> byOriginal = new HashMap<>();
    private final Set<TypeElement> read = new HashSet<>();
    private Consumer<TypeElement> classFiles = owner -> { };

    /** How to add the declarations of a class compiled earlier; called at most once per class. */
    public void readClassFilesWith(Consumer<TypeElement> reader) {
        this.classFiles = reader;
    }

    /** Adds a derivative; {@code false} if one for the same original and parameter is already there. */
    public boolean add(ExecutableElement original, Declared declared) {
        List<Declared> partials = byOriginal.computeIfAbsent(original, o -> new ArrayList<>());
        if (partials.stream().anyMatch(d -> d.partial().parameter() == declared.partial().parameter())) {
            return false;
        }
        partials.add(declared);
        return true;
    }

    /** The derivatives declared for {@code original}, in parameter order; empty if none. */
    public List<Declared> of(ExecutableElement original) {
        if (original.getEnclosingElement() instanceof TypeElement owner && read.add(owner)) {
            classFiles.accept(owner);
        }
        List<Declared> partials = new ArrayList<>(byOriginal.getOrDefault(original, List.of()));
        partials.sort(java.util.Comparator.comparingInt(d -> d.partial().parameter()));
        return partials;
    }
}
