package dev.leibniz.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.UnaryOp;
import java.util.List;

/** Prints IR statements into a method body. */
final class JavaStatements implements Stmt.Visitor<Void> {
    private final CodeBlock.Builder out;
    private final JavaNames names;
    private final JavaExpressions expressions;

    JavaStatements(CodeBlock.Builder out, JavaNames names) {
        this.out = out;
        this.names = names;
        this.expressions = new JavaExpressions(names);
    }

    void print(List<Stmt> stmts) {
        for (Stmt s : stmts) {
            s.accept(this);
        }
    }

    static TypeName typeName(Type type) {
        if (type instanceof ClassType r) {
            return JavaExpressions.className(r.name());
        }
        if (type instanceof ArrayType a) {
            return ArrayTypeName.of(typeName(a.component()));
        }
        return switch ((PrimitiveType) type) {
            case DOUBLE -> TypeName.DOUBLE;
            case LONG -> TypeName.LONG;
            case INT -> TypeName.INT;
            case BOOLEAN -> TypeName.BOOLEAN;
            case FLOAT -> TypeName.FLOAT;
        };
    }

    @Override
    public Void visitLocalDecl(Stmt.LocalDecl s) {
        JavaText text = declarator(new JavaText().type(typeName(s.variable().type())).text(" "), s);
        out.addStatement(text.toCodeBlock());
        return null;
    }

    /** {@code name = init}, or {@code name} alone. */
    private JavaText declarator(JavaText text, Stmt.LocalDecl s) {
        text.text(names.of(s.variable()));
        return s.init() == null ? text
                : expressions.print(narrowed(s.variable().type(), s.init()), text.text(" = "));
    }

    /**
     * A value for a {@code float} target: rounded to {@code float} where it is a {@code double} (a derivative,
     * which is computed in double, for a float array's shadow or tangent; {@code f += d} of the source), as Java's
     * compound assignment would round it; anything else as it is.
     */
    private static Expr narrowed(Type target, Expr value) {
        return target == PrimitiveType.FLOAT && value.type() == PrimitiveType.DOUBLE
                ? new Expr.Cast(PrimitiveType.FLOAT, value, dev.leibniz.processor.ir.SourcePos.NONE) : value;
    }

    @Override
    public Void visitAssign(Stmt.Assign s) {
        out.addStatement(assignment(s, new JavaText()).toCodeBlock());
        return null;
    }

    private JavaText assignment(Stmt.Assign s, JavaText text) {
        text.text(names.of(s.target()));
        return update(s.form(), s.value(), text, s.target().type());
    }

    /** What follows the target of an assignment of the form given. */
    private JavaText update(Stmt.Assign.Form form, Expr value, JavaText text, Type target) {
        if (form != Stmt.Assign.Form.INCREMENT && form != Stmt.Assign.Form.DECREMENT
                && narrowed(target, value) != value) {
            // 'f += d' is 'f = (float) (f + d)' (JLS 15.26.2), written so: no lossy-conversions warning
            return expressions.print(narrowed(target, value), text.text(" = "));
        }
        return switch (form) {
            case INCREMENT -> text.text("++");
            case DECREMENT -> text.text("--");
            // 'i += x' narrows implicitly (JLS 15.26.2); written out with its cast, javac's
            // -Xlint:lossy-conversions (JDK 20+) has nothing to say about generated code.
            case COMPOUND -> value instanceof Expr.Binary b
                    ? expressions.print(b.right(), text.text(" ").text(b.op().symbol()).text("= "))
                    : expressions.print(value, text.text(" = "));
            case PLAIN -> expressions.print(value, text.text(" = "));
        };
    }

    @Override
    public Void visitElementAssign(Stmt.ElementAssign s) {
        JavaText text = expressions.print(s.element(), new JavaText());
        out.addStatement(update(s.form(), s.value(), text, s.element().type()).toCodeBlock());
        return null;
    }

    @Override
    public Void visitIf(Stmt.If s) {
        Expr condition = s.condition();
        List<Stmt> thenStmts = s.thenStmts();
        List<Stmt> elseStmts = s.elseStmts();
        if (thenStmts.isEmpty() && !elseStmts.isEmpty()) {
            condition = negate(condition);
            thenStmts = elseStmts;
            elseStmts = List.of();
        }
        out.beginControlFlow("if ($L)", expressions.print(condition));
        print(thenStmts);
        while (elseStmts.size() == 1 && elseStmts.get(0) instanceof Stmt.If elseIf && !elseIf.thenStmts().isEmpty()) {
            out.nextControlFlow("else if ($L)", expressions.print(elseIf.condition()));
            print(elseIf.thenStmts());
            elseStmts = elseIf.elseStmts();
        }
        if (!elseStmts.isEmpty()) {
            out.nextControlFlow("else");
            print(elseStmts);
        }
        out.endControlFlow();
        return null;
    }

    private static Expr negate(Expr condition) {
        if (condition instanceof Expr.Unary u && u.op() == UnaryOp.NOT) {
            return u.operand();
        }
        return new Expr.Unary(UnaryOp.NOT, condition, PrimitiveType.BOOLEAN, condition.pos());
    }

    @Override
    public Void visitLoop(Stmt.Loop s) {
        CodeBlock condition = expressions.print(s.condition());
        switch (s.kind()) {
            case FOR -> out.beginControlFlow("for ($L; $L; $L)", header(s.init()), condition, header(s.update()));
            case WHILE -> {
                if (!s.init().isEmpty() || !s.update().isEmpty()) {
                    throw new IllegalStateException("a while loop has no header statements");
                }
                out.beginControlFlow("while ($L)", condition);
            }
            case DO_WHILE -> out.beginControlFlow("do");
        }
        print(s.body());
        if (s.kind() == Stmt.Loop.Kind.DO_WHILE) {
            out.endControlFlow("while ($L)", condition);
        } else {
            out.endControlFlow();
        }
        return null;
    }

    /** The statements of a {@code for} header: {@code int i = 0, j = n} or {@code i++, j--}. */
    private CodeBlock header(List<Stmt> stmts) {
        JavaText text = new JavaText();
        if (!stmts.isEmpty() && stmts.get(0) instanceof Stmt.LocalDecl first) {
            text.type(typeName(first.variable().type())).text(" ");
        }
        for (int i = 0; i < stmts.size(); i++) {
            if (i > 0) {
                text.text(", ");
            }
            if (stmts.get(i) instanceof Stmt.LocalDecl d) {
                declarator(text, d);
            } else {
                assignment((Stmt.Assign) stmts.get(i), text);
            }
        }
        return text.toCodeBlock();
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
        out.addStatement(s.label() == null ? CodeBlock.of("break") : CodeBlock.of("break $L", s.label()));
        return null;
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
        out.addStatement(s.label() == null ? CodeBlock.of("continue") : CodeBlock.of("continue $L", s.label()));
        return null;
    }

    @Override
    public Void visitPush(Stmt.Push s) {
        String method = s.value().type() instanceof PrimitiveType ? "push" : "pushObject";
        JavaText text = new JavaText().text(names.of(s.tape())).text(".").text(method).text("(");
        out.addStatement(expressions.print(s.value(), text).text(")").toCodeBlock());
        return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate s) {
        out.addStatement(expressions.print(s.call()));
        return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
        out.addStatement(expressions.print(s.value(), new JavaText().text("return ")).toCodeBlock());
        return null;
    }

    @Override
    public Void visitComment(Stmt.Comment s) {
        out.add(JavaText.literal("// " + s.text() + "\n"));
        return null;
    }
}
