package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Callee;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Renaming;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Second order, reverse over forward: the differential {@code g(x, v) = ∇f(x)·v} that forward mode generates is
 * plain code, so it becomes a method of its own, with the directions {@code v} as inputs without derivative, and
 * reverse mode differentiates it like any method. Its gradient with respect to {@code x} is {@code ∇(∇f·v) = H·v},
 * the Hessian-vector product; {@code v} running through the unit vectors gives the Hessian row by row.
 *
 * <p>The forward-mode body is rewritten for that: its tangents, variables of role {@code ADJOINT} to the first
 * differentiation, become ordinary values of role {@code TANGENT} named after their primal ({@code vx},
 * {@code vt1}), so that reverse mode gives them adjoints of their own ({@code dVt1}); the tangents of the parameters
 * become the directions, parameters {@code vx}, {@code vWeights}; the method's result, which forward mode assigns
 * once on the path taken, becomes an ordinary local; the comments go, since reverse mode writes its own; and the
 * final {@code return new Differential(value, dValue)} goes too: the tangent of the result is the new result. There
 * is no {@code return} left, so the new method needs no single-exit rewrite.
 */
public final class SecondOrder {
    private SecondOrder() {
    }

    /**
     * A method's differential as a method to differentiate.
     *
     * @param source the method, as forward mode differentiated it
     * @param function the differential: the method's parameters, then the directions; the method's differentiated
     *     parameters are its differentiated parameters
     * @param result the variable that holds the differential at the end
     * @param value the variable that holds the method's value at the end of the forward sweep
     * @param directions one per differentiated parameter, in order, of its type
     * @param written the method's parameters that it assigns, or whose elements it writes (through any alias)
     */
    public record Differential(Function source, Function function, Variable result, Variable value,
            List<Variable> directions, List<Variable> written) {
    }

    /**
     * The Hessian-vector product of a method, ready to print: the pullback of its differential, and where the
     * method's own value is at the end of the sweeps.
     *
     * @param pullback the pullback of {@link Differential#function()}; its components after the first are the
     *     components of {@code H·v}, in the order of the differentiated parameters
     * @param written the parameters the method writes: each row of a Hessian must start from them as passed
     */
    public record HessianVector(Function source, Pullback pullback, List<Variable> directions, Expr value,
            List<Variable> written) {
    }

    /**
     * The differential that {@code pushforward} computes, as a method of the parameters and the directions.
     *
     * @param activity the activity of the method, for the alias classes of its arrays
     * @param directional whether the directions are differentiated too: the method is then {@code fDifferential}'s
     *     tangent part as a function of everything it reads, {@code (x, v) ↦ ∇f(x)·v}, whose pullback callers with
     *     {@code hessian = true} differentiate through; otherwise {@code fHessianVector}'s, with the directions fixed
     */
    public static Differential differential(Pushforward pushforward, Variable result, Activity activity,
            boolean directional) {
        Function f = pushforward.function();
        VariableFactory variables = f.variables();
        Map<Variable, Variable> renamed = new HashMap<>();
        List<Variable> directions = new ArrayList<>();
        List<Variable> differentiated = f.differentiatedParameters();
        List<String> names = GradientNaming.directionNames(f.parameters().stream().map(Variable::hint).toList(),
                f.differentiatedIndices());
        for (int k = 0; k < differentiated.size(); k++) {
            // a float parameter's direction is a double, as its tangent is
            Type type = differentiated.get(k).type() == PrimitiveType.FLOAT ? PrimitiveType.DOUBLE
                    : differentiated.get(k).type();
            Variable direction = variables.create(names.get(k), type, Variable.Role.PARAMETER);
            renamed.put(pushforward.tangents().get(k), direction);
            directions.add(direction);
        }
        Variable value = variables.create(result.hint(), result.type(), Variable.Role.LOCAL);
        renamed.put(result, value);

        List<Stmt> body = throughCallees(withoutComments(pushforward.body()), variables, new HashMap<>());
        Stmt.Return last = (Stmt.Return) body.remove(body.size() - 1);
        Expr differential = ((Expr.NewRecord) last.value()).args().get(1);
        if (differential instanceof Expr.StaticCall copy && copy.name().equals("copyOf")) {
            differential = copy.args().get(0); // an array result's tangent, which the caller gets a copy of
        }
        List<Stmt> renamedBody = new ArrayList<>(Renaming.apply(body, v -> rename(v, renamed, variables)));
        Variable gResult;
        if (differential instanceof Expr.Ref r) {
            gResult = rename(r.variable(), renamed, variables);
        } else { // the value does not depend on the differentiated parameters: the differential is a constant
            gResult = variables.tangent(value, value.type(), "vValue");
            Expr constant = value.type() instanceof ArrayType ? new Expr.StaticCall(Build.BUFFERS, "zerosLike",
                    List.of(Expr.Ref.to(value)), value.type(), false, SourcePos.NONE) : differential;
            renamedBody.add(new Stmt.LocalDecl(gResult, constant, SourcePos.NONE));
        }

        List<Variable> parameters = new ArrayList<>(f.parameters());
        parameters.addAll(directions);
        List<Boolean> flags = new ArrayList<>(f.differentiated());
        directions.forEach(d -> flags.add(directional));
        String name = directional ? GradientNaming.differentialName(f.name())
                : GradientNaming.hessianVectorName(f.name());
        Function g = new Function(f.owner(), name, f.sourceFile(), parameters, flags, renamedBody, variables, f.pos(),
                f.suppressions());
        return new Differential(f, g, gResult, value, directions, writtenParameters(f, activity));
    }

