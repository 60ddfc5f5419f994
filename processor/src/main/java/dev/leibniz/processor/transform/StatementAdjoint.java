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

/**
 * The forward and reverse code of one active assignment {@code target = value}.
 *
 * <p>{@link DerivativeRules} say how an adjoint flowing into each node of {@code value} flows into its operands.
 * The rules run once with a recording {@link DerivativeRules.Values} to learn which operand and result values the
 * reverse code reads; exactly those are named in the forward sweep ({@code double t1 = ...}), in evaluation
 * order. Leaves, inactive subexpressions and {@code -x} are evaluated again instead; the whole value is read
 * back from the target when the target does not occur in it. The rules then run again to generate the reverse
 * code: a node with two or more active operands binds its adjoint to a local first, so the code stays linear in
 * the size of the expression; contributions to the target itself replace its adjoint ({@code dv = dv * x}).
 */
final class StatementAdjoint {
    private final VariableFactory variables;
    private final Activity activity;
    private final Adjoints adjoints;
    private final java.util.function.Supplier<Variable> tape;
    private final Stmt source;
    /** The variable assigned, or for an element the array's alias class (what the analysis tracks). */
    private final Variable target;
    /** The variable, or the element {@code a[i]} assigned. */
    private final Expr location;
    private final boolean declaration;
    /** Inside a loop, cheap arithmetic is evaluated again in the reverse sweep rather than kept on the tape. */
    private final boolean inLoop;
    private final Expr root;
    private final boolean targetInValue;
    private final Map<Expr, Expr> valueOf = new IdentityHashMap<>();
    private final Map<Expr, Expr> recordOf = new IdentityHashMap<>();
    private final Map<Expr, Expr> replacement = new IdentityHashMap<>();
    private final List<Expr> selfContributions = new ArrayList<>();
    private final List<Stmt> forward = new ArrayList<>();
    private final List<Variable> intermediates = new ArrayList<>();
    private final List<Stmt> reverse = new ArrayList<>();

    StatementAdjoint(VariableFactory variables, Activity activity, Adjoints adjoints,
            java.util.function.Supplier<Variable> tape, Stmt source, Expr location, Expr value, boolean declaration,
            boolean inLoop) {
        this.variables = variables;
        this.activity = activity;
        this.adjoints = adjoints;
        this.tape = tape;
        this.source = source;
        this.location = location;
        this.target = location instanceof Expr.Ref r ? r.variable() : activity.cell(Exprs.arrayRoot(location));
        this.declaration = declaration;
        this.inLoop = inLoop;
        this.root = value;
        this.targetInValue = location instanceof Expr.Ref ? Exprs.reads(value, target) : readsCell(value, target);
    }

    /** Whether {@code e} reads an element of an array in {@code cell}'s alias class. */
    private boolean readsCell(Expr e, Variable cell) {
        if (e instanceof Expr.ArrayRead read && read.type() == PrimitiveType.DOUBLE) {
            Variable root = Exprs.arrayRoot(read.array());
            if (root != null && activity.cell(root).equals(cell)) {
                return true;
            }
        }
        return Exprs.children(e).stream().anyMatch(c -> readsCell(c, cell));
    }

