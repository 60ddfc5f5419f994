package dev.leibniz.processor;

import com.sun.source.util.Trees;
import dev.leibniz.processor.frontend.Declarations;
import dev.leibniz.processor.frontend.Members;
import dev.leibniz.processor.frontend.MemoryEffects;
import dev.leibniz.processor.frontend.CustomDerivatives;
import dev.leibniz.processor.frontend.Members;
import dev.leibniz.processor.frontend.MethodTranslator;
import dev.leibniz.processor.frontend.Symbols;
import dev.leibniz.processor.ir.GradientNaming;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Generates a {@code <Class>Gradient} class for every class with {@code @Differentiable} methods.
 *
 * <p>Runs only under javac: it reads method bodies through the Compiler Tree API. Under any other compiler it
 * reports one error that says so, rather than generating nothing silently.
 */
public final class LeibnizProcessor extends AbstractProcessor {
    private Trees trees;
    private ErrorReporter reporter;
    private boolean reportedMissingTrees;
    /** Grows round by round: a derivative declared once serves every later round. */
    private final CustomDerivatives customDerivatives = new CustomDerivatives();

    /** Called by javac, which finds the processor on the processor path or module path. */
    public LeibnizProcessor() {
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        try {
            trees = JavacEnvironment.trees(env).orElse(null);
        } catch (LinkageError noTreeApi) {
            trees = null;
        }
        reporter = new ErrorReporter(env.getMessager(), trees);
    }

