package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.UnaryOp;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse mode, statement by statement, in the style of Tapenade's joint mode: the forward sweep runs the
 * original statements and names the intermediate values the reverse sweep will need; the reverse sweep walks the
 * statements backwards, pulling each statement's adjoint back into its operands with {@link DerivativeRules}.
 *
 * <p>A value that the reverse sweep reads but the forward sweep overwrites is saved just before the overwrite and
 * restored when the reverse sweep passes that statement (the to-be-recorded analysis decides which). Branch
 * conditions are re-evaluated in the reverse sweep when nothing in the branch can change them, and recorded in a
 * {@code boolean} otherwise.
 */
public final class ReverseMode {
    private final Function function;
    private final Variable result;
    private final Activity activity;
    private final Map<Variable, Variable> adjoints = new HashMap<>();
    /** Variables that statements planned so far define from active values (in execution order). */
    private final Set<Variable> definedBefore = new HashSet<>();

    private ReverseMode(Function function, Variable result, Activity activity) {
        this.function = function;
        this.result = result;
        this.activity = activity;
    }

    /** Differentiates a function that has been through {@link SingleExit} and {@link Lowering}. */
    public static Pullback differentiate(Function function, Variable result, Activity activity) {
        return new ReverseMode(function, result, activity).run();
    }

    private Pullback run() {
        Variable seed = adjoint(result);
        List<Plan> plans = plan(function.body());
        new Recording().decide(plans);
        List<Stmt> forward = renderForward(plans, SourcePos.NONE);
        List<Stmt> reverse = renderReverse(plans, SourcePos.NONE);
        List<Expr> components = new ArrayList<>();
        components.add(Expr.Ref.to(result));
        for (Variable p : function.differentiatedParameters()) {
            Variable adjoint = adjoints.get(p);
            components.add(adjoint == null ? Build.ZERO : Expr.Ref.to(adjoint));
        }
        return Scoping.finish(function, result, seed, forward, reverse, components);
    }

    private Variable adjoint(Variable v) {
        return adjoints.computeIfAbsent(v, function.variables()::adjointOf);
    }

    // ---- planning -------------------------------------------------------------------------------------------

    /** What one statement contributes to each sweep, before the recording decisions. */
    private sealed interface Plan permits AssignPlan, IfPlan {
    }

    private static final class AssignPlan implements Plan {
        final Stmt source;
        final Variable target;
        final boolean declaration;
        /** The old value came from somewhere, so its adjoint must restart from zero here. */
        final boolean resetsAdjoint;
        final List<Stmt> forward = new ArrayList<>();
        final List<Stmt> reverse = new ArrayList<>();
        final Set<Variable> reads = new HashSet<>();
        /** The statement's own reverse code reads the target's value from before the statement. */
        boolean readsOldTarget;
        /** Where the overwritten value is kept, once {@link Recording} decides it must be. */
        Variable saved;

        AssignPlan(Stmt source, Variable target, boolean declaration, boolean resetsAdjoint) {
            this.source = source;
            this.target = target;
            this.declaration = declaration;
            this.resetsAdjoint = resetsAdjoint;
        }
    }

    private static final class IfPlan implements Plan {
        final Stmt.If source;
        final List<Plan> thenPlans;
        final List<Plan> elsePlans;
        final boolean recompute;
        Variable branch;

        IfPlan(Stmt.If source, List<Plan> thenPlans, List<Plan> elsePlans, boolean recompute) {
            this.source = source;
            this.thenPlans = thenPlans;
            this.elsePlans = elsePlans;
            this.recompute = recompute;
        }
    }