    /** @param resetsAdjoint whether the target's old value has an adjoint that must restart from zero */
    AdjointStmt.Assignment generate(boolean resetsAdjoint) {
        materialize(root, neededValues());
        forward.add(rebuiltStatement());
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
        Variable dTarget = adjoints.of(target);
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
     * callee itself and the reverse sweep its pullback.
     */
    private boolean throughPullback(Expr.DiffCall call) {
        return call.callee().takesArrays() || inLoop;
    }

    /**
     * The callee's pullback, called with the arguments as they were at the call (the analysis keeps them so), adds
     * into the shadows of the array arguments and returns the scalars' adjoints. An argument without a derivative
     * gets a scratch array of zeros to add into.
     */
    private void pullBackThrough(Expr.DiffCall call, Expr adjoint) {
        List<Expr> shadows = new ArrayList<>();
        for (int i : call.callee().differentiatedIndices()) {
            Expr arg = call.args().get(i);
            if (arg.type() instanceof ArrayType array) {
                shadows.add(activity.isActive(arg) ? shadowArray(arg, adjoints)
                        : new Expr.TapeCall(tape.get(), "zerosLike", List.of(arg), array)); // scratch to add into
            }
        }
        Expr pullback = new Expr.PullbackCall(call.callee(), call.args().stream().map(this::value).toList(), adjoint,
                shadows);
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

    /** {@code da[i]} for {@code a[i]}; {@code dm[r][c]} for {@code m[r][c]}. */
    Expr.ArrayRead shadowElement(Expr.ArrayRead element) {
        return new Expr.ArrayRead(shadowArray(element.array(), adjoints), element.index(), element.type(),
                SourcePos.NONE);
    }

    /** The shadow of an array expression: {@code dx} for {@code x}, {@code dm[i]} for the row {@code m[i]}. */
    static Expr shadowArray(Expr array, Adjoints adjoints) {
        if (array instanceof Expr.Ref r) {
            return Expr.Ref.to(adjoints.of(r.variable()));
        }
        if (array instanceof Expr.ArrayRead row) {
            return new Expr.ArrayRead(shadowArray(row.array(), adjoints), row.index(), row.type(), SourcePos.NONE);
        }
        throw new IllegalStateException("no shadow for " + array.getClass().getSimpleName());
    }

    /** Runs every rule with a recording {@link DerivativeRules.Values} to learn what values it reads. */
    private Set<Expr> neededValues() {
        Set<Expr> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        DerivativeRules.Values recorder = new DerivativeRules.Values() {
            @Override
            public Expr of(Expr node) {
                needed.add(node);
                return node;
            }

            @Override
            public Expr record(Expr.DiffCall call) {
                return call;
            }
        };
        recordNeeds(root, recorder);
        // A value evaluated again from its operands needs their values in turn.
        List<Expr> pending = new ArrayList<>(needed);
        while (!pending.isEmpty()) {
            Expr node = pending.remove(pending.size() - 1);
            if (!isAtomic(node) && activity.isActive(node) && isRecomputable(node)) {
                for (Expr child : Exprs.children(node)) {
                    if (needed.add(child)) {
                        pending.add(child);
                    }
                }
            }
        }
        return needed;
    }

    /** Along the paths a derivative flows, from the root: not into conditions or under integer casts. */
    private void recordNeeds(Expr node, DerivativeRules.Values recorder) {
        if (node instanceof Expr.Ref || node instanceof Expr.ArrayRead || !activity.isActive(node)) {
            return;
        }
        if (node instanceof Expr.DiffCall call && throughPullback(call)) {
            // The reverse sweep passes the arguments' values to the pullback, then pulls its adjoints back into them.
            for (Expr arg : call.args()) {
                recorder.of(arg);
                recordNeeds(arg, recorder);
            }
            return;
        }
        for (DerivativeRules.Partial p : DerivativeRules.partials(node, recorder, activity::isActive)) {
            p.contribution().apply(Build.ONE);
            recordNeeds(p.operand(), recorder);
        }
    }

    /** Post-order, so that the named intermediates appear in evaluation order. */
    private void materialize(Expr node, Set<Expr> needed) {
        // A pullback is passed every argument's value, not only those it differentiates.
        List<Expr> children = node instanceof Expr.DiffCall call && throughPullback(call) ? call.args()
                : Activity.derivativeChildren(node);
        for (Expr child : children) {
            if (activity.isActive(child)) {
                materialize(child, needed);
            }
        }
        if (node instanceof Expr.DiffCall call && activity.isActive(node) && !throughPullback(call)) {
            materializeCall(call); // the callee's record holds its value and its partials
            return;
        }
        if (!needed.contains(node) || isAtomic(node) || !activity.isActive(node)) {
            return;
        }
        if (node == root && !targetInValue) {
            valueOf.put(node, location); // after the statement, the target holds the value
        } else if (!isRecomputable(node)) {
            String hint = node instanceof Expr.MathCall m ? m.function().javaName() : "t";
            Variable temp = variables.create(hint, PrimitiveType.DOUBLE, Variable.Role.TEMPORARY);
            forward.add(new Stmt.LocalDecl(temp, Exprs.withChildren(node, rebuiltChildren(node)), node.pos()));
            intermediates.add(temp);
            valueOf.put(node, Expr.Ref.to(temp));
            replacement.put(node, Expr.Ref.to(temp));
        }
    }

    private void materializeCall(Expr.DiffCall call) {
        Variable record = variables.create(call.callee().method() + "Gradient", call.callee().recordType(),
                Variable.Role.TEMPORARY);
        forward.add(new Stmt.LocalDecl(record, new Expr.GradientCall(call.callee(), rebuiltChildren(call)),
                call.pos()));
        intermediates.add(record);
        Expr value = new Expr.Component(Expr.Ref.to(record), "value");
        recordOf.put(call, Expr.Ref.to(record));
        valueOf.put(call, value);
        replacement.put(call, value);
    }

    private Stmt rebuiltStatement() {
        Expr value = replacement.containsKey(root) ? replacement.get(root)
                : Exprs.withChildren(root, rebuiltChildren(root));
        if (source instanceof Stmt.ElementAssign a) {
            Stmt.Assign.Form form = value instanceof Expr.Binary ? a.form() : Stmt.Assign.Form.PLAIN;
            return new Stmt.ElementAssign(a.array(), a.index(), value, form, a.pos());
        }
        if (source instanceof Stmt.Assign a) {
            Stmt.Assign.Form form = value instanceof Expr.Binary ? a.form() : Stmt.Assign.Form.PLAIN;
            return new Stmt.Assign(target, value, form, a.pos());
        }
        return new Stmt.LocalDecl(target, value, source.pos());
    }

    private List<Expr> rebuiltChildren(Expr node) {
        return Exprs.children(node).stream().map(c -> Exprs.replace(c, replacement)).toList();
    }

    private void propagate(Expr node, Expr adjoint) {
        if (node instanceof Expr.Ref ref) {
            if (activity.isActive(ref.variable())) {
                contribute(ref.variable(), adjoint);
            }
            return;
        }
        if (node instanceof Expr.DiffCall call && throughPullback(call)) {
            if (activity.isActive(call)) {
                pullBackThrough(call, adjoint);
            }
            return;
        }
        if (node instanceof Expr.ArrayRead read) {
            if (activity.isActive(read)) {
                Expr.ArrayRead shadow = shadowElement(read);
                reverse.add(new Stmt.ElementAssign(shadow.array(), shadow.index(),
                        new Expr.Binary(BinaryOp.ADD, shadow, adjoint, PrimitiveType.DOUBLE, SourcePos.NONE),
                        Stmt.Assign.Form.COMPOUND, SourcePos.NONE));
            }
            return;
        }
        if (!activity.isActive(node)) {
            return;
        }
        DerivativeRules.Values values = new DerivativeRules.Values() {
            @Override
            public Expr of(Expr n) {
                return value(n);
            }

            @Override
            public Expr record(Expr.DiffCall call) {
                return recordOf.get(call);
            }
        };
        List<DerivativeRules.Partial> partials = DerivativeRules.partials(node, values, activity::isActive);
        Expr a = adjoint;
        if (partials.size() >= 2 && !isAtomic(a)) {
            Variable bound = boundAdjoint(node);
            reverse.add(new Stmt.LocalDecl(bound, a, SourcePos.NONE));
            a = Expr.Ref.to(bound);
        }
        for (DerivativeRules.Partial p : partials) {
            propagate(p.operand(), p.contribution().apply(a));
        }
    }

    private Expr value(Expr node) {
        Expr v = valueOf.get(node);
        if (v != null) {
            return v;
        }
        if (isAtomic(node) || !activity.isActive(node)) {
            return node;
        }
        if (isRecomputable(node)) {
            return Exprs.withChildren(node, Exprs.children(node).stream().map(this::value).toList());
        }
        throw new IllegalStateException("an intermediate value the reverse sweep needs was not kept");
    }

    private void contribute(Variable v, Expr adjoint) {
        if (v.equals(target)) {
            selfContributions.add(adjoint);
        } else {
            reverse.add(Stmt.Assign.accumulate(adjoints.of(v), adjoint));
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
    private boolean isRecomputable(Expr node) {
        if (isAtomic(node) || !activity.isActive(node)) {
            return true;
        }
        return inLoop && (node instanceof Expr.Binary b && b.op().isArithmetic() || node instanceof Expr.Unary
                || node instanceof Expr.Cast);
    }

    /** A leaf, an element read, or either negated: as cheap to evaluate again as to name. */
    private static boolean isAtomic(Expr e) {
        if (e instanceof Expr.Unary u && (u.op() == UnaryOp.NEG || u.op() == UnaryOp.PLUS)) {
            return isAtomic(u.operand()) && !(u.operand() instanceof Expr.Unary);
        }
        return Exprs.isLeaf(e) || e instanceof Expr.ArrayRead;
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
                adjoints.primalOf(v).ifPresent(reads::add);
            }
        }
        return reads;
    }
}
