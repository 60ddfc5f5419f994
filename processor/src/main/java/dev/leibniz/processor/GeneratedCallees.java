package dev.leibniz.processor;

import dev.leibniz.processor.frontend.CalleeIndex;
import dev.leibniz.processor.ir.Callee;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Callees of this compilation are described by their source. Callees from class files are described by their
 * generated record: a class file compiled without {@code -parameters} names its parameters {@code arg0, arg1, ...},
 * but a record's component names are always in the class file.
 */
final class GeneratedCallees implements CalleeIndex {
    private final Elements elements;
    private final Set<String> ownersThisRound;

    GeneratedCallees(Elements elements, Set<String> ownersThisRound) {
        this.elements = elements;
        this.ownersThisRound = ownersThisRound;
    }

    @Override
    public Optional<Callee> generated(Callee declared) {
        if (ownersThisRound.contains(declared.owner().canonicalName())) {
            return Optional.of(declared);
        }
        TypeElement record = elements.getTypeElement(declared.recordType().name().canonicalName());
        if (record == null) {
            return Optional.empty();
        }
        List<? extends RecordComponentElement> components = record.getRecordComponents();
        List<Integer> differentiated = declared.differentiatedIndices();
        if (components.size() != differentiated.size() + 1) {
            return Optional.empty(); // compiled against another version of the callee
        }
        List<String> names = new ArrayList<>(declared.parameterNames());
        for (int k = 0; k < differentiated.size(); k++) {
            names.set(differentiated.get(k), components.get(k + 1).getSimpleName().toString());
        }
        return Optional.of(new Callee(declared.owner(), declared.method(), declared.parameterTypes(), names,
                declared.differentiated(), declared.primalAccessible()));
    }
}
