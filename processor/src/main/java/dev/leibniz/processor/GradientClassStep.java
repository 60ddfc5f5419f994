package dev.leibniz.processor;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import dev.leibniz.processor.analysis.ZeroPartials;
import dev.leibniz.processor.emit.GradientClassWriter;
import dev.leibniz.processor.emit.InPlaceWriter;
import dev.leibniz.processor.emit.MethodSize;
import dev.leibniz.processor.emit.ParameterSlots;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
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
    /** {@link #javaLangHiddenIn} by package, for the round. */
    private final Map<String, Set<String>> hiddenJavaLang = new HashMap<>();

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
        long largest = Math.max(size(derivatives.pullback()), MethodSize.estimate(derivatives.pushforward().body()));
        if (derivatives.hessian() != null) {
            largest = Math.max(largest, size(derivatives.hessian().pullback()));
        }
        if (derivatives.directional() != null) {
            largest = Math.max(largest, size(derivatives.directional()));
        }
        if (derivatives.inPlace() != null) {
            largest = Math.max(largest, Math.max(size(derivatives.inPlace().pullback()),
                    MethodSize.estimate(derivatives.inPlace().pushforward().body())));
        }
        if (largest <= MethodSize.LIMIT) {
            return false;
        }
        reporter.error("the derivatives of " + method.getSimpleName() + " would exceed the JVM's limit of 64 KB of "
                + "bytecode per method (about " + largest / 1024 + " KB estimated); split it into smaller "
                + "@Differentiable methods, which Leibniz composes by the chain rule", method);
        return true;
    }

    /** The estimated bytecode size of a pullback's two sweeps. */
    private static long size(dev.leibniz.processor.transform.Pullback pullback) {
        List<Stmt> sweeps = new ArrayList<>(pullback.forward());
        sweeps.addAll(pullback.reverse());
        return MethodSize.estimate(sweeps);
    }

    /** @param mayWrite whether the class is free of errors found before (the gradient class is written only then) */
    void process(TypeElement owner, List<ExecutableElement> methods, boolean mayWrite) {
        ClassRef ownerRef = Symbols.classRef(owner);
        boolean ok = mayWrite & checkGradientClassIsFree(owner, ownerRef);
        ok &= checkNamesAreDistinct(methods, GradientNaming.gradientClass(ownerRef).simpleName());
        List<GradientClassWriter.Entry> entries = new ArrayList<>();
        for (ExecutableElement method : methods) {
            Problems problems = new Problems();
            Optional<MethodPipeline.Derivatives> derivatives = pipeline.differentiate(method, problems);
            for (Problem p : problems.all()) {
                reporter.report(p, method);
            }
            derivatives.ifPresent(d -> warnZeroPartials(method, d.zeroPartials()));
            if (derivatives.isPresent() && tooLarge(method, derivatives.get())) {
                ok = false;
            } else if (derivatives.isPresent()) {
                boolean isPublic = method.getModifiers().contains(Modifier.PUBLIC)
                        || method.getModifiers().contains(Modifier.PROTECTED);
                boolean writes = effects.writesArrayParameters(method);
                boolean returnsArgument = !effects.returnedParameters(method).isEmpty();
                MethodPipeline.InPlace inPlace = derivatives.get().inPlace();
                entries.add(new GradientClassWriter.Entry(derivatives.get().pullback(), derivatives.get().pushforward(),
                        derivatives.get().hessian(), isPublic, writes, returnsArgument, variableNames(treeOf(method)),
                        inPlace == null ? null : new InPlaceWriter.Forms(inPlace.pullback(), inPlace.pushforward(),
                                inPlace.outputs(), inPlace.returnsVoid()), derivatives.get().directional()));
            } else {
                ok = false;
            }
        }
        if (!ok) {
            return;
        }
        Set<String> hidden = javaLangHiddenIn(env.getElementUtils().getPackageOf(owner));
        JavaFile file = writer.write(ownerRef, owner, isPublic(owner), entries, hidden);
        for (int i = 0; i < methods.size(); i++) {
            ok &= fitsTheParameterLimit(methods.get(i), file.typeSpec(), entries.get(i));
        }
        if (!ok) {
            return;
        }
        // printed whole first: javac's writer encodes each small write on its own, which cost more than printing
        String text = file.toString();
        if (!qualifiedNamesStayVisible(methods, entries, hidden, text)) {
            return;
        }
        String gradient = GradientNaming.gradientClass(ownerRef).canonicalName();
        JavaFileObject written;
        try {
            String name = file.packageName().isEmpty() ? file.typeSpec().name()
                    : file.packageName() + "." + file.typeSpec().name();
            written = env.getFiler().createSourceFile(name, owner);
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

    /**
     * One warning at each differentiated parameter whose partial is always 0 (a typo such as returning the wrong
     * variable would otherwise give a silent zero), unless {@code @SuppressWarnings("leibniz")} is on the parameter,
     * the method or a class around it, or the class was generated ({@link #generated}). It does not stop generation.
     */
    private void warnZeroPartials(ExecutableElement method, List<ZeroPartials.Parameter> zeroPartials) {
        MethodTree tree = treeOf(method);
        if (zeroPartials.isEmpty() || tree == null || generated(method)) {
            return;
        }
        for (ZeroPartials.Parameter p : zeroPartials) {
            Element parameter = method.getParameters().get(p.index());
            if (ErrorReporter.suppressed(parameter)) {
                continue;
            }
            reporter.warning(new Problem(tree.getParameters().get(p.index()), zeroPartialMessage(method, p)), method);
        }
    }

    static String zeroPartialMessage(ExecutableElement method, ZeroPartials.Parameter p) {
        String why = p.read()
                ? "cannot affect its result through a derivative (it reaches the result, if at all, only through "
                        + "conditions, indices, integer conversions, piecewise-constant functions or "
                        + "Leibniz.noDerivative)"
                : "is never read";
        return "parameter '" + p.name() + "' of '" + method.getSimpleName() + "' is differentiated but " + why
                + ", so its partial is always 0; if that is intended, leave it out with wrt, or suppress this with "
                + "@SuppressWarnings(\"" + ErrorReporter.SUPPRESSION_KEY + "\")";
    }

    /**
     * Whether {@code element} is in code a tool generated: a class around it carries an annotation named
     * {@code Generated} ({@code javax.annotation.processing.Generated}, {@code javax.annotation.Generated}, or a
     * project's own), which no one reads warnings of.
     */
    private static boolean generated(Element element) {
        for (Element e = element; e != null && e.getKind() != ElementKind.PACKAGE
                && e.getKind() != ElementKind.MODULE; e = e.getEnclosingElement()) {
            for (javax.lang.model.element.AnnotationMirror a : e.getAnnotationMirrors()) {
                if (a.getAnnotationType().asElement().getSimpleName().contentEquals("Generated")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether every generated form of {@code method} fits the JVM's 255 parameter slots; reported at the source
     * method, naming each form that does not, if not. The differential doubles the parameters, the pullback adds a
     * seed and a buffer per array, the record has a component per differentiated parameter.
     */
    private boolean fitsTheParameterLimit(ExecutableElement method, TypeSpec type, GradientClassWriter.Entry entry) {
        List<String> forms = generatedMembers(method).stream().filter(m -> !m.startsWith("record ")).toList();
        Map<String, Integer> slots = new java.util.LinkedHashMap<>(ParameterSlots.ofMethods(type, forms));
        slots.put("record " + GradientNaming.recordName(method.getSimpleName().toString()),
                ParameterSlots.ofRecord(entry.pullback().function()));
        List<String> over = slots.entrySet().stream().filter(e -> e.getValue() > ParameterSlots.LIMIT)
                .map(e -> e.getKey() + " would take " + e.getValue()).toList();
        if (over.isEmpty()) {
            return true;
        }
        reporter.report(new Problem(treeOf(method), "'" + method.getSimpleName() + "' has too many parameters for "
                + "its generated forms: " + String.join(", ", over) + " parameter slots, more than the JVM's limit of "
                + ParameterSlots.LIMIT + " (a double or long takes two slots, an array one, and a record's "
                + "constructor one more for the record); pass the values in a double[] parameter, or split the "
                + "method"), method);
        return false;
    }

    /**
     * The simple names of {@code java.lang} classes that a class of {@code pkg} hides there (JLS 6.4.1: the package's
     * types come before {@code java.lang}'s): JavaPoet writes {@code java.lang} classes by simple name, and
     * {@code Math.cos(x)} in generated code would call {@code com.example.Math.cos} — a wrong derivative, silently.
     */
    private Set<String> javaLangHiddenIn(PackageElement pkg) {
        return hiddenJavaLang.computeIfAbsent(pkg.getQualifiedName().toString(), name -> {
            Set<String> javaLang = simpleTypeNames(env.getElementUtils().getPackageElement("java.lang"));
            Set<String> hidden = simpleTypeNames(pkg);
            hidden.retainAll(javaLang);
            return hidden;
        });
    }

    private static Set<String> simpleTypeNames(PackageElement pkg) {
        Set<String> names = new HashSet<>();
        if (pkg != null) {
            for (TypeElement type : javax.lang.model.util.ElementFilter.typesIn(pkg.getEnclosedElements())) {
                names.add(type.getSimpleName().toString());
            }
        }
        return names;
    }

    /**
     * Whether every class that generated code writes qualified, because a variable (or a class of the package) hides
     * its simple name, can still be named: a variable named like the first identifier of the qualified name ({@code
     * dev} beside a parameter {@code Buffers}, which makes generated code write {@code
     * dev.leibniz.Buffers.zerosLike(...)}) hides that too (JLS 6.4.2), and nothing else names the class. Read from the
     * printed code, comments and strings left out; reported at each method with such a variable.
     */
    private boolean qualifiedNamesStayVisible(List<ExecutableElement> methods, List<GradientClassWriter.Entry> entries,
            Set<String> hidden, String text) {
        Set<String> qualified = new HashSet<>(hidden);
        entries.forEach(e -> qualified.addAll(e.variableNames()));
        String code = CODE_ONLY.matcher(text).replaceAll(" ");
        boolean ok = true;
        for (int i = 0; i < methods.size(); i++) {
            Set<String> names = entries.get(i).variableNames();
            Matcher m = QUALIFIED_NAME.matcher(code);
            while (m.find()) {
                // a class as the qualifier of a member, by a name starting with a variable: obscured (in a type, as
                // in 'new dev.leibniz.Tape()', a qualified name is a type's and nothing obscures it)
                String[] segments = m.group().split("\\.");
                int k = 1;
                while (k < segments.length - 1 && !qualified.contains(segments[k])) {
                    k++;
                }
                if (k < segments.length - 1 && names.contains(segments[0])) {
                    String className = String.join(".", java.util.Arrays.copyOf(segments, k + 1));
                    reporter.report(new Problem(treeOf(methods.get(i)), "'" + methods.get(i).getSimpleName() + "' has "
                            + "a parameter or local named " + segments[0] + ", which hides the package of " + className
                            + ", a class that its generated code must name by this qualified name, because a variable "
                            + "or a class of the package named " + segments[k] + " hides its simple name; rename the "
                            + "variable " + segments[0]), methods.get(i));
                    ok = false;
                    break;
                }
            }
        }
        return ok;
    }

    /** Comments and string literals, which name nothing. */
    private static final Pattern CODE_ONLY = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*|\"(?:[^\"\\\\]|\\\\.)*\"");

    /** A name of two identifiers or more, whole. */
    private static final Pattern QUALIFIED_NAME = Pattern.compile("(?<![\\w$.])[\\w$]+(?:\\.[\\w$]+)+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** The names of a method's parameters and locals, which generated code keeps. */
    private static Set<String> variableNames(MethodTree tree) {
        Set<String> names = new HashSet<>();
        if (tree != null) {
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitVariable(VariableTree node, Void unused) {
                    names.add(node.getName().toString());
                    return super.visitVariable(node, unused);
                }
            }.scan(tree, null);
        }
        return names;
    }

    /** The members a method may get, by name; records as {@code record Name}. */
    private static List<String> generatedMembers(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        boolean arrays = method.getParameters().stream().anyMatch(p -> p.asType().getKind() == TypeKind.ARRAY);
        List<String> members = new ArrayList<>(List.of(name, GradientNaming.pullbackName(name),
                GradientNaming.accumulateName(name), GradientNaming.differentialName(name),
                "record " + GradientNaming.recordName(name)));
        // the pullback of the differential and its record, for second derivatives through calls of the method
        String differential = GradientNaming.differentialName(name);
        members.addAll(List.of(GradientNaming.pullbackName(differential),
                "record " + GradientNaming.recordName(differential)));
        if (dev.leibniz.processor.frontend.MethodTranslator.returnsArray(method)) {
            members.add(GradientNaming.jacobianName(name));
        } else if (arrays) {
            // the accumulate form's record, when scalars are differentiated beside the arrays
            members.addAll(List.of(GradientNaming.sweepsName(name),
                    "record " + GradientNaming.accumulateRecordName(name)));
        }
        if (Callees.hessian(method)) {
            String hessianVector = GradientNaming.hessianVectorName(name);
            members.addAll(List.of(hessianVector, GradientNaming.accumulateName(hessianVector),
                    GradientNaming.hessianName(name), "record " + GradientNaming.recordName(hessianVector)));
            if (arrays) {
                members.add("record " + GradientNaming.accumulateRecordName(hessianVector));
            }
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

    /**
     * Overloads, and names whose generated members would collide, are rejected at the later method; a record named
     * like the generated class, which no nested class may be (JLS 8.1), at its method.
     */
    private boolean checkNamesAreDistinct(List<ExecutableElement> methods, String gradientClass) {
        Map<String, ExecutableElement> generatedNames = new HashMap<>();
        boolean ok = true;
        for (ExecutableElement method : methods) {
            String name = method.getSimpleName().toString();
            if (generatedMembers(method).contains("record " + gradientClass)) {
                reporter.report(new Problem(treeOf(method), "@Differentiable method '" + name + "' would get the "
                        + "record " + gradientClass + ", the name of the generated class that holds it, which a "
                        + "nested class cannot have; rename the method"), method);
                ok = false;
                continue;
            }
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
