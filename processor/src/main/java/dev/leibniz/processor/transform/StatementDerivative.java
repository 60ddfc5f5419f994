package dev.leibniz.processor.transform;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.ArrayType;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What both modes do with one active assignment {@code target = value} before writing its derivative code: run the
 * {@link DerivativeRules} once with a recording {@link DerivativeRules.Values} to learn which operand and result
 * values the derivative code reads, and name exactly those in the original computation ({@code double t1 = ...},
 * {@code double exp = ...}), in evaluation order. Leaves, inactive subexpressions and {@code -x} are evaluated again
 * instead; the whole value is read back from the target when the target does not occur in it. A call of another
 * {@code @Differentiable} method is named by what the mode calls instead of it (its gradient record, its
 * differential), which holds its value too.
 */
abstract class StatementDerivative {
    final VariableFactory variables;
    final Activity activity;
    /** The derivative variable of each primal one: its adjoint in reverse mode, its tangent in forward mode. */
    final Adjoints derivatives;
    final Stmt source;
    /** The variable assigned, or for an element the array's alias class (what the analyses track). */
    final Variable target;
    /** The variable, or the element {@code a[i]} assigned. */
    final Expr location;
    final boolean declaration;
    final Expr root;
    /** Whether the value reads the target (for an element, any element of its alias class). */
    final boolean targetInValue;
    final Map<Expr, Expr> valueOf = new IdentityHashMap<>();
    /** For each call named, the record or differential that holds its value. */
    final Map<Expr, Expr> recordOf = new IdentityHashMap<>();
    private final Map<Expr, Expr> replacement = new IdentityHashMap<>();
    /** The named intermediates, then the statement itself. */
    final List<Stmt> forward = new ArrayList<>();
    final List<Variable> intermediates = new ArrayList<>();

    StatementDerivative(VariableFactory variables, Activity activity, Adjoints derivatives, Stmt source,
            Expr location, Expr value, boolean declaration) {
        this.variables = variables;
        this.activity = activity;
        this.derivatives = derivatives;
        this.source = source;
        this.location = location;
        this.target = location instanceof Expr.Ref r ? r.variable() : activity.cell(Exprs.arrayRoot(location));
        this.declaration = declaration;
        this.root = value;
        this.targetInValue = location instanceof Expr.Ref ? Exprs.reads(value, target) : readsCell(value, target);
    }

    /** Whether {@code e} reads an element of an array in {@code cell}'s alias class. */
    final boolean readsCell(Expr e, Variable cell) {
        Expr array = e instanceof Expr.ArrayRead read && read.type() == PrimitiveType.DOUBLE ? read.array()
                : e.type() instanceof ArrayType ? e : null; // an element, or a whole array passed to a call
        if (array != null) {
            Variable root = Exprs.arrayRoot(array);
            if (root != null && activity.cell(root).equals(cell)) {
                return true;
            }
        }
        return Exprs.children(e).stream().anyMatch(c -> readsCell(c, cell));
    }

    /**
     * Whether the derivative of this call goes through the callee's generated code, called again with its arguments
     * by the derivative code, rather than through a named value: the rules read none of its operands then.
     */
    abstract boolean callsAgain(Expr.DiffCall call);

    /** The generated call that stands for {@code call} in the computation, with the arguments given. */
    abstract Expr namedCall(Expr.DiffCall call, List<Expr> args);

    /** Names the intermediates the rules read, then adds the statement, rebuilt to read them. */
    final void nameIntermediates() {
        materialize(root, neededValues());
        forward.add(rebuiltStatement());
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
        if (node instanceof Expr.DiffCall call && callsAgain(call)) {
            // The derivative code passes the arguments' values to the callee again, then its derivatives into them.
            for (Expr arg : call.args()) {
                recorder.of(arg);
                recordNeeds(arg, recorder);
            }
            return;
        }
        for (DerivativeRules.Partial p : DerivativeRules.partials(node, recorder, activity::isActive)) {
            p.times().apply(Build.ONE);
            recordNeeds(p.operand(), recorder);
        }
    }

