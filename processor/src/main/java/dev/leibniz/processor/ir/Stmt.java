package dev.leibniz.processor.ir;

import java.util.List;

/** A statement of the differentiable subset, or of generated code. */
public sealed interface Stmt {
    SourcePos pos();

    <R> R accept(Visitor<R> visitor);

    interface Visitor<R> {
        R visitLocalDecl(LocalDecl s);

        R visitAssign(Assign s);

        R visitIf(If s);

        R visitReturn(Return s);

        R visitComment(Comment s);
    }

    /** A local declaration; {@code init} is {@code null} when the source declares without initialising. */
    record LocalDecl(Variable variable, Expr init, SourcePos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitLocalDecl(this);
        }
    }

    /**
     * {@code target = value}. Compound assignments and increments are desugared for the analyses; {@code form}
     * remembers how the source wrote them so that the forward sweep reads like the original.
     */
    record Assign(Variable target, Expr value, Form form, SourcePos pos) implements Stmt {
        /** How to print: {@code COMPOUND} requires {@code value} to be {@code Binary(op, Ref(target), rhs)}. */
        public enum Form {
            PLAIN,
            COMPOUND,
            INCREMENT,
            DECREMENT
        }

        public static Assign plain(Variable target, Expr value) {
            return new Assign(target, value, Form.PLAIN, SourcePos.NONE);
        }

        /** {@code target += value}. */
        public static Assign accumulate(Variable target, Expr value) {
            Expr sum = new Expr.Binary(BinaryOp.ADD, Expr.Ref.to(target), value, PrimitiveType.DOUBLE,
                    SourcePos.NONE);
            return new Assign(target, sum, Form.COMPOUND, SourcePos.NONE);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitAssign(this);
        }
    }

    record If(Expr condition, List<Stmt> thenStmts, List<Stmt> elseStmts, SourcePos pos) implements Stmt {
        public If {
            thenStmts = List.copyOf(thenStmts);
            elseStmts = List.copyOf(elseStmts);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitIf(this);
        }
    }

    record Return(Expr value, SourcePos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitReturn(this);
        }
    }

    /** Generated code only: a line comment, used to tie each block of a sweep to its source statement. */
    record Comment(String text) implements Stmt {
        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitComment(this);
        }
    }
}
