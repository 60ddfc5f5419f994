package dev.leibniz.processor.ir;

import java.util.List;

/**
 * An expression of the differentiable subset. Every node knows its type; nodes translated from source know
 * their position. Nodes are immutable; transforms that need per-node facts key them by identity.
 */
public sealed interface Expr {
    Type type();

    SourcePos pos();

    <R> R accept(Visitor<R> visitor);

    /** Dispatch over the node kinds; adding a node kind breaks every visitor at compile time, on purpose. */
    interface Visitor<R> {
        R visitLiteral(Literal e);

        R visitRef(Ref e);

        R visitFieldRef(FieldRef e);

        R visitUnary(Unary e);

        R visitBinary(Binary e);

        R visitConditional(Conditional e);

        R visitCast(Cast e);

        R visitMathCall(MathCall e);

        R visitStaticCall(StaticCall e);

        R visitDiffCall(DiffCall e);

        R visitGradientCall(GradientCall e);

        R visitDifferentialCall(DifferentialCall e);

        R visitComponent(Component e);

        R visitNewRecord(NewRecord e);

        R visitPop(Pop e);

        R visitArrayRead(ArrayRead e);

        R visitArrayLength(ArrayLength e);

        R visitNewArray(NewArray e);

        R visitArrayLiteral(ArrayLiteral e);

        R visitPullbackCall(PullbackCall e);

        R visitTapeCall(TapeCall e);
    }

    /** A literal, kept as its source text so that it prints exactly as written; {@code null} for records. */
    record Literal(Type type, String text, SourcePos pos) implements Expr {
        public static Literal ofDouble(double value) {
            return new Literal(PrimitiveType.DOUBLE, doubleText(value), SourcePos.NONE);
        }

        public static Literal zero(PrimitiveType type) {
            return new Literal(type, type.zero(), SourcePos.NONE);
        }

        /** The initial value of a record or array local that only some paths assign. */
        public static Literal nullOf(Type type) {
            return new Literal(type, "null", SourcePos.NONE);
        }

        public static Literal ofInt(int value) {
            return new Literal(PrimitiveType.INT, Integer.toString(value), SourcePos.NONE);
        }

        public static Literal ofBoolean(boolean value) {
            return new Literal(PrimitiveType.BOOLEAN, Boolean.toString(value), SourcePos.NONE);
        }

        /** Java source for a finite double; callers handle infinities and NaN themselves. */
        public static String doubleText(double value) {
            return Double.toString(value);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitLiteral(this);
        }
    }

    record Ref(Variable variable, SourcePos pos) implements Expr {
        public static Ref to(Variable variable) {
            return new Ref(variable, SourcePos.NONE);
        }

        @Override
        public Type type() {
            return variable.type();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitRef(this);
        }
    }

    /**
     * A {@code static final} field read: a constant input without derivative. An array field (constant data, a table
     * of coefficients) is read once, into a local the method's body uses.
     *
     * @param copyOf for a private array of constants that the generated class cannot read, the initialiser of the
     *     copy that the generated class declares as its own field {@code name} (and {@code owner} is that class);
     *     otherwise {@code null}
     */
    record FieldRef(ClassRef owner, String name, Type type, SourcePos pos, ArrayLiteral copyOf) implements Expr {
        public FieldRef(ClassRef owner, String name, Type type, SourcePos pos) {
            this(owner, name, type, pos, null);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitFieldRef(this);
        }
    }

