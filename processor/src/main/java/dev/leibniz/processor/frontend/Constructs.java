package dev.leibniz.processor.frontend;

import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.PrimitiveType;
import java.util.Optional;
import javax.lang.model.type.TypeKind;

/** What the subset's constructs are called, and what to tell a user about the ones outside it. */
final class Constructs {
    private Constructs() {
    }

    static BinaryOp binaryOp(Tree.Kind kind) {
        return switch (kind) {
            case MULTIPLY, MULTIPLY_ASSIGNMENT -> BinaryOp.MUL;
            case DIVIDE, DIVIDE_ASSIGNMENT -> BinaryOp.DIV;
            case REMAINDER, REMAINDER_ASSIGNMENT -> BinaryOp.REM;
            case PLUS, PLUS_ASSIGNMENT -> BinaryOp.ADD;
            case MINUS, MINUS_ASSIGNMENT -> BinaryOp.SUB;
            case LEFT_SHIFT, LEFT_SHIFT_ASSIGNMENT -> BinaryOp.SHL;
            case RIGHT_SHIFT, RIGHT_SHIFT_ASSIGNMENT -> BinaryOp.SHR;
            case UNSIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> BinaryOp.USHR;
            case LESS_THAN -> BinaryOp.LT;
            case GREATER_THAN -> BinaryOp.GT;
            case LESS_THAN_EQUAL -> BinaryOp.LE;
            case GREATER_THAN_EQUAL -> BinaryOp.GE;
            case EQUAL_TO -> BinaryOp.EQ;
            case NOT_EQUAL_TO -> BinaryOp.NE;
            case AND, AND_ASSIGNMENT -> BinaryOp.AND;
            case XOR, XOR_ASSIGNMENT -> BinaryOp.XOR;
            case OR, OR_ASSIGNMENT -> BinaryOp.OR;
            case CONDITIONAL_AND -> BinaryOp.CONDITIONAL_AND;
            case CONDITIONAL_OR -> BinaryOp.CONDITIONAL_OR;
            default -> null;
        };
    }

    static boolean isCompoundAssignment(Tree.Kind kind) {
        return kind.name().endsWith("_ASSIGNMENT");
    }

    /** The subset's type a type tree names: a primitive, or an array of one; empty otherwise. */
    static Optional<Type> type(Tree tree) {
        if (tree instanceof PrimitiveTypeTree primitive) {
            return primitive(primitive.getPrimitiveTypeKind()).map(p -> p);
        }
        if (tree instanceof ArrayTypeTree array) {
            return type(array.getType()).map(component -> component instanceof ArrayType a
                    ? new ArrayType(a.element(), a.dimensions() + 1)
                    : new ArrayType((PrimitiveType) component, 1));
        }
        return Optional.empty();
    }

    /**
     * What to write instead of a type outside the subset that has a counterpart in it, as the end of a message:
     * {@code "; write double instead of Double"}; empty when it has none.
     */
    static String instead(Tree type) {
        return counterpart(type).map(c -> "; write " + c + " instead of " + type).orElse("");
    }

    private static Optional<String> counterpart(Tree type) {
        if (type instanceof ArrayTypeTree array) {
            return counterpart(array.getType()).map(c -> c + "[]");
        }
        if (type instanceof PrimitiveTypeTree primitive) {
            return switch (primitive.getPrimitiveTypeKind()) {
                case SHORT, BYTE, CHAR -> Optional.of("int");
                default -> Optional.empty();
            };
        }
        String name = type.toString().startsWith("java.lang.") ? type.toString().substring("java.lang.".length())
                : type.toString();
        return Optional.ofNullable(switch (name) {
            case "Double", "Float" -> "double";
            case "Integer", "Short", "Byte", "Character" -> "int";
            case "Long" -> "long";
            case "Boolean" -> "boolean";
            default -> null;
        });
    }

    static Optional<PrimitiveType> primitive(TypeKind kind) {
        return switch (kind) {
            case DOUBLE -> Optional.of(PrimitiveType.DOUBLE);
            case FLOAT -> Optional.of(PrimitiveType.FLOAT);
            case LONG -> Optional.of(PrimitiveType.LONG);
            case INT -> Optional.of(PrimitiveType.INT);
            case BOOLEAN -> Optional.of(PrimitiveType.BOOLEAN);
            default -> Optional.empty();
        };
    }

    private static final String IN = " in a @Differentiable method";
    /** Why a value outside the subset cannot be used, as the end of a message's first clause. */
    static final String VALUES = ", which computes with double, long, int and boolean values";

