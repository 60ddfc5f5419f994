package dev.leibniz.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.processor.testing.Compiled;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * What the diagnostics tests share: compiling sources with Leibniz as the project's tests do, locating the expected
 * position of an error by the source text it should point at, and asserting what a user must see of a rejected
 * class — the errors, each at its line and column and no other, no exception from the processor, and no gradient
 * class.
 *
 * <p>Positions are javac's "preferred positions" of the reported tree: the first character of a statement or
 * declaration, the name of a method or parameter, the operator of a binary, unary or assignment expression, the
 * {@code (} of a call and the {@code .} of a qualified name. Each test locates the expected position with
 * {@link #at(String, String)} or {@link #at(String, String, String)}, by the source text it should point at.
 */
final class DiagnosticsHarness {
    static final String IN = "in a @Differentiable method";

    private DiagnosticsHarness() {
    }

    /** A compilation, and which gradient classes Leibniz wrote during it. */
    record Result(Compilation compilation) {
        /**
         * Qualified names of the Java sources generated during the compilation, failed or not. compile-testing
         * hides the generated files of a failed compilation behind {@code generatedFiles()}'s status check, but
         * keeps them; reading them is the only way to prove that a rejected class got no gradient class.
         * {@link DiagnosticsTest#harnessSeesTheGradientClassesOfAnAcceptedClass} fails if this stops working.
         */
        Set<String> generatedSources() {
            List<JavaFileObject> files;
            try {
                Field field = Compilation.class.getDeclaredField("generatedFiles");
                field.setAccessible(true);
                @SuppressWarnings("unchecked")
                List<JavaFileObject> generated = (List<JavaFileObject>) field.get(compilation);
                files = generated;
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("compile-testing changed: cannot read the generated files", e);
            }
            Set<String> names = new TreeSet<>();
            for (JavaFileObject f : files) {
                String path = f.toUri().getPath();
                String marker = "/SOURCE_OUTPUT/";
                if (f.getKind() == JavaFileObject.Kind.SOURCE && path.contains(marker)) {
                    names.add(path.substring(path.indexOf(marker) + marker.length(), path.length() - ".java".length())
                            .replace('/', '.'));
                }
            }
            return names;
        }
    }

    /** Compiles as the project's tests do: {@link Compiled#compiler()}, javac with Leibniz, -Xlint:all -Werror. */
    static Result compile(JavaFileObject... files) {
        return new Result(Compiled.compiler().compile(files));
    }

    /**
     * Compiles as a user's build without {@code -Werror} ({@code -Xlint:all} only), where a warning is reported and
     * the build goes on: for Leibniz's warnings, which must not stop generation.
     */
    static Result compileAllowingWarnings(JavaFileObject... files) {
        List<String> options = Compiled.OPTIONS.stream().filter(o -> !o.equals("-Werror")).toList();
        return new Result(com.google.testing.compile.Compiler.javac().withProcessors(new LeibnizProcessor())
                .withOptions(options).compile(files));
    }

    static Expected warning(String message, Pos pos) {
        return new Expected(message, pos);
    }

    /**
     * Exactly {@code warnings}, each at its position, in a compilation that succeeded, without errors or a crash,
     * and with the gradient class of {@code file}'s top-level class generated: a warning does not stop Leibniz.
     */
    static void assertWarnings(Result result, JavaFileObject file, Expected... warnings) {
        Compilation compilation = result.compilation();
        assertWithMessage("a warning must not fail the build; diagnostics:\n" + describe(compilation))
                .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertNoProcessorCrash(compilation);
        for (Expected w : warnings) {
            assertThat(compilation).hadWarningContaining(w.message()).inFile(file).onLine(w.pos().line())
                    .atColumn(w.pos().column());
        }
        assertWithMessage("number of warnings; all diagnostics:\n" + describe(compilation))
                .that(compilation.warnings().size()).isEqualTo(warnings.length);
        String topLevel = file.getName().replaceFirst("^/", "").replaceFirst("\\.java$", "").replace('/', '.');
        assertWithMessage("a warning must not stop generation; diagnostics:\n" + describe(compilation))
                .that(result.generatedSources().stream()
                        .anyMatch(n -> n.startsWith(topLevel + "Gradient") || n.startsWith(topLevel + "_")))
                .isTrue();
    }

    static final String PICK = "com.example.Pick";

    /** The source of a class {@code com.example.Pick} with one {@code @Differentiable} method. */
    static String pick(String method) {
        return """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    @Differentiable
                """ + method.indent(4) + "}\n";
    }

    /** A 1-based line and column, as javac reports them. */
    record Pos(long line, long column) {
    }

    record Expected(String message, Pos pos) {
    }

    static Expected error(String message, Pos pos) {
        return new Expected(message, pos);
    }

    /** Where the only occurrence of {@code snippet} in {@code source} starts. */
    static Pos at(String source, String snippet) {
        return at(source, snippet, snippet.substring(0, 1));
    }

    /** Where {@code part} starts inside the only occurrence of {@code snippet} in {@code source}. */
    static Pos at(String source, String snippet, String part) {
        int start = source.indexOf(snippet);
        if (start < 0 || source.indexOf(snippet, start + 1) >= 0) {
            throw new IllegalArgumentException("'" + snippet + "' must occur exactly once in\n" + source);
        }
        int within = snippet.indexOf(part);
        if (within < 0) {
            throw new IllegalArgumentException("'" + part + "' is not in '" + snippet + "'");
        }
        int offset = start + within;
        long line = 1 + source.substring(0, offset).chars().filter(c -> c == '\n').count();
        long column = offset - (source.lastIndexOf('\n', offset - 1) + 1) + 1;
        return new Pos(line, column);
    }

    /** Compiles one class and asserts that exactly {@code errors} are reported, and no gradient class generated. */
    static void assertRejected(String qualifiedName, String source, Expected... errors) {
        JavaFileObject file = JavaFileObjects.forSourceString(qualifiedName, source);
        assertRejected(compile(file), file, errors);
    }

    static void assertRejected(Result result, JavaFileObject file, Expected... errors) {
        assertOnlyErrors(result.compilation(), file, errors);
        assertNoGradient(result, file);
    }

    /**
     * Exactly {@code errors}, each at its position, and no exception from the processor: for javac's own errors,
     * which javac finds after Leibniz has run (a gradient class may have been written for a class javac rejects).
     */
    static void assertOnlyErrors(Compilation compilation, JavaFileObject file, Expected... errors) {
        assertThat(compilation).failed();
        assertNoProcessorCrash(compilation);
        for (Expected e : errors) {
            assertThat(compilation).hadErrorContaining(e.message()).inFile(file).onLine(e.pos().line())
                    .atColumn(e.pos().column());
        }
        assertErrorCount(compilation, errors.length);
    }

    /** The gradient class Leibniz would generate for the top-level class of {@code file}, and for nested ones. */
    static void assertNoGradient(Result result, JavaFileObject file) {
        String topLevel = file.getName().replaceFirst("^/", "").replaceFirst("\\.java$", "").replace('/', '.');
        assertWithMessage("no gradient class may be generated for a rejected class; diagnostics:\n"
                + describe(result.compilation()))
                .that(result.generatedSources().stream()
                        .filter(n -> n.startsWith(topLevel + "Gradient") || n.startsWith(topLevel + "_"))
                        .toList())
                .isEmpty();
    }

    static void assertNoProcessorCrash(Compilation compilation) {
        for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
            String message = d.getMessage(Locale.ROOT);
            assertWithMessage("the processor must report problems, not fail:\n" + describe(compilation))
                    .that(message).doesNotContain("This is a bug in Leibniz");
            assertWithMessage("the processor must not throw:\n" + describe(compilation))
                    .that(message).doesNotContain("An annotation processor threw an uncaught exception");
        }
    }

    static void assertNoDiagnosticContaining(Result result, String text) {
        for (Diagnostic<? extends JavaFileObject> d : result.compilation().diagnostics()) {
            assertWithMessage("all diagnostics:\n" + describe(result.compilation()))
                    .that(d.getMessage(Locale.ROOT)).doesNotContain(text);
        }
    }

    static void assertErrorCount(Compilation compilation, int expected) {
        assertWithMessage("number of errors; all diagnostics:\n" + describe(compilation))
                .that(compilation.errors().size()).isEqualTo(expected);
    }

    static String describe(Compilation compilation) {
        return compilation.diagnostics().stream()
                .map(d -> d.getKind() + " " + d.getLineNumber() + ":" + d.getColumnNumber() + " "
                        + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
    }
}
