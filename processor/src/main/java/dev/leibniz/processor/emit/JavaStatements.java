package dev.leibniz.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.RecordType;
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
        if (type instanceof RecordType r) {
            return JavaExpressions.className(r.name());
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
        String target = names.of(s.target());
        switch (s.form()) {
            case INCREMENT -> out.addStatement("$N++", target);
            case DECREMENT -> out.addStatement("$N--", target);
            case COMPOUND -> {
                if (s.value() instanceof Expr.Binary b) {
                    out.addStatement("$N $L= $L", target, b.op().symbol(), expressions.print(b.right()));
                } else {
                    // 'i += x' narrows implicitly (JLS 15.26.2); written out, the cast is explicit and javac's
                    // -Xlint:lossy-conversions (JDK 20+) has nothing to say about generated code.
                    out.addStatement("$N = $L", target, expressions.print(s.value()));
                }
            }
            case PLAIN -> out.addStatement("$N = $L", target, expressions.print(s.value()));
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
