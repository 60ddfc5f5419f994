package dev.leibniz.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.leibniz.processor.testing.Compiled;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/** How the processor behaves where javac's Compiler Tree API is out of reach. */
class ProcessingEnvironmentTest {
    private static final String SOURCE = """
            package com.example;
            import dev.leibniz.Differentiable;
            final class Square {
                @Differentiable
                static double square(double x) { return x * x; }
            }
            """;

    @Test
    void withoutTheTreeApiTheProcessorReportsOneClearErrorInsteadOfGeneratingNothing() {
        Compilation compilation = Compiler.javac()
                .withProcessors(new HidingTreesProcessor(new LeibnizProcessor()))
                .compile(Compiled.sources("com.example.Square", SOURCE));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("Leibniz needs javac");
        assertThat(compilation).hadErrorContaining("Compiler Tree API");
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
        org.junit.jupiter.api.Assertions.assertEquals(0, compilation.generatedSourceFiles().size());
    }

    /**
     * Passes Leibniz a {@link ProcessingEnvironment} that is not javac's own, as a compiler without the Tree API
     * would ({@code Trees.instance} rejects it).
     */
    private static final class HidingTreesProcessor extends AbstractProcessor {
        private final LeibnizProcessor delegate;

        HidingTreesProcessor(LeibnizProcessor delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized void init(ProcessingEnvironment env) {
            super.init(env);
            ProcessingEnvironment foreign = (ProcessingEnvironment) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {ProcessingEnvironment.class},
                    (proxy, method, args) -> {
                        try {
                            return method.invoke(env, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            delegate.init(foreign);
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return delegate.getSupportedAnnotationTypes();
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
}