    record Unary(UnaryOp op, Expr operand, PrimitiveType type, SourcePos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitUnary(this);
        }
    }

    record Binary(BinaryOp op, Expr left, Expr right, PrimitiveType type, SourcePos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitBinary(this);
        }
    }

    record Conditional(Expr condition, Expr whenTrue, Expr whenFalse, PrimitiveType type, SourcePos pos)
            implements Expr {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitConditional(this);
        }
    }

    /** A primitive conversion written in the source; identity casts are dropped by the front end. */
    record Cast(PrimitiveType type, Expr operand, SourcePos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitCast(this);
        }
    }

    /** A call of {@code Math} or {@code StrictMath} whose derivative Leibniz knows. */
    record MathCall(ClassRef owner, MathFunction function, List<Expr> args, PrimitiveType type, SourcePos pos)
            implements Expr {
        public MathCall {
            args = List.copyOf(args);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitMathCall(this);
        }
    }

    /**
     * A static method Leibniz does not differentiate; valid only where its arguments carry no derivative, or where
     * the user stops it on purpose ({@link #stopsDerivative()}).
     *
     * @param inSources whether the method is in the sources being compiled, where the user could annotate it
     * @param partials the derivatives declared for it with {@code @DerivativeOf}, by parameter
     */
    /**
     * A call of a method that is not {@code @Differentiable}.
     *
     * @param writes the indices of the array arguments the method may write into (see
     *     {@code frontend.MemoryEffects}); such a call is a statement of its own, or the whole value of one
     */
    record StaticCall(ClassRef owner, String name, List<Expr> args, Type type, boolean inSources,
            List<CustomPartial> partials, List<Integer> writes, SourcePos pos) implements Expr {
        public StaticCall {
            args = List.copyOf(args);
            partials = List.copyOf(partials);
            writes = List.copyOf(writes);
        }

        public StaticCall(ClassRef owner, String name, List<Expr> args, Type type, boolean inSources,
                List<CustomPartial> partials, SourcePos pos) {
            this(owner, name, args, type, inSources, partials, List.of(), pos);
        }

        /** A call without derivatives: opaque to differentiation. */
        public StaticCall(ClassRef owner, String name, List<Expr> args, Type type, boolean inSources, SourcePos pos) {
            this(owner, name, args, type, inSources, List.of(), List.of(), pos);
        }

        /** The arguments the method may write into: arrays whose contents the call changes. */
        public List<Expr> writtenArguments() {
            return writes.stream().map(args::get).toList();
        }

        /** The derivative the user declared with respect to argument {@code index}, if any. */
        public java.util.Optional<CustomPartial> partial(int index) {
            return partials.stream().filter(p -> p.parameter() == index).findFirst();
        }

        /** {@code Leibniz.noDerivative(x)}: the value of {@code x}, with derivative zero by the user's choice. */
        public boolean stopsDerivative() {
            return owner.canonicalName().equals("dev.leibniz.Leibniz") && name.equals("noDerivative");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitStaticCall(this);
        }
    }

    /** A call of another {@code @Differentiable} method: the chain rule goes through its generated gradient. */
    record DiffCall(Callee callee, List<Expr> args, SourcePos pos) implements Expr {
        public DiffCall {
            args = List.copyOf(args);
        }

        /** The array arguments the callee may write into (see {@link Callee#writtenParameters}). */
        public List<Expr> writtenArguments() {
            return callee.writtenParameters().stream().filter(i -> i < args.size()).map(args::get)
                    .filter(a -> a.type() instanceof ArrayType).toList();
        }

        @Override
        public Type type() {
            return callee.result();
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitDiffCall(this);
        }
    }

    /** Generated code only: a call of a callee's record-returning gradient method. */
    record GradientCall(Callee callee, List<Expr> args) implements Expr {
        public GradientCall {
            args = List.copyOf(args);
        }

        @Override
        public Type type() {
            return callee.recordType();
        }

        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitGradientCall(this);
        }
    }

    /**
     * Generated code only: a call of a callee's forward-mode differential, {@code FGradient.fDifferential(args...,
     * tangents...)} (its in-place form for a callee that writes into its arrays), returning the value and the
     * differential. Second order reads the callee back from it.
     */
    record DifferentialCall(Callee callee, List<Expr> args) implements Expr {
        public DifferentialCall {
            args = List.copyOf(args);
        }

        /** The method called: the differential, or the in-place differential of a callee that writes its arrays. */
        public String name() {
            return callee.writesArrayArguments()
                    ? GradientNaming.inPlaceDifferentialName(callee.method(), callee.returnsVoid())
                    : GradientNaming.differentialName(callee.method());
        }

        @Override
        public Type type() {
            return callee.returnsVoid() ? ClassType.VOID
                    : callee.returnsArray() ? ClassType.ARRAY_DIFFERENTIAL : ClassType.DIFFERENTIAL;
        }

        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitDifferentialCall(this);
        }
    }

    /** Generated code only: a component of a gradient record, {@code ellipsoidVolume.a()}. */
    record Component(Expr record, String name, Type type) implements Expr {
        public Component(Expr record, String name) {
            this(record, name, PrimitiveType.DOUBLE);
        }

        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitComponent(this);
        }
    }

    /** Generated code only: {@code new EllipsoidVolume(value, da, db, dc)}. */
    record NewRecord(ClassType type, List<Expr> args) implements Expr {
        public NewRecord {
            args = List.copyOf(args);
        }

        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitNewRecord(this);
        }
    }

    /** Generated code only: {@code tape.popDouble()} and its siblings; {@code tape.popObject()} for records. */
    record Pop(Variable tape, Type type) implements Expr {
        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitPop(this);
        }
    }

    /** {@code array[index]}: a {@code double} carries a derivative, a row of a matrix is an array itself. */
    record ArrayRead(Expr array, Expr index, Type type, SourcePos pos) implements Expr {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitArrayRead(this);
        }
    }

    record ArrayLength(Expr array, SourcePos pos) implements Expr {
        @Override
        public Type type() {
            return PrimitiveType.INT;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitArrayLength(this);
        }
    }

    /** {@code new double[n]}, {@code new double[n][m]}: one length per dimension. */
    record NewArray(ArrayType type, List<Expr> lengths, SourcePos pos) implements Expr {
        public NewArray {
            lengths = List.copyOf(lengths);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitNewArray(this);
        }
    }

    /** {@code new double[] {a, b}}, or the initialiser {@code {a, b}} of a declaration. */
    record ArrayLiteral(ArrayType type, List<Expr> elements, SourcePos pos) implements Expr {
        public ArrayLiteral {
            elements = List.copyOf(elements);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitArrayLiteral(this);
        }
    }

    /**
     * Generated code only: {@code FGradient.fPullback(args..., seed, shadows...)}, how the reverse sweep applies the
     * chain rule through a callee with array parameters: it adds into the shadows and returns the record, or only
     * the value when every differentiated parameter is an array.
     */
    record PullbackCall(Callee callee, List<Expr> args, Expr seed, List<Expr> shadows) implements Expr {
        public PullbackCall {
            args = List.copyOf(args);
            shadows = List.copyOf(shadows);
        }

        @Override
        public Type type() {
            return callee.pullbackReturnsRecord() ? callee.recordType()
                    : callee.returnsVoid() ? ClassType.VOID : PrimitiveType.DOUBLE;
        }

        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitPullbackCall(this);
        }
    }

    /** Generated code only: {@code tape.zeros(n)} and the like, the tape lending a zeroed array. */
    record TapeCall(Variable tape, String method, List<Expr> args, Type type) implements Expr {
        public TapeCall {
            args = List.copyOf(args);
        }

        @Override
        public SourcePos pos() {
            return SourcePos.NONE;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitTapeCall(this);
        }
    }
}
