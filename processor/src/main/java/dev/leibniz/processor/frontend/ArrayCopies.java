package dev.leibniz.processor.frontend;

import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.ir.VariableFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code System.arraycopy}, {@code Arrays.fill}, {@code Arrays.copyOf}, {@code Arrays.copyOfRange} and
 * {@code clone()} as the element loops they are. They are linear, so adjoints and tangents flow through them like
 * through any element assignment, and every later stage (activity, what the reverse sweep must save, fusion) sees
 * each element written rather than an opaque call. Each argument is evaluated once, in Java's order, into a local.
 */
final class ArrayCopies {
    private final VariableFactory variables;
    private final SourcePos pos;

    ArrayCopies(VariableFactory variables, SourcePos pos) {
        this.variables = variables;
        this.pos = pos;
    }

    /** Whether {@code call} is one of the JDK's copies or fills this class writes as loops. */
    static boolean isCopyOrFill(Expr.StaticCall call) {
        String owner = call.owner().canonicalName();
        return owner.equals("java.lang.System") && call.name().equals("arraycopy")
                || owner.equals("java.util.Arrays") && call.name().equals("fill");
    }

    /** Why a copy or fill cannot be written as element loops, or {@code null}. */
    static String problem(Expr.StaticCall call) {
        List<Expr> args = call.args();
        Expr array = args.get(0);
        if (!(array.type() instanceof ArrayType type)) {
            return null; // javac's error
        }
        String what = call.name().equals("fill") ? "Arrays.fill" : "System.arraycopy";
        if (type.dimensions() > 1) {
            return what + " of a matrix " + (call.name().equals("fill") ? "makes every row the same array"
                    : "copies references to its rows, which the two matrices would then share")
                    + "; copy or fill each row (for (double[] row : m) Arrays.fill(row, v);)";
        }
        if (call.name().equals("arraycopy") && !type.equals(args.get(2).type())) {
            return "System.arraycopy between " + type + " and " + args.get(2).type() + " throws "
                    + "ArrayStoreException; copy between arrays of one type";
        }
        return null;
    }

    /**
     * {@code System.arraycopy(src, from, dest, to, n)}: the elements in the order that reads each before it is
     * overwritten when {@code src} and {@code dest} are one array (as if through a temporary, as the JDK copies).
     */
    List<Stmt> arraycopy(List<Expr> args) {
        List<Stmt> out = new ArrayList<>();
        Expr src = named("source", args.get(0), out);
        Expr from = named("from", args.get(1), out);
        Expr dest = named("destination", args.get(2), out);
        Expr to = named("to", args.get(3), out);
        Expr n = named("length", args.get(4), out);
        Variable k = variables.create("k", PrimitiveType.INT, Variable.Role.LOCAL);
        // j = to <= from ? k : n - 1 - k: ascending when the destination is not ahead of the source
        Expr backwards = binary(BinaryOp.SUB, binary(BinaryOp.SUB, n, Expr.Literal.ofInt(1), PrimitiveType.INT),
                ref(k), PrimitiveType.INT);
        Integer toValue = intValue(to);
        Integer fromValue = intValue(from);
        Expr j = toValue != null && fromValue != null ? (toValue <= fromValue ? ref(k) : backwards)
                : new Expr.Conditional(binary(BinaryOp.LE, to, from, PrimitiveType.BOOLEAN), ref(k), backwards,
                        PrimitiveType.INT, pos);
        boolean ascending = j instanceof Expr.Ref;
        Variable index = ascending ? k : variables.create("j", PrimitiveType.INT, Variable.Role.LOCAL);
        ArrayType type = (ArrayType) src.type();
        Stmt copy = new Stmt.ElementAssign(dest, plus(to, index), new Expr.ArrayRead(src, plus(from, index),
                type.component(), pos), Stmt.Assign.Form.PLAIN, pos);
        out.add(countedLoop(k, Expr.Literal.zero(PrimitiveType.INT), n,
                ascending ? List.of(copy) : List.of(new Stmt.LocalDecl(index, j, pos), copy)));
        return out;
    }

    /** {@code Arrays.fill(a, v)} and {@code Arrays.fill(a, from, to, v)}. */
    List<Stmt> fill(List<Expr> args) {
        List<Stmt> out = new ArrayList<>();
        Expr array = named("array", args.get(0), out);
        boolean range = args.size() == 4;
        Expr from = range ? named("from", args.get(1), out) : Expr.Literal.zero(PrimitiveType.INT);
        Expr to = range ? named("to", args.get(2), out) : new Expr.ArrayLength(array, pos);
        Expr value = named("value", args.get(args.size() - 1), out);
        Variable k = variables.create("k", PrimitiveType.INT, Variable.Role.LOCAL);
        Type component = ((ArrayType) array.type()).component();
        Expr converted = value.type().equals(component) ? value : new Expr.Cast((PrimitiveType) component, value, pos);
        out.add(countedLoop(k, from, to, List.of(new Stmt.ElementAssign(array, ref(k), converted,
                Stmt.Assign.Form.PLAIN, pos))));
        return out;
    }

