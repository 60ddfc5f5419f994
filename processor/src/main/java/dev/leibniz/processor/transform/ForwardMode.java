package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Forward (tangent) mode: the original statements run in order, and every active variable, element and array gets a
 * tangent computed alongside ({@link StatementTangent}), so that one pass yields the value and the differential
 * {@code df = Σ ∂f/∂xᵢ · dxᵢ} along the tangents the caller gives. Nothing runs backwards, so nothing is saved:
 * branches and loops stay as they are, with the tangent statements inside them.
 *
 * <p>Only active variables ({@link Activity}) have tangents; anything else has tangent zero and no code. An array
 * has a tangent array of its shape that follows it through aliases ({@code dr = dm[i]} next to {@code r = m[i]}).
 * An array parameter the method writes into gets a copy of the caller's tangent to work on: the caller's arrays of
 * tangents are never written.
 */
public final class ForwardMode {
    private final Function function;
    private final Activity activity;
    private final Adjoints tangents;

    /** The written array parameters whose tangents are updated in place (see {@link #differentiateInPlace}). */
    private final List<Variable> inPlace;

    private ForwardMode(Function function, Activity activity, List<Variable> inPlace) {
        this.function = function;
        this.activity = activity;
        this.tangents = new Adjoints(function.variables());
        this.inPlace = List.copyOf(inPlace);
    }

    /** Differentiates a function that has been through {@link SingleExit} and {@link Lowering}. */
    public static Pushforward differentiate(Function function, Variable result, Activity activity) {
        return new ForwardMode(function, activity, List.of()).run(result);
    }

    /**
     * The differential of a method that writes into its array parameters {@code outputs}, whose tangent arrays are
     * updated in place: given the tangent of the contents passed, they hold the tangent of the contents the method
     * leaves, the way the method updates the arrays themselves. {@code activity} counts the outputs as results.
     */
    public static Pushforward differentiateInPlace(Function function, Variable result, Activity activity,
            List<Variable> outputs) {
        return new ForwardMode(function, activity, outputs).run(result);
    }

    private Pushforward run(Variable result) {
        List<Variable> parameters = new ArrayList<>();
        List<Stmt> body = new ArrayList<>();
        Set<Variable> writtenCells = Sweeps.writtenCells(function, activity);
        for (int i = 0; i < function.parameters().size(); i++) {
            Variable p = function.parameters().get(i);
            if (function.differentiated().get(i)) {
                Variable given = tangents.of(p);
                parameters.add(given);
                if (p.type() instanceof ArrayType && activity.isActive(p)
                        && writtenCells.contains(activity.cell(p)) && !inPlace.contains(p)) {
                    workOnCopy(p, given, body);
                }
            } else if (activity.isActive(p)) {
                // assigned from differentiated values, but without a tangent from the caller: it starts at zero
                body.add(new Stmt.LocalDecl(tangents.of(p), zeros(p, Expr.Ref.to(p)), SourcePos.NONE));
            }
        }
        body.addAll(differentiate(function.body(), SourcePos.NONE, true));
        if (result.type() instanceof ArrayType) {
            // The tangent array may be the caller's (a parameter returned) or one reused later: a copy of it.
            Expr differential = activity.isActive(result)
                    ? new Expr.StaticCall(Build.BUFFERS, "copyOf", List.of(Expr.Ref.to(tangents.of(result))),
                            result.type(), false, SourcePos.NONE)
                    : zeros(result, Expr.Ref.to(result));
            body.add(new Stmt.Return(new Expr.NewRecord(ClassType.ARRAY_DIFFERENTIAL, List.of(Expr.Ref.to(result),
                    differential)), SourcePos.NONE));
            return new Pushforward(function, parameters, body, Sweeps.writtenArrayParameters(function));
        }
        Expr differential = activity.isActive(result) ? Expr.Ref.to(tangents.of(result)) : Build.ZERO;
        body.add(new Stmt.Return(new Expr.NewRecord(ClassType.DIFFERENTIAL, List.of(Expr.Ref.to(result),
                differential)), SourcePos.NONE));
        return new Pushforward(function, parameters, body, Sweeps.writtenArrayParameters(function));
    }

