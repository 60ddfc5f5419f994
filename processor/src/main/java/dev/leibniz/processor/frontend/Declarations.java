package dev.leibniz.processor.frontend;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The trees of declarations, looked up once per class for a round. {@link Trees#getPath(Element)} searches the whole
 * compilation unit on every call, which made a class of n methods cost n&sup2;; here a class is searched once and its
 * methods are found among its members. Also one {@link SourceText} per compilation unit, which reads the file once.
 */
public final class Declarations {
    private final Trees trees;
    private final Map<TypeElement, Map<Element, TreePath>> methodsByClass = new HashMap<>();
    private final Map<CompilationUnitTree, SourceText> sources = new HashMap<>();

    public Declarations(Trees trees) {
        this.trees = trees;
    }

    public Trees trees() {
        return trees;
    }

    /** The path of a method's declaration; {@code null} when its class comes from a class file. */
    public TreePath path(ExecutableElement method) {
        if (!(method.getEnclosingElement() instanceof TypeElement owner)) {
            return trees.getPath(method);
        }
        return methodsByClass.computeIfAbsent(owner, this::methodsOf).get(method);
    }

    /** A method's declaration; {@code null} when its class comes from a class file. */
    public MethodTree tree(ExecutableElement method) {
        TreePath path = path(method);
        return path == null ? null : (MethodTree) path.getLeaf();
    }

    /** Whether {@code element} is declared in the sources being compiled (not in a class file). */
    public boolean isInSources(Element element) {
        if (element instanceof ExecutableElement method) {
            return path(method) != null;
        }
        return trees.getPath(element) != null;
    }

    public SourceText source(CompilationUnitTree unit) {
        return sources.computeIfAbsent(unit, u -> new SourceText(trees, u, this));
    }

    private Map<Element, TreePath> methodsOf(TypeElement owner) {
        Map<Element, TreePath> methods = new HashMap<>();
        TreePath classPath = trees.getPath(owner);
        if (classPath == null || !(classPath.getLeaf() instanceof ClassTree type)) {
            return methods;
        }
        for (Tree member : type.getMembers()) {
            if (member instanceof MethodTree) {
                TreePath path = new TreePath(classPath, member);
                Element element = trees.getElement(path);
                if (element != null) {
                    methods.put(element, path);
                }
            }
        }
        return methods;
    }
}
