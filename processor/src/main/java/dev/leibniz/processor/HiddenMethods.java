package dev.leibniz.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.leibniz.processor.frontend.Problem;
import dev.leibniz.processor.frontend.Members;
import dev.leibniz.processor.frontend.Symbols;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * {@code @Differentiable} methods of local and anonymous classes. javac shows annotation processors only the
 * members of classes, so these would be skipped without a word; no generated class could name their class anyway.
 * They are found in the trees of the round's classes and reported, and their top-level class gets no gradient class.
 *
 * <p>javac runs Leibniz only when some class of the compilation has a {@code @Differentiable} method it can see; a
 * compilation whose only ones are in local classes generates nothing and reports nothing.
 */
final class HiddenMethods {
    private final Trees trees;
    private final Elements elements;
    private final Members members;
    private final ErrorReporter reporter;

    HiddenMethods(Trees trees, Elements elements, Members members, ErrorReporter reporter) {
        this.trees = trees;
        this.elements = elements;
        this.members = members;
        this.reporter = reporter;
    }

    /** Reports every such method of the round's classes; returns the top-level classes that hold one. */
    Set<TypeElement> report(RoundEnvironment round) {
        Set<TypeElement> holders = new LinkedHashSet<>();
        for (Element root : round.getRootElements()) {
            TreePath path = root instanceof TypeElement ? trees.getPath(root) : null;
            if (path == null) {
                continue;
            }
            TypeElement type = (TypeElement) root;
            CompilationUnitTree unit = path.getCompilationUnit();
            new TreePathScanner<Void, Void>() {
                /** Names resolve from the innermost member class around them (its member types shadow imports). */
                private Symbols symbols = new Symbols(elements, members, type, unit);

                @Override
                public Void visitClass(ClassTree node, Void unused) {
                    Tree parent = getCurrentPath().getParentPath().getLeaf();
                    if (parent instanceof ClassTree || parent instanceof CompilationUnitTree) {
                        Symbols outer = symbols;
                        if (trees.getElement(getCurrentPath()) instanceof TypeElement member) {
                            symbols = new Symbols(elements, members, member, unit);
                        }
                        super.visitClass(node, unused);
                        symbols = outer;
                        return null;
                    }
                    String kind = parent.getKind() == Tree.Kind.NEW_CLASS ? "an anonymous" : "a local";
                    for (Tree member : node.getMembers()) {
                        if (member instanceof MethodTree method && isDifferentiable(method, symbols)) {
                            reporter.report(new Problem(method, "@Differentiable method '" + method.getName()
                                    + "' is in " + kind + " class, which no generated class can name; move it to "
                                    + "a top-level or member class"), type);
                            holders.add(type);
                        }
                    }
                    return super.visitClass(node, unused);
                }

                @Override
                public Void visitMethod(MethodTree node, Void unused) {
                    // the body of a @Differentiable method reports its local classes itself
                    return isDifferentiable(node, symbols) ? null : super.visitMethod(node, unused);
                }
            }.scan(path, null);
        }
        return holders;
    }

    private static boolean isDifferentiable(MethodTree method, Symbols symbols) {
        for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
            if (annotation.getAnnotationType() instanceof ExpressionTree name && symbols.resolveTypeName(name)
                    .filter(t -> t.getQualifiedName().contentEquals(Symbols.DIFFERENTIABLE)).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
