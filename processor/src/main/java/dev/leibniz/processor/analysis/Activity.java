package dev.leibniz.processor.analysis;

import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.Exprs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Activity analysis (as in Tapenade): a variable is <em>varied</em> if it may depend on a differentiated parameter,
 * <em>useful</em> if the result may depend on it, and <em>active</em> if both. Only active variables get adjoints.
 *
 * <p>The analysis is flow-insensitive, which over-approximates both sets: it may give a variable an adjoint that
 * stays zero, never the reverse. Derivatives flow only through {@code double} data, never through conditions.
 */
public final class Activity {
    private final Set<Variable> varied;
    private final Set<Variable> useful;
    private final Map<Variable, Variable> cells;

    private Activity(Set<Variable> varied, Set<Variable> useful, Map<Variable, Variable> cells) {
        this.varied = varied;
        this.useful = useful;
        this.cells = cells;
    }

    /** What flows into a cell: a variable's value, or one element of an array's. */
    private record Definition(Variable cell, Expr value) {
    }

    /** Activity of {@code function}, whose result is {@code result} (see {@code transform.SingleExit}). */
    public static Activity of(Function function, Variable result) {
        return of(function, result, List.of());
    }

    /**
     * Activity of {@code function} whose outputs are {@code result} and the final contents of the arrays
     * {@code outputs} (array parameters it writes, for its in-place derivatives).
     */
    public static Activity of(Function function, Variable result, List<Variable> outputs) {
        Map<Variable, Variable> cells = aliasClasses(function);
        List<Definition> definitions = new ArrayList<>();
        ExprWalk.statements(function.body(), s -> {
            if (s instanceof Stmt.LocalDecl d && d.init() != null) {
                define(cell(cells, d.variable()), d.init(), definitions);
            } else if (s instanceof Stmt.Assign a) {
                define(cell(cells, a.target()), a.value(), definitions);
            } else if (s instanceof Stmt.ElementAssign a) {
                definitions.add(new Definition(cell(cells, Exprs.arrayRoot(a.array())), a.value()));
            }
            // a @Differentiable method writing into arrays it is given: their elements come from its arguments
            ExprWalk.ownExpressions(s).forEach(e -> ExprWalk.nodes(e, node -> {
                if (node instanceof Expr.DiffCall call) {
                    for (Expr written : call.writtenArguments()) {
                        Variable root = Exprs.arrayRoot(written);
                        if (root != null) {
                            definitions.add(new Definition(cell(cells, root), call));
                        }
                    }
                }
            }));
        });

        Set<Variable> varied = new HashSet<>();
        for (Variable p : function.differentiatedParameters()) {
            varied.add(cell(cells, p));
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Definition d : definitions) {
                if (carriesDerivatives(d.cell()) && !varied.contains(d.cell())
                        && carries(d.value(), varied::contains, cells)) {
                    varied.add(d.cell());
                    changed = true;
                }
            }
        }