    private List<Plan> plan(List<Stmt> stmts) {
        List<Plan> plans = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.LocalDecl d) {
                plans.add(planAssignment(s, d.variable(), d.init(), true));
            } else if (s instanceof Stmt.Assign a) {
                plans.add(planAssignment(s, a.target(), a.value(), false));
            } else if (s instanceof Stmt.If i) {
                // The branches exclude each other: each starts from what was defined before the if.
                Set<Variable> before = new HashSet<>(definedBefore);
                List<Plan> thenPlans = plan(i.thenStmts());
                Set<Variable> afterThen = new HashSet<>(definedBefore);
                definedBefore.retainAll(before);
                List<Plan> elsePlans = plan(i.elseStmts());
                definedBefore.addAll(afterThen);
                plans.add(new IfPlan(i, thenPlans, elsePlans, canRecompute(i)));
            } else {
                throw new IllegalStateException("unexpected statement after normalisation: " + s);
            }
        }
        return plans;
    }

    /** A condition can be evaluated again in the reverse sweep if it is pure and its branches leave it alone. */
    private static boolean canRecompute(Stmt.If i) {
        if (Exprs.callsOpaque(i.condition())) {
            return false;
        }
        Set<Variable> read = new HashSet<>();
        Exprs.variables(i.condition(), read);
        Set<Variable> assigned = new HashSet<>();
        collectAssigned(i.thenStmts(), assigned);
        collectAssigned(i.elseStmts(), assigned);
        return Collections.disjoint(read, assigned);
    }

    private static void collectAssigned(List<Stmt> stmts, Set<Variable> out) {
        dev.leibniz.processor.analysis.ExprWalk.statements(stmts, s -> {
            if (s instanceof Stmt.Assign a) {
                out.add(a.target());
            } else if (s instanceof Stmt.LocalDecl d) {
                out.add(d.variable());
            }
        });
    }

    private AssignPlan planAssignment(Stmt source, Variable target, Expr value, boolean declaration) {
        boolean resets = !declaration && target.role() != Variable.Role.RESULT
                && (target.role() == Variable.Role.PARAMETER || definedBefore.contains(target));
        AssignPlan plan = new AssignPlan(source, target, declaration, resets);
        if (value != null && activity.isActive(target) && activity.isActive(value)) {
            definedBefore.add(target);
        }
        if (value == null || !activity.isActive(target) || !activity.isActive(value)) {
            plan.forward.add(source);
            if (activity.isActive(target) && needsReset(plan)) {
                plan.reverse.add(Stmt.Assign.plain(adjoint(target), Build.ZERO)); // the old value is dead
            }
            return plan;
        }
        new StatementDerivative(plan, value).generate();
        return plan;
    }

    /** The forward and reverse code of one active assignment {@code target = value}. */
    private final class StatementDerivative {
        private final AssignPlan plan;
        private final Expr root;
        private final boolean targetInValue;
        private final Map<Expr, Expr> valueOf = new IdentityHashMap<>();
        private final Map<Expr, Expr> replacement = new IdentityHashMap<>();
        private final List<Expr> selfContributions = new ArrayList<>();

        StatementDerivative(AssignPlan plan, Expr root) {
            this.plan = plan;
            this.root = root;
            this.targetInValue = Exprs.reads(root, plan.target);
        }

        void generate() {
            Set<Expr> needed = neededValues();
            materialize(root, needed);
            plan.forward.add(rebuiltStatement());
            propagate(root, Expr.Ref.to(adjoint(plan.target)));
            Variable dTarget = adjoint(plan.target);
            if (!selfContributions.isEmpty()) {
                Expr sum = selfContributions.get(0);
                for (int i = 1; i < selfContributions.size(); i++) {
                    sum = Build.add(sum, selfContributions.get(i));
                }
                if (!(sum instanceof Expr.Ref r && r.variable().equals(dTarget))) {
                    plan.reverse.add(Stmt.Assign.plain(dTarget, sum));
                }
            } else if (needsReset(plan)) {
                plan.reverse.add(Stmt.Assign.plain(dTarget, Build.ZERO));
            }
            for (Stmt s : plan.reverse) {
                collectPrimalReads(s, plan.reads);
            }
            plan.readsOldTarget = targetInValue && plan.reads.contains(plan.target);
        }

        /** Runs every rule once with a recording {@link DerivativeRules.Values} to learn what values it reads. */
        private Set<Expr> neededValues() {
            Set<Expr> needed = Collections.newSetFromMap(new IdentityHashMap<>());
            DerivativeRules.Values recorder = node -> {
                needed.add(node);
                return node;
            };
            dev.leibniz.processor.analysis.ExprWalk.nodes(root, node -> {
                if (activity.isActive(node) && !(node instanceof Expr.Ref)) {
                    for (DerivativeRules.Partial p : DerivativeRules.partials(node, recorder, activity::isActive)) {
                        p.contribution().apply(Build.ONE);
                    }
                }
            });
            if (root instanceof Expr.DiffCall) {
                needed.add(root); // the record is the call's result, whether or not a rule reads it
            }
            return needed;
        }

        /** Post-order, so temporaries appear in evaluation order. */
        private void materialize(Expr node, Set<Expr> needed) {
            for (Expr child : Exprs.children(node)) {
                if (activity.isActive(child)) {
                    materialize(child, needed);
                }
            }
            if (!needed.contains(node)) {
                return;
            }
            if (Exprs.isLeaf(node) || !activity.isActive(node) || isCheap(node)) {
                valueOf.put(node, node);
            } else if (node == root && !(node instanceof Expr.DiffCall) && !targetInValue) {
                valueOf.put(node, Expr.Ref.to(plan.target)); // after the statement, the target holds the value
            } else if (node instanceof Expr.DiffCall call) {
                Variable record = function.variables().create(call.callee().method() + "Gradient",
                        call.callee().recordType(), Variable.Role.TEMPORARY);
                plan.forward.add(new Stmt.LocalDecl(record, new Expr.GradientCall(call.callee(), rebuiltChildren(call)),
                        node.pos()));
                valueOf.put(node, Expr.Ref.to(record));
                replacement.put(node, new Expr.Component(Expr.Ref.to(record), "value"));
            } else {
                Variable temp = function.variables().create(temporaryHint(node), PrimitiveType.DOUBLE,
                        Variable.Role.TEMPORARY);
                plan.forward.add(new Stmt.LocalDecl(temp, withRebuiltChildren(node), node.pos()));
                valueOf.put(node, Expr.Ref.to(temp));
                replacement.put(node, Expr.Ref.to(temp));
            }
        }

        private Stmt rebuiltStatement() {
            Expr value = replacement.containsKey(root) ? replacement.get(root) : withRebuiltChildren(root);
            if (plan.source instanceof Stmt.Assign a) {
                Stmt.Assign.Form form = value instanceof Expr.Binary ? a.form() : Stmt.Assign.Form.PLAIN;
                return new Stmt.Assign(a.target(), value, form, a.pos());
            }
            return new Stmt.LocalDecl(plan.target, value, plan.source.pos());
        }

        private Expr withRebuiltChildren(Expr node) {
            return Exprs.withChildren(node, rebuiltChildren(node));
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
            if (!activity.isActive(node)) {
                return;
            }
            List<DerivativeRules.Partial> partials = DerivativeRules.partials(node, this::value, activity::isActive);
            Expr a = adjoint;
            if (partials.size() >= 2 && !isAtomic(a)) {
                Variable bound = boundAdjoint(node);
                plan.reverse.add(new Stmt.LocalDecl(bound, a, SourcePos.NONE));
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
            if (Exprs.isLeaf(node) || !activity.isActive(node) || isCheap(node)) {
                return node; // pure and cheap: the reverse sweep evaluates it again
            }
            throw new IllegalStateException("an intermediate value the reverse sweep needs was not kept");
        }

        private void contribute(Variable v, Expr adjoint) {
            if (v.equals(plan.target)) {
                selfContributions.add(adjoint);
            } else {
                plan.reverse.add(Stmt.Assign.accumulate(adjoint(v), adjoint));
            }
        }

        /** The adjoint of an intermediate node, named after its temporary when it has one. */
        private Variable boundAdjoint(Expr node) {
            Expr kept = valueOf.get(node);
            if (kept instanceof Expr.Ref ref && ref.variable().role() == Variable.Role.TEMPORARY) {
                return function.variables().adjointOf(ref.variable());
            }
            return function.variables().create("dt", PrimitiveType.DOUBLE, Variable.Role.ADJOINT);
        }
    }

    /**
     * After an overwrite, the adjoint of the old value starts from zero — needed only if the old value came from
     * an earlier active definition, whose reverse code passes the adjoint on, or is a parameter, whose adjoint is
     * an output. An assignment after a constant initialiser (or none) needs no reset, nor does the result,
     * which {@link SingleExit} assigns once on every path.
     */
    private static boolean needsReset(AssignPlan plan) {
        return plan.resetsAdjoint;
    }

    /** A negated variable or literal: cheaper to repeat than to name. */
    private static boolean isCheap(Expr node) {
        return node instanceof Expr.Unary u && (u.op() == UnaryOp.NEG || u.op() == UnaryOp.PLUS)
                && Exprs.isLeaf(u.operand());
    }

    private static boolean isAtomic(Expr e) {
        return Exprs.isLeaf(e) || isCheap(e);
    }

    private static String temporaryHint(Expr node) {
        return node instanceof Expr.MathCall m ? m.function().javaName() : "t";
    }

    private static void collectPrimalReads(Stmt s, Set<Variable> out) {
        Set<Variable> all = new LinkedHashSet<>();
        for (Expr e : dev.leibniz.processor.analysis.ExprWalk.ownExpressions(s)) {
            Exprs.variables(e, all);
        }
        for (Variable v : all) {
            if (v.role() != Variable.Role.ADJOINT) {
                out.add(v);
            }
        }
    }

    // ---- the to-be-recorded analysis ------------------------------------------------------------------------

    /**
     * Walks the plans in execution order, tracking what the reverse code of the statements seen so far reads. An
     * overwrite of such a variable must save it; so must a statement whose own reverse code reads the old value.
     * The two branches of an {@code if} exclude each other, so each starts from what was read before the {@code if}.
     */
    private final class Recording {
        void decide(List<Plan> plans) {
            visit(plans, new HashSet<>());
        }

        private void visit(List<Plan> plans, Set<Variable> readSoFar) {
            for (Plan p : plans) {
                if (p instanceof AssignPlan a) {
                    // The result is assigned once on the path taken (SingleExit): a read of it in the reverse sweep
                    // always means that assignment, and restoring it would lose the value the record returns.
                    boolean overwritesRead = !a.declaration && readSoFar.contains(a.target)
                            && a.target.role() != Variable.Role.RESULT;
                    if (overwritesRead || a.readsOldTarget) {
                        a.saved = function.variables().create(savedHint(a), a.target.type(), Variable.Role.SAVED);
                    }
                    readSoFar.addAll(a.reads);
                    if (a.readsOldTarget) {
                        readSoFar.remove(a.target); // its own restore provides the old value
                    }
                } else if (p instanceof IfPlan i) {
                    if (i.recompute) {
                        Exprs.variables(i.source.condition(), readSoFar);
                    }
                    Set<Variable> thenReads = new HashSet<>(readSoFar);
                    Set<Variable> elseReads = new HashSet<>(readSoFar);
                    visit(i.thenPlans, thenReads);
                    visit(i.elsePlans, elseReads);
                    readSoFar.addAll(thenReads);
                    readSoFar.addAll(elseReads);
                }
            }
        }

        private String savedHint(AssignPlan a) {
            long line = a.source.pos().line();
            return a.target.hint() + (line > 0 ? "Before" + line : "Saved");
        }
    }

    // ---- rendering ------------------------------------------------------------------------------------------

    /** @param enclosing the position of the enclosing statement, whose comment already covers its parts */
    private List<Stmt> renderForward(List<Plan> plans, SourcePos enclosing) {
        List<Stmt> out = new ArrayList<>();
        for (Plan p : plans) {
            if (p instanceof AssignPlan a) {
                boolean expanded = a.saved != null || a.forward.size() > 1;
                if (expanded) {
                    comment(a.source.pos(), enclosing, out);
                }
                if (a.saved != null) {
                    out.add(new Stmt.LocalDecl(a.saved, Expr.Ref.to(a.target), SourcePos.NONE));
                }
                out.addAll(a.forward);
            } else if (p instanceof IfPlan i) {
                Expr condition = i.source.condition();
                if (!i.recompute && hasReverse(i)) {
                    long line = i.source.pos().line();
                    i.branch = function.variables().create(line > 0 ? "branch" + line : "branch",
                            PrimitiveType.BOOLEAN, Variable.Role.BRANCH);
                    comment(i.source.pos(), enclosing, out);
                    out.add(new Stmt.LocalDecl(i.branch, condition, SourcePos.NONE));
                    condition = Expr.Ref.to(i.branch);
                }
                out.add(new Stmt.If(condition, renderForward(i.thenPlans, i.source.pos()),
                        renderForward(i.elsePlans, i.source.pos()), i.source.pos()));
            }
        }
        return out;
    }

    private List<Stmt> renderReverse(List<Plan> plans, SourcePos enclosing) {
        List<Stmt> out = new ArrayList<>();
        for (int k = plans.size() - 1; k >= 0; k--) {
            Plan p = plans.get(k);
            if (p instanceof AssignPlan a) {
                if (a.reverse.isEmpty() && a.saved == null) {
                    continue;
                }
                comment(a.source.pos(), enclosing, out);
                Stmt restore = a.saved == null ? null : Stmt.Assign.plain(a.target, Expr.Ref.to(a.saved));
                boolean restoreFirst = Exprs.reads(valueOf(a.source), a.target);
                if (restore != null && restoreFirst) {
                    out.add(restore);
                }
                out.addAll(a.reverse);
                if (restore != null && !restoreFirst) {
                    out.add(restore);
                }
            } else if (p instanceof IfPlan i) {
                List<Stmt> thenStmts = renderReverse(i.thenPlans, i.source.pos());
                List<Stmt> elseStmts = renderReverse(i.elsePlans, i.source.pos());
                if (thenStmts.isEmpty() && elseStmts.isEmpty()) {
                    continue;
                }
                comment(i.source.pos(), enclosing, out);
                Expr condition = i.branch != null ? Expr.Ref.to(i.branch) : i.source.condition();
                out.add(new Stmt.If(condition, thenStmts, elseStmts, i.source.pos()));
            }
        }
        return out;
    }

    private static Expr valueOf(Stmt s) {
        if (s instanceof Stmt.Assign a) {
            return a.value();
        }
        Expr init = ((Stmt.LocalDecl) s).init();
        return init == null ? Build.ZERO : init;
    }

    private static boolean hasReverse(IfPlan i) {
        return hasReverse(i.thenPlans) || hasReverse(i.elsePlans);
    }

    private static boolean hasReverse(List<Plan> plans) {
        for (Plan p : plans) {
            if (p instanceof AssignPlan a && (!a.reverse.isEmpty() || a.saved != null)
                    || p instanceof IfPlan i && hasReverse(i)) {
                return true;
            }
        }
        return false;
    }

    private void comment(SourcePos pos, SourcePos enclosing, List<Stmt> out) {
        if (pos.isKnown() && pos.line() > 0 && pos.tree() != enclosing.tree()) {
            out.add(new Stmt.Comment(function.sourceFile() + ":" + pos.line() + ": " + pos.excerpt()));
        }
    }
}
