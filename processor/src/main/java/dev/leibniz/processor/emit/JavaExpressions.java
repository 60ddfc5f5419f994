package dev.leibniz.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.leibniz.processor.ir.ClassRef;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.UnaryOp;
import java.util.List;

/** Prints IR expressions as Java, with exactly the parentheses the tree needs. */
final class JavaExpressions implements Expr.Visitor<JavaExpressions.Printed> {
    private static final int PRIMARY = 16;
    private static final int UNARY = 14;
    private static final int CAST = 13;
    private static final int CONDITIONAL = 2;

    /** Printed code and how tightly it binds. */
    record Printed(CodeBlock code, int precedence) {
    }

    private final JavaNames names;

    JavaExpressions(JavaNames names) {
        this.names = names;
    }

    CodeBlock print(Expr e) {
        return e.accept(this).code();
    }

    static ClassName className(ClassRef ref) {
        List<String> simple = ref.simpleNames();
        return ClassName.get(ref.packageName(), simple.get(0), simple.subList(1, simple.size()).toArray(String[]::new));
    }

    /**
     * A class named in an expression: by its simple name (JavaPoet imports it), or by its qualified name when a
     * variable of the method has that simple name and would obscure the class — a parameter {@code Force} in class
     * {@code Force}, a local {@code Math}.
     */
    private CodeBlock type(ClassRef ref) {
        if (names.isTaken(ref.simpleNames().get(0)) && !ref.packageName().isEmpty()) {
            return CodeBlock.of("$L", ref.canonicalName());
        }
        return CodeBlock.of("$T", className(ref));
    }

    private Printed primary(String format, Object... args) {
        return new Printed(CodeBlock.of(format, args), PRIMARY);
    }

    /** {@code e} wrapped in parentheses when it binds less tightly than {@code min}. */
    private CodeBlock operand(Expr e, int min) {
        Printed p = e.accept(this);
        return p.precedence() < min ? CodeBlock.of("($L)", p.code()) : p.code();
    }

    private CodeBlock arguments(List<Expr> args) {
        return args.stream().map(this::print).collect(CodeBlock.joining(", "));
    }

    @Override
    public Printed visitLiteral(Expr.Literal e) {
        return new Printed(CodeBlock.of("$L", e.text()), e.text().startsWith("-") ? UNARY : PRIMARY);
    }

    @Override
    public Printed visitRef(Expr.Ref e) {
        return primary("$N", names.of(e.variable()));
    }

    @Override
    public Printed visitFieldRef(Expr.FieldRef e) {
        return primary("$L.$N", type(e.owner()), e.name());
    }

    @Override
    public Printed visitUnary(Expr.Unary e) {
        Expr operand = e.operand();
        // "- -x" would print as "--x"; parenthesise any signed operand of a sign.
        boolean signed = operand instanceof Expr.Unary || operand instanceof Expr.Literal l && l.text().startsWith("-");
        CodeBlock code = signed ? CodeBlock.of("($L)", print(operand)) : operand(operand, UNARY);
        return new Printed(CodeBlock.of("$L$L", e.op().symbol(), code), UNARY);
    }

    @Override
    public Printed visitBinary(Expr.Binary e) {
        int p = e.op().precedence();
        // Left-associative: the right operand needs parentheses at equal precedence, so a - (b - c) and
        // a * (b * c) keep the grouping (and the rounding) of the source.
        CodeBlock code = CodeBlock.of("$L $L $L", operand(e.left(), p), e.op().symbol(), operand(e.right(), p + 1));
        return new Printed(code, p);
    }

    @Override
    public Printed visitConditional(Expr.Conditional e) {
        CodeBlock code = CodeBlock.of("$L ? $L : $L", operand(e.condition(), CONDITIONAL + 1),
                operand(e.whenTrue(), CONDITIONAL + 1), operand(e.whenFalse(), CONDITIONAL));
        return new Printed(code, CONDITIONAL);
    }