        Set<Variable> useful = new HashSet<>();
        useful.add(cell(cells, result)); // an array result: its whole alias class
        outputs.forEach(o -> useful.add(cell(cells, o)));
        changed = true;
        while (changed) {
            changed = false;
            for (Definition d : definitions) {
                if (useful.contains(d.cell())) {
                    List<Variable> sources = new ArrayList<>();
                    derivativeSources(d.value(), sources, cells);
                    changed |= useful.addAll(sources);
                }
            }
        }
        return new Activity(varied, useful, cells);
    }

    /** A reference assignment only aliases; an array literal's elements flow into the new array's cell. */
    private static void define(Variable cell, Expr value, List<Definition> out) {
        if (value instanceof Expr.ArrayLiteral literal) {
            for (Expr element : literal.elements()) {
                define(cell, element, out);
            }
        } else if (!(value.type() instanceof ArrayType) || value instanceof Expr.DiffCall) {
            out.add(new Definition(cell, value)); // a callee's array result: its elements come from the arguments
        }
    }

    /**
     * Arrays that may share elements — {@code double[] s = x}, {@code double[] row = m[i]} — form one class, and
     * the analysis treats a class as one cell: a write through any member is a write to all.
     */
    private static Map<Variable, Variable> aliasClasses(Function function) {
        Map<Variable, Variable> parent = new HashMap<>();
        ExprWalk.statements(function.body(), s -> {
            Variable target = null;
            Expr value = null;
            if (s instanceof Stmt.LocalDecl d && d.variable().type() instanceof ArrayType) {
                target = d.variable();
                value = d.init();
            } else if (s instanceof Stmt.Assign a && a.target().type() instanceof ArrayType) {
                target = a.target();
                value = a.value();
            }
            Variable root = value == null ? null : Exprs.arrayRoot(value);
            if (root != null) {
                parent.put(find(parent, target), find(parent, root));
            }
        });
        Map<Variable, Variable> cells = new HashMap<>();
        for (Variable v : new ArrayList<>(parent.keySet())) {
            cells.put(v, find(parent, v));
        }
        return cells;
    }

    private static Variable find(Map<Variable, Variable> parent, Variable v) {
        Variable p = parent.getOrDefault(v, v);
        if (p.equals(v)) {
            return v;
        }
        Variable root = find(parent, p);
        parent.put(v, root);
        return root;
    }

    private static Variable cell(Map<Variable, Variable> cells, Variable v) {
        return cells.getOrDefault(v, v);
    }

    /** The variable that stands for {@code v}'s elements: itself, or for an array the representative of its class. */
    public Variable cell(Variable v) {
        return cell(cells, v);
    }

    private static boolean carriesDerivatives(Variable v) {
        return v.isReal() || v.type() instanceof ArrayType a && a.carriesDerivatives();
    }

    public boolean isActive(Variable v) {
        Variable cell = cell(v);
        return carriesDerivatives(v) && varied.contains(cell) && useful.contains(cell);
    }

    /** Whether the result may depend on the values of {@code v} through {@code double} data. */
    public boolean isUseful(Variable v) {
        return carriesDerivatives(v) && useful.contains(cell(v));
    }

    /** Whether a derivative flows out of {@code expr}: it depends on an active variable through double data. */
    public boolean isActive(Expr expr) {
        return carries(expr, c -> varied.contains(c) && useful.contains(c), cells);
    }

    /** Whether {@code expr} may depend on a differentiated parameter (used for checks on opaque calls). */
    public boolean isVaried(Expr expr) {
        return carries(expr, varied::contains, cells);
    }

    /** Whether a derivative can flow out of {@code e}, given which cells carry one. */
    private static boolean carries(Expr e, Predicate<Variable> source, Map<Variable, Variable> cells) {
        if (e instanceof Expr.ArrayLiteral literal) { // an initialiser passed as an argument
            return literal.elements().stream().anyMatch(element -> carries(element, source, cells));
        }
        if (e.type() instanceof ArrayType array && !(e instanceof Expr.DiffCall)) {
            Variable root = Exprs.arrayRoot(e);
            return array.carriesDerivatives() && root != null && source.test(cell(cells, root));
        }
        if (!PrimitiveType.isReal(e.type()) && !(e instanceof Expr.DiffCall)) {
            return false;
        }
        if (e instanceof Expr.Ref r) {
            return source.test(r.variable());
        }
        if (e instanceof Expr.ArrayRead read) {
            return carries(read.array(), source, cells);
        }
        for (Expr child : derivativeChildren(e)) {
            if (carries(child, source, cells)) {
                return true;
            }
        }
        return false;
    }

    private static void derivativeSources(Expr e, Collection<Variable> out, Map<Variable, Variable> cells) {
        if (e instanceof Expr.ArrayLiteral literal) {
            literal.elements().forEach(element -> derivativeSources(element, out, cells));
            return;
        }
        if (e.type() instanceof ArrayType array && !(e instanceof Expr.DiffCall)) {
            Variable root = Exprs.arrayRoot(e);
            if (array.carriesDerivatives() && root != null) {
                out.add(cell(cells, root));
            }
            return;
        }
        if (!PrimitiveType.isReal(e.type()) && !(e instanceof Expr.DiffCall)) {
            return;
        }
        if (e instanceof Expr.Ref r) {
            out.add(r.variable());
        } else if (e instanceof Expr.ArrayRead read) {
            derivativeSources(read.array(), out, cells);
        }
        for (Expr child : derivativeChildren(e)) {
            derivativeSources(child, out, cells);
        }
    }

    /**
     * The children a derivative can flow through: not conditions, indices, piecewise-constant or opaque calls.
     * An element read flows from its array, which {@link #isActive(Expr)} follows separately.
     */
    public static List<Expr> derivativeChildren(Expr e) {
        if (e instanceof Expr.Unary u) {
            return List.of(u.operand());
        }
        if (e instanceof Expr.Binary b) {
            return b.op().isArithmetic() ? List.of(b.left(), b.right()) : List.of();
        }
        if (e instanceof Expr.Conditional c) {
            return List.of(c.whenTrue(), c.whenFalse());
        }
        if (e instanceof Expr.MathCall m) {
            return m.function().isPiecewiseConstant() ? List.of() : m.args();
        }
        if (e instanceof Expr.DiffCall c) {
            List<Expr> args = new ArrayList<>();
            for (int i : c.callee().differentiatedIndices()) {
                args.add(c.args().get(i));
            }
            return args;
        }
        if (e instanceof Expr.StaticCall call) {
            return call.partials().stream().map(p -> call.args().get(p.parameter())).toList();
        }
        if (e instanceof Expr.Cast c && c.type().isReal() && PrimitiveType.isReal(c.operand().type())) {
            return List.of(c.operand()); // between double and float: the derivative goes through unchanged
        }
        return List.of(); // literals, fields, element reads, casts from integers, opaque calls
    }
}
