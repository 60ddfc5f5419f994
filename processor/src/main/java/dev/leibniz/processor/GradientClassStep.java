package dev.leibniz.processor;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import com.sun.source.tree.MethodTree;
import dev.leibniz.processor.emit.GradientClassWriter;
import dev.leibniz.processor.emit.MethodSize;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.frontend.Callees;
import dev.leibniz.processor.frontend.Declarations;
import dev.leibniz.processor.frontend.MemoryEffects;
import dev.leibniz.processor.frontend.Problem;
import dev.leibniz.processor.frontend.Problems;
import dev.leibniz.processor.frontend.Symbols;
import dev.leibniz.processor.ir.ClassRef;
import dev.leibniz.processor.ir.GradientNaming;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.tools.JavaFileObject;

/**
 * Produces one gradient class: checks the class-level contract (names that the generated members would share),
 * differentiates each method, and writes the class only if every method succeeded.
 */
final class GradientClassStep {
    private final ProcessingEnvironment env;
    private final Declarations declarations;
    private final MemoryEffects effects;
    private final RoundEnvironment round;
    private final ErrorReporter reporter;
    private final MethodPipeline pipeline;
    private final GradientClassWriter writer;
    private final boolean verbose;

    GradientClassStep(ProcessingEnvironment env, Declarations declarations, RoundEnvironment round,
            ErrorReporter reporter, MethodPipeline pipeline, MemoryEffects effects) {
        this.env = env;
        this.effects = effects;
        this.declarations = declarations;
        this.round = round;
        this.reporter = reporter;
        this.pipeline = pipeline;
        this.verbose = LeibnizProcessor.verbose(env);
        boolean generatedAvailable = env.getElementUtils().getTypeElement(LeibnizProcessor.GENERATED) != null;
        this.writer = new GradientClassWriter(LeibnizProcessor.class.getName(), LeibnizProcessor.VERSION,
                generatedAvailable);
    }

    /** Whether a generated method would pass the JVM's 64 KB limit; reported at the source method if so. */
    private boolean tooLarge(ExecutableElement method, MethodPipeline.Derivatives derivatives) {
        List<Stmt> pullback = new ArrayList<>(derivatives.pullback().forward());
        pullback.addAll(derivatives.pullback().reverse());
        long largest = Math.max(MethodSize.estimate(pullback), MethodSize.estimate(derivatives.pushforward().body()));
        if (derivatives.hessian() != null) {
            List<Stmt> second = new ArrayList<>(derivatives.hessian().pullback().forward());
            second.addAll(derivatives.hessian().pullback().reverse());
            largest = Math.max(largest, MethodSize.estimate(second));
        }
        if (largest <= MethodSize.LIMIT) {
            return false;
        }
        reporter.error("the derivatives of " + method.getSimpleName() + " would exceed the JVM's limit of 64 KB of "
                + "bytecode per method (about " + largest / 1024 + " KB estimated); split it into smaller "
                + "@Differentiable methods, which Leibniz composes by the chain rule", method);
        return true;
    }

    /** @param mayWrite whether the class is free of errors found before (the gradient class is written only then) */
    void process(TypeElement owner, List<ExecutableElement> methods, boolean mayWrite) {
        ClassRef ownerRef = Symbols.classRef(owner);
        boolean ok = mayWrite & checkGradientClassIsFree(owner, ownerRef);
        ok &= checkNamesAreDistinct(methods);
        List<GradientClassWriter.Entry> entries = new ArrayList<>();
        for (ExecutableElement method : methods) {
            Problems problems = new Problems();
            Optional<MethodPipeline.Derivatives> derivatives = pipeline.differentiate(method, problems);
            for (Problem p : problems.all()) {
                reporter.report(p, method);
            }
            if (derivatives.isPresent() && tooLarge(method, derivatives.get())) {
                ok = false;
            } else if (derivatives.isPresent()) {
                boolean isPublic = method.getModifiers().contains(Modifier.PUBLIC)
                        || method.getModifiers().contains(Modifier.PROTECTED);
                boolean writes = effects.writesArrayParameters(method);
                entries.add(new GradientClassWriter.Entry(derivatives.get().pullback(), derivatives.get().pushforward(),
                        derivatives.get().hessian(), isPublic, writes));
            } else {
                ok = false;
            }
        }
        if (!ok) {
            return;
        }
        JavaFile file = writer.write(ownerRef, owner, isPublic(owner), entries);
        String gradient = GradientNaming.gradientClass(ownerRef).canonicalName();
        JavaFileObject written;
        try {
            String name = file.packageName().isEmpty() ? file.typeSpec().name()
                    : file.packageName() + "." + file.typeSpec().name();
            written = env.getFiler().createSourceFile(name, owner);
            // printed whole first: javac's writer encodes each small write on its own, which cost more than printing
            String text = file.toString();
            try (Writer out = written.openWriter()) {
                out.write(text);
            }
        } catch (IOException e) {
            reporter.error("Leibniz could not write " + gradient + ": " + e.getMessage(), owner);
            return;
        }
        if (verbose) {
            for (ExecutableElement method : methods) {
                reporter.note("Leibniz: " + method.getSimpleName() + " -> " + gradient + " "
                        + generatedMembers(method).stream().filter(m -> declares(file.typeSpec(), m)).toList()
                        + " in " + written.toUri(), method);
            }
        }
    }

