package dev.leibniz.processor;

import dev.leibniz.processor.frontend.CalleeIndex;
import dev.leibniz.processor.frontend.MemoryEffects;
import dev.leibniz.processor.frontend.Problem;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.Callee;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Callees of this compilation are described by their source. Callees from class files are described by their
 * generated record: a class file compiled without {@code -parameters} names its parameters {@code arg0, arg1, ...},
 * but a record's component names are always in the class file. What a class file's generated class declares tells
 * which forms the Leibniz that compiled it generated.
 */
final class GeneratedCallees implements CalleeIndex {
    private final Elements elements;
    private final MemoryEffects effects;
    private final Set<String> ownersThisRound;

    private java.util.function.Function<ExecutableElement, Optional<Problem>> inPlaceCheck = m -> Optional.empty();

    GeneratedCallees(Elements elements, MemoryEffects effects, Set<String> ownersThisRound) {
        this.elements = elements;
        this.effects = effects;
        this.ownersThisRound = ownersThisRound;
    }

    /** How a method of this compilation is checked for its in-place derivatives (the pipeline, made later). */
    void checkInPlaceWith(java.util.function.Function<ExecutableElement, Optional<Problem>> check) {
        this.inPlaceCheck = check;
    }

    @Override
    public Optional<Problem> inPlaceProblem(Callee callee) {
        if (!ownersThisRound.contains(callee.owner().canonicalName()) || !callee.writesArrayArguments()) {
            return Optional.empty();
        }
        return sources(callee).map(inPlaceCheck).flatMap(Optional::stream).findFirst();
    }

    @Override
    public Optional<Callee> generated(Callee declared) {
        if (ownersThisRound.contains(declared.owner().canonicalName())) {
            // a method of this compilation gets the second-order forms whenever a caller with hessian = true needs
            // them (MethodPipeline.planSecondOrder)
            return Optional.of(declared.withFacts(writesInSource(declared), true, returnsInSource(declared), true));
        }
        TypeElement record = elements.getTypeElement(declared.recordType().name().canonicalName());
        if (declared.returnsVoid()) {
            // its in-place forms are its only ones; a record, if any, holds the scalars' adjoints alone
            if (!hasGenerated(declared, GradientNaming.pullbackName(declared.method()))) {
                return Optional.empty();
            }
            List<Integer> scalars = declared.differentiatedIndices().stream()
                    .filter(i -> !(declared.parameterTypes().get(i) instanceof dev.leibniz.processor.ir.ArrayType))
                    .toList();
            Optional<Callee> named = record == null ? Optional.of(declared) : namedBy(declared, record, scalars, 0);
            return named.map(c -> c.withFacts(c.arrayParameters(), true, false, false));
        }
        if (record == null) {
            // a vector-Jacobian product of arrays only returns a number, and no record names the parameters
            boolean vjpOfArrays = declared.returnsArray() && !declared.pullbackReturnsRecord()
                    && hasGenerated(declared, GradientNaming.pullbackName(declared.method()));
            return vjpOfArrays ? Optional.of(withClassFileFacts(declared)) : Optional.empty();
        }
        return namedBy(declared, record, declared.differentiatedIndices(), 1).map(this::withClassFileFacts);
    }

    /**
     * The callee with the parameters at {@code indices} named as the record's components after the first
     * {@code skip} (its value): a class file compiled without -parameters names them arg0, arg1, ..., but a record's
     * components are always in it. Empty when the record has other components (compiled against another version).
     */
    private static Optional<Callee> namedBy(Callee declared, TypeElement record, List<Integer> indices, int skip) {
        List<? extends RecordComponentElement> components = record.getRecordComponents();
        if (components.size() != indices.size() + skip) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>(declared.parameterNames());
        for (int k = 0; k < indices.size(); k++) {
            names.set(indices.get(k), components.get(k + skip).getSimpleName().toString());
        }
        return Optional.of(declared.withParameterNames(names));
    }

    /** What a callee's generated class in a class file says of it: the annotations of its pullback, its forms. */
    private Callee withClassFileFacts(Callee callee) {
        return callee.withFacts(marked(callee, WRITES_ARRAY_ARGUMENTS) ? callee.arrayParameters() : List.of(),
                hasGenerated(callee, GradientNaming.differentialName(callee.method())),
                marked(callee, RETURNS_ARRAY_ARGUMENT),
                hasGenerated(callee, GradientNaming.pullbackName(GradientNaming.differentialName(callee.method()))));
    }

    /** Whether the callee's generated class (from a class file) declares a method of that name. */
    private boolean hasGenerated(Callee callee, String method) {
        return generatedMethods(callee, method).findAny().isPresent();
    }

    private Stream<ExecutableElement> generatedMethods(Callee callee, String method) {
        TypeElement gradient = elements.getTypeElement(callee.gradientClass().canonicalName());
        if (gradient == null) {
            return Stream.empty();
        }
        return ElementFilter.methodsIn(gradient.getEnclosedElements()).stream()
                .filter(m -> m.getSimpleName().contentEquals(method));
    }

    /** A callee of this compilation: read its body (of each overload of its name, to be safe). */
    private List<Integer> writesInSource(Callee callee) {
        if (!callee.takesArrays()) {
            return List.of();
        }
        java.util.TreeSet<Integer> written = new java.util.TreeSet<>();
        sources(callee).forEach(m -> written.addAll(effects.writtenParameters(m)));
        return written.stream().filter(i -> i < callee.parameterTypes().size()
                && callee.parameterTypes().get(i) instanceof dev.leibniz.processor.ir.ArrayType).toList();
    }

    /** A callee of this compilation returning an array: whether its body may return an argument's. */
    private boolean returnsInSource(Callee callee) {
        return callee.takesArrays() && callee.returnsArray()
                && sources(callee).anyMatch(m -> !effects.returnedParameters(m).isEmpty());
    }

    /** The methods of this compilation a callee may be (each overload of its name), none for a class file's. */
    Stream<ExecutableElement> sourcesThisRound(Callee callee) {
        return ownersThisRound.contains(callee.owner().canonicalName()) ? sources(callee)
                .filter(dev.leibniz.processor.frontend.Symbols::isAnnotatedDifferentiable) : Stream.empty();
    }

    private Stream<ExecutableElement> sources(Callee callee) {
        TypeElement owner = elements.getTypeElement(callee.owner().canonicalName());
        if (owner == null) {
            return Stream.empty();
        }
        return ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
                .filter(m -> m.getSimpleName().contentEquals(callee.method()));
    }

    /** A callee from a class file: its pullback carries the annotation that says so. */
    private boolean marked(Callee callee, String annotation) {
        return generatedMethods(callee, GradientNaming.pullbackName(callee.method()))
                .flatMap(m -> m.getAnnotationMirrors().stream())
                .anyMatch(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
                        .contentEquals(annotation));
    }

    static final String WRITES_ARRAY_ARGUMENTS = "dev.leibniz.WritesArrayArguments";
    static final String RETURNS_ARRAY_ARGUMENT = "dev.leibniz.ReturnsArrayArgument";
}
