package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.AdjointStmt;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.UnaryOp;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The forward and reverse code of one active assignment {@code target = value}.
 *
 * <p>{@link DerivativeRules} say how an adjoint flowing into each node of {@code value} flows into its operands;
 * {@link StatementDerivative} names the values they read in the forward sweep. The rules then run again to generate
 * the reverse code: a node with two or more active operands binds its adjoint to a local first, so the code stays
 * linear in the size of the expression; contributions to the target itself replace its adjoint
 * ({@code dv = dv * x}).
 */
final class StatementAdjoint extends StatementDerivative {
    private final java.util.function.Supplier<Variable> tape;
    /** Inside a loop, cheap arithmetic is evaluated again in the reverse sweep rather than kept on the tape. */
    private final boolean inLoop;
    private final List<Expr> selfContributions = new ArrayList<>();
    private final List<Stmt> reverse = new ArrayList<>();

    StatementAdjoint(VariableFactory variables, Activity activity, Adjoints adjoints,
            java.util.function.Supplier<Variable> tape, Stmt source, Expr location, Expr value, boolean declaration,
            boolean inLoop) {
        super(variables, activity, adjoints, source, location, value, declaration);
        this.tape = tape;
        this.inLoop = inLoop;
    }

    /** @param resetsAdjoint whether the target's old value has an adjoint that must restart from zero */
    AdjointStmt.Assignment generate(boolean resetsAdjoint) {
        nameIntermediates();
        if (location instanceof Expr.ArrayRead element) {
            generateForElement(element);
        } else {
            generateForVariable(resetsAdjoint);
        }
        Set<Variable> reads = primalReads(reverse);
        if (location instanceof Expr.ArrayRead element) {
            Exprs.variables(element, reads); // a restore writes the element back at the same index
        }
        return new AdjointStmt.Assignment(source, target, declaration, forward, intermediates, reverse, reads,
                targetInValue && (location instanceof Expr.ArrayRead || reads.contains(target)), List.of(location));
    }

