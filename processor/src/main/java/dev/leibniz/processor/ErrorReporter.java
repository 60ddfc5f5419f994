package dev.leibniz.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.leibniz.processor.frontend.Problem;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/** The processor's one way to speak to the user: javac diagnostics at the exact tree, never a stack trace. */
final class ErrorReporter {
    private final Messager messager;
    private final Trees trees;

    ErrorReporter(Messager messager, Trees trees) {
        this.messager = messager;
        this.trees = trees;
    }

    /** Reports {@code problem}, found in a method of {@code context}'s compilation unit. */
    void report(Problem problem, Element context) {
        TreePath path = trees == null ? null : trees.getPath(context);
        if (path != null && problem.tree() != null) {
            CompilationUnitTree unit = path.getCompilationUnit();
            trees.printMessage(Diagnostic.Kind.ERROR, problem.message(), problem.tree(), unit);
        } else {
            messager.printMessage(Diagnostic.Kind.ERROR, problem.message(), context);
        }
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
