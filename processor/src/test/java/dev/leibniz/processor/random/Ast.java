package dev.leibniz.processor.random;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The small Java subset the random generator writes: typed expressions, statements and methods, printed as Java
 * source with exactly the parentheses the tree needs (plus explicit {@link Paren} nodes). The generator and the
 * shrinker both work on these trees; javac decides whether a shrunk tree is still valid Java.
 */
final class Ast {
    private Ast() {
    }

    enum Type {
        DOUBLE("double"), LONG("long"), INT("int"), BOOLEAN("boolean"),
        /** Only in programs made float by {@code RandomFloatTest}; the generator writes none. */
        FLOAT("float"),
        DOUBLE_ARRAY("double[]"), DOUBLE_MATRIX("double[][]"), INT_ARRAY("int[]"), BOOLEAN_ARRAY("boolean[]"),
        /** The type of a call of a void helper, made as a statement. */
        VOID("void");

        final String java;

        Type(String java) {
            this.java = java;
        }

        boolean numeric() {
            return this == DOUBLE || this == LONG || this == INT;
        }

        boolean isArray() {
            return java.endsWith("]");
        }

        /** Whether the derivative flows through it: double, double[] or double[][]. */
        boolean differentiable() {
            return this == DOUBLE || this == DOUBLE_ARRAY || this == DOUBLE_MATRIX;
        }

        /** The type of an element of this array type. */
        Type element() {
            return switch (this) {
                case DOUBLE_ARRAY -> DOUBLE;
                case DOUBLE_MATRIX -> DOUBLE_ARRAY;
                case INT_ARRAY -> INT;
                case BOOLEAN_ARRAY -> BOOLEAN;
                default -> throw new IllegalArgumentException(this + " is not an array type");
            };
        }

        /** The element type without brackets: {@code double} for double[][]. */
        String base() {
            return java.replace("[]", "");
        }

        /** JLS 5.6 binary numeric promotion for the three numeric types used here. */
        static Type promote(Type a, Type b) {
            if (a == DOUBLE || b == DOUBLE) {
                return DOUBLE;
            }
            if (a == LONG || b == LONG) {
                return LONG;
            }
            return INT;
        }
    }

    // ------------------------------------------------------------------------------------------------ expressions

    sealed interface Expr permits Var, Lit, Unary, Binary, Cast, Call, Cond, Paren, Locked, Free, Marked, Index,
            Length, NewArray, ArrayLit, AssignExpr, StepExpr {
        Type type();

        /** The direct subexpressions, in source order. */
        List<Expr> children();

        /** This node with its children replaced (same arity as {@link #children()}). */
        Expr withChildren(List<Expr> children);
    }

    record Var(String name, Type type) implements Expr {
        public List<Expr> children() {
            return List.of();
        }

        public Expr withChildren(List<Expr> c) {
            return this;
        }
    }

    record Lit(String text, Type type) implements Expr {
        public List<Expr> children() {
            return List.of();
        }

        public Expr withChildren(List<Expr> c) {
            return this;
        }
    }

    /** {@code -e}, {@code +e} or {@code !e}. */
    record Unary(String op, Expr operand) implements Expr {
        public Type type() {
            return op.equals("!") ? Type.BOOLEAN : Type.promote(operand.type(), Type.INT);
        }

        public List<Expr> children() {
            return List.of(operand);
        }

        public Expr withChildren(List<Expr> c) {
            return new Unary(op, c.get(0));
        }
    }

    record Binary(String op, Expr left, Expr right) implements Expr {
        public Type type() {
            switch (op) {
                case "+", "-", "*", "/", "%":
                    return Type.promote(left.type(), right.type());
                case "&", "|", "^":
                    return left.type() == Type.BOOLEAN ? Type.BOOLEAN : Type.promote(left.type(), right.type());
                default:
                    return Type.BOOLEAN; // comparisons, && and ||
            }
        }

