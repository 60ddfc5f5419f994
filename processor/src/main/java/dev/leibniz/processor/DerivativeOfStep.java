package dev.leibniz.processor;

import dev.leibniz.processor.frontend.CustomDerivatives;
import dev.leibniz.processor.frontend.Symbols;
import dev.leibniz.processor.ir.CustomPartial;
import dev.leibniz.processor.ir.MathFunction;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks each {@code @DerivativeOf} method against the method it names and registers it: a static method of the
 * original's parameters returning {@code double}, for one {@code double} parameter of a static, non-differentiable
 * original that returns {@code double}. Every mistake is an error on the annotation.
 */
final class DerivativeOfStep {
    static final String DERIVATIVE_OF = "dev.leibniz.DerivativeOf";

    private final Elements elements;
    private final Types types;
    private final ErrorReporter reporter;
    /** Whether the declaration being registered is this compilation's, whose mistakes are reported. */
    private boolean report = true;

    DerivativeOfStep(Elements elements, Types types, ErrorReporter reporter) {
        this.elements = elements;
        this.types = types;
        this.reporter = reporter;
    }

    /**
     * Adds the round's {@code @DerivativeOf} methods to {@code registry}, reporting the ones that are wrong.
     *
     * @return the classes declaring a wrong one, which get no gradient class
     */
    Set<TypeElement> collect(RoundEnvironment round, CustomDerivatives registry) {
        Set<TypeElement> rejected = new HashSet<>();
        TypeElement annotation = elements.getTypeElement(DERIVATIVE_OF);
        if (annotation == null) {
            return rejected;
        }
        for (Element e : round.getElementsAnnotatedWith(annotation)) {
            AnnotationMirror mirror = e.getAnnotationMirrors().stream()
                    .filter(m -> ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName()
                            .contentEquals(DERIVATIVE_OF))
                    .findFirst().orElseThrow();
            if (!register((ExecutableElement) e, mirror, registry, true)) {
                rejected.add((TypeElement) e.getEnclosingElement());
            }
        }
        return rejected;
    }

    /**
     * Registers the {@code @DerivativeOf} methods of {@code owner}, a class compiled earlier (checked then), that
     * this compilation can use; one it cannot (its {@code wrt} names a parameter of a class compiled without
     * {@code -parameters}) is left out without a word, and a call that needs it is an error at the call.
     */
    void collectFromClassFile(TypeElement owner, CustomDerivatives registry) {
        TypeElement annotation = elements.getTypeElement(DERIVATIVE_OF);
        if (annotation == null) {
            return;
        }
        for (ExecutableElement method : ElementFilter.methodsIn(owner.getEnclosedElements())) {
            method.getAnnotationMirrors().stream()
                    .filter(m -> m.getAnnotationType().asElement().equals(annotation))
                    .findFirst()
                    .ifPresent(mirror -> register(method, mirror, registry, false));
        }
    }

    /** Whether {@code derivative} is right, and then registered. */
    private boolean register(ExecutableElement derivative, AnnotationMirror mirror, CustomDerivatives registry,
            boolean report) {
        this.report = report;
        String name = derivative.getSimpleName().toString();
        if (!derivative.getModifiers().contains(Modifier.STATIC)) {
            error("@DerivativeOf method '" + name + "' must be static", derivative, mirror);
            return false;
        }
        if (derivative.getReturnType().getKind() != TypeKind.DOUBLE) {
            error("@DerivativeOf method '" + name + "' must return double, the partial derivative", derivative, mirror);
            return false;
        }
        List<String> checked = Symbols.checkedExceptions(derivative);
        if (!checked.isEmpty()) {
            error("@DerivativeOf method '" + name + "' declares throws " + String.join(", ", checked) + ", which the "
                    + "generated code that calls it could neither catch nor declare; catch it inside", derivative,
                    mirror);
            return false;
        }
        Map<? extends ExecutableElement, ? extends AnnotationValue> values = elements.getElementValuesWithDefaults(mirror);
        String of = (String) value(values, "value");
        String wrt = (String) value(values, "wrt");
        TypeMirror in = (TypeMirror) value(values, "in");
        TypeElement owner = in.getKind() == TypeKind.VOID ? (TypeElement) derivative.getEnclosingElement()
                : (TypeElement) ((DeclaredType) in).asElement();
        Optional<ExecutableElement> found = ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
                .filter(m -> m.getSimpleName().contentEquals(of) && m.getModifiers().contains(Modifier.STATIC)
                        && sameParameterTypes(m, derivative))
                .findFirst();
        if (found.isEmpty()) {
            error("@DerivativeOf names " + owner.getQualifiedName() + "." + of + signature(derivative)
                    + ", which does not exist: a derivative takes exactly the parameters of the static method it "
                    + "differentiates", derivative, mirror);
            return false;
        }
        ExecutableElement original = found.get();
        String qualified = owner.getSimpleName() + "." + of;
        Optional<String> problem = problemWithOriginal(original, owner, qualified);
        if (problem.isPresent()) {
            error(problem.get(), derivative, mirror);
            return false;
        }
        Optional<Integer> parameter = parameterIndex(original, wrt, qualified, derivative, mirror);
        if (parameter.isEmpty()) {
            return false;
        }
        CustomPartial partial = new CustomPartial(parameter.get(), Symbols.classRef((TypeElement) derivative
                .getEnclosingElement()), name);
        if (!registry.add(original, new CustomDerivatives.Declared(partial, derivative))) {
            error("another @DerivativeOf already gives the derivative of " + qualified + " with respect to '"
                    + original.getParameters().get(parameter.get()).getSimpleName() + "'", derivative, mirror);
            return false;
        }
        return true;
    }

