package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.analysis.ToBeRecorded;
import dev.leibniz.processor.ir.AdjointStmt;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse mode, statement by statement, in the style of Tapenade's joint mode: the forward sweep runs the
 * original statements and names the intermediate values the reverse sweep will need; the reverse sweep walks the
 * statements backwards, pulling each statement's adjoint back into its operands ({@link StatementAdjoint}).
 *
 * <p>Three steps: differentiate every statement into an {@link AdjointStmt}; let {@link ToBeRecorded} decide
 * which overwritten values must be saved; render the two sweeps, saving before each such overwrite and restoring
 * where the reverse sweep passes it. Branch conditions are evaluated again in the reverse sweep when nothing in the
 * branch can change them, and recorded in a {@code boolean} otherwise.
 */
public final class ReverseMode {
    private final Function function;
    private final Activity activity;
    private final Adjoints adjoints;
    /** Variables that statements differentiated so far define from active values, in execution order. */
    private final Set<Variable> definedBefore = new HashSet<>();
    private Set<AdjointStmt> saves = Set.of();
    /** Outside loops a saved value or a branch decision lives in a local; inside, on the tape. */
    private final Map<AdjointStmt.Assignment, List<Variable>> savedIn = new IdentityHashMap<>();
    private final Map<AdjointStmt.Effect, List<Variable>> copiedIn = new IdentityHashMap<>();
    private final Map<AdjointStmt.Branch, Variable> recordedIn = new IdentityHashMap<>();
    private final Map<AdjointStmt.Loop, Variable> tripsIn = new IdentityHashMap<>();
    /** Per loop, the declarations its reverse iterations evaluate again instead of taping (in body order). */
    private final Map<AdjointStmt.Loop, List<AdjointStmt.Assignment>> recomputedIn = new IdentityHashMap<>();
    /** How many loops enclose the statement being differentiated. */
    private int loopDepth;
    private Variable tape;
    /** The written array parameters whose shadows carry adjoints in place (see {@link #differentiateInPlace}). */
    private final List<Variable> inPlace;

    private ReverseMode(Function function, Activity activity, List<Variable> inPlace) {
        this.function = function;
        this.activity = activity;
        this.adjoints = new Adjoints(function.variables());
        this.inPlace = List.copyOf(inPlace);
    }

    /** Differentiates a function that has been through {@link SingleExit} and {@link Lowering}. */
    public static Pullback differentiate(Function function, Variable result, Activity activity) {
        return new ReverseMode(function, activity, List.of()).run(result);
    }

    /**
     * The pullback of a method that writes into its array parameters {@code outputs}, whose shadows hold adjoints
     * in place, as Swift's pullbacks treat {@code inout} parameters: on entry the adjoint of the array's contents
     * the method leaves, on return the adjoint of the contents it was given. The reverse sweep starts from them
     * directly, so a caller passes the shadow of its own array and gets it back as the adjoint before the call.
     * {@code activity} must count the outputs as results ({@link Activity#of(Function, Variable, List)}).
     */
    public static Pullback differentiateInPlace(Function function, Variable result, Activity activity,
            List<Variable> outputs) {
        return new ReverseMode(function, activity, outputs).run(result);
    }

    private Pullback run(Variable result) {
        Variable seed = adjoints.of(result);
        List<Variable> shadows = new ArrayList<>();
        List<Stmt> startForward = new ArrayList<>();
        List<Stmt> endReverse = new ArrayList<>();
        Set<Variable> writtenCells = Sweeps.writtenCells(function, activity);
        for (Variable p : function.differentiatedParameters()) {
            if (p.type() instanceof ArrayType) {
                Variable given = adjoints.of(p);
                shadows.add(given);
                if (writtenCells.contains(activity.cell(p)) && !inPlace.contains(p)) {
                    workApart(p, given, startForward, endReverse);
                }
            }
        }
        for (Variable p : function.parameters()) {
            if (p.type() instanceof ArrayType && !function.differentiatedParameters().contains(p)
                    && activity.isActive(p)) {
                // An input array the method writes derivatives into: its adjoints live and die here.
                startForward.add(new Stmt.LocalDecl(adjoints.of(p),
                        new Expr.TapeCall(tape(), "zerosLike", List.of(Expr.Ref.to(p)), p.type()), SourcePos.NONE));
            }
        }
        List<AdjointStmt> stmts = differentiate(function.body());
        chooseRecomputations(stmts);
        List<Stmt> forward = new ArrayList<>(startForward);
        forward.addAll(renderForward(stmts, SourcePos.NONE, 0));
        List<Stmt> reverse = renderReverse(stmts, SourcePos.NONE, 0);
        reverse.addAll(endReverse);
        keepWritesIntoParameterArrays(stmts, forward, reverse);
        if (tape != null) {
            forward.add(0, new Stmt.LocalDecl(tape, new Expr.NewRecord(ClassType.TAPE, List.of()), SourcePos.NONE));
        }
        List<Expr> components = new ArrayList<>();
        components.add(Expr.Ref.to(result));
        int arrays = 0;
        for (Variable p : function.differentiatedParameters()) {
            components.add(p.type() instanceof ArrayType ? Expr.Ref.to(shadows.get(arrays++))
                    : adjoints.existing(p).<Expr>map(Expr.Ref::to).orElse(Build.ZERO));
        }
        return LoopFusion.fused(
                Scoping.finish(function, seed, shadows, tape, forward, Increments.merged(reverse), components));
    }

