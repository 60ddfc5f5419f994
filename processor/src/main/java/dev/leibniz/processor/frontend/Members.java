package dev.leibniz.processor.frontend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * The members of classes, inherited ones included, by simple name: {@code Elements.getAllMembers} lists a class's
 * members anew on every call, which made each name a method looks up cost as much as the class is large. Kept for
 * one round, during which javac's elements do not change.
 */
public final class Members {
    private final Elements elements;
    private final Map<TypeElement, Map<String, List<Element>>> byClass = new HashMap<>();

    public Members(Elements elements) {
        this.elements = elements;
    }

    /** The members of {@code owner} named {@code name}, in the order {@code getAllMembers} gives them. */
    public List<Element> named(TypeElement owner, String name) {
        return byClass.computeIfAbsent(owner, this::index).getOrDefault(name, List.of());
    }

    private Map<String, List<Element>> index(TypeElement owner) {
        Map<String, List<Element>> byName = new HashMap<>();
        for (Element member : elements.getAllMembers(owner)) {
            byName.computeIfAbsent(member.getSimpleName().toString(), n -> new ArrayList<>()).add(member);
        }
        return byName;
    }
}