    @Override
    public Printed visitCast(Expr.Cast e) {
        return new Printed(CodeBlock.of("($L) $L", e.type().keyword(), operand(e.operand(), UNARY)), CAST);
    }

    @Override
    public Printed visitMathCall(Expr.MathCall e) {
        return primary("$L.$N($L)", type(e.owner()), e.function().javaName(), arguments(e.args()));
    }

    @Override
    public Printed visitStaticCall(Expr.StaticCall e) {
        return primary("$L.$N($L)", type(e.owner()), e.name(), arguments(e.args()));
    }

    @Override
    public Printed visitDiffCall(Expr.DiffCall e) {
        if (e.callee().primalAccessible()) {
            return primary("$L.$N($L)", type(e.callee().owner()), e.callee().method(), arguments(e.args()));
        }
        return primary("$L.$N($L).value()", type(e.callee().gradientClass()), e.callee().method(),
                arguments(e.args()));
    }

    @Override
    public Printed visitGradientCall(Expr.GradientCall e) {
        return primary("$L.$N($L)", type(e.callee().gradientClass()), e.callee().method(), arguments(e.args()));
    }

    @Override
    public Printed visitComponent(Expr.Component e) {
        return primary("$L.$N()", operand(e.record(), PRIMARY), e.name());
    }

    @Override
    public Printed visitNewRecord(Expr.NewRecord e) {
        return primary("new $T($L)", className(e.type().name()), arguments(e.args()));
    }

    @Override
    public Printed visitPop(Expr.Pop e) {
        String method = !(e.type() instanceof PrimitiveType p) ? "popObject" : switch (p) {
            case DOUBLE -> "popDouble";
            case LONG -> "popLong";
            case INT -> "popInt";
            case BOOLEAN -> "popBoolean";
        };
        return primary("$N.$L()", names.of(e.tape()), method);
    }

    @Override
    public Printed visitArrayRead(Expr.ArrayRead e) {
        return primary("$L[$L]", operand(e.array(), PRIMARY), print(e.index()));
    }

    @Override
    public Printed visitArrayLength(Expr.ArrayLength e) {
        return primary("$L.length", operand(e.array(), PRIMARY));
    }

    @Override
    public Printed visitNewArray(Expr.NewArray e) {
        CodeBlock lengths = e.lengths().stream().map(l -> CodeBlock.of("[$L]", print(l))).collect(CodeBlock.joining(""));
        return primary("new $L$L", e.type().element().keyword(), lengths);
    }

    @Override
    public Printed visitArrayLiteral(Expr.ArrayLiteral e) {
        return primary("new $L$L $L", e.type().element().keyword(), "[]".repeat(e.type().dimensions()),
                initializer(e));
    }

    /** {@code {a, b}}, with nested rows as {@code {c, d}} too. */
    private CodeBlock initializer(Expr.ArrayLiteral e) {
        CodeBlock elements = e.elements().stream()
                .map(x -> x instanceof Expr.ArrayLiteral row ? initializer(row) : print(x))
                .collect(CodeBlock.joining(", "));
        return CodeBlock.of("{$L}", elements);
    }

    @Override
    public Printed visitPullbackCall(Expr.PullbackCall e) {
        List<Expr> all = new java.util.ArrayList<>(e.args());
        all.add(e.seed());
        all.addAll(e.shadows());
        return primary("$L.$N($L)", type(e.callee().gradientClass()),
                dev.leibniz.processor.ir.GradientNaming.pullbackName(e.callee().method()), arguments(all));
    }

    @Override
    public Printed visitTapeCall(Expr.TapeCall e) {
        return primary("$N.$L($L)", names.of(e.tape()), e.method(), arguments(e.args()));
    }

    static boolean isNegation(Expr e) {
        return e instanceof Expr.Unary u && u.op() == UnaryOp.NOT;
    }
}
