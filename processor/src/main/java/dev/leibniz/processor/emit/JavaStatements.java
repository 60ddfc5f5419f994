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
        };
    }

    @Override
    public Void visitLocalDecl(Stmt.LocalDecl s) {
        TypeName type = typeName(s.variable().type());
        String name = names.of(s.variable());
        if (s.init() == null) {
            out.addStatement("$T $N", type, name);
        } else {
            out.addStatement("$T $N = $L", type, name, expressions.print(s.init()));
        }
        return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign s) {
        out.addStatement(assignment(s));
        return null;
    }

    private CodeBlock assignment(Stmt.Assign s) {
        String target = names.of(s.target());
        return switch (s.form()) {
            case INCREMENT -> CodeBlock.of("$N++", target);
            case DECREMENT -> CodeBlock.of("$N--", target);
            // 'i += x' narrows implicitly (JLS 15.26.2); written out with its cast, javac's
            // -Xlint:lossy-conversions (JDK 20+) has nothing to say about generated code.
            case COMPOUND -> s.value() instanceof Expr.Binary b
                    ? CodeBlock.of("$N $L= $L", target, b.op().symbol(), expressions.print(b.right()))
                    : CodeBlock.of("$N = $L", target, expressions.print(s.value()));
            case PLAIN -> CodeBlock.of("$N = $L", target, expressions.print(s.value()));
        };
    }

    @Override
    public Void visitElementAssign(Stmt.ElementAssign s) {
        CodeBlock element = expressions.print(s.element());
        switch (s.form()) {
            case INCREMENT -> out.addStatement("$L++", element);
            case DECREMENT -> out.addStatement("$L--", element);
            case COMPOUND -> {
                if (s.value() instanceof Expr.Binary b) {
                    out.addStatement("$L $L= $L", element, b.op().symbol(), expressions.print(b.right()));
                } else {
                    out.addStatement("$L = $L", element, expressions.print(s.value()));
                }
            }
            case PLAIN -> out.addStatement("$L = $L", element, expressions.print(s.value()));
        }
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
        if (stmts.isEmpty()) {
            return CodeBlock.of("");
        }
        if (stmts.get(0) instanceof Stmt.LocalDecl first) {
            CodeBlock declarators = stmts.stream()
                    .map(s -> (Stmt.LocalDecl) s)
                    .map(d -> CodeBlock.of("$N = $L", names.of(d.variable()), expressions.print(d.init())))
                    .collect(CodeBlock.joining(", "));
            return CodeBlock.of("$T $L", typeName(first.variable().type()), declarators);
        }
        return stmts.stream().map(s -> assignment((Stmt.Assign) s)).collect(CodeBlock.joining(", "));
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
        out.addStatement("$N.$L($L)", names.of(s.tape()), method, expressions.print(s.value()));
        return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate s) {
        out.addStatement("$L", expressions.print(s.call()));
        return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
        out.addStatement("return $L", expressions.print(s.value()));
        return null;
    }

    @Override
    public Void visitComment(Stmt.Comment s) {
        out.add("// $L\n", s.text());
        return null;
    }
}
