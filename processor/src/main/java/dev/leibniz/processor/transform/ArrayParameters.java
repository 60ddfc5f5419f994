package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Renaming;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An array parameter always denotes the caller's array: where the method assigns the parameter itself
 * ({@code a = new double[n]}, {@code a = b}, the swaps of ping-pong buffers), the name goes on as a local.
 *
 * <p>Everything after the front end takes a parameter to mean the caller's storage: the copies that keep the
 * method's writes into it, the shadow that is the caller's gradient buffer, the tangent the caller passes. An
 * assignment of the parameter would silently retarget all of them at another array.
 *
 * <p>Where every assignment of the parameter is a statement of the method's top level (straight-line code), each
 * starts a new local, and the uses after it read that one: the parameter and the new array are never in one alias
 * class, so writes into the new array leave the caller's alone, and read-only sharing stays read-only. Where one is
 * nested in a branch or a loop, one local takes the parameter's value on entry and stands for it throughout, which
 * unites the two classes: conservative, and still right.
 */
public final class ArrayParameters {
    private ArrayParameters() {
    }

    public static Function apply(Function function) {
        Function out = function;
        for (Variable p : function.parameters()) {
            if (p.type() instanceof ArrayType) {
                out = separate(out, p);
            }
        }
        return out;
    }

    private static Function separate(Function function, Variable p) {
        boolean[] nested = {false};
        boolean[] assigned = {false};
        Set<Stmt> topLevel = Collections.newSetFromMap(new IdentityHashMap<>());
        topLevel.addAll(function.body());
        ExprWalk.statements(function.body(), s -> {
            if (s instanceof Stmt.Assign a && a.target().equals(p)) {
                assigned[0] = true;
                nested[0] |= !topLevel.contains(s);
            }
        });
        if (!assigned[0]) {
            return function;
        }
        if (nested[0]) {
            Variable local = function.variables().create(p.hint(), p.type(), Variable.Role.LOCAL);
            List<Stmt> body = new ArrayList<>();
            body.add(new Stmt.LocalDecl(local, Expr.Ref.to(p), SourcePos.NONE));
            body.addAll(Renaming.apply(function.body(), v -> v.equals(p) ? local : v));
            return function.withBody(body);
        }
        List<Stmt> body = new ArrayList<>();
        Variable[] current = {p};
        for (Stmt s : function.body()) {
            if (s instanceof Stmt.Assign a && a.target().equals(p)) {
                Expr value = renamed(a.value(), p, current[0]);
                Variable next = function.variables().create(p.hint(), p.type(), Variable.Role.LOCAL);
                body.add(new Stmt.LocalDecl(next, value, a.pos()));
                current[0] = next;
            } else {
                Variable now = current[0];
                body.addAll(Renaming.apply(List.of(s), v -> v.equals(p) ? now : v));
            }
        }
        return function.withBody(body);
    }

    private static Expr renamed(Expr value, Variable from, Variable to) {
        Stmt.Evaluate wrapped = (Stmt.Evaluate) Renaming.apply(List.of(new Stmt.Evaluate(value)),
                v -> v.equals(from) ? to : v).get(0);
        return wrapped.call();
    }
}