        public List<Expr> children() {
            return List.of(left, right);
        }

        public Expr withChildren(List<Expr> c) {
            return new Binary(op, c.get(0), c.get(1));
        }
    }

    record Cast(Type to, Expr operand) implements Expr {
        public Type type() {
            return to;
        }

        public List<Expr> children() {
            return List.of(operand);
        }

        public Expr withChildren(List<Expr> c) {
            return new Cast(to, c.get(0));
        }
    }

    /** A call of {@code Math.f}, {@code StrictMath.f} or of another generated method (an unqualified name). */
    record Call(String function, List<Expr> args, Type type) implements Expr {
        public List<Expr> children() {
            return args;
        }

        public Expr withChildren(List<Expr> c) {
            return new Call(function, List.copyOf(c), type);
        }
    }

    record Cond(Expr cond, Expr then, Expr otherwise) implements Expr {
        public Type type() {
            if (then.type() == Type.BOOLEAN) {
                return Type.BOOLEAN;
            }
            return Type.promote(then.type(), otherwise.type());
        }

        public List<Expr> children() {
            return List.of(cond, then, otherwise);
        }

        public Expr withChildren(List<Expr> c) {
            return new Cond(c.get(0), c.get(1), c.get(2));
        }
    }

    /** Redundant parentheses the source writes anyway. */
    record Paren(Expr inner) implements Expr {
        public Type type() {
            return inner.type();
        }

        public List<Expr> children() {
            return List.of(inner);
        }

        public Expr withChildren(List<Expr> c) {
            return new Paren(c.get(0));
        }
    }

    /**
     * Not Java: the generator's note to the shrinker that this subtree keeps a function in its domain (a
     * denominator bounded away from 0, the argument of a logarithm, a guard and what it guards). The shrinker
     * changes nothing inside except under {@link Free}, may replace the whole by 1.0 if {@code literalOk}, and may
     * put it in its parent's place only if {@code promotable}. Printed as its content.
     */
    record Locked(Expr inner, boolean literalOk, boolean promotable) implements Expr {
        public Type type() {
            return inner.type();
        }

        public List<Expr> children() {
            return List.of(inner);
        }

        public Expr withChildren(List<Expr> c) {
            return new Locked(c.get(0), literalOk, promotable);
        }
    }

    /** Not Java: inside a {@link Locked} subtree, a place where any value keeps the domain. Printed as its content. */
    record Free(Expr inner) implements Expr {
        public Type type() {
            return inner.type();
        }

        public List<Expr> children() {
            return List.of(inner);
        }

        public Expr withChildren(List<Expr> c) {
            return new Free(c.get(0));
        }
    }

    /**
     * An expression the processor may refuse with a compile error for now (see {@link Generator}'s switches):
     * printed as its content followed by {@code /* may be refused *}{@code /}, which the harness finds on the line of
     * the processor's error.
     */
    record Marked(Expr inner) implements Expr {
        static final String COMMENT = "/* may be refused */";

        public Type type() {
            return inner.type();
        }

        public List<Expr> children() {
            return List.of(inner);
        }

        public Expr withChildren(List<Expr> c) {
            return new Marked(c.get(0));
        }
    }

    /** An assignment inside an expression, printed in parentheses: {@code (x += e)}. */
    record AssignExpr(String name, String op, Expr value, Type type) implements Expr {
        public List<Expr> children() {
            return List.of(value);
        }

        public Expr withChildren(List<Expr> c) {
            return new AssignExpr(name, op, c.get(0), type);
        }
    }

    /** {@code ++} or {@code --} of a variable inside an expression, printed in parentheses: {@code (n++)}. */
    record StepExpr(String name, String op, boolean prefix, Type type) implements Expr {
        public List<Expr> children() {
            return List.of();
        }

        public Expr withChildren(List<Expr> c) {
            return this;
        }
    }