    /**
     * Besides {@code @Differentiable}, the processor claims the annotations it puts on its own output, so that
     * javac's {@code -Xlint:processing} has no unclaimed annotation to warn about in the next round.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(Symbols.DIFFERENTIABLE, DerivativeOfStep.DERIVATIVE_OF, GENERATED,
                GeneratedCallees.WRITES_ARRAY_ARGUMENTS, GeneratedCallees.RETURNS_ARRAY_ARGUMENT);
    }

    static final String GENERATED = "javax.annotation.processing.Generated";

    /** {@code -Aleibniz.verbose}: a note at each {@code @Differentiable} method naming what was generated for it. */
    static final String VERBOSE = "leibniz.verbose";

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(VERBOSE);
    }

    /** Whether {@code -Aleibniz.verbose} (or {@code -Aleibniz.verbose=true}) was given. */
    static boolean verbose(ProcessingEnvironment env) {
        Map<String, String> options = env.getOptions();
        return options.containsKey(VERBOSE) && !"false".equalsIgnoreCase(options.get(VERBOSE));
    }

    /** This processor's version, which generated classes name in {@code @Generated}; from a resource Maven filters. */
    static final String VERSION = readVersion();

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = LeibnizProcessor.class.getResourceAsStream("leibniz.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException unreadable) {
            // the version is for people reading generated code; without it the code is the same
        }
        String version = properties.getProperty("version", "");
        return version.isEmpty() || version.startsWith("${") ? "(unknown version)" : version;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        DerivativeOfStep derivativeOf = new DerivativeOfStep(processingEnv.getElementUtils(),
                processingEnv.getTypeUtils(), reporter);
        Set<TypeElement> wrongDerivatives = derivativeOf.collect(round, customDerivatives);
        if (trees != null) {
            // a class without a tree was compiled earlier: its declarations were checked then
            customDerivatives.readClassFilesWith(owner -> {
                if (trees.getTree(owner) == null) {
                    derivativeOf.collectFromClassFile(owner, customDerivatives);
                }
            });
        }
        if (annotations.stream().noneMatch(a -> a.getQualifiedName().contentEquals(Symbols.DIFFERENTIABLE))) {
            return !annotations.isEmpty();
        }
        if (trees == null) {
            if (!reportedMissingTrees) {
                reporter.error("Leibniz needs javac: it reads @Differentiable method bodies through the Compiler "
                        + "Tree API (com.sun.source), which this compiler does not provide. Compile with javac "
                        + "(Maven, Gradle and IntelliJ's default build use it).");
                reportedMissingTrees = true;
            }
            return true;
        }
        Map<TypeElement, List<ExecutableElement>> byClass = annotatedMethodsByClass(round);
        Set<String> ownersThisRound = byClass.keySet().stream()
                .map(t -> Symbols.classRef(t).canonicalName())
                .collect(Collectors.toSet());
        Declarations declarations = new Declarations(trees);
        Members members = new Members(processingEnv.getElementUtils()); // one round's, shared by every scan
        MemoryEffects effects = new MemoryEffects(declarations, processingEnv.getElementUtils(), members);
        GeneratedCallees callees = new GeneratedCallees(processingEnv.getElementUtils(), effects, ownersThisRound);
        MethodTranslator translator = new MethodTranslator(declarations, processingEnv.getElementUtils(),
                processingEnv.getTypeUtils(), members, effects, callees, customDerivatives);
        MethodPipeline pipeline = new MethodPipeline(translator);
        callees.checkInPlaceWith(pipeline::inPlaceProblem);
        GradientClassStep step = new GradientClassStep(processingEnv, declarations, round, reporter, pipeline,
                effects);
        DeepStack.run(() -> {
            pipeline.planSecondOrder(callees, byClass.values().stream().flatMap(List::stream).toList());
            generate(round, byClass, step, wrongDerivatives, members);
        });
        return true;
    }

    /** Each class's gradient class, or its errors; on the deep stack. */
    private void generate(RoundEnvironment round, Map<TypeElement, List<ExecutableElement>> byClass,
            GradientClassStep step, Set<TypeElement> wrongDerivatives, Members members) {
        Set<TypeElement> holdersOfHiddenMethods;
        try {
            holdersOfHiddenMethods = new HiddenMethods(trees, processingEnv.getElementUtils(), members, reporter)
                    .report(round);
        } catch (RuntimeException | StackOverflowError bug) {
            reporter.error("Leibniz failed looking for @Differentiable methods of local classes (" + bug + "). This is "
                    + "a bug in Leibniz; please report it with the class that triggers it.");
            return;
        }
        Map<String, TypeElement> gradientOwners = new HashMap<>();
        for (Map.Entry<TypeElement, List<ExecutableElement>> entry : byClass.entrySet()) {
            String gradient = GradientNaming.gradientClass(Symbols.classRef(entry.getKey())).canonicalName();
            TypeElement previous = gradientOwners.putIfAbsent(gradient, entry.getKey());
            if (previous != null) {
                reporter.error(previous.getQualifiedName() + " and " + entry.getKey().getQualifiedName()
                        + " would both get the gradient class " + gradient + "; rename one of them", entry.getKey());
                continue;
            }
            if (wrongDerivatives.contains(entry.getKey())) {
                continue; // its errors are reported; a class with errors gets no gradient class
            }
            try {
                // a local class's method is part of its top-level class: reported, it leaves that class no gradient
                boolean generate = !holdersOfHiddenMethods.contains(topLevel(entry.getKey()));
                step.process(entry.getKey(), entry.getValue(), generate);
            } catch (StackOverflowError tooDeep) {
                reporter.error("a @Differentiable method of " + entry.getKey().getSimpleName() + " nests expressions "
                        + "or statements too deeply for Leibniz; split long expressions into several statements",
                        entry.getKey());
            } catch (RuntimeException bug) {
                if (Boolean.getBoolean("leibniz.trace")) {
                    bug.printStackTrace(); // for Leibniz's own developers: -J-Dleibniz.trace=true
                }
                reporter.error("Leibniz failed on " + entry.getKey().getSimpleName() + " (" + bug.getClass().getName()
                        + (bug.getMessage() == null ? "" : ": " + bug.getMessage()) + "). This is a bug in Leibniz; "
                        + "please report it with the method that triggers it.", entry.getKey());
            }
        }
    }

    private static TypeElement topLevel(TypeElement type) {
        TypeElement top = type;
        while (top.getEnclosingElement() instanceof TypeElement outer) {
            top = outer;
        }
        return top;
    }

    /** Annotated methods grouped by declaring class, classes by name and methods in source order. */
    private Map<TypeElement, List<ExecutableElement>> annotatedMethodsByClass(RoundEnvironment round) {
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(Symbols.DIFFERENTIABLE);
        List<TypeElement> owners = new ArrayList<>();
        for (Element e : round.getElementsAnnotatedWith(annotation)) {
            if (e.getKind() == ElementKind.METHOD && e.getEnclosingElement() instanceof TypeElement owner
                    && !owners.contains(owner)) {
                owners.add(owner);
            }
        }
        owners.sort(Comparator.comparing(t -> t.getQualifiedName().toString()));
        Map<TypeElement, List<ExecutableElement>> sorted = new LinkedHashMap<>();
        for (TypeElement owner : owners) {
            List<ExecutableElement> methods = new ArrayList<>();
            for (Element member : owner.getEnclosedElements()) {
                if (member.getKind() == ElementKind.METHOD
                        && Symbols.isAnnotatedDifferentiable(member)) {
                    methods.add((ExecutableElement) member);
                }
            }
            sorted.put(owner, methods);
        }
        return sorted;
    }
}
