package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.ExprWalk;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Exprs;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes the two sweeps valid Java: a local declared inside a branch of the forward sweep but read by the reverse
 * sweep moves to the top level; every local starts definitely assigned; and each adjoint is declared where it
 * is first needed — as {@code double dx = ...} when its first use is a plain accumulation, which is how a person
 * would write it.
 */
final class Scoping {
    private Scoping() {
    }

    static Pullback finish(Function function, Variable seed, List<Variable> shadows, Variable tape,
            List<Stmt> forward, List<Stmt> reverse, List<Expr> components) {
        Set<Variable> readInReverse = new HashSet<>();
        ExprWalk.statements(reverse, s -> {
            ExprWalk.ownExpressions(s).forEach(e -> Exprs.variables(e, readInReverse));
            if (s instanceof Stmt.Assign a) {
                readInReverse.add(a.target()); // a restore writes the variable back
            }
            if (s instanceof Stmt.Loop loop) {
                loop.init().forEach(i -> {
                    if (i instanceof Stmt.Assign a) {
                        readInReverse.add(a.target());
                    }
                });
            }
        });
        for (Expr c : components) {
            Exprs.variables(c, readInReverse);
        }
        // A reverse loop declares its own counter, the same variable as the forward loop's, in its own scope: in its
        // header, or first thing in its body when the counter steps by more than one.
        ExprWalk.statements(reverse, s -> {
            if (s instanceof Stmt.Loop loop) {
                loop.init().forEach(i -> {
                    if (i instanceof Stmt.LocalDecl d && d.variable().role() != Variable.Role.BRANCH) {
                        readInReverse.remove(d.variable());
                    }
                });
                if (!loop.body().isEmpty() && loop.body().get(0) instanceof Stmt.LocalDecl d
                        && d.variable().role() == Variable.Role.LOCAL) {
                    readInReverse.remove(d.variable());
                }
            }
        });
        List<Stmt> hoisted = hoist(forward, readInReverse);

        Set<Variable> declared = new HashSet<>();
        declared.add(seed);
        declared.addAll(shadows);
        List<Stmt> declaredReverse = declareAdjoints(reverse, declared);
        List<Expr> finalComponents = new ArrayList<>();
        for (Expr c : components) {
            boolean undeclaredAdjoint = c instanceof Expr.Ref r && r.variable().role() == Variable.Role.ADJOINT
                    && !declared.contains(r.variable());
            finalComponents.add(undeclaredAdjoint ? Build.ZERO : c);
        }
        // the partial of a float parameter is a float, as the parameter is (computed in double, rounded once)
        List<Variable> differentiated = function.differentiatedParameters();
        for (int k = 0; k < differentiated.size() && k + 1 < finalComponents.size(); k++) {
            if (differentiated.get(k).type() == dev.leibniz.processor.ir.PrimitiveType.FLOAT) {
                finalComponents.set(k + 1, new Expr.Cast(dev.leibniz.processor.ir.PrimitiveType.FLOAT,
                        finalComponents.get(k + 1), SourcePos.NONE));
            }
        }
        ClassType record = new ClassType(GradientNaming.gradientClass(function.owner())
                .nested(GradientNaming.recordName(function.name())));
        boolean returnsRecord = function.differentiatedParameters().stream().anyMatch(p -> !(p.type() instanceof ArrayType));
        Expr result = returnsRecord ? new Expr.NewRecord(record, finalComponents) : finalComponents.get(0);
        declaredReverse.add(new Stmt.Return(result, SourcePos.NONE));
        return new Pullback(function, seed, shadows, record, returnsRecord, tape, hoisted, declaredReverse,
                finalComponents);
    }

    // ---- forward sweep --------------------------------------------------------------------------------------