    /** {@code array[index]}. */
    record Index(Expr array, Expr index) implements Expr {
        public Type type() {
            return array.type().element();
        }

        public List<Expr> children() {
            return List.of(array, index);
        }

        public Expr withChildren(List<Expr> c) {
            return new Index(c.get(0), c.get(1));
        }
    }

    /** {@code array.length}. */
    record Length(Expr array) implements Expr {
        public Type type() {
            return Type.INT;
        }

        public List<Expr> children() {
            return List.of(array);
        }

        public Expr withChildren(List<Expr> c) {
            return new Length(c.get(0));
        }
    }

    /** {@code new double[n]} or {@code new double[n][m]}: one length per dimension. */
    record NewArray(Type type, List<Expr> lengths) implements Expr {
        public List<Expr> children() {
            return lengths;
        }

        public Expr withChildren(List<Expr> c) {
            return new NewArray(type, List.copyOf(c));
        }
    }

    /**
     * {@code new double[] {a, b}}, or with {@code bare} the initialiser {@code {a, b}} alone (a declaration's
     * initialiser, or a row inside another initialiser).
     */
    record ArrayLit(Type type, List<Expr> elements, boolean bare) implements Expr {
        public List<Expr> children() {
            return elements;
        }

        public Expr withChildren(List<Expr> c) {
            return new ArrayLit(type, List.copyOf(c), bare);
        }
    }

    /** The expression without {@link Locked} and {@link Free} markers. */
    static Expr unmark(Expr e) {
        while (e instanceof Locked || e instanceof Free || e instanceof Marked) {
            e = e.children().get(0);
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------------ statements

    sealed interface Stmt permits Decl, Assign, Step, If, Return, Block, Store, For, ForEach, While, DoWhile,
            Break, Continue, Tick, Eval {
    }

    /** A call as a statement: {@code scale(a, 2.0);}, {@code System.arraycopy(a, 0, b, 0, 1);}. */
    record Eval(Expr call) implements Stmt {
    }

    /** {@code double r = e;}, {@code var r = e;} or {@code double r;} ({@code init} null). */
    record Decl(Type type, boolean useVar, String name, Expr init) implements Stmt {
    }

    /** {@code name op value;} with op one of {@code = += -= *= /= %= &= |= ^=}. */
    record Assign(String name, String op, Expr value) implements Stmt {
    }

    /** {@code i++;}, {@code --i;} and so on. */
    record Step(String name, String op, boolean prefix) implements Stmt {
    }

    /** {@code otherwise} is null without else; an else holding exactly one {@code If} prints as else-if. */
    record If(Expr cond, List<Stmt> then, List<Stmt> otherwise, boolean braces) implements Stmt {
    }

    record Return(Expr value) implements Stmt {
    }

    record Block(List<Stmt> body) implements Stmt {
    }

    /**
     * {@code array[index] op value;} with op one of {@code = += -= *= /=}, or {@code array[index]++;} (op
     * {@code ++} or {@code --}, value null).
     */
    record Store(Expr array, Expr index, String op, Expr value) implements Stmt {
        Index target() {
            return new Index(array, index);
        }
    }

    /**
     * {@code for (init; cond; update) body}, labelled if {@code label} is not null. {@code init} is a declaration
     * of the counter, {@code update} a {@link Step} or an {@link Assign} of it.
     */
    record For(String label, Decl init, Expr cond, Stmt update, List<Stmt> body) implements Stmt {
    }

    /** {@code for (type name : array) body}. */
    record ForEach(String label, Type type, String name, Expr array, List<Stmt> body) implements Stmt {
    }

    record While(String label, Expr cond, List<Stmt> body) implements Stmt {
    }

    record DoWhile(String label, List<Stmt> body, Expr cond) implements Stmt {
    }

    /** {@code break;} or {@code break label;}. */
    record Break(String label) implements Stmt {
    }

    record Continue(String label) implements Stmt {
    }

    /**
     * {@code k++;} of the counter that bounds a while or do loop: printed as a step, but the shrinker never removes
     * it, so that every loop it writes still ends.
     */
    record Tick(String name) implements Stmt {
    }

    record Param(Type type, String name) {
    }

    /** A method; {@code wrt} lists the parameters of {@code @Differentiable(wrt = ...)} (empty: every one). */
    /**
     * @param returnsArray whether it returns {@code double[]} (a helper ending with {@code return new double[] {..}})
     * @param returnsVoid whether it returns void (a helper ending with {@code out[0] = ...;}, its last parameter)
     */
    record Method(String modifiers, String name, List<Param> params, List<Stmt> body, List<String> wrt,
            boolean returnsArray, boolean returnsVoid) {
        Method(String modifiers, String name, List<Param> params, List<Stmt> body, List<String> wrt,
                boolean returnsArray) {
            this(modifiers, name, params, body, wrt, returnsArray, false);
        }

        Method(String modifiers, String name, List<Param> params, List<Stmt> body, List<String> wrt) {
            this(modifiers, name, params, body, wrt, false);
        }

        Method(String modifiers, String name, List<Param> params, List<Stmt> body) {
            this(modifiers, name, params, body, List.of(), false);
        }

        Method withBody(List<Stmt> newBody) {
            return new Method(modifiers, name, params, newBody, wrt, returnsArray, returnsVoid);
        }

        Method withParams(List<Param> newParams) {
            return new Method(modifiers, name, newParams, body, wrt, returnsArray, returnsVoid);
        }

        Method withWrt(List<String> newWrt) {
            return new Method(modifiers, name, params, body, newWrt, returnsArray, returnsVoid);
        }

        /** The parameters that get a derivative: the differentiable ones that wrt names (all if wrt is empty). */
        List<Param> differentiated() {
            return params.stream().filter(p -> p.type().differentiable() && (wrt.isEmpty() || wrt.contains(p.name())))
                    .toList();
        }
    }

    /** Methods in declaration order; each may call the ones before it. Every method is checked. */
    record Program(long seed, List<Method> methods) {
        Method last() {
            return methods.get(methods.size() - 1);
        }
    }

    // ------------------------------------------------------------------------------------------------ traversal

    /** Rebuilds every expression of a statement list bottom-up through {@code f}. */
    static List<Stmt> mapExprs(List<Stmt> body, UnaryOperator<Expr> f) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : body) {
            out.add(mapExprs(s, f));
        }
        return out;
    }

