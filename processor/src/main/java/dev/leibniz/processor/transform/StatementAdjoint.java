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
     * callee itself and the reverse sweep its pullback.
     */
    private boolean throughPullback(Expr.DiffCall call) {
        return call.callee().takesArrays() || inLoop;
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
        List<Expr> shadows = new ArrayList<>();
        for (int i : call.callee().differentiatedIndices()) {
            Expr arg = call.args().get(i);
            if (arg.type() instanceof ArrayType array) {
                shadows.add(activity.isActive(arg) ? shadowArray(arg, derivatives)
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
        List<DerivativeRules.Partial> partials = DerivativeRules.partials(node, values(), activity::isActive);
        Expr a = adjoint;
        if (partials.size() >= 2 && !isAtomic(a)) {
            Variable bound = boundAdjoint(node);
            reverse.add(new Stmt.LocalDecl(bound, a, SourcePos.NONE));
            a = Expr.Ref.to(bound);
        }
        for (DerivativeRules.Partial p : partials) {
            propagate(p.operand(), p.times().apply(a));
        }
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
