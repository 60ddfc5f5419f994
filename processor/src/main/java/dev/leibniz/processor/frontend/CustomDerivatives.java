package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.CustomPartial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;

/** The derivatives declared with {@code @DerivativeOf} in this compilation, by the method they differentiate. */
public final class CustomDerivatives {
    /** One declared partial derivative and the method that computes it. */
    public record Declared(CustomPartial partial, ExecutableElement method) {
    }

    private final Map<ExecutableElement, List<Declared>> byOriginal = new HashMap<>();

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
        List<Declared> partials = new ArrayList<>(byOriginal.getOrDefault(original, List.of()));
        partials.sort(java.util.Comparator.comparingInt(d -> d.partial().parameter()));
        return partials;
    }
}