    static Stmt mapExprs(Stmt s, UnaryOperator<Expr> f) {
        return rebuild(s, e -> mapExpr(e, f), b -> mapExprs(b, f));
    }

    /**
     * The statement with each of its expression slots passed through {@code exprs} and each nested statement list
     * through {@code bodies}, both in source order (the shrinker counts positions in that order).
     */
    static Stmt rebuild(Stmt s, UnaryOperator<Expr> exprs, UnaryOperator<List<Stmt>> bodies) {
        if (s instanceof Decl d) {
            return new Decl(d.type(), d.useVar(), d.name(), d.init() == null ? null : exprs.apply(d.init()));
        } else if (s instanceof Assign a) {
            return new Assign(a.name(), a.op(), exprs.apply(a.value()));
        } else if (s instanceof If i) {
            Expr cond = exprs.apply(i.cond());
            List<Stmt> then = bodies.apply(i.then());
            return new If(cond, then, i.otherwise() == null ? null : bodies.apply(i.otherwise()), i.braces());
        } else if (s instanceof Return r) {
            return new Return(exprs.apply(r.value()));
        } else if (s instanceof Eval ev) {
            return new Eval(exprs.apply(ev.call()));
        } else if (s instanceof Block b) {
            return new Block(bodies.apply(b.body()));
        } else if (s instanceof Store st) {
            Expr array = exprs.apply(st.array());
            Expr index = exprs.apply(st.index());
            return new Store(array, index, st.op(), st.value() == null ? null : exprs.apply(st.value()));
        } else if (s instanceof For f) {
            Decl init = (Decl) rebuild(f.init(), exprs, bodies);
            Expr cond = exprs.apply(f.cond());
            Stmt update = rebuild(f.update(), exprs, bodies);
            return new For(f.label(), init, cond, update, bodies.apply(f.body()));
        } else if (s instanceof ForEach f) {
            Expr array = exprs.apply(f.array());
            return new ForEach(f.label(), f.type(), f.name(), array, bodies.apply(f.body()));
        } else if (s instanceof While w) {
            Expr cond = exprs.apply(w.cond());
            return new While(w.label(), cond, bodies.apply(w.body()));
        } else if (s instanceof DoWhile w) {
            List<Stmt> body = bodies.apply(w.body());
            return new DoWhile(w.label(), body, exprs.apply(w.cond()));
        }
        return s; // Step, Break, Continue, Tick
    }

