package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Renaming;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which storage an array name denotes, made explicit in the names: an array variable assigned in straight-line code
 * gets a new variable at each assignment, and an array parameter always denotes the caller's array.
 *
 * <p>The alias classes of the analyses are flow-insensitive: {@code double[] buf = x.clone(); ... buf = a;} would
 * put the fresh copy and the parameter {@code a} in one class, so that filling the copy counts as writing into
 * {@code a}. Where every assignment of a variable is a statement of the list that declares it (not nested in a
 * branch or loop inside it), each assignment starts a new variable and the uses after it read that one: each
 * version aliases exactly what it was assigned.
 *
 * <p>Everything after the front end takes a parameter to mean the caller's storage: the copies that keep the
 * method's writes into it, the shadow that is the caller's gradient buffer, the tangent the caller passes. So a
 * parameter is never assigned: its versions are locals, and where an assignment of it is nested in a branch or a
 * loop, one local takes the parameter's value on entry and stands for it throughout, which unites the two classes:
 * conservative, and still right.
 */
public final class ArrayVersions {
    private final VariableFactory variables;

    private ArrayVersions(VariableFactory variables) {
        this.variables = variables;
    }

    public static Function apply(Function function) {
        ArrayVersions versions = new ArrayVersions(function.variables());
        List<Stmt> entry = new ArrayList<>();
        List<Stmt> body = function.body();
        Set<Variable> owned = new HashSet<>();
        for (Variable p : function.parameters()) {
            if (!(p.type() instanceof ArrayType)) {
                continue;
            }
            if (assignedOutside(body, p)) {
                Variable local = function.variables().create(p.hint(), p.type(), Variable.Role.LOCAL);
                entry.add(new Stmt.LocalDecl(local, Expr.Ref.to(p), SourcePos.NONE));
                body = Renaming.apply(body, v -> v.equals(p) ? local : v);
            } else {
                owned.add(p);
            }
        }
        owned.addAll(declared(body));
        entry.addAll(versions.split(body, owned));
        return function.withBody(entry);
    }

    /**
     * @param owned the array variables this list declares (and, at the top, the parameters), the only ones whose
     *     every assignment it can see
     */
    private List<Stmt> split(List<Stmt> stmts, Set<Variable> owned) {
        Set<Variable> splittable = new HashSet<>();
        for (Variable v : owned) {
            if (!assignedOutside(stmts, v)) {
                splittable.add(v);
            }
        }
        Map<Variable, Variable> current = new HashMap<>();
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : stmts) {
            Stmt renamed = current.isEmpty() ? s : Renaming.apply(List.of(s), v -> current.getOrDefault(v, v)).get(0);
            if (renamed instanceof Stmt.Assign a && splittable.contains(s instanceof Stmt.Assign o ? o.target() : null)) {
                Variable assigned = ((Stmt.Assign) s).target();
                Variable next = variables.create(assigned.hint(), assigned.type(), Variable.Role.LOCAL);
                out.add(new Stmt.LocalDecl(next, a.value(), a.pos()));
                current.put(assigned, next);
            } else {
                out.add(nested(renamed));
            }
        }
        return out;
    }

    /** The lists inside a statement, each for the arrays it declares itself. */
    private Stmt nested(Stmt s) {
        if (s instanceof Stmt.If i) {
            return new Stmt.If(i.condition(), split(i.thenStmts(), declared(i.thenStmts())),
                    split(i.elseStmts(), declared(i.elseStmts())), i.pos());
        }
        if (s instanceof Stmt.Loop loop) {
            return loop.withParts(loop.init(), loop.condition(), loop.update(),
                    split(loop.body(), declared(loop.body())));
        }
        return s;
    }

    private static Set<Variable> declared(List<Stmt> stmts) {
        Set<Variable> out = new HashSet<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.LocalDecl d && d.variable().type() instanceof ArrayType) {
                out.add(d.variable());
            }
        }
        return out;
    }

    /** Whether {@code v} is assigned anywhere but by a statement of {@code stmts} itself. */
    private static boolean assignedOutside(List<Stmt> stmts, Variable v) {
        Set<Stmt> direct = Collections.newSetFromMap(new IdentityHashMap<>());
        direct.addAll(stmts);
        boolean[] outside = {false};
        ExprWalk.statements(stmts, s -> outside[0] |= s instanceof Stmt.Assign a && a.target().equals(v)
                && !direct.contains(s));
        return outside[0];
    }
}