    private void workOnCopy(Variable p, Variable given, List<Stmt> body) {
        Variable copy = function.variables().shadowApart(p, "Copy");
        tangents.define(p, copy);
        String dp = VariableFactory.adjointName(p.hint());
        body.add(new Stmt.Comment(p.hint() + " is written here: its tangents are worked on in a copy, so that " + dp
                + " stays as the caller passed it."));
        body.add(new Stmt.LocalDecl(copy, new Expr.StaticCall(Build.BUFFERS, "copyOf", List.of(Expr.Ref.to(given)),
                p.type(), false, SourcePos.NONE), SourcePos.NONE));
    }

    private boolean callsAnyActive(Expr.DiffCall call) {
        return call.args().stream().anyMatch(activity::isActive);
    }

    /**
     * The in-place differential of a {@code @Differentiable} method that writes into its arrays: the tangent arrays
     * of what it writes are updated as it updates the arrays (scratch zeros where the arrays carry no derivative);
     * Lowering made every scalar argument that carries a derivative a variable.
     */
    private Expr inPlaceDifferential(Expr.DiffCall call) {
        return StatementTangent.differentialCall(call, call.args(), activity, tangents, arg -> {
            if (!activity.isActive(arg)) {
                return null;
            }
            if (!(arg instanceof Expr.Ref ref)) {
                throw new IllegalStateException("an argument of a writing call that carries a derivative is not a "
                        + "variable after lowering: " + arg);
            }
            return Expr.Ref.to(tangents.of(ref.variable()));
        });
    }

    /** Tangent zero: {@code 0.0}, or an array of zeros with the shape of {@code like}. */
    private static Expr zeros(Variable v, Expr like) {
        if (v.type() instanceof ArrayType) {
            return new Expr.StaticCall(Build.BUFFERS, "zerosLike", List.of(like), v.type(), false, SourcePos.NONE);
        }
        return Build.ZERO;
    }