    /** Whether {@code tree} is a String by its form: a literal, or a concatenation or {@code ?:} with one in it. */
    static boolean isString(Tree tree) {
        return switch (tree.getKind()) {
            case STRING_LITERAL -> true;
            case PARENTHESIZED -> isString(((ParenthesizedTree) tree).getExpression());
            case PLUS -> isString(((BinaryTree) tree).getLeftOperand())
                    || isString(((BinaryTree) tree).getRightOperand());
            case CONDITIONAL_EXPRESSION -> isString(((ConditionalExpressionTree) tree).getTrueExpression())
                    || isString(((ConditionalExpressionTree) tree).getFalseExpression());
            default -> false;
        };
    }

    static String unsupportedExpression(Tree tree) {
        if (isString(tree)) {
            return "strings are not supported" + IN + VALUES + "; pass numbers as parameters instead";
        }
        return switch (tree.getKind()) {
            case NEW_ARRAY, ARRAY_ACCESS -> "this use of arrays is not supported" + IN;
            case LAMBDA_EXPRESSION, MEMBER_REFERENCE -> "lambdas and method references cannot be differentiated; "
                    + "write the function as a static @Differentiable method and call it";
            case NEW_CLASS -> "object creation is not supported" + IN
                    + "; Leibniz differentiates arithmetic on double, long, int and boolean values";
            case CHAR_LITERAL -> "char values are not supported" + IN + "; use int";
            case NULL_LITERAL -> "null is not supported" + IN + VALUES;
            case INSTANCE_OF -> "instanceof is not supported" + IN + VALUES + "; test the type in the caller and "
                    + "pass the outcome as a boolean parameter";
            case ASSIGNMENT -> "assignments inside an expression are not supported" + IN
                    + "; write the assignment as a statement of its own";
            default -> {
                if (isCompoundAssignment(tree.getKind())) {
                    yield "assignments inside an expression are not supported" + IN
                            + "; write the assignment as a statement of its own";
                }
                yield describe(tree.getKind()) + " is not supported" + IN;
            }
        };
    }

    static String unsupportedStatement(Tree tree) {
        return switch (tree.getKind()) {
            case TRY -> ((TryTree) tree).getResources().isEmpty()
                    ? "try/catch/finally is not supported" + IN + "; handle errors in the caller, and run what "
                            + "finally does there too"
                    : "try-with-resources is not supported" + IN + "; open and close resources in the caller";
            case THROW -> "throw is not supported" + IN + " yet; validate arguments before calling it";
            case SYNCHRONIZED -> "synchronized blocks are not supported" + IN
                    + "; a derivative must not depend on shared state: synchronize in the caller";
            case ASSERT -> "assert is not supported" + IN + "; check the condition before the call";
            case CLASS, INTERFACE, ENUM, RECORD -> "local " + describe(tree.getKind()) + " '"
                    + ((ClassTree) tree).getSimpleName() + "' is not supported" + IN
                    + "; declare it outside the method";
            default -> describe(tree.getKind()) + " is not supported" + IN;
        };
    }

    private static String describe(Tree.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** {@code ++} or {@code --}, prefix or postfix. */
    static boolean isIncrement(Tree.Kind kind) {
        return kind == Tree.Kind.PREFIX_INCREMENT || kind == Tree.Kind.PREFIX_DECREMENT
                || kind == Tree.Kind.POSTFIX_INCREMENT || kind == Tree.Kind.POSTFIX_DECREMENT;
    }

    /**
     * Whether {@code tree} or a tree inside it satisfies {@code test}; the bodies of lambdas and classes, which a
     * {@code @Differentiable} method refuses on their own, are not searched.
     */
    /** {@code tree} without the parentheses around it. */
    static com.sun.source.tree.ExpressionTree unparenthesized(com.sun.source.tree.ExpressionTree tree) {
        com.sun.source.tree.ExpressionTree inner = tree;
        while (inner instanceof com.sun.source.tree.ParenthesizedTree p) {
            inner = p.getExpression();
        }
        return inner;
    }

    static boolean anyTree(Tree tree, java.util.function.Predicate<Tree> test) {
        Boolean found = new com.sun.source.util.TreeScanner<Boolean, Void>() {
            @Override
            public Boolean scan(Tree t, Void unused) {
                if (t == null || t instanceof com.sun.source.tree.LambdaExpressionTree || t instanceof ClassTree) {
                    return false;
                }
                return test.test(t) || Boolean.TRUE.equals(super.scan(t, unused));
            }

            @Override
            public Boolean reduce(Boolean a, Boolean b) {
                return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
            }
        }.scan(tree, null);
        return Boolean.TRUE.equals(found);
    }
}