    /** The statement lists nested directly in a statement. */
    static List<List<Stmt>> bodies(Stmt s) {
        List<List<Stmt>> out = new ArrayList<>();
        rebuild(s, e -> e, b -> {
            out.add(b);
            return b;
        });
        return out;
    }

    static Expr mapExpr(Expr e, UnaryOperator<Expr> f) {
        List<Expr> children = e.children();
        if (!children.isEmpty()) {
            List<Expr> mapped = new ArrayList<>();
            for (Expr c : children) {
                mapped.add(mapExpr(c, f));
            }
            e = e.withChildren(mapped);
        }
        return f.apply(e);
    }

    /** Whether any expression of {@code body} satisfies {@code test}. */
    static boolean anyExpr(List<Stmt> body, java.util.function.Predicate<Expr> test) {
        boolean[] found = {false};
        mapExprs(body, e -> {
            if (test.test(e)) {
                found[0] = true;
            }
            return e;
        });
        return found[0];
    }

    /** Whether {@code name} is read or written anywhere in {@code body}. */
    static boolean mentions(List<Stmt> body, String name) {
        if (anyExpr(body, e -> e instanceof Var v && v.name().equals(name)
                || e instanceof AssignExpr a && a.name().equals(name) || e instanceof StepExpr st && st.name().equals(name))) {
            return true;
        }
        for (Stmt s : body) {
            if (s instanceof Assign a && a.name().equals(name) || s instanceof Step st && st.name().equals(name)
                    || s instanceof Tick t && t.name().equals(name)
                    || s instanceof For f && (f.init().name().equals(name) || mentions(List.of(f.update()), name))) {
                return true;
            }
            for (List<Stmt> b : bodies(s)) {
                if (mentions(b, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ printing

    private static int precedence(Expr e) {
        e = unmark(e);
        if (e instanceof Cond) {
            return 1;
        }
        if (e instanceof Binary b) {
            return switch (b.op()) {
                case "||" -> 3;
                case "&&" -> 4;
                case "|" -> 5;
                case "^" -> 6;
                case "&" -> 7;
                case "==", "!=" -> 8;
                case "<", "<=", ">", ">=" -> 9;
                case "+", "-" -> 11;
                case "*", "/", "%" -> 12;
                default -> throw new IllegalArgumentException(b.op());
            };
        }
        if (e instanceof Unary || e instanceof Cast) {
            return 13;
        }
        if (e instanceof NewArray || e instanceof ArrayLit) {
            return 14; // not a primary: (new double[2])[0]
        }
        return 15;
    }

    static String print(Expr e) {
        return print(e, 0);
    }

    private static String print(Expr e, int minPrecedence) {
        if (e instanceof Marked m) {
            return print(m.inner(), minPrecedence) + " " + Marked.COMMENT;
        }
        String s = printRaw(e);
        return precedence(e) < minPrecedence ? "(" + s + ")" : s;
    }

    private static String printRaw(Expr e) {
        e = unmark(e);
        if (e instanceof Var v) {
            return v.name();
        } else if (e instanceof Lit l) {
            return l.text();
        } else if (e instanceof Unary u) {
            String operand = print(u.operand(), 13);
            if (operand.startsWith("-") || operand.startsWith("+")) {
                operand = "(" + operand + ")";
            }
            return u.op() + operand;
        } else if (e instanceof Binary b) {
            int p = precedence(b);
            return print(b.left(), p) + " " + b.op() + " " + print(b.right(), p + 1);
        } else if (e instanceof Cast c) {
            return "(" + c.to().java + ") " + print(c.operand(), 13);
        } else if (e instanceof Call c) {
            return c.function() + "(" + c.args().stream().map(Ast::print).collect(Collectors.joining(", ")) + ")";
        } else if (e instanceof Cond c) {
            return print(c.cond(), 2) + " ? " + print(c.then(), 1) + " : " + print(c.otherwise(), 1);
        } else if (e instanceof Paren p) {
            return "(" + print(p.inner(), 0) + ")";
        } else if (e instanceof AssignExpr a) {
            return "(" + a.name() + " " + a.op() + " " + print(a.value(), 0) + ")";
        } else if (e instanceof StepExpr st) {
            return "(" + (st.prefix() ? st.op() + st.name() : st.name() + st.op()) + ")";
        } else if (e instanceof Index i) {
            return print(i.array(), 15) + "[" + print(i.index()) + "]";
        } else if (e instanceof Length l) {
            return print(l.array(), 15) + ".length";
        } else if (e instanceof NewArray n) {
            StringBuilder out = new StringBuilder("new ").append(n.type().base());
            for (Expr length : n.lengths()) {
                out.append("[").append(print(length)).append("]");
            }
            return out.toString();
        } else if (e instanceof ArrayLit a) {
            String elements = "{" + a.elements().stream().map(Ast::print).collect(Collectors.joining(", ")) + "}";
            return a.bare() ? elements : "new " + a.type().java + " " + elements;
        }
        throw new IllegalArgumentException(String.valueOf(e));
    }

    static String print(Method m, String indent) {
        StringBuilder out = new StringBuilder();
        out.append(indent).append("@Differentiable");
        if (!m.wrt().isEmpty()) {
            String names = m.wrt().stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
            out.append("(wrt = ").append(m.wrt().size() == 1 ? names : "{" + names + "}").append(")");
        }
        out.append("\n");
        out.append(indent).append(m.modifiers().isEmpty() ? "" : m.modifiers() + " ").append(m.returnsArray() ? "static double[] " : m.returnsVoid() ? "static void " : "static double ")
                .append(m.name()).append("(")
                .append(m.params().stream().map(p -> p.type().java + " " + p.name()).collect(Collectors.joining(", ")))
                .append(") {\n");
        printBody(m.body(), indent + "    ", out);
        out.append(indent).append("}\n");
        return out.toString();
    }

    static String print(Program p, String indent) {
        return p.methods().stream().map(m -> print(m, indent)).collect(Collectors.joining("\n"));
    }

    private static void printBody(List<Stmt> body, String indent, StringBuilder out) {
        for (Stmt s : body) {
            printStmt(s, indent, out);
        }
    }

    private static void printStmt(Stmt s, String indent, StringBuilder out) {
        if (s instanceof If i) {
            out.append(indent);
            printIf(i, indent, out);
            out.append("\n");
        } else if (s instanceof Block b) {
            out.append(indent).append("{\n");
            printBody(b.body(), indent + "    ", out);
            out.append(indent).append("}\n");
        } else if (s instanceof For || s instanceof ForEach || s instanceof While || s instanceof DoWhile) {
            printLoop(s, indent, out);
        } else {
            out.append(indent).append(simple(s)).append("\n");
        }
    }

    private static String simple(Stmt s) {
        if (s instanceof Decl d) {
            return (d.useVar() ? "var" : d.type().java) + " " + d.name()
                    + (d.init() == null ? "" : " = " + print(d.init())) + ";";
        } else if (s instanceof Assign a) {
            return a.name() + " " + a.op() + " " + print(a.value()) + ";";
        } else if (s instanceof Step st) {
            return (st.prefix() ? st.op() + st.name() : st.name() + st.op()) + ";";
        } else if (s instanceof Return r) {
            return "return " + print(r.value()) + ";";
        } else if (s instanceof Eval ev) {
            return print(ev.call()) + ";";
        } else if (s instanceof Store st) {
            return print(st.target()) + (st.value() == null ? st.op() : " " + st.op() + " " + print(st.value())) + ";";
        } else if (s instanceof Break b) {
            return b.label() == null ? "break;" : "break " + b.label() + ";";
        } else if (s instanceof Continue c) {
            return c.label() == null ? "continue;" : "continue " + c.label() + ";";
        } else if (s instanceof Tick t) {
            return t.name() + "++;";
        }
        throw new IllegalArgumentException(String.valueOf(s));
    }

    private static void printLoop(Stmt s, String indent, StringBuilder out) {
        String label = s instanceof For f ? f.label() : s instanceof ForEach f ? f.label()
                : s instanceof While w ? w.label() : ((DoWhile) s).label();
        if (label != null) {
            out.append(indent).append(label).append(":\n");
        }
        List<Stmt> body;
        if (s instanceof For f) {
            String update = simple(f.update());
            out.append(indent).append("for (").append(simple(f.init())).append(" ").append(print(f.cond()))
                    .append("; ").append(update, 0, update.length() - 1).append(") {\n");
            body = f.body();
        } else if (s instanceof ForEach f) {
            out.append(indent).append("for (").append(f.type().java).append(" ").append(f.name()).append(" : ")
                    .append(print(f.array())).append(") {\n");
            body = f.body();
        } else if (s instanceof While w) {
            out.append(indent).append("while (").append(print(w.cond())).append(") {\n");
            body = w.body();
        } else {
            out.append(indent).append("do {\n");
            body = ((DoWhile) s).body();
        }
        printBody(body, indent + "    ", out);
        out.append(indent).append("}");
        if (s instanceof DoWhile w) {
            out.append(" while (").append(print(w.cond())).append(");");
        }
        out.append("\n");
    }

    /** Whether a branch can be printed without braces: one simple statement, not a declaration. */
    static boolean braceless(List<Stmt> branch) {
        return branch.size() == 1 && (branch.get(0) instanceof Assign || branch.get(0) instanceof Step
                || branch.get(0) instanceof Return || branch.get(0) instanceof Store || branch.get(0) instanceof Break
                || branch.get(0) instanceof Continue);
    }

    /** Prints {@code if ...} starting at the current column, without a trailing newline. */
    private static void printIf(If i, String indent, StringBuilder out) {
        String cond = "if (" + print(i.cond()) + ")";
        boolean elseIf = i.otherwise() != null && i.otherwise().size() == 1 && i.otherwise().get(0) instanceof If;
        if (!i.braces() && braceless(i.then()) && (i.otherwise() == null || braceless(i.otherwise()))) {
            out.append(cond).append(" ").append(simple(i.then().get(0)));
            if (i.otherwise() != null) {
                out.append(" else ").append(simple(i.otherwise().get(0)));
            }
            return;
        }
        out.append(cond).append(" {\n");
        printBody(i.then(), indent + "    ", out);
        out.append(indent).append("}");
        if (elseIf) {
            out.append(" else ");
            printIf((If) i.otherwise().get(0), indent, out);
        } else if (i.otherwise() != null) {
            out.append(" else {\n");
            printBody(i.otherwise(), indent + "    ", out);
            out.append(indent).append("}");
        }
    }
}
