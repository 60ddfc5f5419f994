package dev.leibniz.processor.ir;

import java.util.List;

/** A statement of the differentiable subset, or of generated code. */
public sealed interface Stmt {
    SourcePos pos();

    <R> R accept(Visitor<R> visitor);

    interface Visitor<R> {
        R visitLocalDecl(LocalDecl s);

        R visitAssign(Assign s);

        R visitElementAssign(ElementAssign s);

        R visitIf(If s);

        R visitReturn(Return s);

        R visitLoop(Loop s);

        R visitBreak(Break s);

        R visitContinue(Continue s);

        R visitPush(Push s);

        R visitEvaluate(Evaluate s);

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

    /**
     * {@code array[index] = value}, with compound assignments and increments desugared as for {@link Assign}: for
     * {@code COMPOUND}, {@code value} is {@code Binary(op, ArrayRead(array, index), rhs)}.
     */
    record ElementAssign(Expr array, Expr index, Expr value, Assign.Form form, SourcePos pos) implements Stmt {
        /** The element this assigns, as an expression. */
        public Expr.ArrayRead element() {
            return new Expr.ArrayRead(array, index, ((ArrayType) array.type()).component(), pos);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitElementAssign(this);
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

    /**
     * {@code for}, {@code while} and {@code do/while}: {@code init} runs once, then {@code body} and {@code update}
     * repeat while {@code condition} holds, tested before the body or, for {@code do/while}, after it.
     *
     * @param label the source label, or {@code null}; {@code break} and {@code continue} name loops by it
     * @param kind how the source wrote it, so that the forward sweep can write it the same way
     */
    record Loop(Kind kind, String label, List<Stmt> init, Expr condition, List<Stmt> update, List<Stmt> body,
            SourcePos pos) implements Stmt {
        public enum Kind {
            FOR,
            WHILE,
            DO_WHILE
        }

        public Loop {
            init = List.copyOf(init);
            update = List.copyOf(update);
            body = List.copyOf(body);
        }

        public Loop withParts(List<Stmt> newInit, Expr newCondition, List<Stmt> newUpdate, List<Stmt> newBody) {
            return new Loop(kind, label, newInit, newCondition, newUpdate, newBody, pos);
        }

        public boolean testsFirst() {
            return kind != Kind.DO_WHILE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitLoop(this);
        }
    }

    /**
     * {@code break}, leaving the loop named {@code label} (the innermost when {@code null}), or, with
     * {@link #LEAVE_ALL}, every enclosing loop: a {@code return} inside loops becomes that.
     */
    record Break(String label, SourcePos pos) implements Stmt {
        public static final String LEAVE_ALL = "*return*";

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitBreak(this);
        }
    }

    record Continue(String label, SourcePos pos) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitContinue(this);
        }
    }

    /** Generated code only: {@code tape.push(value)}, or {@code tape.pushObject(value)} for a record. */
    record Push(Variable tape, Expr value) implements Stmt {
        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitPush(this);
        }
    }

    /**
     * A call made for its effect: in the source, a method that writes into arrays it is given; in generated code,
     * copying an array back.
     */
    record Evaluate(Expr call) implements Stmt {
        @Override
        public SourcePos pos() {
            return call.pos();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitEvaluate(this);
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