    /**
     * @param enclosing the position of the enclosing statement, whose comment already covers its parts
     * @param comments whether blocks get their source comment (not inside a {@code for} header)
     */
    private List<Stmt> differentiate(List<Stmt> stmts, SourcePos enclosing, boolean comments) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : stmts) {
            List<Stmt> block = differentiate(s);
            if (comments && assignsTangents(block)) {
                Sweeps.comment(function, s.pos(), enclosing, out);
            }
            out.addAll(s instanceof Stmt.If || s instanceof Stmt.Loop ? block : Sweeps.at(s.pos(), block));
        }
        return out;
    }

    /** Whether generated statements assign a tangent somewhere: the block of a source statement to comment. */
    private static boolean assignsTangents(List<Stmt> block) {
        boolean[] found = {false};
        ExprWalk.statements(block, s -> {
            Variable assigned = s instanceof Stmt.LocalDecl d ? d.variable()
                    : s instanceof Stmt.Assign a ? a.target()
                    : s instanceof Stmt.ElementAssign e ? Exprs.arrayRoot(e.array()) : null;
            found[0] |= assigned != null && assigned.role() == Variable.Role.ADJOINT;
        });
        return found[0];
    }

    private List<Stmt> differentiate(Stmt s) {
        if (s instanceof Stmt.Evaluate e && e.call() instanceof Expr.DiffCall call) {
            return List.of(callsAnyActive(call) ? new Stmt.Evaluate(inPlaceDifferential(call)) : s);
        }
        if (s instanceof Stmt.LocalDecl d && d.init() instanceof Expr.DiffCall call
                && call.callee().writesArrayArguments() && !activity.isActive(d.variable()) && callsAnyActive(call)) {
            // the value carries no derivative here, the arrays it writes do: their tangents still go through
            return List.of(new Stmt.LocalDecl(d.variable(), new Expr.Component(inPlaceDifferential(call), "value"),
                    d.pos()));
        }
        if (s instanceof Stmt.LocalDecl d) {
            return d.variable().type() instanceof ArrayType ? arrayReference(s, d.variable(), d.init())
                    : assignment(s, Expr.Ref.to(d.variable()), d.init(), true);
        }
        if (s instanceof Stmt.Assign a) {
            return a.target().type() instanceof ArrayType ? arrayReference(s, a.target(), a.value())
                    : assignment(s, Expr.Ref.to(a.target()), a.value(), false);
        }
        if (s instanceof Stmt.ElementAssign a) {
            Variable root = Exprs.arrayRoot(a.array());
            return root != null && activity.isActive(root) ? assignment(s, a.element(), a.value(), false) : List.of(s);
        }
        if (s instanceof Stmt.If i) {
            return List.of(new Stmt.If(i.condition(), differentiate(i.thenStmts(), i.pos(), true),
                    differentiate(i.elseStmts(), i.pos(), true), i.pos()));
        }
        if (s instanceof Stmt.Loop loop) {
            return loop(loop);
        }
        if (s instanceof Stmt.Evaluate) {
            return List.of(s); // writes arrays that carry no derivative here (DifferentiabilityCheck)
        }
        throw new IllegalStateException("unexpected statement after normalisation: " + s);
    }

    /**
     * {@code target = value} for a {@code double} variable or element: with its tangent if both are active, with
     * tangent zero if only the target is (its old tangent belonged to the value overwritten).
     */
    private List<Stmt> assignment(Stmt source, Expr location, Expr value, boolean declaration) {
        Variable target = location instanceof Expr.Ref r ? r.variable() : Exprs.arrayRoot(location);
        if (!activity.isActive(target)) {
            return List.of(Sweeps.initialized(source));
        }
        if (value != null && activity.isActive(value)) {
            return new StatementTangent(function.variables(), activity, tangents, source, location, value,
                    declaration).generate();
        }
        List<Stmt> out = new ArrayList<>();
        out.add(Sweeps.initialized(source));
        if (location instanceof Expr.ArrayRead element) {
            out.add(new Stmt.ElementAssign(StatementDerivative.shadowArray(element.array(), tangents), element.index(),
                    Build.ZERO, Stmt.Assign.Form.PLAIN, SourcePos.NONE));
        } else if (declaration) {
            out.add(new Stmt.LocalDecl(tangents.of(target), Build.ZERO, SourcePos.NONE));
        } else {
            out.add(Stmt.Assign.plain(tangents.of(target), Build.ZERO));
        }
        return out;
    }

    /**
     * {@code double[] s = ...} and {@code s = ...}: an active array gets its tangent array alongside, mirroring the
     * aliasing ({@code ds = dx}, {@code dr = dm[i]}) or of its shape ({@code new double[n]}, or zeros like it).
     */
    private List<Stmt> arrayReference(Stmt source, Variable target, Expr value) {
        Stmt statement = Sweeps.initialized(source);
        if (!activity.isActive(target)) {
            return List.of(statement);
        }
        if (value instanceof Expr.DiffCall && activity.isActive(value)) {
            // double[] h = layer(w, x): the callee's differential holds the array and its tangent
            return new StatementTangent(function.variables(), activity, tangents, source, Expr.Ref.to(target), value,
                    source instanceof Stmt.LocalDecl).generate();
        }
        Variable tangent = tangents.of(target);
        Expr tangentValue;
        boolean before = false;
        if (value == null) {
            tangentValue = Sweeps.zero(tangent);
        } else if (Exprs.arrayRoot(value) != null) {
            tangentValue = StatementDerivative.shadowArray(value, tangents);
        } else if (value instanceof Expr.NewArray fresh && !Exprs.callsOpaque(fresh)) {
            tangentValue = fresh;
            before = Exprs.reads(fresh, target); // h = new double[h.length * 2]: the old h's length
        } else {
            tangentValue = zeros(target, Expr.Ref.to(target));
        }
        Stmt tangentStatement = source instanceof Stmt.LocalDecl ? new Stmt.LocalDecl(tangent, tangentValue,
                SourcePos.NONE) : Stmt.Assign.plain(tangent, tangentValue);
        return before ? List.of(tangentStatement, statement) : List.of(statement, tangentStatement);
    }

    /** The loop as written, with the tangent statements of its parts inside it. */
    private List<Stmt> loop(Stmt.Loop loop) {
        SourcePos pos = loop.pos();
        List<Stmt> out = new ArrayList<>();
        List<Stmt> init = differentiate(loop.init(), pos, false);
        List<Stmt> update = differentiate(loop.update(), pos, false);
        List<Stmt> body = new ArrayList<>(differentiate(loop.body(), pos, true));
        if (!Sweeps.fitsLoopHeader(update)) {
            body.addAll(update); // no continue is left (LoopJumps), so the end of the body is the update
            update = List.of();
        }
        if (!Sweeps.fitsLoopHeader(init)) {
            out.addAll(init);
            init = List.of();
        }
        out.add(new Stmt.Loop(loop.kind(), null, init, loop.condition(), update, body, pos));
        return out;
    }
}