    /**
     * {@code target = Arrays.copyOfRange(source, from, to)} (and {@code copyOf}, {@code clone()}): a new array of
     * {@code to - from} elements, the first {@code min(to, source.length) - from} copied, the rest zero.
     *
     * @param to {@code null} for {@code source.length}
     * @param assign the declaration or assignment of the new array to the target
     * @param reassigned the variable an assignment gives the new array, or {@code null} for a declaration
     */
    List<Stmt> copyOfRange(Expr source, Expr from, Expr to, java.util.function.Function<Expr, Stmt> assign,
            Variable reassigned) {
        List<Stmt> out = new ArrayList<>();
        // a = a.clone() reads the old array after the assignment: it is named first
        boolean readsTarget = source instanceof Expr.Ref r && r.variable().equals(reassigned);
        Expr src = readsTarget ? forcedName("source", source, out) : named("source", source, out);
        Expr start = named("from", from, out);
        Expr end = to == null ? new Expr.ArrayLength(src, pos) : named("to", to, out);
        ArrayType type = (ArrayType) src.type();
        boolean fromStart = isZero(start);
        Expr length = named("length", fromStart ? end : binary(BinaryOp.SUB, end, start, PrimitiveType.INT), out);
        Stmt declared = assign.apply(new Expr.NewArray(type, List.of(length), pos));
        out.add(declared);
        Variable target = declared instanceof Stmt.LocalDecl d ? d.variable() : ((Stmt.Assign) declared).target();
        Expr copied = length; // clone(): all of it
        if (to != null) {
            Expr available = named("available", fromStart ? new Expr.ArrayLength(src, pos)
                    : binary(BinaryOp.SUB, new Expr.ArrayLength(src, pos), start, PrimitiveType.INT), out);
            copied = new Expr.Conditional(binary(BinaryOp.LT, length, available, PrimitiveType.BOOLEAN), length,
                    available, PrimitiveType.INT, pos);
        }
        Variable k = variables.create("k", PrimitiveType.INT, Variable.Role.LOCAL);
        out.add(countedLoop(k, Expr.Literal.zero(PrimitiveType.INT), copied, List.of(new Stmt.ElementAssign(
                ref(target), ref(k), new Expr.ArrayRead(src, plus(start, k), type.component(), pos),
                Stmt.Assign.Form.PLAIN, pos))));
        return out;
    }

    /** {@code e} itself when it is a name or a literal, else a local that holds its value. */
    private Expr named(String hint, Expr e, List<Stmt> out) {
        if (e instanceof Expr.Ref || e instanceof Expr.Literal) {
            return e;
        }
        return forcedName(hint, e, out);
    }

    private Expr forcedName(String hint, Expr e, List<Stmt> out) {
        Variable v = variables.create(hint, e.type(), Variable.Role.LOCAL);
        out.add(new Stmt.LocalDecl(v, e, pos));
        return ref(v);
    }

    private Stmt countedLoop(Variable k, Expr start, Expr end, List<Stmt> body) {
        return new Stmt.Loop(Stmt.Loop.Kind.FOR, null, List.of(new Stmt.LocalDecl(k, start, pos)),
                binary(BinaryOp.LT, ref(k), end, PrimitiveType.BOOLEAN),
                List.of(new Stmt.Assign(k, binary(BinaryOp.ADD, ref(k), Expr.Literal.ofInt(1), PrimitiveType.INT),
                        Stmt.Assign.Form.INCREMENT, pos)), body, pos);
    }

    /** {@code offset + k}, or {@code k} from the start. */
    private Expr plus(Expr offset, Variable k) {
        return isZero(offset) ? ref(k) : binary(BinaryOp.ADD, offset, ref(k), PrimitiveType.INT);
    }

    private static Integer intValue(Expr e) {
        try {
            return e instanceof Expr.Literal l && l.type() == PrimitiveType.INT ? Integer.decode(l.text()) : null;
        } catch (NumberFormatException notDecimal) {
            return null; // 0b101, 1_000: left to the run time
        }
    }

    private static boolean isZero(Expr e) {
        return e instanceof Expr.Literal l && l.text().equals("0");
    }

    private Expr ref(Variable v) {
        return new Expr.Ref(v, pos);
    }

    private Expr binary(BinaryOp op, Expr left, Expr right, PrimitiveType type) {
        return new Expr.Binary(op, left, right, type, pos);
    }
}
