package dev.leibniz.processor.frontend;

import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
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

    static Optional<PrimitiveType> primitive(TypeKind kind) {
        return switch (kind) {
            case DOUBLE -> Optional.of(PrimitiveType.DOUBLE);
            case LONG -> Optional.of(PrimitiveType.LONG);
            case INT -> Optional.of(PrimitiveType.INT);
            case BOOLEAN -> Optional.of(PrimitiveType.BOOLEAN);
            default -> Optional.empty();
        };
    }

    private static final String IN = " in a @Differentiable method";

    static String unsupportedExpression(Tree tree) {
        return switch (tree.getKind()) {
            case NEW_ARRAY, ARRAY_ACCESS -> "this use of arrays is not supported" + IN;
            case LAMBDA_EXPRESSION, MEMBER_REFERENCE -> "lambdas and method references cannot be differentiated; "
                    + "write the function as a static @Differentiable method and call it";
            case NEW_CLASS -> "object creation is not supported" + IN
                    + "; Leibniz differentiates arithmetic on double, long, int and boolean values";
            case STRING_LITERAL -> "strings are not supported" + IN;
            case CHAR_LITERAL -> "char values are not supported" + IN + "; use int";
            case NULL_LITERAL -> "null is not supported" + IN;
            case INSTANCE_OF -> "instanceof is not supported" + IN;
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
            case ENHANCED_FOR_LOOP -> "enhanced for loops are over arrays, which are not supported" + IN
                    + " yet; loop over an index instead";
            case TRY -> "try/catch/finally is not supported" + IN + "; handle errors in the caller";
            case THROW -> "throw is not supported" + IN + " yet; validate arguments before calling it";
            case SYNCHRONIZED -> "synchronized blocks are not supported" + IN
                    + "; a derivative must not depend on shared state";
            case LABELED_STATEMENT -> "labelled statements are not supported" + IN;
            case ASSERT -> "assert is not supported" + IN + "; check the condition before the call";
            case CLASS, INTERFACE, ENUM, RECORD -> "local classes are not supported" + IN;
            default -> describe(tree.getKind()) + " is not supported" + IN;
        };
    }

    private static String describe(Tree.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
