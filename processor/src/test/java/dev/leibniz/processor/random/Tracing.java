package dev.leibniz.processor.random;

import dev.leibniz.processor.random.Ast.Assign;
import dev.leibniz.processor.random.Ast.Binary;
import dev.leibniz.processor.random.Ast.Call;
import dev.leibniz.processor.random.Ast.Cast;
import dev.leibniz.processor.random.Ast.Cond;
import dev.leibniz.processor.random.Ast.DoWhile;
import dev.leibniz.processor.random.Ast.Expr;
import dev.leibniz.processor.random.Ast.For;
import dev.leibniz.processor.random.Ast.If;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Stmt;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.processor.random.Ast.Var;
import dev.leibniz.processor.random.Ast.While;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Traced twins of generated methods: the same computation, not {@code @Differentiable}, that records in a static
 * hash ({@value #FIELD}) every decision that makes the result jump when an argument moves a little: each evaluation
 * of a condition (if, ternary, loop condition: so branches and trip counts), each conversion of a double to an
 * integer ({@code (int) x}, {@code Math.round}, {@code floor}, {@code ceil}, {@code rint}, {@code signum}) and the
 * quotient of each floating-point {@code %}. Twins call the twins of the methods they call. Every helper returns its
 * argument (or computes exactly what the original expression does), so a twin returns the original's value bit for
 * bit.
 *
 * <p>Twins also note ({@value #NON_FINITE}) when a double they assign, store or return overflows or is NaN: the
 * reverse sweep multiplies by such intermediates (0 * infinity), so a gradient there says nothing about the processor.
 * And they note the largest magnitude ({@value #LARGEST}) of every double computed, literals included: a number
 * added to 1e15 moves nothing that finite differences can see, though its derivative is there.
 *
 * <p>Two points where a twin records the same hash take the same path through the program, and the original is
 * smooth between them (up to the kinks of abs, min and max); the harness does not compare finite differences across
 * points whose hashes differ from the one at the point itself.
 */
final class Tracing {
    static final String SUFFIX = "Traced";
    static final String FIELD = "trace$";
    /** Set when a double that a twin assigns, stores or returns is infinite or NaN. */
    static final String NON_FINITE = "nonFinite$";
    /** The largest magnitude of the finite doubles a twin assigns, stores or returns. */
    static final String LARGEST = "largest$";
    /**
     * Set when a function is evaluated where its value is finite but its derivative is not (sqrt and cbrt at 0, asin
     * and acos at 1 or -1, pow with a base of 0): the chain rule multiplies that infinity by zeros (0 * infinity).
     */
    static final String SINGULAR = "singular$";
    /**
     * Set when an addition or subtraction cancels to rounding noise: a result not 0 but below 2^-40 of its operands
     * (x + tan(atan(-x)) at x = 0.9). What follows it (log10 of the residue) differentiates noise, which forward
     * mode, reverse mode and finite differences each round their own way.
     */
    static final String CANCELS = "cancels$";

    /** The static members the twins use, for the generated class. */
    static final String HELPERS = """

                static long trace$;

                static boolean nonFinite$;

                static double largest$;

                static boolean singular$;

                static boolean cancels$;

                static double s$root(double x) {
                    singular$ |= x == 0;
                    return x;
                }

                static double s$arc(double x) {
                    singular$ |= Math.abs(x) == 1;
                    return x;
                }

                static double s$pow(double base, double exponent) {
                    singular$ |= base == 0 && exponent < 1;
                    return Math.pow(base, exponent);
                }

                static double s$strictPow(double base, double exponent) {
                    singular$ |= base == 0 && exponent < 1;
                    return StrictMath.pow(base, exponent);
                }

                static double c$add(double a, double b) {
                    return c$(a, b, a + b);
                }

                static double c$sub(double a, double b) {
                    return c$(a, b, a - b);
                }

                static double c$(double a, double b, double result) {
                    cancels$ |= result != 0 && Math.abs(result) < 0x1p-40 * Math.max(Math.abs(a), Math.abs(b));
                    return result;
                }

                static double v$(double v) {
                    if (!Double.isFinite(v)) {
                        nonFinite$ = true;
                    } else if (Math.abs(v) > largest$) {
                        largest$ = Math.abs(v);
                    }
                    return v;
                }

                static boolean t$(boolean b) {
                    trace$ = trace$ * 31 + (b ? 1 : 2);
                    return b;
                }

                static int t$(int v) {
                    trace$ = trace$ * 31 + v + 3;
                    return v;
                }

                static long t$(long v) {
                    trace$ = trace$ * 31 + v + 5;
                    return v;
                }

                static double t$(double v) {
                    trace$ = trace$ * 31 + Double.hashCode(v) + 7;
                    return v;
                }

                static double t$mod(double a, double b) {
                    t$((long) (a / b));
                    return a % b;
                }

                static long t$mod(long a, long b) {
                    return a % b;
                }

                static int t$mod(int a, int b) {
                    return a % b;
                }
            """;

    private static final Set<String> STEPS = Set.of("round", "floor", "ceil", "rint", "signum");

    /**
     * The functions with a derivative singularity at a finite value, and the twin helper that notes it (pow's,
     * a base of 0 with an exponent below 1, is noted by s$pow).
     */
    private static final java.util.Map<String, String> SINGULARITIES = java.util.Map.of("sqrt", "s$root", "cbrt",
            "s$root", "asin", "s$arc", "acos", "s$arc");

    private Tracing() {
    }

    /** The twins of {@code methods} as class members (indented Java source). */
    static String twins(List<Method> methods) {
        Set<String> names = methods.stream().map(Method::name).collect(Collectors.toSet());
        StringBuilder out = new StringBuilder(HELPERS);
        for (Method m : methods) {
            List<java.util.Map<String, Type>> scopes = new ArrayList<>();
            scopes.add(new java.util.HashMap<>());
            m.params().forEach(p -> scopes.get(0).put(p.name(), p.type()));
            Method twin = new Method("", m.name() + SUFFIX, m.params(), body(m.body(), names, scopes), List.of(),
                    m.returnsArray(), m.returnsVoid());
            String printed = Ast.print(twin, "    ");
            out.append("\n").append(printed.substring(printed.indexOf('\n') + 1)); // without @Differentiable
        }
        return out.toString();
    }

    private static List<Stmt> body(List<Stmt> body, Set<String> names, List<java.util.Map<String, Type>> scopes) {
        scopes.add(new java.util.HashMap<>());
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : body) {
            out.add(stmt(s, names, scopes));
        }
        scopes.remove(scopes.size() - 1);
        return out;
    }

    private static Type typeOf(String name, List<java.util.Map<String, Type>> scopes) {
        for (int i = scopes.size() - 1; i >= 0; i--) {
            Type t = scopes.get(i).get(name);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static Expr checked(Expr e) {
        return new Call("v$", List.of(e), Type.DOUBLE);
    }

    private static Stmt stmt(Stmt s, Set<String> names, List<java.util.Map<String, Type>> scopes) {
        java.util.Map<String, Type> scope = scopes.get(scopes.size() - 1);
        if (s instanceof Ast.Decl d) {
            scope.put(d.name(), d.useVar() ? d.init().type() : d.type());
        } else if (s instanceof For f) {
            scopes.add(new java.util.HashMap<>(java.util.Map.of(f.init().name(), Type.INT)));
            Stmt out = stmt(new While(null, f.cond(), f.body()), names, scopes);
            scopes.remove(scopes.size() - 1);
            While w = (While) out;
            Stmt update = stmt(f.update(), names, scopes);
            return new For(f.label(), (Ast.Decl) stmt(f.init(), names, scopes), w.cond(), update, w.body());
        } else if (s instanceof Ast.ForEach f) {
            scopes.add(new java.util.HashMap<>(java.util.Map.of(f.name(), f.type())));
            Stmt out = Ast.rebuild(s, e -> Ast.mapExpr(e, x -> expr(x, names)), b -> body(b, names, scopes));
            scopes.remove(scopes.size() - 1);
            return out;
        }
        Stmt mapped = Ast.rebuild(s, e -> Ast.mapExpr(e, x -> expr(x, names)), b -> body(b, names, scopes));
        if (mapped instanceof Ast.Eval e) {
            Expr call = Ast.unmark(e.call());
            while (call instanceof Call c && c.function().equals("v$")) {
                call = Ast.unmark(c.args().get(0)); // a call whose result is discarded (void perhaps) is no value
            }
            return new Ast.Eval(call);
        }
        if (mapped instanceof If i) {
            return new If(traced(i.cond()), i.then(), i.otherwise(), i.braces());
        } else if (mapped instanceof For f) {
            return new For(f.label(), f.init(), traced(f.cond()), f.update(), f.body());
        } else if (mapped instanceof While w) {
            return new While(w.label(), traced(w.cond()), w.body());
        } else if (mapped instanceof DoWhile w) {
            return new DoWhile(w.label(), w.body(), traced(w.cond()));
        } else if (mapped instanceof Assign a && a.op().equals("%=")) {
            Expr mod = new Call("t$mod", List.of(new Var(a.name(), a.value().type()), a.value()), a.value().type());
            return new Assign(a.name(), "=", typeOf(a.name(), scopes) == Type.DOUBLE ? checked(mod) : mod);
        } else if (mapped instanceof Assign a && typeOf(a.name(), scopes) == Type.DOUBLE) {
            // x op= e is x = x op (e) for a double x
            Expr value = a.op().equals("=") ? a.value() : binary(a.op().substring(0, 1),
                    new Var(a.name(), Type.DOUBLE), new Ast.Paren(a.value()));
            return new Assign(a.name(), "=", checked(value));
        } else if (mapped instanceof Ast.Step st && typeOf(st.name(), scopes) == Type.DOUBLE) {
            return new Assign(st.name(), "=", checked(binary(st.op().substring(0, 1),
                    new Var(st.name(), Type.DOUBLE), Generator.lit("1"))));
        } else if (mapped instanceof Ast.Decl d && d.init() != null && d.init().type() == Type.DOUBLE
                && (d.useVar() || d.type() == Type.DOUBLE)) {
            return new Ast.Decl(d.type(), d.useVar(), d.name(), checked(d.init()));
        } else if (mapped instanceof Ast.Store st && st.array().type() == Type.DOUBLE_ARRAY) {
            Expr element = st.target();
            Expr value = st.op().equals("=") ? st.value()
                    : st.value() == null ? binary(st.op().substring(0, 1), element, Generator.lit("1"))
                    : binary(st.op().substring(0, 1), element, new Ast.Paren(st.value()));
            return new Ast.Store(st.array(), st.index(), "=", checked(value));
        } else if (mapped instanceof Ast.Return r && r.value().type() == Type.DOUBLE) {
            return new Ast.Return(checked(r.value()));
        }
        return mapped;
    }

    /** {@code left op right} for a double, noting a sum that cancels to rounding noise. */
    private static Expr binary(String op, Expr left, Expr right) {
        Binary b = new Binary(op, left, right);
        return op.equals("+") || op.equals("-") ? new Call(op.equals("+") ? "c$add" : "c$sub", List.of(left, right),
                Type.DOUBLE) : b;
    }

    private static Expr traced(Expr e) {
        return new Call("t$", List.of(e), e.type());
    }

    /**
     * Every double an expression computes (a literal too) is noted for its magnitude, not only those assigned: a
     * product with 1e300 in it absorbs what is added to it as much as a variable holding 1e300 does.
     */
    private static Expr expr(Expr e, Set<String> names) {
        Expr traced = tracedDecisions(Ast.unmark(e), names);
        boolean noted = traced instanceof Var || traced instanceof Call c && c.function().equals("v$");
        return traced.type() == Type.DOUBLE && !noted ? checked(traced) : traced;
    }

    private static Expr tracedDecisions(Expr e, Set<String> names) {
        if (e instanceof Cond c) {
            return new Cond(traced(c.cond()), c.then(), c.otherwise());
        } else if (e instanceof Cast c && (c.to() == Type.INT || c.to() == Type.LONG)
                && c.operand().type() == Type.DOUBLE) {
            return traced(c);
        } else if (e instanceof Binary b && b.op().equals("%") && b.type() == Type.DOUBLE) {
            return new Call("t$mod", List.of(b.left(), b.right()), Type.DOUBLE);
        } else if (e instanceof Binary b && b.type() == Type.DOUBLE) {
            return binary(b.op(), b.left(), b.right());
        } else if (e instanceof Call c) {
            String simple = c.function().substring(c.function().lastIndexOf('.') + 1);
            if (names.contains(c.function())) {
                return new Call(c.function() + SUFFIX, c.args(), c.type());
            }
            if (simple.equals("pow")) {
                return new Call(c.function().startsWith("StrictMath") ? "s$strictPow" : "s$pow", c.args(), c.type());
            }
            String singular = SINGULARITIES.get(simple);
            if (singular != null && c.type() == Type.DOUBLE) {
                List<Expr> args = new ArrayList<>(c.args());
                args.set(0, new Call(singular, List.of(args.get(0)), Type.DOUBLE));
                return new Call(c.function(), args, c.type());
            }
            if (STEPS.contains(simple) && c.args().size() == 1 && c.args().get(0).type() == Type.DOUBLE) {
                return traced(c);
            }
            if (simple.equals("fill") && c.args().get(c.args().size() - 1).type() == Type.DOUBLE) {
                // Arrays.fill stores its value: noted like any other double stored
                List<Expr> args = new ArrayList<>(c.args());
                args.set(args.size() - 1, checked(args.get(args.size() - 1)));
                return new Call(c.function(), args, c.type());
            }
        }
        return e;
    }
}
