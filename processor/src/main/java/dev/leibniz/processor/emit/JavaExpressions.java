package dev.leibniz.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.leibniz.processor.ir.ClassRef;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints IR expressions as Java, with exactly the parentheses the tree needs. One expression becomes one flat
 * {@link CodeBlock}: text, with only the classes it names as arguments (so that JavaPoet imports them). Nested code
 * blocks, one per node, made JavaPoet's printing most of what the processor cost.
 */
final class JavaExpressions implements Expr.Visitor<Void> {
    private static final int PRIMARY = 16;
    private static final int UNARY = 14;
    private static final int CAST = 13;
    private static final int CONDITIONAL = 2;

    private final JavaNames names;
    private JavaText out;

    JavaExpressions(JavaNames names) {
        this.names = names;
    }

    CodeBlock print(Expr e) {
        return print(e, new JavaText()).toCodeBlock();
    }

    /** Appends {@code e} to {@code text}; returns {@code text}. */
    JavaText print(Expr e, JavaText text) {
        JavaText outer = out;
        out = text;
        try {
            e.accept(this);
        } finally {
            out = outer;
        }
        return text;
    }

    static ClassName className(ClassRef ref) {
        List<String> simple = ref.simpleNames();
        return ClassName.get(ref.packageName(), simple.get(0), simple.subList(1, simple.size()).toArray(String[]::new));
    }

    /** How tightly an expression binds once printed. */
    private static int precedence(Expr e) {
        if (e instanceof Expr.Literal l) {
            return l.text().startsWith("-") ? UNARY : PRIMARY;
        }
        if (e instanceof Expr.Unary) {
            return UNARY;
        }
        if (e instanceof Expr.Binary b) {
            return b.op().precedence();
        }
        if (e instanceof Expr.Conditional) {
            return CONDITIONAL;
        }
        return e instanceof Expr.Cast ? CAST : PRIMARY;
    }

    /**
     * A class named in an expression: by its simple name (JavaPoet imports it), or by its qualified name when a
     * variable of the method has that simple name and would obscure the class — a parameter {@code Force} in class
     * {@code Force}, a local {@code Math}.
     */
    private void type(ClassRef ref) {
        if (names.isTaken(ref.simpleNames().get(0)) && !ref.packageName().isEmpty()) {
            out.text(ref.canonicalName());
        } else {
            out.type(className(ref));
        }
    }

    /** {@code e} wrapped in parentheses when it binds less tightly than {@code min}. */
    private void operand(Expr e, int min) {
        if (precedence(e) < min) {
            out.text("(");
            e.accept(this);
            out.text(")");
        } else {
            e.accept(this);
        }
    }

