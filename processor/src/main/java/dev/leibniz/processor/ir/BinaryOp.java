package dev.leibniz.processor.ir;

/** Java's binary operators with their precedence (higher binds tighter), for printing without extra parentheses. */
public enum BinaryOp {
    MUL("*", 12),
    DIV("/", 12),
    REM("%", 12),
    ADD("+", 11),
    SUB("-", 11),
    SHL("<<", 10),
    SHR(">>", 10),
    USHR(">>>", 10),
    LT("<", 9),
    GT(">", 9),
    LE("<=", 9),
    GE(">=", 9),
    EQ("==", 8),
    NE("!=", 8),
    AND("&", 7),
    XOR("^", 6),
    OR("|", 5),
    CONDITIONAL_AND("&&", 4),
    CONDITIONAL_OR("||", 3);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public boolean isArithmetic() {
        return this == MUL || this == DIV || this == REM || this == ADD || this == SUB;
    }

    public boolean isComparison() {
        return precedence == 9 || precedence == 8;
    }

    public boolean isShift() {
        return precedence == 10;
    }

    public boolean isBitwiseOrLogical() {
        return this == AND || this == XOR || this == OR;
    }

    public boolean isConditional() {
        return this == CONDITIONAL_AND || this == CONDITIONAL_OR;
    }
}