    /** Post-order, so that the named intermediates appear in evaluation order. */
    private void materialize(Expr node, Set<Expr> needed) {
        // A callee called again is passed every argument's value, not only those it differentiates.
        List<Expr> children = node instanceof Expr.DiffCall call && callsAgain(call) ? call.args()
                : Activity.derivativeChildren(node);
        for (Expr child : children) {
            if (activity.isActive(child)) {
                materialize(child, needed);
            }
        }
        if (node instanceof Expr.DiffCall call && activity.isActive(node) && !callsAgain(call)) {
            materializeCall(call); // the record holds the callee's value and its derivative
            return;
        }
        if (!needed.contains(node) || isAtomic(node) || !activity.isActive(node)) {
            return;
        }
        if (node == root && !targetInValue) {
            valueOf.put(node, location); // after the statement, the target holds the value
        } else if (!isRecomputable(node)) {
            String hint = node instanceof Expr.MathCall m ? m.function().javaName() : "t";
            // a float value stays a float: a double would change the arithmetic that reads it
            Variable temp = variables.create(hint, node.type() == PrimitiveType.FLOAT ? PrimitiveType.FLOAT
                    : PrimitiveType.DOUBLE, Variable.Role.TEMPORARY);
            forward.add(new Stmt.LocalDecl(temp, Exprs.withChildren(node, rebuiltChildren(node)), node.pos()));
            intermediates.add(temp);
            valueOf.put(node, Expr.Ref.to(temp));
            replacement.put(node, Expr.Ref.to(temp));
        }
    }

    private void materializeCall(Expr.DiffCall call) {
        Expr named = namedCall(call, rebuiltChildren(call));
        String suffix = named.type() == ClassType.DIFFERENTIAL || named.type() == ClassType.ARRAY_DIFFERENTIAL
                ? "Differential" : "Gradient";
        Variable record = variables.create(call.callee().method() + suffix, named.type(), Variable.Role.TEMPORARY);
        forward.add(new Stmt.LocalDecl(record, named, call.pos()));
        intermediates.add(record);
        // a record keeps a float result as the double it widens to: narrowed back, exactly
        Expr value = call.type() == PrimitiveType.FLOAT
                ? new Expr.Cast(PrimitiveType.FLOAT, new Expr.Component(Expr.Ref.to(record), "value",
                        PrimitiveType.DOUBLE), SourcePos.NONE)
                : new Expr.Component(Expr.Ref.to(record), "value", call.type());
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

    final List<Expr> rebuiltChildren(Expr node) {
        return Exprs.children(node).stream().map(c -> Exprs.replace(c, replacement)).toList();
    }

    /** The values the rules read, as the generated code has them. */
    final DerivativeRules.Values values() {
        return new DerivativeRules.Values() {
            @Override
            public Expr of(Expr n) {
                return value(n);
            }

            @Override
            public Expr record(Expr.DiffCall call) {
                return recordOf.get(call);
            }
        };
    }

    final Expr value(Expr node) {
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
        throw new IllegalStateException("an intermediate value the derivative code needs was not kept");
    }

    /** Cheaper to evaluate again than to name: a (negated) leaf, and anything without a derivative. */
    boolean isRecomputable(Expr node) {
        return isAtomic(node) || !activity.isActive(node);
    }

    /** A leaf, an element read, or either negated: as cheap to evaluate again as to name. */
    static boolean isAtomic(Expr e) {
        if (e instanceof Expr.Unary u && (u.op() == UnaryOp.NEG || u.op() == UnaryOp.PLUS)) {
            return isAtomic(u.operand()) && !(u.operand() instanceof Expr.Unary);
        }
        return Exprs.isLeaf(e) || e instanceof Expr.ArrayRead;
    }

    /** {@code da[i]} for {@code a[i]}; {@code dm[r][c]} for {@code m[r][c]}. */
    final Expr.ArrayRead shadowElement(Expr.ArrayRead element) {
        return new Expr.ArrayRead(shadowArray(element.array(), derivatives), element.index(), element.type(),
                SourcePos.NONE);
    }

    /** The shadow of an array expression: {@code dx} for {@code x}, {@code dm[i]} for the row {@code m[i]}. */
    static Expr shadowArray(Expr array, Adjoints derivatives) {
        if (array instanceof Expr.Ref r) {
            return Expr.Ref.to(derivatives.of(r.variable()));
        }
        if (array instanceof Expr.ArrayRead row) {
            return new Expr.ArrayRead(shadowArray(row.array(), derivatives), row.index(), row.type(), SourcePos.NONE);
        }
        throw new IllegalStateException("no shadow for " + array.getClass().getSimpleName());
    }
}
