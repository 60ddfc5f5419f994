package dev.leibniz.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a method may write into the arrays its caller passes: an element write through a parameter, or through a
 * local that may alias one ({@code double[] row = m[i]}). Syntactic and conservative, which is what a refusal
 * needs.
 */
public final class ArrayWrites {
    private static final Set<Tree.Kind> INCREMENTS = Set.of(Tree.Kind.PREFIX_INCREMENT, Tree.Kind.PREFIX_DECREMENT,
            Tree.Kind.POSTFIX_INCREMENT, Tree.Kind.POSTFIX_DECREMENT);

    private ArrayWrites() {
    }

    public static boolean writesParameters(MethodTree method) {
        if (method.getBody() == null) {
            return false;
        }
        // Only arrays alias: a scalar named like an array of another scope must not make it one.
        Set<String> arrays = new HashSet<>();
        Set<String> aliases = new HashSet<>();
        method.getParameters().stream().filter(ArrayWrites::mayBeArray)
                .forEach(p -> aliases.add(p.getName().toString()));
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree tree, Void unused) {
                if (mayBeArray(tree)) {
                    arrays.add(tree.getName().toString());
                }
                return super.visitVariable(tree, unused);
            }
        }.scan(method.getBody(), null);
        // Locals that alias a parameter, to a fixed point (declaration order does not matter).
        boolean changed = true;
        while (changed) {
            int before = aliases.size();
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitVariable(VariableTree tree, Void unused) {
                    if (mayBeArray(tree) && tree.getInitializer() != null
                            && aliases.contains(root(tree.getInitializer()))) {
                        aliases.add(tree.getName().toString());
                    }
                    return super.visitVariable(tree, unused);
                }

                @Override
                public Void visitAssignment(AssignmentTree tree, Void unused) {
                    if (tree.getVariable() instanceof IdentifierTree id && arrays.contains(id.getName().toString())
                            && aliases.contains(root(tree.getExpression()))) {
                        aliases.add(id.getName().toString());
                    }
                    return super.visitAssignment(tree, unused);
                }
            }.scan(method.getBody(), null);
            changed = aliases.size() != before;
        }
        boolean[] writes = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitAssignment(AssignmentTree tree, Void unused) {
                check(tree.getVariable());
                return super.visitAssignment(tree, unused);
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
                check(tree.getVariable());
                return super.visitCompoundAssignment(tree, unused);
            }

            @Override
            public Void visitUnary(UnaryTree tree, Void unused) {
                if (INCREMENTS.contains(tree.getKind())) { // -a[i] reads; a[i]++ writes
                    check(tree.getExpression());
                }
                return super.visitUnary(tree, unused);
            }

            private void check(ExpressionTree target) {
                if (target instanceof ArrayAccessTree && aliases.contains(root(target))) {
                    writes[0] = true;
                }
            }
        }.scan(method.getBody(), null);
        return writes[0];
    }

    /** Declared as an array, or with {@code var} (whose type the trees do not say before attribution). */
    private static boolean mayBeArray(VariableTree variable) {
        Tree type = variable.getType();
        return type == null || !(type instanceof PrimitiveTypeTree);
    }

    /** The identifier an array expression starts from: {@code m} in {@code m[i][j]}. */
    private static String root(Tree tree) {
        Tree t = tree;
        while (t instanceof ArrayAccessTree access) {
            t = access.getExpression();
        }
        return t instanceof IdentifierTree id ? id.getName().toString() : null;
    }
}