    /**
     * Evaluating a declaration again pays only where its value would otherwise be saved. Evaluating one again reads
     * what it reads in the reverse sweep, which may make another worth evaluating again in turn (a row alias that an
     * inner loop's element declaration reads): the choice grows until the saves no longer change.
     */
    private void chooseRecomputations(List<AdjointStmt> stmts) {
        Map<AdjointStmt.Loop, List<AdjointStmt.Assignment>> candidates = new IdentityHashMap<>(recomputedIn);
        Set<AdjointStmt.Assignment> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
        recomputedIn.clear();
        while (true) {
            saves = ToBeRecorded.saves(stmts, recomputedIn, activity::cell);
            boolean grew = false;
            for (List<AdjointStmt.Assignment> list : candidates.values()) {
                for (AdjointStmt.Assignment a : list) {
                    grew |= saves.contains(a) && chosen.add(a);
                }
            }
            if (!grew) {
                return;
            }
            candidates.forEach((loop, list) -> {
                List<AdjointStmt.Assignment> kept = list.stream().filter(chosen::contains).toList();
                if (!kept.isEmpty()) {
                    recomputedIn.put(loop, kept);
                }
            });
        }
    }

    /**
     * A parameter array the method writes: the adjoint of an element after a write is not the adjoint of the value
     * the caller passed, so what the caller's buffer already holds must not flow through the reverse sweep. The
     * sweep works in zeros of its own, which are added into the caller's buffer at the end.
     */
    private void workApart(Variable p, Variable given, List<Stmt> startForward, List<Stmt> endReverse) {
        Variable work = function.variables().shadowApart(p, "Local");
        adjoints.define(p, work);
        startForward.add(new Stmt.Comment(p.hint() + " is written here: its adjoints are worked out from zero, then added into "
                + VariableFactory.adjointName(p.hint()) + "."));
        startForward.add(new Stmt.LocalDecl(work,
                new Expr.TapeCall(tape(), "zerosLike", List.of(Expr.Ref.to(p)), p.type()), SourcePos.NONE));
        endReverse.add(new Stmt.Evaluate(new Expr.StaticCall(Build.BUFFERS, "addInto",
                List.of(Expr.Ref.to(work), Expr.Ref.to(given)), p.type(), false, SourcePos.NONE)));
    }

    /**
     * The reverse sweep restores overwritten elements as it goes, which would undo the method's writes into the
     * caller's arrays. Such a parameter array is copied at the end of the forward sweep and copied back at the end
     * of the reverse sweep, so the caller sees exactly what the original method leaves.
     */
    private void keepWritesIntoParameterArrays(List<AdjointStmt> stmts, List<Stmt> forward, List<Stmt> reverse) {
        Set<Variable> restoredCells = new HashSet<>();
        collectRestoredCells(stmts, restoredCells);
        for (Variable p : function.parameters()) {
            if (p.type() instanceof ArrayType array && restoredCells.contains(activity.cell(p))) {
                Variable after = function.variables().create(p.hint() + "After", p.type(), Variable.Role.SAVED);
                // The tape lends copies of double arrays; other arrays (an int[] counter) are copied anew.
                Expr copy = array.carriesDerivatives()
                        ? new Expr.TapeCall(tape(), "copyOf", List.of(Expr.Ref.to(p)), p.type())
                        : snapshot(Expr.Ref.to(p));
                forward.add(new Stmt.LocalDecl(after, copy, SourcePos.NONE));
                reverse.add(new Stmt.Evaluate(new Expr.StaticCall(Build.BUFFERS,
                        array.carriesDerivatives() ? "copyInto" : "restore", List.of(Expr.Ref.to(after),
                                Expr.Ref.to(p)), p.type(), false, SourcePos.NONE)));
            }
        }
    }

    private void collectRestoredCells(List<AdjointStmt> stmts, Set<Variable> out) {
        for (AdjointStmt s : stmts) {
            if (s instanceof AdjointStmt.Assignment a && saves.contains(a)
                    && a.locations().get(0) instanceof Expr.ArrayRead) {
                out.add(a.target());
            } else if (s instanceof AdjointStmt.Effect e && saves.contains(e)) {
                out.addAll(e.cells());
            } else if (s instanceof AdjointStmt.Branch b) {
                collectRestoredCells(b.thenStmts(), out);
                collectRestoredCells(b.elseStmts(), out);
            } else if (s instanceof AdjointStmt.Loop loop) {
                collectRestoredCells(loop.init(), out);
                collectRestoredCells(loop.body(), out);
                collectRestoredCells(loop.update(), out);
            }
        }
    }

    // ---- differentiation ------------------------------------------------------------------------------------

