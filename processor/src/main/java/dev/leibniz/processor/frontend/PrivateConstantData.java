package dev.leibniz.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.VariableElement;

/**
 * A {@code private static final} array of constants, which the generated class cannot read, is copied into it. The
 * copy is right only while the original holds what its initialiser put there, so it is made only when the
 * initialiser is an array initialiser of constant expressions, and every use of the name in the top-level class
 * outside {@code @Differentiable} methods reads it: an element ({@code T[i][j]} of a matrix), a length, a vector by
 * for-each or {@code clone()}. Nothing else may see the array to change it. The {@code @Differentiable} methods'
 * own uses are checked like those of any constant data ({@code ConstantDataWrites}). A name is matched by its
 * spelling alone, so a local of the same name elsewhere that is written stops the copy too: conservative.
 */
final class PrivateConstantData {
    /** The initialiser of the copy, or why there is none. */
    record Copy(Expr.ArrayLiteral initialiser, String refusal) {
    }

    private final SourceText source;
    private final ConstantValues constants;

    /**
     * @param constants evaluates the initialiser's elements; names in it must resolve as in the field's class
     */
    PrivateConstantData(SourceText source, ConstantValues constants) {
        this.source = source;
        this.constants = constants;
    }

    Copy copy(VariableElement field, ArrayType type) {
        TreePath path = source.path(field);
        if (path == null || !(path.getLeaf() instanceof VariableTree declaration)) {
            return refused("its declaration is not in the sources being compiled");
        }
        Optional<Expr.ArrayLiteral> initialiser = initialiser(declaration.getInitializer(), type);
        if (initialiser.isEmpty()) {
            return refused("its initialiser is not an array initialiser of constants ({1.5, 2, -0.25}), so "
                    + "Leibniz cannot copy it into the generated class");
        }
        Optional<Tree> change = firstUnsafeUse(path, field.getSimpleName().toString(), type.dimensions());
        if (change.isPresent()) {
            SourcePos at = source.pos(change.get());
            String text = source.text(change.get()).isEmpty() ? change.get().toString() : source.text(change.get());
            return refused("line " + at.line() + " may change it or share it (" + text + "), so Leibniz "
                    + "cannot copy it into the generated class");
        }
        return new Copy(initialiser.get(), null);
    }

    private static Copy refused(String why) {
        return new Copy(null, why);
    }

    private Optional<Expr.ArrayLiteral> initialiser(ExpressionTree tree, ArrayType type) {
        if (!(tree instanceof NewArrayTree array) || array.getInitializers() == null
                || array.getDimensions() != null && !array.getDimensions().isEmpty()) {
            return Optional.empty();
        }
        List<Expr> elements = new ArrayList<>();
        for (ExpressionTree element : array.getInitializers()) {
            Optional<? extends Expr> value = type.dimensions() > 1
                    ? initialiser(element, (ArrayType) type.component())
                    : constants.of(element).flatMap(v -> literal(v, type.element()));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            elements.add(value.get());
        }
        return Optional.of(new Expr.ArrayLiteral(type, elements, SourcePos.NONE));
    }

    /** The constant as an element of {@code type}, where Java's assignment conversion takes it there. */
    private static Optional<Expr> literal(Object value, PrimitiveType type) {
        boolean fits = switch (type) {
            case DOUBLE -> value instanceof Number;
            case FLOAT -> value instanceof Float || value instanceof Integer || value instanceof Long;
            case LONG -> value instanceof Integer || value instanceof Long;
            case INT -> value instanceof Integer;
            case BOOLEAN -> value instanceof Boolean;
        };
        return fits ? Optional.of(Constants.literal(value, type, SourcePos.NONE)) : Optional.empty();
    }

    /**
     * The statement of the first use of {@code name} in the top-level class, outside {@code @Differentiable}
     * methods, that is no read.
     */
    private static Optional<Tree> firstUnsafeUse(TreePath declaration, String name, int dimensions) {
        TreePath top = declaration;
        while (top.getParentPath() != null && !(top.getParentPath().getLeaf() instanceof com.sun.source.tree.CompilationUnitTree)) {
            top = top.getParentPath();
        }
        Tree[] found = {null};
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethod(MethodTree method, Void unused) {
                boolean differentiable = method.getModifiers().getAnnotations().stream()
                        .map(a -> a.getAnnotationType().toString())
                        .anyMatch(a -> a.equals("Differentiable") || a.endsWith(".Differentiable"));
                return differentiable ? null : super.visitMethod(method, unused);
            }

            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                if (id.getName().contentEquals(name)) {
                    check(getCurrentPath());
                }
                return null;
            }

            @Override
            public Void visitMemberSelect(MemberSelectTree select, Void unused) {
                if (select.getIdentifier().contentEquals(name)) {
                    check(getCurrentPath());
                    return null;
                }
                return super.visitMemberSelect(select, unused);
            }

            private void check(TreePath use) {
                if (found[0] == null && !isRead(use, dimensions)) {
                    TreePath statement = use;
                    while (statement.getParentPath() != null
                            && !(statement.getLeaf() instanceof com.sun.source.tree.StatementTree)) {
                        statement = statement.getParentPath();
                    }
                    found[0] = statement.getLeaf();
                }
            }
        }.scan(top, null);
        return Optional.ofNullable(found[0]);
    }

    /** Whether the use at {@code path} only reads the array: an element, a length, a for-each or clone of a vector. */
    private static boolean isRead(TreePath path, int dimensions) {
        Tree current = path.getLeaf();
        TreePath parentPath = path.getParentPath();
        int depth = 0;
        while (parentPath != null && parentPath.getLeaf() instanceof ArrayAccessTree access
                && access.getExpression() == current && depth < dimensions) {
            current = access;
            parentPath = parentPath.getParentPath();
            depth++;
        }
        Tree parent = parentPath == null ? null : parentPath.getLeaf();
        if (depth == dimensions) {
            boolean written = parent instanceof AssignmentTree a && a.getVariable() == current
                    || parent instanceof CompoundAssignmentTree c && c.getVariable() == current
                    || parent instanceof UnaryTree u && u.getExpression() == current
                            && Constructs.isIncrement(u.getKind());
            return !written;
        }
        if (parent instanceof MemberSelectTree select && select.getExpression() == current) {
            String member = select.getIdentifier().toString();
            boolean call = parentPath.getParentPath() != null
                    && parentPath.getParentPath().getLeaf() instanceof MethodInvocationTree invocation
                    && invocation.getMethodSelect() == select;
            return member.equals("length") && !call
                    || member.equals("clone") && call && dimensions - depth == 1;
        }
        return parent instanceof EnhancedForLoopTree loop && loop.getExpression() == current
                && dimensions - depth == 1;
    }
}