    private Optional<String> problemWithOriginal(ExecutableElement original, TypeElement owner, String qualified) {
        String ownerName = owner.getQualifiedName().toString();
        if ((ownerName.equals("java.lang.Math") || ownerName.equals("java.lang.StrictMath"))
                && MathFunction.forName(original.getSimpleName().toString(), original.getParameters().size())
                        .isPresent()) {
            return Optional.of(qualified + " is differentiated by Leibniz already; remove this @DerivativeOf");
        }
        if (Symbols.isAnnotatedDifferentiable(original)) {
            return Optional.of(qualified + " is @Differentiable, so Leibniz differentiates it already; remove one of "
                    + "the two annotations");
        }
        if (original.getReturnType().getKind() != TypeKind.DOUBLE) {
            return Optional.of(qualified + " returns " + original.getReturnType() + "; only a method returning double "
                    + "can have a @DerivativeOf");
        }
        for (VariableElement p : original.getParameters()) {
            if (!p.asType().getKind().isPrimitive()) {
                return Optional.of(qualified + " has the parameter '" + p.getSimpleName() + "' of type " + p.asType()
                        + "; a @DerivativeOf is for methods of double, int, long and boolean parameters");
            }
        }
        return Optional.empty();
    }

    private Optional<Integer> parameterIndex(ExecutableElement original, String wrt, String qualified,
            ExecutableElement derivative, AnnotationMirror mirror) {
        List<? extends VariableElement> parameters = original.getParameters();
        List<String> doubles = parameters.stream().filter(p -> p.asType().getKind() == TypeKind.DOUBLE)
                .map(p -> p.getSimpleName().toString()).toList();
        if (wrt.isEmpty()) {
            if (doubles.size() != 1) {
                error(qualified + " has " + (doubles.isEmpty() ? "no double parameter" : doubles.size()
                        + " double parameters " + doubles) + "; say which one this is the derivative with respect to: "
                        + "@DerivativeOf(value = \"" + original.getSimpleName() + "\", wrt = ...)", derivative, mirror);
                return Optional.empty();
            }
            wrt = doubles.get(0);
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).getSimpleName().contentEquals(wrt)) {
                if (parameters.get(i).asType().getKind() != TypeKind.DOUBLE) {
                    error("'" + wrt + "' of " + qualified + " is " + parameters.get(i).asType()
                            + "; derivatives are with respect to double parameters " + doubles, derivative, mirror);
                    return Optional.empty();
                }
                return Optional.of(i);
            }
        }
        error(qualified + " has no parameter '" + wrt + "'; its double parameters are " + doubles, derivative, mirror);
        return Optional.empty();
    }

    private boolean sameParameterTypes(ExecutableElement a, ExecutableElement b) {
        if (a.getParameters().size() != b.getParameters().size()) {
            return false;
        }
        for (int i = 0; i < a.getParameters().size(); i++) {
            if (!types.isSameType(a.getParameters().get(i).asType(), b.getParameters().get(i).asType())) {
                return false;
            }
        }
        return true;
    }

    private static String signature(ExecutableElement m) {
        return "(" + String.join(", ", m.getParameters().stream().map(p -> p.asType().toString()).toList()) + ")";
    }

    private static Object value(Map<? extends ExecutableElement, ? extends AnnotationValue> values, String name) {
        return values.entrySet().stream().filter(e -> e.getKey().getSimpleName().contentEquals(name))
                .findFirst().orElseThrow().getValue().getValue();
    }

    private void error(String message, Element element, AnnotationMirror mirror) {
        if (report) {
            reporter.error(message, element, mirror);
        }
    }
}
