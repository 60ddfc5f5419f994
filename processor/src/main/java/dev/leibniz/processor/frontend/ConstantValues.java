package dev.leibniz.processor.frontend;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.UnaryTree;
import java.util.Optional;
import java.util.function.Function;
import javax.lang.model.element.VariableElement;

/**
 * The value of a constant expression (JLS 15.29) where javac's own checks depend on it: a loop whose condition is
 * the constant {@code true}, a division by the constant {@code 0}. The trees are not attributed yet, so this
 * evaluates the common forms itself — literals, parentheses, {@code static final} constants, unary and binary
 * operators on {@code boolean}, {@code int}, {@code long} and {@code double} — and answers "not a constant" for
 * anything else, including {@code final} locals: a caller may miss a constant, never see one that is not.
 */
final class ConstantValues {
    private final Function<ExpressionTree, Optional<VariableElement>> constantField;

    /** @param constantField the field a name denotes when no local shadows it */
    ConstantValues(Function<ExpressionTree, Optional<VariableElement>> constantField) {
        this.constantField = constantField;
    }

    /** Whether {@code tree} is the constant {@code true}; a missing loop condition ({@code null}) is. */
    boolean isTrue(ExpressionTree tree) {
        return tree == null || Boolean.TRUE.equals(of(tree).orElse(null));
    }

    /** Whether {@code tree} is an integral constant equal to zero. */
    boolean isIntegralZero(ExpressionTree tree) {
        return of(tree).orElse(null) instanceof Number n && (n instanceof Integer || n instanceof Long)
                && n.longValue() == 0;
    }

    /**
     * A {@link Boolean}, {@link Integer}, {@link Long}, {@link Float} or {@link Double}; empty when not a constant of
     * those. Arithmetic follows Java's promotion: {@code 1f / 3f} is the float it is in Java.
     */
    Optional<Object> of(ExpressionTree tree) {
        switch (tree.getKind()) {
            case INT_LITERAL, LONG_LITERAL, DOUBLE_LITERAL, BOOLEAN_LITERAL:
                return Optional.of(((LiteralTree) tree).getValue());
            case FLOAT_LITERAL:
                return Optional.of(((LiteralTree) tree).getValue());
            case PARENTHESIZED:
                return of(((ParenthesizedTree) tree).getExpression());
            case IDENTIFIER, MEMBER_SELECT:
                return constantField.apply(tree).map(VariableElement::getConstantValue).map(ConstantValues::normal);
            case LOGICAL_COMPLEMENT:
                return of(((UnaryTree) tree).getExpression()).filter(Boolean.class::isInstance)
                        .map(b -> !(Boolean) b);
            case UNARY_MINUS:
                return of(((UnaryTree) tree).getExpression()).filter(Number.class::isInstance)
                        .map(ConstantValues::negate);
            case UNARY_PLUS:
                return of(((UnaryTree) tree).getExpression()).filter(Number.class::isInstance);
            default:
                break;
        }
        if (!(tree instanceof BinaryTree binary)) {
            return Optional.empty();
        }
        Optional<Object> left = of(binary.getLeftOperand());
        Optional<Object> right = left.isEmpty() ? Optional.empty() : of(binary.getRightOperand());
        if (right.isEmpty()) {
            return Optional.empty();
        }
        return binary(tree, left.get(), right.get());
    }

    /** Constants of type {@code char}, {@code short} and {@code byte} as the {@code int} they promote to. */
    private static Object normal(Object value) {
        if (value instanceof Character c) {
            return (int) c;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        return value;
    }

    private enum Arithmetic { PLUS, MINUS, TIMES, DIVIDE, REMAINDER }

    private static Object negate(Object n) {
        return n instanceof Double d ? (Object) (-d) : n instanceof Float f ? (Object) (-f)
                : n instanceof Long l ? (Object) (-l) : (Object) (-(Integer) n);
    }

    private static Optional<Object> binary(ExpressionTree tree, Object left, Object right) {
        if (left instanceof Boolean a && right instanceof Boolean b) {
            return switch (tree.getKind()) {
                case CONDITIONAL_AND, AND -> Optional.of(a && b);
                case CONDITIONAL_OR, OR -> Optional.of(a || b);
                case XOR, NOT_EQUAL_TO -> Optional.of(a ^ b);
                case EQUAL_TO -> Optional.of(a == b);
                default -> Optional.empty();
            };
        }
        if (!(left instanceof Number a) || !(right instanceof Number b)) {
            return Optional.empty();
        }
        boolean floating = a instanceof Double || b instanceof Double || a instanceof Float || b instanceof Float;
        int comparison = floating ? Double.compare(a.doubleValue(), b.doubleValue()) : Long.compare(a.longValue(),
                b.longValue());
        boolean nan = floating && (Double.isNaN(a.doubleValue()) || Double.isNaN(b.doubleValue()));
        return switch (tree.getKind()) {
            case LESS_THAN -> Optional.of(!nan && comparison < 0);
            case LESS_THAN_EQUAL -> Optional.of(!nan && comparison <= 0);
            case GREATER_THAN -> Optional.of(!nan && comparison > 0);
            case GREATER_THAN_EQUAL -> Optional.of(!nan && comparison >= 0);
            case EQUAL_TO -> Optional.of(floating ? a.doubleValue() == b.doubleValue() : comparison == 0);
            case NOT_EQUAL_TO -> Optional.of(floating ? a.doubleValue() != b.doubleValue() : comparison != 0);
            case PLUS -> Optional.ofNullable(arithmetic(Arithmetic.PLUS, a, b));
            case MINUS -> Optional.ofNullable(arithmetic(Arithmetic.MINUS, a, b));
            case MULTIPLY -> Optional.ofNullable(arithmetic(Arithmetic.TIMES, a, b));
            case DIVIDE -> Optional.ofNullable(arithmetic(Arithmetic.DIVIDE, a, b));
            case REMAINDER -> Optional.ofNullable(arithmetic(Arithmetic.REMAINDER, a, b));
            default -> Optional.empty();
        };
    }

    /** {@code a op b} with Java's promotion and overflow; {@code null} for an integral division by zero. */
    private static Number arithmetic(Arithmetic op, Number a, Number b) {
        boolean isDouble = a instanceof Double || b instanceof Double;
        if (isDouble || a instanceof Float || b instanceof Float) {
            double x = isDouble ? a.doubleValue() : a.floatValue();
            double y = isDouble ? b.doubleValue() : b.floatValue();
            double r = switch (op) {
                case PLUS -> x + y;
                case MINUS -> x - y;
                case TIMES -> x * y;
                case DIVIDE -> x / y;
                case REMAINDER -> x % y;
            };
            // float operands: the double result rounded once is the float one, since a double has more than twice
            // a float's precision (and a remainder is exact)
            return isDouble ? (Number) r : (Number) (float) r;
        }
        long x = a.longValue();
        long y = b.longValue();
        if ((op == Arithmetic.DIVIDE || op == Arithmetic.REMAINDER) && y == 0) {
            return null; // not a constant: it throws
        }
        long r = switch (op) {
            case PLUS -> x + y;
            case MINUS -> x - y;
            case TIMES -> x * y;
            case DIVIDE -> x / y;
            case REMAINDER -> x % y;
        };
        return a instanceof Long || b instanceof Long ? (Number) r : (Number) (int) r;
    }
}