    /** The members a method may get, by name; records as {@code record Name}. */
    private static List<String> generatedMembers(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        List<String> members = new ArrayList<>(List.of(name, GradientNaming.pullbackName(name),
                GradientNaming.accumulateName(name), GradientNaming.differentialName(name),
                "record " + GradientNaming.recordName(name)));
        if (dev.leibniz.processor.frontend.MethodTranslator.returnsArray(method)) {
            members.add(GradientNaming.jacobianName(name));
        } else if (method.getParameters().stream().anyMatch(p -> p.asType().getKind() == TypeKind.ARRAY)) {
            members.add(GradientNaming.sweepsName(name));
        }
        if (Callees.hessian(method)) {
            String hessianVector = GradientNaming.hessianVectorName(name);
            members.addAll(List.of(hessianVector, GradientNaming.accumulateName(hessianVector),
                    GradientNaming.hessianName(name), "record " + GradientNaming.recordName(hessianVector)));
        }
        return members;
    }

    private static boolean declares(TypeSpec type, String member) {
        return member.startsWith("record ")
                ? type.typeSpecs().stream().anyMatch(t -> t.name().equals(member.substring("record ".length())))
                : type.methodSpecs().stream().anyMatch(m -> m.name().equals(member));
    }

    private boolean checkGradientClassIsFree(TypeElement owner, ClassRef ownerRef) {
        String gradient = GradientNaming.gradientClass(ownerRef).canonicalName();
        for (Element root : round.getRootElements()) {
            if (root instanceof TypeElement t && t.getQualifiedName().contentEquals(gradient)) {
                reporter.error("class " + gradient + " already exists; Leibniz generates a class of that name for the "
                        + "@Differentiable methods of " + owner.getSimpleName() + ": rename one of them", owner);
                return false;
            }
        }
        return true;
    }

    /** Overloads, and names whose generated members would collide, are rejected at the later method. */
    private boolean checkNamesAreDistinct(List<ExecutableElement> methods) {
        Map<String, ExecutableElement> generatedNames = new HashMap<>();
        boolean ok = true;
        for (ExecutableElement method : methods) {
            String name = method.getSimpleName().toString();
            for (String generated : generatedMembers(method)) {
                ExecutableElement previous = generatedNames.putIfAbsent(generated, method);
                if (previous != null && previous != method) {
                    String what = previous.getSimpleName().contentEquals(name)
                            ? "overloaded @Differentiable methods are not supported: '" + name + "' is already declared"
                            : "@Differentiable methods '" + previous.getSimpleName() + "' and '" + name
                                    + "' would generate members with the same name (" + generated + ")";
                    reporter.report(new Problem(treeOf(method), what + "; rename one of them"), method);
                    ok = false;
                    break;
                }
            }
        }
        return ok;
    }

    private MethodTree treeOf(ExecutableElement method) {
        return declarations.tree(method);
    }

    private static boolean isPublic(TypeElement type) {
        for (Element e = type; e != null && e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
            if (!e.getModifiers().contains(Modifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }
}