    /**
     * The differential of a callee, {@code Differential d = fDifferential(args..., tangents...)}, becomes two calls
     * that reverse mode differentiates through like any call: {@code f(args...)} for the value, through
     * {@code f}'s pullback, and the tangent {@code fDifferential(args..., tangents...).differential()}, through the
     * pullback of the callee's differential ({@link dev.leibniz.processor.ir.Callee#directionalDerivative()}); reads of
     * {@code d.value()} and {@code d.differential()} read them. {@link dev.leibniz.processor.analysis.SecondOrderCheck}
     * refused the calls of any other shape first.
     */
    private static List<Stmt> throughCallees(List<Stmt> stmts, VariableFactory variables,
            Map<Variable, Variable[]> parts) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.LocalDecl d && d.init() instanceof Expr.DifferentialCall call
                    && call.type() != ClassType.VOID && !call.callee().writesArrayArguments()) {
                Callee callee = call.callee();
                Variable value = variables.create(callee.method(), callee.result(), Variable.Role.TEMPORARY);
                Variable tangent = variables.create(VariableFactory.tangentName(callee.method()),
                        callee.directionalDerivative().result(), Variable.Role.TEMPORARY);
                List<Expr> args = call.args().stream().map(a -> split(a, parts)).toList();
                out.add(new Stmt.LocalDecl(value, new Expr.DiffCall(callee,
                        args.subList(0, callee.parameterTypes().size()), d.pos()), d.pos()));
                out.add(new Stmt.LocalDecl(tangent, new Expr.DiffCall(callee.directionalDerivative(), args, d.pos()), d.pos()));
                parts.put(d.variable(), new Variable[] {value, tangent});
            } else if (s instanceof Stmt.Evaluate e && e.call() instanceof Expr.DifferentialCall call
                    && call.callee().returnsVoid()) {
                // a void callee's differential updates the arrays and their tangents in place: so does the
                // directional derivative's, through its in-place pullback
                out.add(new Stmt.Evaluate(new Expr.DiffCall(call.callee().directionalDerivative(),
                        call.args().stream().map(a -> split(a, parts)).toList(), SourcePos.NONE)));
            } else if (s instanceof Stmt.If i) {
                out.add(new Stmt.If(split(i.condition(), parts), throughCallees(i.thenStmts(), variables, parts),
                        throughCallees(i.elseStmts(), variables, parts), i.pos()));
            } else if (s instanceof Stmt.Loop loop) {
                out.add(loop.withParts(throughCallees(loop.init(), variables, parts), split(loop.condition(), parts),
                        throughCallees(loop.update(), variables, parts),
                        throughCallees(loop.body(), variables, parts)));
            } else if (s instanceof Stmt.LocalDecl d) {
                out.add(new Stmt.LocalDecl(d.variable(), split(d.init(), parts), d.pos()));
            } else if (s instanceof Stmt.Assign a) {
                out.add(new Stmt.Assign(a.target(), split(a.value(), parts), a.form(), a.pos()));
            } else if (s instanceof Stmt.ElementAssign a) {
                out.add(new Stmt.ElementAssign(split(a.array(), parts), split(a.index(), parts),
                        split(a.value(), parts), a.form(), a.pos()));
            } else if (s instanceof Stmt.Return r) {
                out.add(new Stmt.Return(split(r.value(), parts), r.pos()));
            } else if (s instanceof Stmt.Evaluate e) {
                out.add(new Stmt.Evaluate(split(e.call(), parts)));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** {@code d.value()} and {@code d.differential()} of a split differential as the variables that hold them. */
    private static Expr split(Expr e, Map<Variable, Variable[]> parts) {
        if (e == null) {
            return null;
        }
        if (e instanceof Expr.DifferentialCall call) {
            throw new IllegalStateException("a differential call second order cannot go through: " + call);
        }
        if (e instanceof Expr.Cast cast && cast.operand() instanceof Expr.Component c
                && c.record() instanceof Expr.Ref r && parts.containsKey(r.variable())
                && c.name().equals(GradientNaming.VALUE_COMPONENT)) {
            return Expr.Ref.to(parts.get(r.variable())[0]); // a float value, narrowed from the record: the float
        }
        if (e instanceof Expr.Component c && c.record() instanceof Expr.Ref r && parts.containsKey(r.variable())) {
            Variable[] part = parts.get(r.variable());
            return Expr.Ref.to(c.name().equals(GradientNaming.VALUE_COMPONENT) ? part[0] : part[1]);
        }
        List<Expr> children = Exprs.children(e);
        List<Expr> split = children.stream().map(c -> split(c, parts)).toList();
        boolean changed = false;
        for (int i = 0; i < children.size(); i++) {
            changed |= split.get(i) != children.get(i);
        }
        return changed ? Exprs.withChildren(e, split) : e;
    }

    /** The parameters a method assigns, and the array parameters whose alias class it writes elements of. */
    private static List<Variable> writtenParameters(Function f, Activity activity) {
        Set<Variable> assigned = Sweeps.assignedVariables(f.body());
        List<Variable> arrays = Sweeps.writtenArrayParameters(f);
        return f.parameters().stream().filter(p -> assigned.contains(p) || arrays.contains(p)).toList();
    }

    /** A tangent becomes a value of its own, named after its primal; anything else stays. */
    private static Variable rename(Variable v, Map<Variable, Variable> renamed, VariableFactory variables) {
        Variable done = renamed.get(v);
        if (done != null) {
            return done;
        }
        if (v.role() != Variable.Role.ADJOINT) {
            return v;
        }
        Variable primal = v.primal() == null ? null : rename(v.primal(), renamed, variables);
        String hint = v.hint().startsWith("d") ? "v" + v.hint().substring(1) : v.hint();
        Variable tangent = variables.tangent(primal, v.type(), hint);
        renamed.put(v, tangent);
        return tangent;
    }

    private static List<Stmt> withoutComments(List<Stmt> stmts) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.If i) {
                out.add(new Stmt.If(i.condition(), withoutComments(i.thenStmts()), withoutComments(i.elseStmts()),
                        i.pos()));
            } else if (s instanceof Stmt.Loop loop) {
                out.add(loop.withParts(withoutComments(loop.init()), loop.condition(), withoutComments(loop.update()),
                        withoutComments(loop.body())));
            } else if (!(s instanceof Stmt.Comment)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The Hessian-vector product from the pullback of the differential. The method's value is read where the
     * forward sweep leaves it, or, when the reverse sweep restores it on its way back (an assignment in a loop), from
     * a copy the forward sweep takes at its end.
     */
    public static HessianVector hessianVector(Differential g, Pullback pullback) {
        boolean[] restored = {false};
        ExprWalk.statements(pullback.reverse(), s -> restored[0] |= s instanceof Stmt.Assign a
                && a.target().equals(g.value()) || s instanceof Stmt.LocalDecl d && d.variable().equals(g.value()));
        if (!restored[0]) {
            return new HessianVector(g.source(), pullback, g.directions(), Expr.Ref.to(g.value()), g.written());
        }
        Variable kept = g.function().variables().create(g.value().hint() + "After", g.value().type(),
                Variable.Role.SAVED);
        Pullback keeping = pullback.withForwardEnd(List.of(new Stmt.LocalDecl(kept, Expr.Ref.to(g.value()),
                SourcePos.NONE)));
        return new HessianVector(g.source(), keeping, g.directions(), Expr.Ref.to(kept), g.written());
    }
}