    private static List<Stmt> hoist(List<Stmt> forward, Set<Variable> readInReverse) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : forward) {
            if (s instanceof Stmt.If || s instanceof Stmt.Loop) {
                Set<Variable> moved = new LinkedHashSet<>();
                ExprWalk.statements(List.of(s), nested -> {
                    if (nested instanceof Stmt.LocalDecl d && readInReverse.contains(d.variable())) {
                        moved.add(d.variable());
                    }
                });
                // A for header declares all its variables or none (for (int i = 0, j = n; ...)): all move together.
                ExprWalk.statements(List.of(s), nested -> {
                    if (nested instanceof Stmt.Loop loop && loop.init().stream()
                            .anyMatch(i -> i instanceof Stmt.LocalDecl d && moved.contains(d.variable()))) {
                        loop.init().forEach(i -> {
                            if (i instanceof Stmt.LocalDecl d) {
                                moved.add(d.variable());
                            }
                        });
                    }
                });
                for (Variable v : moved) {
                    out.add(new Stmt.LocalDecl(v, Sweeps.zero(v), SourcePos.NONE));
                }
                out.add(withoutDeclarations(s, moved));
            } else {
                out.add(Sweeps.initialized(s));
            }
        }
        return out;
    }

    private static Stmt withoutDeclarations(Stmt s, Set<Variable> moved) {
        if (s instanceof Stmt.If i) {
            return new Stmt.If(i.condition(), withoutDeclarations(i.thenStmts(), moved),
                    withoutDeclarations(i.elseStmts(), moved), i.pos());
        }
        Stmt.Loop loop = (Stmt.Loop) s;
        return loop.withParts(withoutDeclarations(loop.init(), moved), loop.condition(),
                withoutDeclarations(loop.update(), moved), withoutDeclarations(loop.body(), moved));
    }

    private static List<Stmt> withoutDeclarations(List<Stmt> stmts, Set<Variable> moved) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.LocalDecl d && moved.contains(d.variable())) {
                if (d.init() != null) {
                    out.add(new Stmt.Assign(d.variable(), d.init(), Stmt.Assign.Form.PLAIN, d.pos()));
                }
            } else if (s instanceof Stmt.If || s instanceof Stmt.Loop) {
                out.add(withoutDeclarations(s, moved));
            } else {
                out.add(Sweeps.initialized(s));
            }
        }
        return out;
    }

    // ---- reverse sweep --------------------------------------------------------------------------------------

    private static List<Stmt> declareAdjoints(List<Stmt> reverse, Set<Variable> declared) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : reverse) {
            Set<Variable> locallyDeclared = new HashSet<>();
            Set<Variable> used = new LinkedHashSet<>();
            ExprWalk.statements(List.of(s), nested -> {
                if (nested instanceof Stmt.LocalDecl d) {
                    locallyDeclared.add(d.variable());
                }
                if (nested instanceof Stmt.Assign a && isAdjoint(a.target())) {
                    used.add(a.target());
                }
                ExprWalk.ownExpressions(nested).forEach(e -> adjointsIn(e, used));
            });
            used.removeAll(locallyDeclared);
            used.removeAll(declared);
            if (s instanceof Stmt.Assign a && used.contains(a.target())) {
                Expr increment = accumulated(a);
                if (increment != null && !Exprs.reads(increment, a.target())) {
                    used.remove(a.target());
                    declareZeros(used, declared, out);
                    out.add(new Stmt.LocalDecl(a.target(), increment, SourcePos.NONE));
                    declared.add(a.target());
                    continue;
                }
                if (a.value() instanceof Expr.Literal && used.size() == 1) {
                    continue; // resetting an adjoint nothing has touched yet does nothing
                }
            }
            declareZeros(used, declared, out);
            out.add(s);
            if (s instanceof Stmt.LocalDecl d) {
                declared.add(d.variable());
            }
        }
        return out;
    }

    private static void declareZeros(Set<Variable> adjoints, Set<Variable> declared, List<Stmt> out) {
        for (Variable v : adjoints) {
            out.add(new Stmt.LocalDecl(v, Build.ZERO, SourcePos.NONE));
            declared.add(v);
        }
    }

    /** For {@code dv += e}, the {@code e}; otherwise {@code null}. */
    private static Expr accumulated(Stmt.Assign a) {
        if (a.form() == Stmt.Assign.Form.COMPOUND && a.value() instanceof Expr.Binary b
                && b.left() instanceof Expr.Ref r && r.variable().equals(a.target())) {
            return b.right();
        }
        return null;
    }

    /** A {@code double} adjoint; shadow arrays are declared by the forward sweep or are parameters. */
    private static boolean isAdjoint(Variable v) {
        return v.role() == Variable.Role.ADJOINT && v.type() == PrimitiveType.DOUBLE;
    }

    private static void adjointsIn(Expr e, Set<Variable> out) {
        Set<Variable> all = new LinkedHashSet<>();
        Exprs.variables(e, all);
        for (Variable v : all) {
            if (isAdjoint(v)) {
                out.add(v);
            }
        }
    }
}
