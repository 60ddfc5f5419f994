/**
 * Leibniz's annotation processor: reads the bodies of {@code @Differentiable} methods through javac's Compiler Tree
 * API and writes their derivatives as Java source. Runs from the processor path (class path) or the processor
 * module path alike.
 */
@SuppressWarnings("requires-automatic") // JavaPoet is an automatic module
module dev.leibniz.processor {
    requires transitive java.compiler;
    requires jdk.compiler;
    requires com.palantir.javapoet;

    exports dev.leibniz.processor;

    provides javax.annotation.processing.Processor with dev.leibniz.processor.LeibnizProcessor;
}