    /**
     * {@code a[i] = value}: the element's adjoint is taken and zeroed, then pulled back through the value, into
     * which it may flow back (it may read {@code a}). {@code a[i] += rhs} passes the adjoint through unchanged.
     */
    private void generateForElement(Expr.ArrayRead element) {
        Expr.ArrayRead shadow = shadowElement(element);
        if (source instanceof Stmt.ElementAssign assign && assign.form() == Stmt.Assign.Form.COMPOUND
                && assign.value() instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUB)
                && !readsCell(b.right(), target) && Exprs.children(root).get(0) == b.left()) {
            propagate(Exprs.children(root).get(1), b.op() == BinaryOp.ADD ? shadow : Build.neg(shadow));
            return;
        }
        Variable taken = variables.create("dt", PrimitiveType.DOUBLE, Variable.Role.ADJOINT);
        reverse.add(new Stmt.LocalDecl(taken, shadow, SourcePos.NONE));
        reverse.add(new Stmt.ElementAssign(shadow.array(), shadow.index(), Build.ZERO, Stmt.Assign.Form.PLAIN,
                SourcePos.NONE));
        propagate(root, Expr.Ref.to(taken));
    }

    private void generateForVariable(boolean resetsAdjoint) {
        Variable dTarget = derivatives.of(target);
        propagate(root, Expr.Ref.to(dTarget));
        if (!selfContributions.isEmpty()) {
            Expr sum = selfContributions.get(0);
            for (int i = 1; i < selfContributions.size(); i++) {
                sum = Build.add(sum, selfContributions.get(i));
            }
            if (!(sum instanceof Expr.Ref r && r.variable().equals(dTarget))) {
                reverse.add(Stmt.Assign.plain(dTarget, sum));
            }
        } else if (resetsAdjoint) {
            reverse.add(Stmt.Assign.plain(dTarget, Build.ZERO));
        }
    }

    /**
     * How the chain rule goes through a call. Outside loops the forward sweep calls the callee's gradient and keeps
     * its record of partials. A callee with array parameters has arrays for partials, and inside a loop a record
     * per iteration would have to be kept on the tape (an allocation per call): there the forward sweep calls the
     * callee itself and the reverse sweep its pullback. A callee's directional derivative (second order) has no
     * gradient form: always its pullback.
     */
    private boolean throughPullback(Expr.DiffCall call) {
        return call.callee().takesArrays() || call.callee().returnsArray() || inLoop || call.callee().directional();
    }

    /**
     * {@code double[] h = layer(w, x, beta)}: the forward sweep calls the callee and gives its array a shadow of
     * zeros; the reverse sweep passes that shadow, the adjoint of every element, to the callee's vector-Jacobian
     * product, which adds into the arguments' shadows and returns the scalars' adjoints. The front end declares the
     * result in a local of its own, so the arguments never read it.
     */
    AdjointStmt.Assignment generateForArrayResult() {
        nameIntermediates();
        Variable shadow = derivatives.of(target);
        forward.add(new Stmt.LocalDecl(shadow, new Expr.TapeCall(tape.get(), "zerosLike",
                List.of(Expr.Ref.to(target)), target.type()), SourcePos.NONE));
        pullBackThrough((Expr.DiffCall) root, Expr.Ref.to(shadow));
        return new AdjointStmt.Assignment(source, target, declaration, forward, intermediates, reverse,
                primalReads(reverse), false, List.of(location, Expr.Ref.to(shadow)));
    }

    @Override
    boolean callsAgain(Expr.DiffCall call) {
        return throughPullback(call);
    }

    @Override
    Expr namedCall(Expr.DiffCall call, List<Expr> args) {
        return new Expr.GradientCall(call.callee(), args);
    }

    /**
     * The callee's pullback, called with the arguments as they were at the call (the analysis keeps them so), adds
     * into the shadows of the array arguments and returns the scalars' adjoints. An argument without a derivative
     * gets a scratch array of zeros to add into.
     */
    private void pullBackThrough(Expr.DiffCall call, Expr adjoint) {
        Expr pullback = new Expr.PullbackCall(call.callee(), call.args().stream().map(this::value).toList(), adjoint,
                calleeShadows(call, activity, derivatives, tape));
        if (!call.callee().pullbackReturnsRecord()) {
            reverse.add(new Stmt.Evaluate(pullback));
            return;
        }
        Variable record = variables.create(call.callee().method() + "Adjoints", pullback.type(),
                Variable.Role.TEMPORARY);
        reverse.add(new Stmt.LocalDecl(record, pullback, SourcePos.NONE));
        for (int i : call.callee().differentiatedIndices()) {
            Expr arg = call.args().get(i);
            if (!(arg.type() instanceof ArrayType)) {
                propagate(arg, new Expr.Component(Expr.Ref.to(record), call.callee().parameterNames().get(i)));
            }
        }
    }

    /**
     * The shadows a callee's pullback adds into, one per differentiated array parameter: the argument's shadow, or,
     * for an argument without a derivative here, scratch zeros from the tape (asked for only then).
     */
    static List<Expr> calleeShadows(Expr.DiffCall call, Activity activity, Adjoints adjoints,
            java.util.function.Supplier<Variable> tape) {
        List<Expr> shadows = new ArrayList<>();
        for (int i : call.callee().differentiatedIndices()) {
            Expr arg = call.args().get(i);
            if (arg.type() instanceof ArrayType array) {
                shadows.add(activity.isActive(arg) ? shadowArray(arg, adjoints)
                        : new Expr.TapeCall(tape.get(), "zerosLike", List.of(arg), array));
            }
        }
        return shadows;
    }

    private void propagate(Expr node, Expr adjoint) {
        propagate(node, Flow.of(adjoint));
    }

    /**
     * The adjoint flowing into a node: {@code base}, the adjoint of an enclosing node, times the partial derivative
     * of that node with respect to this one. The partial is kept as the maps of the nodes between them, the nearest
     * this node first, so that it can be multiplied out in the order the source computes the value (see
     * {@link #finish}); negations and moderate constant factors ({@link #isModerate}) are kept apart and applied
     * last, as the product rule reads ({@code dt * 2}). Under a sum, {@code shared} names the adjoint of the sum for
     * the nodes that read it unchanged but for those.
     */
    private record Flow(Expr base, List<UnaryOperator<Expr>> maps, boolean negated, List<UnaryOperator<Expr>> scales,
            Shared shared, boolean sharedNegated, List<UnaryOperator<Expr>> sharedScales) {
        static Flow of(Expr adjoint) {
            return new Flow(adjoint, List.of(), false, List.of(), null, false, List.of());
        }

        Flow through(UnaryOperator<Expr> map) {
            return new Flow(base, plus(List.of(map), maps), negated, scales, null, false, List.of());
        }

        Flow negate() {
            return new Flow(base, maps, !negated, scales, shared, !sharedNegated, sharedScales);
        }

        Flow scale(UnaryOperator<Expr> map) {
            return new Flow(base, maps, negated, plus(scales, List.of(map)), shared, sharedNegated,
                    plus(sharedScales, List.of(map)));
        }

        Flow sharing(Shared s) {
            return new Flow(base, maps, negated, scales, s, false, List.of());
        }

        private static List<UnaryOperator<Expr>> plus(List<UnaryOperator<Expr>> a, List<UnaryOperator<Expr>> b) {
            List<UnaryOperator<Expr>> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }
    }

    /** The adjoint of a sum, named in a local where a node under it first reads it. */
    private static final class Shared {
        final Expr node;
        final Expr value;
        Variable variable;

        Shared(Expr node, Expr value) {
            this.node = node;
            this.value = value;
        }
    }

    private void propagate(Expr node, Flow flow) {
        if (node instanceof Expr.Ref ref) {
            if (activity.isActive(ref.variable())) {
                contribute(ref.variable(), finish(flow));
            }
            return;
        }
        if (node instanceof Expr.DiffCall call && throughPullback(call)) {
            if (activity.isActive(call)) {
                pullBackThrough(call, finish(flow));
            }
            return;
        }
        if (node instanceof Expr.ArrayRead read) {
            if (activity.isActive(read)) {
                Expr.ArrayRead shadow = shadowElement(read);
                reverse.add(new Stmt.ElementAssign(shadow.array(), shadow.index(),
                        new Expr.Binary(BinaryOp.ADD, shadow, finish(flow), PrimitiveType.DOUBLE, SourcePos.NONE),
                        Stmt.Assign.Form.COMPOUND, SourcePos.NONE));
            }
            return;
        }
        if (!activity.isActive(node)) {
            return;
        }
        List<DerivativeRules.Partial> partials = DerivativeRules.partials(node, values(), activity::isActive);
        Flow f = flow;
        if (partials.size() >= 2) {
            if (f.maps().isEmpty()) {
                Expr a = finish(f);
                if (!isAtomic(a)) {
                    Variable bound = boundAdjoint(node);
                    reverse.add(new Stmt.LocalDecl(bound, a, SourcePos.NONE));
                    a = Expr.Ref.to(bound);
                }
                f = Flow.of(a);
            } else {
                if (!isAtomic(f.base())) {
                    Variable bound = variables.create("dt", PrimitiveType.DOUBLE, Variable.Role.ADJOINT);
                    reverse.add(new Stmt.LocalDecl(bound, f.base(), SourcePos.NONE));
                    f = new Flow(Expr.Ref.to(bound), f.maps(), f.negated(), f.scales(), f.shared(),
                            f.sharedNegated(), f.sharedScales());
                }
                if (f.shared() == null && readersThroughSums(node) >= 2) {
                    f = f.sharing(new Shared(node, finish(f)));
                }
            }
        }
        for (DerivativeRules.Partial p : partials) {
            Expr marked = p.times().apply(MARKER);
            if (marked == MARKER) {
                propagate(p.operand(), f);
            } else if (isNegation(marked)) {
                propagate(p.operand(), f.negate());
            } else if (isModerate(marked)) {
                propagate(p.operand(), f.scale(p.times()));
            } else {
                propagate(p.operand(), f.through(p.times()));
            }
        }
    }

    /** Stands for the adjoint when a map is inspected: does it pass the adjoint on unchanged, or negated? */
    private static final Expr MARKER = new Expr.Literal(PrimitiveType.DOUBLE, "adjoint", SourcePos.NONE);

    private static boolean isNegation(Expr marked) {
        return marked instanceof Expr.Unary u && u.op() == UnaryOp.NEG && u.operand() == MARKER;
    }

    /**
     * Whether a map multiplies or divides by a literal between {@code 2^-12} and {@code 2^12} in magnitude, like the
     * {@code 2} of {@code 2 * v2}. Applying it last rather than in the source's order changes the adjoint by
     * rounding, and its range only within a factor 4096 of overflow or of the subnormal numbers ({@link Scaled}
     * moves such constants for the same reason).
     */
    private static boolean isModerate(Expr marked) {
        if (marked instanceof Expr.Binary b && (b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)
                && b.left() == MARKER && b.type() == PrimitiveType.DOUBLE) {
            Double c = b.right() instanceof Expr.Literal ? Build.constantValue(b.right()) : null;
            return c != null && Scaled.movable(c);
        }
        return false;
    }

    /**
     * How many nodes under {@code node} read the adjoint flowing into it but for negations and moderate constant
     * factors, through sums and differences: a leaf, or the first node on the way with another partial derivative.
     */
    private int readersThroughSums(Expr node) {
        if (node instanceof Expr.Ref || node instanceof Expr.ArrayRead || node instanceof Expr.DiffCall) {
            return 1;
        }
        int readers = 0;
        for (DerivativeRules.Partial p : DerivativeRules.partials(node, values(), activity::isActive)) {
            Expr marked = p.times().apply(MARKER);
            boolean passes = marked == MARKER || isNegation(marked) || isModerate(marked);
            readers += passes ? readersThroughSums(p.operand()) : 1;
        }
        return readers;
    }

    /**
     * The adjoint a flow carries. With one map between, the map applied to the adjoint ({@code dt * y}, as the
     * product rule reads). With more, the partial derivative is multiplied out first, in the order the source
     * computes the value, and the adjoint multiplied by it last: the reverse sweep of {@code x * 1e-300 * 1e300 * 1e10}
     * reads {@code dValue * (1e-300 * 1e300 * 1e10)}, which neither overflows nor underflows where the value does not
     * (pulled through in the opposite order, {@code dValue * 1e10 * 1e300} overflows first).
     */
    private Expr finish(Flow flow) {
        Expr a;
        List<UnaryOperator<Expr>> scales;
        if (flow.shared() != null) {
            Shared shared = flow.shared();
            if (shared.variable == null) {
                shared.variable = boundAdjoint(shared.node);
                reverse.add(new Stmt.LocalDecl(shared.variable, shared.value, SourcePos.NONE));
            }
            a = Expr.Ref.to(shared.variable);
            a = flow.sharedNegated() ? Build.neg(a) : a;
            scales = flow.sharedScales();
        } else {
            if (flow.maps().isEmpty()) {
                a = flow.negated() ? Build.neg(flow.base()) : flow.base();
            } else if (flow.maps().size() == 1) {
                a = flow.maps().get(0).apply(flow.negated() ? Build.neg(flow.base()) : flow.base());
            } else {
                a = multiplied(flow.base(), flow.negated(), flow.maps());
            }
            scales = flow.scales();
        }
        for (UnaryOperator<Expr> scale : scales) {
            a = scale.apply(a);
        }
        return a;
    }

    /** {@code adjoint * partial}, the partial multiplied out from the node up, the nearest factor first. */
    private static Expr multiplied(Expr adjoint, boolean negated, List<UnaryOperator<Expr>> maps) {
        Expr partial = maps.get(0).apply(Build.ONE);
        for (UnaryOperator<Expr> map : maps.subList(1, maps.size())) {
            partial = map.apply(partial);
        }
        boolean[] negative = {negated};
        Expr a = unsigned(adjoint, negative);
        Expr p = widened(unsigned(partial, negative));
        Expr product = Build.mul(a, p);
        return negative[0] ? Build.neg(product) : product;
    }

    /**
     * {@code e} without its signs, which flip {@code negative[0]}: negations, negative literals and {@code 1.0} or
     * {@code -1.0} factors of products and quotients go, the rest keeps its grouping. Exactly {@code ±e}.
     */
    private static Expr unsigned(Expr e, boolean[] negative) {
        if (e instanceof Expr.Unary u && u.op() == UnaryOp.NEG && u.type() == PrimitiveType.DOUBLE) {
            negative[0] = !negative[0];
            return unsigned(u.operand(), negative);
        }
        if (e instanceof Expr.Binary b && (b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)
                && b.type() == PrimitiveType.DOUBLE) {
            Expr left = unsigned(b.left(), negative);
            Expr right = unsigned(b.right(), negative);
            if (b.op() == BinaryOp.MUL && isOne(left)) {
                return right;
            }
            if (isOne(right)) {
                return left;
            }
            return left == b.left() && right == b.right() ? e
                    : Exprs.binary(b.op(), left, right, b.type(), b.pos());
        }
        Double c = e instanceof Expr.Literal && e.type() == PrimitiveType.DOUBLE ? Build.constantValue(e) : null;
        if (c != null && c < 0) {
            negative[0] = !negative[0];
            return Expr.Literal.ofDouble(-c);
        }
        return e;
    }

    private static boolean isOne(Expr e) {
        Double c = e instanceof Expr.Literal ? Build.constantValue(e) : null;
        return c != null && c == 1.0;
    }

    /**
     * The first factor widened to {@code double} where the next one is not {@code double} either: without the
     * adjoint in front, {@code i / j} would divide ints. An int literal becomes the {@code double} literal.
     */
    private static Expr widened(Expr e) {
        if (e instanceof Expr.Binary b && (b.op() == BinaryOp.MUL || b.op() == BinaryOp.DIV)) {
            Expr left = b.left() instanceof Expr.Binary l && (l.op() == BinaryOp.MUL || l.op() == BinaryOp.DIV)
                    && l.type() == PrimitiveType.DOUBLE ? widened(b.left())
                    : b.right().type() != PrimitiveType.DOUBLE ? asDouble(b.left()) : b.left();
            return left == b.left() ? e : Exprs.binary(b.op(), left, b.right(), b.type(), b.pos());
        }
        return e;
    }

    private static Expr asDouble(Expr e) {
        Double c = e instanceof Expr.Literal && e.type() != PrimitiveType.DOUBLE ? Build.constantValue(e) : null;
        return c != null ? Expr.Literal.ofDouble(c) : Build.asDouble(e);
    }

    private void contribute(Variable v, Expr adjoint) {
        if (v.equals(target)) {
            selfContributions.add(adjoint);
        } else {
            reverse.add(Stmt.Assign.accumulate(derivatives.of(v), adjoint));
        }
    }

    /** The adjoint of an intermediate node, named after its temporary when it has one. */
    private Variable boundAdjoint(Expr node) {
        Expr kept = valueOf.get(node);
        if (kept instanceof Expr.Ref ref && ref.variable().role() == Variable.Role.TEMPORARY) {
            return variables.adjointOf(ref.variable());
        }
        return variables.create("dt", PrimitiveType.DOUBLE, Variable.Role.ADJOINT);
    }

    /**
     * Cheaper to evaluate again than to name: a (negated) leaf, anything without a derivative, and inside a loop
     * plain arithmetic — evaluating {@code x - i} again beats a push and a pop; {@code exp} and the like are kept.
     */
    @Override
    boolean isRecomputable(Expr node) {
        if (super.isRecomputable(node)) {
            return true;
        }
        return inLoop && (node instanceof Expr.Binary b && b.op().isArithmetic() || node instanceof Expr.Unary
                || node instanceof Expr.Cast);
    }

    /**
     * The primal variables {@code stmts} read; an array read is a read of its alias class's elements too. The shadow
     * {@code dr} of an array reference {@code r} counts as a read of {@code r}: both are assigned together, so an
     * overwrite of {@code r} (a row alias in a loop, say) must save both for this code.
     */
    private Set<Variable> primalReads(List<Stmt> stmts) {
        Set<Variable> all = new LinkedHashSet<>();
        ExprWalk.statements(stmts, s -> ExprWalk.ownExpressions(s).forEach(e -> Exprs.variables(e, all)));
        Set<Variable> reads = new HashSet<>();
        for (Variable v : all) {
            if (v.role() != Variable.Role.ADJOINT) {
                reads.add(v);
                if (v.type() instanceof ArrayType) {
                    reads.add(activity.cell(v));
                }
            } else if (v.type() instanceof ArrayType) {
                derivatives.primalOf(v).ifPresent(reads::add);
            }
        }
        return reads;
    }
}
