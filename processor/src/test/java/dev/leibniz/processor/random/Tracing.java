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
 * <p>Two points where a twin records the same hash take the same path through the program, and the original is
 * smooth between them (up to the kinks of abs, min and max); the harness does not compare finite differences across
 * points whose hashes differ from the one at the point itself.
 */
final class Tracing {
    static final String SUFFIX = "Traced";
    static final String FIELD = "trace$";

    /** The static members the twins use, for the generated class. */
    static final String HELPERS = """

                static long trace$;

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

    private Tracing() {
    }

    /** The twins of {@code methods} as class members (indented Java source). */
    static String twins(List<Method> methods) {
        Set<String> names = methods.stream().map(Method::name).collect(Collectors.toSet());
        StringBuilder out = new StringBuilder(HELPERS);
        for (Method m : methods) {
            Method twin = new Method("", m.name() + SUFFIX, m.params(), body(m.body(), names));
            String printed = Ast.print(twin, "    ");
            out.append("\n").append(printed.substring(printed.indexOf('\n') + 1)); // without @Differentiable
        }
        return out.toString();
    }

    private static List<Stmt> body(List<Stmt> body, Set<String> names) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : body) {
            out.add(stmt(s, names));
        }
        return out;
    }

    private static Stmt stmt(Stmt s, Set<String> names) {
        Stmt mapped = Ast.rebuild(s, e -> Ast.mapExpr(e, x -> expr(x, names)), b -> body(b, names));
        if (mapped instanceof If i) {
            return new If(traced(i.cond()), i.then(), i.otherwise(), i.braces());
        } else if (mapped instanceof For f) {
            return new For(f.label(), f.init(), traced(f.cond()), f.update(), f.body());
        } else if (mapped instanceof While w) {
            return new While(w.label(), traced(w.cond()), w.body());
        } else if (mapped instanceof DoWhile w) {
            return new DoWhile(w.label(), w.body(), traced(w.cond()));
        } else if (mapped instanceof Assign a && a.op().equals("%=")) {
            return new Assign(a.name(), "=", new Call("t$mod", List.of(new Var(a.name(), a.value().type()),
                    a.value()), a.value().type()));
        }
        return mapped;
    }

    private static Expr traced(Expr e) {
        return new Call("t$", List.of(e), e.type());
    }

    private static Expr expr(Expr e, Set<String> names) {
        e = Ast.unmark(e);
        if (e instanceof Cond c) {
            return new Cond(traced(c.cond()), c.then(), c.otherwise());
        } else if (e instanceof Cast c && (c.to() == Type.INT || c.to() == Type.LONG)
                && c.operand().type() == Type.DOUBLE) {
            return traced(c);
        } else if (e instanceof Binary b && b.op().equals("%") && b.type() == Type.DOUBLE) {
            return new Call("t$mod", List.of(b.left(), b.right()), Type.DOUBLE);
        } else if (e instanceof Call c) {
            String simple = c.function().substring(c.function().lastIndexOf('.') + 1);
            if (names.contains(c.function())) {
                return new Call(c.function() + SUFFIX, c.args(), c.type());
            }
            if (STEPS.contains(simple) && c.args().size() == 1 && c.args().get(0).type() == Type.DOUBLE) {
                return traced(c);
            }
        }
        return e;
    }
}