    private List<AdjointStmt> differentiate(List<Stmt> stmts) {
        List<AdjointStmt> out = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.Evaluate e && e.call() instanceof Expr.DiffCall call) {
                out.add(writingCall(s, null, call));
                continue;
            }
            if (s instanceof Stmt.LocalDecl d && d.init() instanceof Expr.DiffCall call
                    && call.callee().writesArrayArguments()) {
                out.add(writingCall(s, d.variable(), call));
                continue;
            }
            if (s instanceof Stmt.Evaluate e) {
                out.add(effect(s, List.of(s), (Expr.StaticCall) e.call()));
                continue;
            }
            Expr value = s instanceof Stmt.LocalDecl d ? d.init() : s instanceof Stmt.Assign a ? a.value() : null;
            if (value instanceof Expr.StaticCall call && !call.writes().isEmpty()) {
                out.add(effect(s, List.of(), call)); // int c = tick(n): the arrays first, then the variable
            }
            if (s instanceof Stmt.LocalDecl d) {
                out.add(d.variable().type() instanceof ArrayType ? arrayReference(s, d.variable(), d.init())
                        : assignment(s, d.variable(), d.init(), true));
            } else if (s instanceof Stmt.Assign a) {
                out.add(a.target().type() instanceof ArrayType ? arrayReference(s, a.target(), a.value())
                        : assignment(s, a.target(), a.value(), false));
            } else if (s instanceof Stmt.ElementAssign a) {
                out.add(elementAssignment(a));
            } else if (s instanceof Stmt.If i) {
                // The branches exclude each other: each starts from what was defined before the if.
                Set<Variable> before = new HashSet<>(definedBefore);
                List<AdjointStmt> thenStmts = differentiate(i.thenStmts());
                Set<Variable> afterThen = new HashSet<>(definedBefore);
                definedBefore.retainAll(before);
                List<AdjointStmt> elseStmts = differentiate(i.elseStmts());
                definedBefore.addAll(afterThen);
                Set<Variable> conditionReads = conditionReads(i);
                out.add(new AdjointStmt.Branch(i, thenStmts, elseStmts, isRecomputable(i, conditionReads),
                        conditionReads));
            } else if (s instanceof Stmt.Loop loop) {
                out.add(loop(loop));
            } else {
                throw new IllegalStateException("unexpected statement after normalisation: " + s);
            }
        }
        return out;
    }

    private AdjointStmt.Effect effect(Stmt source, List<Stmt> forward, Expr.StaticCall call) {
        Set<Variable> reads = new HashSet<>();
        call.writtenArguments().forEach(array -> Exprs.variables(array, reads));
        return new AdjointStmt.Effect(source, forward, call.writtenArguments(), cells(call.writtenArguments()), reads,
                List.of());
    }

    /** The alias classes of the arrays a call writes. */
    private Set<Variable> cells(List<Expr> arrays) {
        Set<Variable> cells = new HashSet<>();
        for (Expr array : arrays) {
            Variable root = Exprs.arrayRoot(array);
            if (root != null) {
                cells.add(activity.cell(root));
            }
        }
        return cells;
    }

    /**
     * {@code accel(x, k, out);} or {@code double e = step(x, dt);}, a {@code @Differentiable} method that writes
     * into arrays it is given. The reverse code calls its in-place pullback with the arrays as they were before the
     * call: the shadows of the arrays it wrote go in as the adjoints after the call and come back as those before;
     * arrays without a derivative here get scratch zeros; the scalars' adjoints come back in its record. Lowering
     * made every scalar argument that carries a derivative a variable.
     */
    private AdjointStmt.Effect writingCall(Stmt source, Variable target, Expr.DiffCall call) {
        Set<Variable> reads = new HashSet<>();
        boolean targetActive = target != null && activity.isActive(target);
        boolean active = targetActive || call.args().stream().anyMatch(activity::isActive);
        List<Stmt> adjoint = new ArrayList<>();
        if (active) {
            dev.leibniz.processor.ir.Callee callee = call.callee();
            Expr seed = targetActive ? Expr.Ref.to(adjoints.of(target)) : Build.ZERO;
            Expr pullback = new Expr.PullbackCall(callee, call.args(), seed,
                    StatementAdjoint.calleeShadows(call, activity, adjoints, this::tape));
            if (callee.pullbackReturnsRecord()) {
                Variable record = function.variables().create(callee.method() + "Adjoints", pullback.type(),
                        Variable.Role.TEMPORARY);
                adjoint.add(new Stmt.LocalDecl(record, pullback, SourcePos.NONE));
                for (int i : callee.differentiatedIndices()) {
                    Expr arg = call.args().get(i);
                    if (!(arg.type() instanceof ArrayType) && !(arg instanceof Expr.Ref) && activity.isActive(arg)) {
                        throw new IllegalStateException("an argument of a writing call that carries a derivative "
                                + "is not a variable after lowering: " + arg);
                    }
                    if (arg instanceof Expr.Ref ref && !(ref.type() instanceof ArrayType) && activity.isActive(ref)) {
                        adjoint.add(Stmt.Assign.accumulate(adjoints.of(ref.variable()), new Expr.Component(
                                Expr.Ref.to(record), callee.parameterNames().get(i), PrimitiveType.DOUBLE)));
                    }
                }
            } else {
                adjoint.add(new Stmt.Evaluate(pullback));
            }
            if (targetActive) {
                adjoint.add(Stmt.Assign.plain(adjoints.of(target), Build.ZERO)); // its value came from the call
            }
            call.args().forEach(arg -> Exprs.variables(arg, reads));
        }
        call.writtenArguments().forEach(array -> Exprs.variables(array, reads));
        if (targetActive) {
            definedBefore.add(target);
        }
        return new AdjointStmt.Effect(source, List.of(source), call.writtenArguments(), cells(call.writtenArguments()),
                reads, adjoint);
    }

    /** {@code Buffers.snapshot(array)}: a copy of the array, rows included. */
    private static Expr snapshot(Expr array) {
        return new Expr.StaticCall(Build.BUFFERS, "snapshot", List.of(array), array.type(), false, SourcePos.NONE);
    }

    /** {@code Buffers.restore(saved, array)}: the values of a {@link #snapshot} written back. */
    private static Stmt restore(Expr saved, Expr array) {
        return new Stmt.Evaluate(new Expr.StaticCall(Build.BUFFERS, "restore", List.of(saved, array), array.type(),
                false, SourcePos.NONE));
    }

    private AdjointStmt.Loop loop(Stmt.Loop loop) {
        List<AdjointStmt> init = differentiate(loop.init());
        loopDepth++;
        // From the second iteration on, everything the loop defines was defined before.
        ExprWalk.statements(loop.body(), this::noteActiveDefinition);
        ExprWalk.statements(loop.update(), this::noteActiveDefinition);
        List<AdjointStmt> body = differentiate(loop.body());
        List<AdjointStmt> update = differentiate(loop.update());
        loopDepth--;
        AdjointStmt.Loop differentiated = new AdjointStmt.Loop(loop, init, body, update, counter(loop));
        List<AdjointStmt.Assignment> recomputed = recomputable(differentiated);
        if (!recomputed.isEmpty()) {
            recomputedIn.put(differentiated, recomputed);
        }
        return differentiated;
    }

    /**
     * The declarations at the top level of a loop's body that each reverse iteration can evaluate again, as cheaply
     * as popping them: {@code double a = x[i + 1] - x[i] * x[i];}, {@code double[] row = m[i];}. Each is the only
     * assignment of its variable in the loop, names no intermediates, and reads only the loop's counter (counted back
     * by the reverse loop), variables the loop does not assign, earlier such declarations, and elements of arrays the
     * loop does not write, through arithmetic alone.
     */
    private List<AdjointStmt.Assignment> recomputable(AdjointStmt.Loop loop) {
        List<Stmt> inside = new ArrayList<>(loop.source().body());
        inside.addAll(loop.source().update());
        Set<Variable> assigned = Sweeps.assignedVariables(inside);
        Set<Variable> writtenCells = Sweeps.writtenCells(inside, activity);
        Set<Variable> available = new HashSet<>();
        if (loop.counter() != null) {
            available.add(loop.counter().variable());
        }
        Map<Variable, Integer> assignments = new java.util.HashMap<>();
        ExprWalk.statements(inside, s -> {
            Variable target = s instanceof Stmt.Assign a ? a.target() : s instanceof Stmt.LocalDecl d ? d.variable() : null;
            if (target != null) {
                assignments.merge(target, 1, Integer::sum);
            }
        });
        List<AdjointStmt.Assignment> out = new ArrayList<>();
        for (AdjointStmt s : loop.body()) {
            if (s instanceof AdjointStmt.Assignment a && a.source() instanceof Stmt.LocalDecl d && d.init() != null
                    && a.intermediates().isEmpty() && assignments.get(d.variable()) == 1
                    && a.forward().size() == a.locations().size()
                    && isCheapAndAvailable(d.init(), assigned, available, writtenCells)) {
                out.add(a);
                available.add(d.variable());
            }
        }
        return out;
    }

    private boolean isCheapAndAvailable(Expr e, Set<Variable> assigned, Set<Variable> available,
            Set<Variable> writtenCells) {
        if (e instanceof Expr.Ref r) {
            Variable v = r.variable();
            return available.contains(v) || !assigned.contains(v);
        }
        if (e instanceof Expr.ArrayRead read) {
            Variable root = Exprs.arrayRoot(read.array());
            if (root == null || writtenCells.contains(activity.cell(root))) {
                return false;
            }
        } else if (!(e instanceof Expr.Literal || e instanceof Expr.FieldRef || e instanceof Expr.Unary
                || e instanceof Expr.Binary || e instanceof Expr.Cast || e instanceof Expr.ArrayLength)) {
            return false;
        }
        return Exprs.children(e).stream().allMatch(c -> isCheapAndAvailable(c, assigned, available, writtenCells));
    }

    /**
     * The counter of {@code for (int i = start; ...; i++)} (or {@code i--}, {@code i += 3}, ...) when only the
     * update assigns it, and nothing in the loop assigns what {@code start} reads; otherwise {@code null}.
     */
    private static AdjointStmt.Counter counter(Stmt.Loop loop) {
        if (loop.init().size() != 1 || loop.update().size() != 1
                || !(loop.init().get(0) instanceof Stmt.LocalDecl d) || d.init() == null
                || !(d.variable().type() == PrimitiveType.INT || d.variable().type() == PrimitiveType.LONG)
                || !(loop.update().get(0) instanceof Stmt.Assign a) || !a.target().equals(d.variable())
                || !(a.value() instanceof Expr.Binary step) || !(step.left() instanceof Expr.Ref r)
                || !r.variable().equals(d.variable()) || Exprs.callsOpaque(d.init())) {
            return null;
        }
        Double amount = Build.constantValue(step.right());
        if (amount == null || amount != Math.rint(amount) || amount == 0
                || !(step.op() == BinaryOp.ADD || step.op() == BinaryOp.SUB)) {
            return null;
        }
        Set<Variable> startReads = new HashSet<>();
        Exprs.variables(d.init(), startReads);
        Set<Variable> assignedInside = Sweeps.assignedVariables(loop.body());
        if (assignedInside.contains(d.variable()) || !Collections.disjoint(startReads, assignedInside)
                || startReads.contains(d.variable())) {
            return null;
        }
        long delta = (long) (double) amount;
        return new AdjointStmt.Counter(d.variable(), d.init(), step.op() == BinaryOp.ADD ? delta : -delta);
    }

    private void noteActiveDefinition(Stmt s) {
        if (s instanceof Stmt.LocalDecl d && d.init() != null && activity.isActive(d.variable())
                && activity.isActive(d.init())) {
            definedBefore.add(d.variable());
        } else if (s instanceof Stmt.Assign a && activity.isActive(a.target()) && activity.isActive(a.value())) {
            definedBefore.add(a.target());
        }
    }

    private AdjointStmt.Assignment assignment(Stmt source, Variable target, Expr value, boolean declaration) {
        boolean active = value != null && activity.isActive(target) && activity.isActive(value);
        boolean resets = resetsAdjoint(target, declaration && loopDepth == 0);
        if (active) {
            definedBefore.add(target);
            return new StatementAdjoint(function.variables(), activity, adjoints, this::tape, source,
                    Expr.Ref.to(target), value, declaration, loopDepth > 0).generate(resets);
        }
        List<Stmt> reverse = activity.isActive(target) && resets
                ? List.of(Stmt.Assign.plain(adjoints.of(target), Build.ZERO)) // the old value's adjoint is dead
                : List.of();
        return new AdjointStmt.Assignment(source, target, declaration, List.of(source), List.of(), reverse, Set.of(),
                false, List.of(Expr.Ref.to(target)));
    }

    /**
     * {@code a[i] = value}. An element written with a value that carries no derivative still zeroes the element's
     * adjoint in the reverse sweep: whatever flowed into it belonged to the value overwritten.
     */
    private AdjointStmt.Assignment elementAssignment(Stmt.ElementAssign a) {
        Variable root = Exprs.arrayRoot(a.array());
        Expr.ArrayRead element = a.element();
        boolean arrayActive = root != null && activity.isActive(root);
        if (arrayActive && activity.isActive(a.value())) {
            return new StatementAdjoint(function.variables(), activity, adjoints, this::tape, a, element, a.value(),
                    false, loopDepth > 0).generate(true);
        }
        Set<Variable> reads = new HashSet<>();
        Exprs.variables(element, reads);
        List<Stmt> reverse = new ArrayList<>();
        if (arrayActive) {
            Expr shadow = StatementDerivative.shadowArray(a.array(), adjoints);
            reverse.add(new Stmt.ElementAssign(shadow, a.index(), Build.ZERO, Stmt.Assign.Form.PLAIN, SourcePos.NONE));
        }
        Variable cell = root == null ? null : activity.cell(root);
        return new AdjointStmt.Assignment(a, cell, false, List.of(a), List.of(), reverse, reads, false,
                List.of(element));
    }

    /**
     * {@code double[] s = ...} and {@code s = ...}: no derivative flows through a reference, but an active array gets
     * its shadow alongside, mirroring the aliasing: {@code ds = new double[n]}, {@code ds = dx}, {@code dr = dm[i]}.
     */
    private AdjointStmt.Assignment arrayReference(Stmt source, Variable target, Expr value) {
        if (value instanceof Expr.DiffCall && activity.isActive(target) && activity.isActive(value)) {
            return new StatementAdjoint(function.variables(), activity, adjoints, this::tape, source,
                    Expr.Ref.to(target), value, source instanceof Stmt.LocalDecl, loopDepth > 0)
                    .generateForArrayResult();
        }
        List<Stmt> forward = new ArrayList<>();
        forward.add(source);
        List<Expr> locations = new ArrayList<>();
        locations.add(Expr.Ref.to(target));
        if (activity.isActive(target)) {
            Variable shadow = adjoints.of(target);
            Expr shadowValue = value == null ? null : shadowOf(target, value);
            forward.add(source instanceof Stmt.LocalDecl ? new Stmt.LocalDecl(shadow, shadowValue, SourcePos.NONE)
                    : Stmt.Assign.plain(shadow, shadowValue));
            locations.add(Expr.Ref.to(shadow));
        }
        return new AdjointStmt.Assignment(source, target, source instanceof Stmt.LocalDecl, forward, List.of(),
                List.of(), Set.of(), false, locations);
    }

    /**
     * The shadow an array value starts with: the shadow of what it aliases, or zeros of its shape, which the tape
     * lends (and lends again to the next call given the same tape).
     */
    private Expr shadowOf(Variable target, Expr value) {
        if (Exprs.arrayRoot(value) != null) {
            return StatementDerivative.shadowArray(value, adjoints);
        }
        // The lengths again, unless they read the array just replaced (g = new double[1][g.length]).
        if (value instanceof Expr.NewArray fresh && fresh.lengths().stream().noneMatch(l -> Exprs.reads(l, target))
                && ((ArrayType) target.type()).element() == PrimitiveType.DOUBLE) {
            return new Expr.TapeCall(tape(), "zeros", fresh.lengths(), target.type());
        }
        return new Expr.TapeCall(tape(), "zerosLike", List.of(Expr.Ref.to(target)), target.type());
    }

    /**
     * After an overwrite (in a loop, a declaration overwrites the previous iteration's value), the adjoint of the
     * old value starts from zero — needed only if the old value came from
     * an earlier active definition, whose reverse code passes the adjoint on, or is a parameter, whose adjoint is
     * an output. An assignment after a constant initialiser (or none) needs no reset, nor does the result, which
     * {@link SingleExit} assigns once on every path.
     */
    private boolean resetsAdjoint(Variable target, boolean declaration) {
        return !declaration && target.role() != Variable.Role.RESULT
                && (target.role() == Variable.Role.PARAMETER || definedBefore.contains(target));
    }

    /**
     * A condition can be evaluated again in the reverse sweep if it is pure and its branches leave it alone: they
     * assign none of its variables and write no element of an array it reads.
     */
    private boolean isRecomputable(Stmt.If i, Set<Variable> read) {
        if (Exprs.callsOpaque(i.condition())) {
            return false;
        }
        Set<Variable> assigned = Sweeps.assignedVariables(List.of(i));
        assigned.addAll(Sweeps.writtenCells(List.of(i), activity));
        return Collections.disjoint(read, assigned);
    }

    /** The variables a condition reads, with the cells of its arrays. */
    private Set<Variable> conditionReads(Stmt.If i) {
        Set<Variable> read = new HashSet<>();
        Exprs.variables(i.condition(), read);
        for (Variable v : List.copyOf(read)) {
            if (v.type() instanceof ArrayType) {
                read.add(activity.cell(v));
            }
        }
        return read;
    }

    // ---- rendering ------------------------------------------------------------------------------------------

    /**
     * @param enclosing the position of the enclosing statement, whose comment already covers its parts
     * @param depth how many loops enclose {@code stmts}: inside one, saved values and decisions go on the tape
     */
    private List<Stmt> renderForward(List<AdjointStmt> stmts, SourcePos enclosing, int depth) {
        List<Stmt> out = new ArrayList<>();
        for (int index = 0; index < stmts.size(); index++) {
            AdjointStmt s = stmts.get(index);
            if (s instanceof AdjointStmt.Assignment a) {
                boolean saved = saves.contains(a);
                if (saved || a.forward().size() > 1 || startsBlock(stmts, index)) {
                    Sweeps.comment(function, a.source().pos(), enclosing, out);
                }
                if (depth == 0) {
                    if (saved) {
                        List<Variable> locals = savedIn.computeIfAbsent(a, this::savedVariables);
                        for (int k = 0; k < locals.size(); k++) {
                            out.add(new Stmt.LocalDecl(locals.get(k), a.locations().get(k), SourcePos.NONE));
                        }
                    }
                    out.addAll(a.forward());
                } else {
                    renderTaped(a, saved, out);
                }
            } else if (s instanceof AdjointStmt.Effect e) {
                renderForward(e, enclosing, depth, out);
            } else if (s instanceof AdjointStmt.Branch b) {
                renderForward(b, enclosing, depth, out);
            } else if (s instanceof AdjointStmt.Loop loop) {
                renderForward(loop, enclosing, depth, out);
            }
        }
        return out;
    }

    /**
     * Whether the assignment at {@code k} is the first of several of one source statement (generated code
     * differentiated again splits a statement in several): the block gets its comment as one statement would.
     */
    private static boolean startsBlock(List<AdjointStmt> stmts, int k) {
        SourcePos pos = ((AdjointStmt.Assignment) stmts.get(k)).source().pos();
        boolean first = k == 0 || !(stmts.get(k - 1) instanceof AdjointStmt.Assignment p) || p.source().pos() != pos;
        return first && pos.isKnown() && k + 1 < stmts.size()
                && stmts.get(k + 1) instanceof AdjointStmt.Assignment next && next.source().pos() == pos;
    }

    /** A call that writes arrays: a copy of each first, where the reverse sweep reads them. */
    private void renderForward(AdjointStmt.Effect e, SourcePos enclosing, int depth, List<Stmt> out) {
        if (saves.contains(e)) {
            Sweeps.comment(function, e.source().pos(), enclosing, out);
            if (depth == 0) {
                List<Variable> copies = new ArrayList<>();
                long line = e.source().pos().line();
                for (Expr array : e.arrays()) {
                    Variable copy = function.variables().create(Exprs.arrayRoot(array).hint()
                            + (line > 0 ? "Before" + line : "Saved"), array.type(), Variable.Role.SAVED);
                    copies.add(copy);
                    out.add(new Stmt.LocalDecl(copy, snapshot(array), SourcePos.NONE));
                }
                copiedIn.put(e, copies);
            } else {
                e.arrays().forEach(array -> out.add(new Stmt.Push(tape(), snapshot(array))));
            }
        }
        out.addAll(e.forward());
    }

    private void renderForward(AdjointStmt.Branch b, SourcePos enclosing, int depth, List<Stmt> out) {
        Expr condition = b.source().condition();
        Variable recorded = null;
        if (!b.reevaluated() && hasReverse(List.of(b))) {
            long line = b.source().pos().line();
            recorded = function.variables().create(line > 0 ? "branch" + line : "branch", PrimitiveType.BOOLEAN,
                    Variable.Role.BRANCH);
            recordedIn.put(b, recorded);
            Sweeps.comment(function, b.source().pos(), enclosing, out);
            out.add(new Stmt.LocalDecl(recorded, condition, SourcePos.NONE));
            condition = Expr.Ref.to(recorded);
        }
        SourcePos pos = b.source().pos();
        out.add(new Stmt.If(condition, renderForward(b.thenStmts(), pos, depth),
                renderForward(b.elseStmts(), pos, depth), pos));
        if (recorded != null && depth > 0) {
            out.add(new Stmt.Push(tape(), Expr.Ref.to(recorded))); // after the branch: popped before its reverse
        }
    }

    /** The loop as written, counting its iterations for the reverse sweep, and keeping the count on the tape. */
    private void renderForward(AdjointStmt.Loop loop, SourcePos enclosing, int depth, List<Stmt> out) {
        Stmt.Loop source = loop.source();
        SourcePos pos = source.pos();
        if (!hasReverse(List.of(loop))) {
            out.add(new Stmt.Loop(source.kind(), null, renderForward(loop.init(), pos, depth), source.condition(),
                    renderForward(loop.update(), pos, depth + 1), renderForward(loop.body(), pos, depth + 1), pos));
            return;
        }
        long line = pos.line();
        Variable trips = function.variables().create(line > 0 ? "trips" + line : "trips", PrimitiveType.INT,
                Variable.Role.BRANCH);
        tripsIn.put(loop, trips);
        Sweeps.comment(function, pos, enclosing, out);
        out.add(new Stmt.LocalDecl(trips, Expr.Literal.zero(PrimitiveType.INT), SourcePos.NONE));
        List<Stmt> init = renderForward(loop.init(), pos, depth);
        List<Stmt> update = renderForward(loop.update(), pos, depth + 1);
        List<Stmt> body = new ArrayList<>();
        body.add(new Stmt.Assign(trips, new Expr.Binary(BinaryOp.ADD, Expr.Ref.to(trips),
                Expr.Literal.ofInt(1), PrimitiveType.INT, SourcePos.NONE), Stmt.Assign.Form.INCREMENT, SourcePos.NONE));
        body.addAll(renderForward(loop.body(), pos, depth + 1));
        if (!Sweeps.fitsLoopHeader(update)) {
            body.addAll(update);
            update = List.of();
        }
        if (!Sweeps.fitsLoopHeader(init)) {
            out.addAll(init);
            init = List.of();
        }
        out.add(new Stmt.Loop(source.kind(), null, init, source.condition(), update, body, pos));
        if (depth > 0) {
            out.add(new Stmt.Push(tape(), Expr.Ref.to(trips)));
        }
    }

    /**
     * An assignment inside a loop: the next iteration overwrites its intermediates and maybe its target, so both
     * go on the tape, in the order that lets {@link #reverseTaped} pop them last-in first-out: the old target
     * after the intermediates when the reverse code needs it first (restore first), before them otherwise.
     */
    private void renderTaped(AdjointStmt.Assignment a, boolean saved, List<Stmt> out) {
        boolean targetLast = a.readsOldTarget();
        if (saved && !targetLast) {
            a.locations().forEach(location -> out.add(new Stmt.Push(tape(), location)));
        }
        List<Stmt> forward = a.forward();
        int statement = forward.size() - (a.locations().size() > 1 ? 2 : 1);
        for (Stmt s : forward.subList(0, statement)) {
            out.add(s);
            if (s instanceof Stmt.LocalDecl d && a.intermediates().contains(d.variable()) && hasReverse(List.of(a))) {
                out.add(push(d.variable()));
            }
        }
        if (saved && targetLast) {
            a.locations().forEach(location -> out.add(new Stmt.Push(tape(), location)));
        }
        out.addAll(forward.subList(statement, forward.size()));
    }

    private void reverseTaped(AdjointStmt.Assignment a, boolean saved, List<Stmt> out) {
        boolean targetFirst = a.readsOldTarget();
        List<Stmt> restore = new ArrayList<>();
        if (saved) {
            for (int k = a.locations().size() - 1; k >= 0; k--) {
                Expr location = a.locations().get(k);
                restore.add(assign(location, new Expr.Pop(tape(), location.type())));
            }
        }
        if (targetFirst) {
            out.addAll(restore);
        }
        List<Variable> intermediates = a.intermediates();
        for (int i = intermediates.size() - 1; i >= 0; i--) {
            out.add(Stmt.Assign.plain(intermediates.get(i), pop(intermediates.get(i))));
        }
        out.addAll(a.reverse());
        if (!targetFirst) {
            out.addAll(restore);
        }
    }

    /** A declaration evaluated again where its variable is already declared. */
    private static Stmt asAssignment(Stmt.LocalDecl d) {
        return Stmt.Assign.plain(d.variable(), d.init());
    }

    /** {@code location = value}, for a variable or an element. */
    private static Stmt assign(Expr location, Expr value) {
        if (location instanceof Expr.ArrayRead element) {
            return new Stmt.ElementAssign(element.array(), element.index(), value, Stmt.Assign.Form.PLAIN,
                    SourcePos.NONE);
        }
        return Stmt.Assign.plain(((Expr.Ref) location).variable(), value);
    }

    private Stmt push(Variable v) {
        return new Stmt.Push(tape(), Expr.Ref.to(v));
    }

    private Expr pop(Variable v) {
        return new Expr.Pop(tape(), v.type());
    }

    private List<Stmt> renderReverse(List<AdjointStmt> stmts, SourcePos enclosing, int depth) {
        List<Stmt> out = new ArrayList<>();
        for (int k = stmts.size() - 1; k >= 0; k--) {
            AdjointStmt s = stmts.get(k);
            if (s instanceof AdjointStmt.Assignment a) {
                boolean saved = saves.contains(a);
                if (a.reverse().isEmpty() && !saved) {
                    continue;
                }
                Sweeps.comment(function, a.source().pos(), enclosing, out);
                if (depth > 0) {
                    reverseTaped(a, saved, out);
                    continue;
                }
                List<Stmt> restore = new ArrayList<>();
                if (saved) {
                    List<Variable> locals = savedIn.get(a);
                    for (int l = 0; l < locals.size(); l++) {
                        restore.add(assign(a.locations().get(l), Expr.Ref.to(locals.get(l))));
                    }
                }
                // The reverse code reads the old target if it occurs in the value, the new one otherwise.
                boolean restoreFirst = a.readsOldTarget();
                if (restoreFirst) {
                    out.addAll(restore);
                }
                out.addAll(a.reverse());
                if (!restoreFirst) {
                    out.addAll(restore);
                }
            } else if (s instanceof AdjointStmt.Effect e && !e.adjoint().isEmpty()) {
                // restore, pull back through the callee (which leaves the arrays as the call did), restore again
                Sweeps.comment(function, e.source().pos(), enclosing, out);
                List<Expr> copies = new ArrayList<>();
                for (int j = e.arrays().size() - 1; j >= 0; j--) {
                    Expr array = e.arrays().get(j);
                    if (depth == 0) {
                        copies.add(0, Expr.Ref.to(copiedIn.get(e).get(j)));
                    } else {
                        Variable copy = function.variables().create(Exprs.arrayRoot(array).hint() + "Before",
                                array.type(), Variable.Role.TEMPORARY);
                        out.add(new Stmt.LocalDecl(copy, new Expr.Pop(tape(), array.type()), SourcePos.NONE));
                        copies.add(0, Expr.Ref.to(copy));
                    }
                }
                for (int j = 0; j < e.arrays().size(); j++) {
                    out.add(restore(copies.get(j), e.arrays().get(j)));
                }
                out.addAll(e.adjoint());
                for (int j = 0; j < e.arrays().size(); j++) {
                    out.add(restore(copies.get(j), e.arrays().get(j)));
                }
            } else if (s instanceof AdjointStmt.Effect e) {
                if (saves.contains(e)) {
                    Sweeps.comment(function, e.source().pos(), enclosing, out);
                    for (int j = e.arrays().size() - 1; j >= 0; j--) {
                        Expr array = e.arrays().get(j);
                        out.add(restore(depth == 0 ? Expr.Ref.to(copiedIn.get(e).get(j))
                                : new Expr.Pop(tape(), array.type()), array));
                    }
                }
            } else if (s instanceof AdjointStmt.Branch b) {
                SourcePos pos = b.source().pos();
                List<Stmt> thenStmts = renderReverse(b.thenStmts(), pos, depth);
                List<Stmt> elseStmts = renderReverse(b.elseStmts(), pos, depth);
                if (thenStmts.isEmpty() && elseStmts.isEmpty()) {
                    continue;
                }
                Sweeps.comment(function, pos, enclosing, out);
                Variable recorded = recordedIn.get(b);
                Expr condition = recorded == null ? b.source().condition()
                        : depth > 0 ? new Expr.Pop(tape(), PrimitiveType.BOOLEAN) : Expr.Ref.to(recorded);
                out.add(new Stmt.If(condition, thenStmts, elseStmts, pos));
            } else if (s instanceof AdjointStmt.Loop loop) {
                renderReverse(loop, enclosing, depth, out);
            }
        }
        return out;
    }

    /** The iterations backwards: each runs the reverse of the update, then of the body. */
    private void renderReverse(AdjointStmt.Loop loop, SourcePos enclosing, int depth, List<Stmt> out) {
        Variable trips = tripsIn.get(loop);
        if (trips == null) {
            return; // nothing in the loop has reverse code
        }
        SourcePos pos = loop.source().pos();
        Sweeps.comment(function, pos, enclosing, out);
        if (depth > 0) {
            out.add(Stmt.Assign.plain(trips, new Expr.Pop(tape(), PrimitiveType.INT)));
        }
        List<Stmt> body = new ArrayList<>();
        for (AdjointStmt.Assignment a : recomputedIn.getOrDefault(loop, List.of())) {
            Sweeps.comment(function, a.source().pos(), pos, body);
            a.forward().forEach(d -> body.add(d instanceof Stmt.LocalDecl decl ? asAssignment(decl) : d));
        }
        body.addAll(renderReverse(loop.update(), pos, depth + 1));
        body.addAll(renderReverse(loop.body(), pos, depth + 1));
        AdjointStmt.Counter counter = loop.counter();
        if (counter != null && Math.abs(counter.step()) == 1) {
            out.add(countedBack(counter, trips, body, pos));
        } else {
            long line = pos.line();
            Variable iteration = function.variables().create(line > 0 ? "iteration" + line : "iteration",
                    PrimitiveType.INT, Variable.Role.BRANCH);
            if (counter != null) {
                // i = start + (iteration - 1) * step, the value the counter had in that iteration
                Expr index = int32(BinaryOp.MUL, int32(BinaryOp.SUB, Expr.Ref.to(iteration), Expr.Literal.ofInt(1)),
                        Expr.Literal.ofInt((int) counter.step()));
                body.add(0, new Stmt.LocalDecl(counter.variable(), new Expr.Binary(BinaryOp.ADD, counter.start(),
                        index, (PrimitiveType) counter.variable().type(), SourcePos.NONE), SourcePos.NONE));
            }
            Stmt init = new Stmt.LocalDecl(iteration, Expr.Ref.to(trips), SourcePos.NONE);
            Expr more = new Expr.Binary(BinaryOp.GT, Expr.Ref.to(iteration), Expr.Literal.zero(PrimitiveType.INT),
                    PrimitiveType.BOOLEAN, SourcePos.NONE);
            Stmt countDown = new Stmt.Assign(iteration, int32(BinaryOp.SUB, Expr.Ref.to(iteration),
                    Expr.Literal.ofInt(1)), Stmt.Assign.Form.DECREMENT, SourcePos.NONE);
            out.add(new Stmt.Loop(Stmt.Loop.Kind.FOR, null, List.of(init), more, List.of(countDown), body, pos));
        }
        out.addAll(renderReverse(loop.init(), pos, depth));
    }

    /**
     * {@code for (int i = start + trips - 1; i >= start; i--)} for a counter that went up by one ({@code <=} and
     * {@code i++} mirrored for one that went down): the reverse loop visits the same counter values backwards.
     */
    private static Stmt countedBack(AdjointStmt.Counter counter, Variable trips, List<Stmt> body, SourcePos pos) {
        Variable i = counter.variable();
        PrimitiveType type = (PrimitiveType) i.type();
        boolean up = counter.step() > 0;
        Expr last = offset(counter.start(), Expr.Ref.to(trips), up, type);
        Expr more = new Expr.Binary(up ? BinaryOp.GE : BinaryOp.LE, Expr.Ref.to(i), counter.start(),
                PrimitiveType.BOOLEAN, SourcePos.NONE);
        Stmt back = new Stmt.Assign(i, new Expr.Binary(up ? BinaryOp.SUB : BinaryOp.ADD, Expr.Ref.to(i),
                Expr.Literal.ofInt(1), type, SourcePos.NONE),
                up ? Stmt.Assign.Form.DECREMENT : Stmt.Assign.Form.INCREMENT, SourcePos.NONE);
        return new Stmt.Loop(Stmt.Loop.Kind.FOR, null, List.of(new Stmt.LocalDecl(i, last, SourcePos.NONE)), more,
                List.of(back), body, pos);
    }

    /** {@code start + trips - 1} (or {@code start - trips + 1}), folded when {@code start} is a literal. */
    private static Expr offset(Expr start, Expr trips, boolean up, PrimitiveType type) {
        Double literal = Build.constantValue(start);
        if (literal != null && type == PrimitiveType.INT) {
            long shift = up ? (long) (double) literal - 1 : (long) (double) literal + 1;
            Expr signedTrips = up ? trips : new Expr.Unary(UnaryOp.NEG, trips, PrimitiveType.INT, SourcePos.NONE);
            if (shift == 0) {
                return signedTrips;
            }
            return new Expr.Binary(shift > 0 ? BinaryOp.ADD : BinaryOp.SUB, signedTrips,
                    Expr.Literal.ofInt((int) Math.abs(shift)), type, SourcePos.NONE);
        }
        Expr moved = new Expr.Binary(up ? BinaryOp.ADD : BinaryOp.SUB, start, trips, type, SourcePos.NONE);
        return new Expr.Binary(up ? BinaryOp.SUB : BinaryOp.ADD, moved, Expr.Literal.ofInt(1), type, SourcePos.NONE);
    }

    private static Expr int32(BinaryOp op, Expr a, Expr b) {
        return new Expr.Binary(op, a, b, PrimitiveType.INT, SourcePos.NONE);
    }

    private Variable tape() {
        if (tape == null) {
            tape = function.variables().create("tape", ClassType.TAPE, Variable.Role.TEMPORARY);
        }
        return tape;
    }

    private List<Variable> savedVariables(AdjointStmt.Assignment a) {
        long line = a.source().pos().line();
        List<Variable> locals = new ArrayList<>();
        for (Expr location : a.locations()) {
            Variable named = location instanceof Expr.Ref r ? r.variable() : Exprs.arrayRoot(location);
            String base = named.role() == Variable.Role.ADJOINT ? "d" + named.hint() : named.hint();
            locals.add(function.variables().create(base + (line > 0 ? "Before" + line : "Saved"), location.type(),
                    Variable.Role.SAVED));
        }
        return locals;
    }

    /** Whether the reverse sweep has anything to do for {@code stmts}: adjoint code or a restore. */
    private boolean hasReverse(List<AdjointStmt> stmts) {
        for (AdjointStmt s : stmts) {
            boolean has = s instanceof AdjointStmt.Assignment a ? !a.reverse().isEmpty() || saves.contains(a)
                    : s instanceof AdjointStmt.Effect e ? saves.contains(e)
                    : s instanceof AdjointStmt.Branch b ? hasReverse(b.thenStmts()) || hasReverse(b.elseStmts())
                    : hasReverse(((AdjointStmt.Loop) s).init()) || hasReverse(((AdjointStmt.Loop) s).body())
                            || hasReverse(((AdjointStmt.Loop) s).update());
            if (has) {
                return true;
            }
        }
        return false;
    }
}