    private void arguments(List<Expr> args) {
        out.text("(");
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                out.text(", ");
            }
            args.get(i).accept(this);
        }
        out.text(")");
    }

    /** {@code Owner.method(args)}. */
    private Void call(ClassRef owner, String method, List<Expr> args) {
        type(owner);
        out.text(".").text(method);
        arguments(args);
        return null;
    }

    @Override
    public Void visitLiteral(Expr.Literal e) {
        out.text(e.text());
        return null;
    }

    @Override
    public Void visitRef(Expr.Ref e) {
        out.text(names.of(e.variable()));
        return null;
    }

    @Override
    public Void visitFieldRef(Expr.FieldRef e) {
        type(e.owner());
        out.text(".").text(e.name());
        return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
        Expr operand = e.operand();
        out.text(e.op().symbol());
        // "- -x" would print as "--x"; parenthesise any signed operand of a sign.
        boolean signed = operand instanceof Expr.Unary || operand instanceof Expr.Literal l && l.text().startsWith("-");
        operand(operand, signed ? PRIMARY + 1 : UNARY);
        return null;
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
        int p = e.op().precedence();
        // Left-associative: the right operand needs parentheses at equal precedence, so a - (b - c) and
        // a * (b * c) keep the grouping (and the rounding) of the source.
        operand(e.left(), p);
        out.text(" ").text(e.op().symbol()).text(" ");
        operand(e.right(), p + 1);
        return null;
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
        operand(e.condition(), CONDITIONAL + 1);
        out.text(" ? ");
        operand(e.whenTrue(), CONDITIONAL + 1);
        out.text(" : ");
        operand(e.whenFalse(), CONDITIONAL);
        return null;
    }

    @Override
    public Void visitCast(Expr.Cast e) {
        out.text("(").text(e.type().keyword()).text(") ");
        operand(e.operand(), UNARY);
        return null;
    }

    @Override
    public Void visitMathCall(Expr.MathCall e) {
        return call(e.owner(), e.function().javaName(), e.args());
    }

    @Override
    public Void visitStaticCall(Expr.StaticCall e) {
        return call(e.owner(), e.name(), e.args());
    }

    @Override
    public Void visitDiffCall(Expr.DiffCall e) {
        if (e.callee().directional()) {
            // the directional derivative is the differential's tangent: fDifferential(args..., tangents...); a void
            // method's updates the tangents of the arrays it writes
            call(e.callee().gradientClass(), e.callee().method(), e.args());
            if (!e.callee().returnsVoid()) {
                out.text(".differential()");
            }
            return null;
        }
        if (e.callee().primalAccessible()) {
            return call(e.callee().owner(), e.callee().method(), e.args());
        }
        if (e.callee().returnsVoid() || e.callee().returnsArray()) {
            // a private method returning double[] or void: its differential, along zero tangents, holds the value
            // (writes what the method writes)
            List<Expr> args = new ArrayList<>(e.args());
            for (int i : e.callee().differentiatedIndices()) {
                args.add(Exprs.zeroTangent(e.args().get(i)));
            }
            call(e.callee().gradientClass(), GradientNaming.differentialName(e.callee().method()), args);
            if (e.callee().returnsVoid()) {
                return null;
            }
        } else {
            if (e.callee().result() == PrimitiveType.FLOAT) {
                out.text("(float) "); // the record keeps the float result as a double
            }
            call(e.callee().gradientClass(), e.callee().method(), e.args());
        }
        out.text(".value()");
        return null;
    }

    @Override
    public Void visitGradientCall(Expr.GradientCall e) {
        return call(e.callee().gradientClass(), e.callee().method(), e.args());
    }

    @Override
    public Void visitDifferentialCall(Expr.DifferentialCall e) {
        return call(e.callee().gradientClass(), e.name(), e.args());
    }

    @Override
    public Void visitComponent(Expr.Component e) {
        operand(e.record(), PRIMARY);
        out.text(".").text(e.name()).text("()");
        return null;
    }

    @Override
    public Void visitNewRecord(Expr.NewRecord e) {
        out.text("new ").type(className(e.type().name()));
        arguments(e.args());
        return null;
    }

    @Override
    public Void visitPop(Expr.Pop e) {
        String method = !(e.type() instanceof PrimitiveType p) ? "popObject" : switch (p) {
            case DOUBLE -> "popDouble";
            case FLOAT -> "popFloat";
            case LONG -> "popLong";
            case INT -> "popInt";
            case BOOLEAN -> "popBoolean";
        };
        out.text(names.of(e.tape())).text(".").text(method).text("()");
        return null;
    }

    @Override
    public Void visitArrayRead(Expr.ArrayRead e) {
        operand(e.array(), PRIMARY);
        out.text("[");
        e.index().accept(this);
        out.text("]");
        return null;
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
        operand(e.array(), PRIMARY);
        out.text(".length");
        return null;
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
        out.text("new ").text(e.type().element().keyword());
        for (Expr length : e.lengths()) {
            out.text("[");
            length.accept(this);
            out.text("]");
        }
        return null;
    }

    @Override
    public Void visitArrayLiteral(Expr.ArrayLiteral e) {
        out.text("new ").text(e.type().element().keyword()).text("[]".repeat(e.type().dimensions())).text(" ");
        initializer(e);
        return null;
    }

    /** {@code {a, b}}, with nested rows as {@code {c, d}} too. */
    private void initializer(Expr.ArrayLiteral e) {
        out.text("{");
        for (int i = 0; i < e.elements().size(); i++) {
            if (i > 0) {
                out.text(", ");
            }
            Expr x = e.elements().get(i);
            if (x instanceof Expr.ArrayLiteral row) {
                initializer(row);
            } else {
                x.accept(this);
            }
        }
        out.text("}");
    }

    @Override
    public Void visitPullbackCall(Expr.PullbackCall e) {
        List<Expr> all = new java.util.ArrayList<>(e.args());
        if (!e.callee().returnsVoid()) {
            all.add(e.seed());
        }
        all.addAll(e.shadows());
        // a callee that writes into its arrays is pulled back through its in-place form
        String method = e.callee().method();
        return call(e.callee().gradientClass(), e.callee().writesArrayArguments()
                ? GradientNaming.inPlacePullbackName(method, e.callee().returnsVoid())
                : GradientNaming.pullbackName(method), all);
    }

    @Override
    public Void visitTapeCall(Expr.TapeCall e) {
        out.text(names.of(e.tape())).text(".").text(e.method());
        arguments(e.args());
        return null;
    }

    static boolean isNegation(Expr e) {
        return e instanceof Expr.Unary u && u.op() == UnaryOp.NOT;
    }
}
