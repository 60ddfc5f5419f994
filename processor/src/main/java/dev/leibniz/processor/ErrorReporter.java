package dev.leibniz.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.leibniz.processor.frontend.Problem;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The processor's one way to speak to the user: javac diagnostics at the exact tree, never a stack trace. Errors stop
 * the class's generation; warnings ({@link #warning}) do not, and {@code @SuppressWarnings("leibniz")} silences them.
 */
final class ErrorReporter {
    private final Messager messager;
    private final Trees trees;

    ErrorReporter(Messager messager, Trees trees) {
        this.messager = messager;
        this.trees = trees;
    }

    /** Reports {@code problem}, found in a method of {@code context}'s compilation unit. */
    void report(Problem problem, Element context) {
        print(Diagnostic.Kind.ERROR, problem, context);
    }

    /**
     * A warning at {@code problem}'s tree, found in a method of {@code context}'s compilation unit: javac prints it
     * as its own warnings ({@code warning:} at file, line and column), and {@code -Werror} fails the build on it.
     * Whether the user suppressed it is the caller's question ({@link #suppressed}).
     */
    void warning(Problem problem, Element context) {
        print(Diagnostic.Kind.WARNING, problem, context);
    }

    private void print(Diagnostic.Kind kind, Problem problem, Element context) {
        TreePath path = trees == null ? null : trees.getPath(context);
        if (path != null && problem.tree() != null) {
            CompilationUnitTree unit = path.getCompilationUnit();
            trees.printMessage(kind, problem.message(), problem.tree(), unit);
        } else {
            messager.printMessage(kind, problem.message(), context);
        }
    }

    /** The key of {@code @SuppressWarnings} that silences Leibniz's warnings. */
    static final String SUPPRESSION_KEY = "leibniz";

    /**
     * Whether {@code @SuppressWarnings("leibniz")} is on {@code element} or on a declaration around it (its method,
     * its classes, outermost included), as javac's own keys work. Only that exact key: javac ignores
     * {@code "all"}, and so does Leibniz.
     */
    static boolean suppressed(Element element) {
        for (Element e = element; e != null && e.getKind() != javax.lang.model.element.ElementKind.PACKAGE
                && e.getKind() != javax.lang.model.element.ElementKind.MODULE; e = e.getEnclosingElement()) {
            SuppressWarnings suppress = e.getAnnotation(SuppressWarnings.class);
            if (suppress != null && java.util.Arrays.asList(suppress.value()).contains(SUPPRESSION_KEY)) {
                return true;
            }
        }
        return false;
    }

    void error(String message, Element element) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }

    /** An error on an annotation of {@code element}, which javac points at. */
    void error(String message, Element element, AnnotationMirror annotation) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, element, annotation);
    }

    void error(String message) {
        messager.printMessage(Diagnostic.Kind.ERROR, message);
    }

    void note(String message) {
        messager.printMessage(Diagnostic.Kind.NOTE, message);
    }

    void note(String message, Element element) {
        messager.printMessage(Diagnostic.Kind.NOTE, message, element);
    }
}
