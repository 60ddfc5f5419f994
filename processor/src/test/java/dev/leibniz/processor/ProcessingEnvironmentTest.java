package dev.leibniz.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * How the processor behaves in the environments build tools give it: javac's own, wrapped by Gradle or IntelliJ, or
 * one where javac's Compiler Tree API is out of reach.
 */
class ProcessingEnvironmentTest {
    private static final String SQUARE = """
            package com.example;
            import dev.leibniz.Differentiable;
            final class Square {
                @Differentiable
                static double square(double x) { return x * x; }
            }
            """;
    private static final String CUBE = """
            package com.example;
            import dev.leibniz.Differentiable;
            final class Cube {
                @Differentiable
                static double cube(double x) { return Square.square(x) * x; }
            }
            """;

    @Test
    void withoutTheTreeApiTheProcessorReportsOneClearErrorInsteadOfGeneratingNothing() {
        // A proxy whose handler is a lambda: no wrapper Leibniz knows, so the Tree API stays out of reach.
        Compilation compilation = Compiler.javac()
                .withProcessors(new WrappingProcessor(env -> proxy(ProcessingEnvironment.class,
                        (proxy, method, args) -> forward(env, method, args))))
                .compile(Compiled.sources("com.example.Square", SQUARE));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("Leibniz needs javac");
        assertThat(compilation).hadErrorContaining("Compiler Tree API");
    }

    @Test
    void theProcessorSupportsTheLatestSourceVersionOfTheJdkItRunsOn() {
        // so that javac 17 to 25 (CI runs both) has no "supported source version" warning to give
        assertEquals(SourceVersion.latestSupported(), new LeibnizProcessor().getSupportedSourceVersion());
    }

    @Test
    void aClassWithoutAnnotatedMethodsIsLeftAlone() {
        Compilation compilation = Compiled.compiler().compile(Compiled.sources("com.example.Plain", """
                package com.example;
                final class Plain {
                    static double square(double x) { return x * x; }
                }
                """));
        assertThat(compilation).succeededWithoutWarnings();
        assertEquals(0, compilation.generatedSourceFiles().size());
    }

    @Test
    void underGradlesIncrementalEnvironmentTheGradientsAreRightAndEachFileHasItsSourceClassAsOrigin() {
        List<String> created = new ArrayList<>();
        WrappingProcessor gradle = new WrappingProcessor(env -> new IncrementalProcessingEnvironment(env,
                new RecordingFiler(env.getFiler(), created)));
        checkGradients(gradle);
        assertEquals(List.of("com.example.CubeGradient <- [com.example.Cube]",
                "com.example.SquareGradient <- [com.example.Square]"), created.stream().sorted().toList());
    }

    @Test
    void underIntellijsProxiedEnvironmentTheGradientsAreRight() {
        List<String> created = new ArrayList<>();
        WrappingProcessor idea = new WrappingProcessor(env -> intellijStyleWrapper(ProcessingEnvironment.class, env,
                Map.of("getFiler", new RecordingFiler(env.getFiler(), created))));
        checkGradients(idea);
        assertEquals(2, created.size());
    }

    @Test
    void wrappersOfWrappersAreUnwrappedToo() {
        WrappingProcessor both = new WrappingProcessor(env -> intellijStyleWrapper(ProcessingEnvironment.class,
                new IncrementalProcessingEnvironment(env, env.getFiler()), Map.of()));
        checkGradients(both);
    }

    private static void checkGradients(WrappingProcessor processor) {
        Compiled compiled = Compiled.compile(Compiler.javac().withProcessors(processor).withOptions(Compiled.OPTIONS),
                ClassLoader.getSystemClassLoader(), Compiled.sources("com.example.Square", SQUARE,
                        "com.example.Cube", CUBE));
        new GradientCheck(compiled, "com.example.Square").check("square", 1.7);
        new GradientCheck(compiled, "com.example.Cube").check("cube", -0.6);
    }

    /** Leibniz behind a wrapper of javac's environment, as a build tool runs it. */
    private static final class WrappingProcessor extends AbstractProcessor {
        private final LeibnizProcessor delegate = new LeibnizProcessor();
        private final UnaryOperator<ProcessingEnvironment> wrap;

        WrappingProcessor(UnaryOperator<ProcessingEnvironment> wrap) {
            this.wrap = wrap;
        }

        @Override
        public synchronized void init(ProcessingEnvironment env) {
            super.init(env);
            delegate.init(wrap.apply(env));
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return delegate.getSupportedAnnotationTypes();
        }

        @Override
        public Set<String> getSupportedOptions() {
            return delegate.getSupportedOptions();
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return delegate.getSupportedSourceVersion();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            return delegate.process(annotations, round);
        }
    }

    /**
     * Shaped like IntelliJ's build wrappers: a proxy whose handler, an anonymous class, captured the object it
     * delegates to; {@code overrides} answer some methods instead.
     */
    private static <T> T intellijStyleWrapper(Class<T> type, T delegateTo, Map<String, Object> overrides) {
        return proxy(type, new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                Object override = overrides.get(method.getName());
                return override != null ? override : forward(delegateTo, method, args);
            }
        });
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(ProcessingEnvironmentTest.class.getClassLoader(),
                new Class<?>[] {type}, handler));
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Shaped like Gradle's: a decorator with the wrapped environment in {@code delegate} and a Filer of its own. */
    private static final class IncrementalProcessingEnvironment implements ProcessingEnvironment {
        private final ProcessingEnvironment delegate;
        private final Filer filer;

        IncrementalProcessingEnvironment(ProcessingEnvironment delegate, Filer filer) {
            this.delegate = delegate;
            this.filer = filer;
        }

        @Override
        public Map<String, String> getOptions() {
            return delegate.getOptions();
        }

        @Override
        public Messager getMessager() {
            return delegate.getMessager();
        }

        @Override
        public Filer getFiler() {
            return filer;
        }

        @Override
        public Elements getElementUtils() {
            return delegate.getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
            return delegate.getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
            return delegate.getSourceVersion();
        }

        @Override
        public Locale getLocale() {
            return delegate.getLocale();
        }
    }

    /** Records each source file created and its originating elements, as Gradle's isolating mode checks them. */
    private static final class RecordingFiler implements Filer {
        private final Filer delegate;
        private final List<String> created;

        RecordingFiler(Filer delegate, List<String> created) {
            this.delegate = delegate;
            this.created = created;
        }

        @Override
        public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements)
                throws java.io.IOException {
            created.add(name + " <- " + Arrays.toString(originatingElements));
            return delegate.createSourceFile(name, originatingElements);
        }

        @Override
        public JavaFileObject createClassFile(CharSequence name, Element... originatingElements)
                throws java.io.IOException {
            throw new AssertionError("Leibniz writes sources only");
        }

        @Override
        public FileObject createResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                CharSequence relativeName, Element... originatingElements) throws java.io.IOException {
            throw new AssertionError("Leibniz writes sources only");
        }

        @Override
        public FileObject getResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                CharSequence relativeName) throws java.io.IOException {
            throw new AssertionError("an isolating processor reads no resources");
        }
    }
}
