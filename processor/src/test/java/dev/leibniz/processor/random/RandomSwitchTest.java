package dev.leibniz.processor.random;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Random methods built around {@code switch}, the construct the front end desugars rather than translates: both
 * statement forms (groups that fall through, {@code default} anywhere, breaks inside ifs, nested switches, switches
 * in a loop whose cases {@code continue}, {@code break} it or {@code return}, selectors that the cases assign) and
 * switch expressions (expression arms, block arms and groups with {@code yield}, in assignments and inside a larger
 * expression). Every branch tests an {@code int}, and every {@code double} computation is smooth, so that finite
 * differences are trustworthy everywhere; each method is checked at points that take different cases: the value bit
 * for bit the original's, every partial against finite differences, the pullback scaled by its seed.
 *
 * <p>The regular run checks {@value #METHODS} methods from a fixed seed. {@code -Dleibniz.random.switches=N} checks
 * N methods from a random seed and prints it; {@code -Dleibniz.random.switches.seed=S} repeats a run.
 */
class RandomSwitchTest {
    private static final int METHODS = 80;
    private static final int PER_CLASS = 40;
    private static final long SEED = 20261127L;
    private static final String PACKAGE = "com.example.switches";

    @Test
    void randomSwitchesHaveExactGradients() {
        String count = System.getProperty("leibniz.random.switches");
        String fixed = System.getProperty("leibniz.random.switches.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : count != null ? new Random().nextLong() : SEED;
        int methods = count != null ? Integer.parseInt(count) : METHODS;
        if (count != null || fixed != null) {
            System.out.println("[random switches] seed " + seed + ", " + methods + " methods");
        }
        Random rnd = new Random(seed);
        int checked = 0;
        for (int first = 0; first < methods; first += PER_CLASS) {
            String className = "Switches" + first / PER_CLASS;
            List<String> bodies = new ArrayList<>();
            for (int m = first; m < Math.min(methods, first + PER_CLASS); m++) {
                bodies.add(new MethodGen(rnd).method("f" + m));
            }
            String source = "package " + PACKAGE + ";\n\nimport dev.leibniz.Differentiable;\n\n"
                    // a method whose x or y cannot affect its result gets Leibniz's warning: its partial is 0, and
                    // checked against finite differences like any other (Harness checks the warning itself)
                    + "@SuppressWarnings({\"fallthrough\", \"leibniz\"})\npublic final class " + className + " {\n"
                    + String.join("\n", bodies) + "}\n";
            String qualified = PACKAGE + "." + className;
            Compiled compiled;
            try {
                compiled = Compiled.compile(qualified, source);
            } catch (AssertionError e) {
                throw new AssertionFailedError("seed " + seed + ": the generated class does not compile\n" + source, e);
            }
            GradientCheck check = new GradientCheck(compiled, qualified);
            for (int m = first; m < Math.min(methods, first + PER_CLASS); m++) {
                for (Object[] point : points(rnd)) {
                    try {
                        check.check("f" + m, point);
                    } catch (AssertionError e) {
                        throw new AssertionFailedError("seed " + seed + ", f" + m + " at " + java.util.Arrays.toString(point)
                                + "\n" + bodies.get(m - first), e);
                    }
                    checked++;
                }
            }
        }
        if (count != null || fixed != null) {
            System.out.println("[random switches] " + checked + " points checked, no failures");
        }
    }

    /** Points (x, y, k, j): k from -1 to 6 and j from 0 to 3 take most labels (-1 to 8) and the default. */
    private static List<Object[]> points(Random rnd) {
        List<Object[]> out = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            double x = Math.round((rnd.nextDouble() * 3 - 1.5) * 100) / 100.0;
            double y = Math.round((rnd.nextDouble() * 3 - 1.5) * 100) / 100.0;
            out.add(new Object[] {x, y, rnd.nextInt(8) - 1, rnd.nextInt(4)});
        }
        return out;
    }

    /** Generated code, and whether it can complete normally (JLS 14.22), so that nothing unreachable follows it. */
    private record Code(String text, boolean completes) {
    }

    /**
     * Where a statement is generated: how deep, what a {@code break} would leave, and whether {@code continue},
     * {@code return} and {@code yield} can stand there.
     */
    private record Where(int depth, boolean inLoop, Breaks breaks, boolean mayContinue, boolean mayReturn,
            boolean mayYield, String indent) {
        enum Breaks { NOTHING, LOOP, SWITCH, SWITCH_EXPRESSION }

        /** Inside a switch: a break leaves it; no jump crosses a switch expression but its yield. */
        Where inSwitch(boolean expression) {
            return new Where(depth + 1, inLoop, expression ? Breaks.SWITCH_EXPRESSION : Breaks.SWITCH,
                    !expression && mayContinue, !expression && mayReturn, expression || mayYield, indent + "        ");
        }

        Where nested() {
            return new Where(depth + 1, inLoop, breaks, mayContinue, mayReturn, mayYield, indent + "    ");
        }
    }

    /** One method {@code static double f(double x, double y, int k, int j)}: locals r and s, switches on k and j. */
    private static final class MethodGen {
        private final Random rnd;
        /** Whether a break of the switch being generated was written, which lets it complete normally. */
        private boolean brokeSwitch;

        MethodGen(Random rnd) {
            this.rnd = rnd;
        }

        String method(String name) {
            Where top = new Where(0, false, Where.Breaks.NOTHING, false, true, false, "        ");
            StringBuilder b = new StringBuilder();
            b.append("    @Differentiable\n    public static double ").append(name)
                    .append("(double x, double y, int k, int j) {\n");
            b.append("        double r = x;\n        double s = y;\n");
            int statements = 1 + rnd.nextInt(2);
            boolean completes = true;
            for (int i = 0; i < statements && completes; i++) {
                Code c = i == 0 || chance(0.6) ? switchStatement(top) : statement(top, false);
                b.append(c.text());
                completes = c.completes();
            }
            if (completes) {
                b.append("        return r + 0.5 * s;\n");
            }
            return b.append("    }\n").toString();
        }

        /** One to {@code max} statements; the list stops at a jump, which it may end with when {@code jumps}. */
        private Code statements(Where w, int max, boolean jumps) {
            StringBuilder b = new StringBuilder();
            int n = 1 + rnd.nextInt(max);
            for (int i = 0; i < n; i++) {
                Code c = statement(w, jumps && i == n - 1);
                b.append(c.text());
                if (!c.completes()) {
                    return new Code(b.toString(), false);
                }
            }
            return new Code(b.toString(), true);
        }

        private Code statement(Where w, boolean mayJump) {
            if (mayJump && chance(0.35)) {
                Code jump = jump(w);
                if (jump != null) {
                    return jump;
                }
            }
            int pick = rnd.nextInt(w.depth() >= 2 ? 6 : 10);
            return switch (pick) {
                case 0, 1, 2 -> new Code(w.indent() + assignment() + "\n", true);
                case 3 -> new Code(w.indent() + intAssignment() + "\n", true);
                case 4, 5 -> ifStatement(w);
                case 6, 7 -> switchStatement(w);
                case 8 -> switchExpression(w);
                default -> w.inLoop() ? switchStatement(w) : loop(w);
            };
        }

        /** A statement that does not complete normally, where one may stand; {@code null} where none may. */
        private Code jump(Where w) {
            List<String> options = new ArrayList<>();
            if (w.breaks() == Where.Breaks.SWITCH || w.breaks() == Where.Breaks.LOOP) {
                options.add("break;");
            }
            if (w.mayContinue()) {
                options.add("continue;");
            }
            if (w.mayReturn()) {
                options.add("return " + expression(1) + ";");
            }
            if (w.mayYield()) {
                options.add("yield " + expression(1) + ";");
            }
            if (options.isEmpty()) {
                return null;
            }
            String jump = options.get(rnd.nextInt(options.size()));
            if (jump.equals("break;") && w.breaks() == Where.Breaks.SWITCH) {
                brokeSwitch = true;
            }
            return new Code(w.indent() + jump + "\n", false);
        }

        private Code ifStatement(Where w) {
            Code then = statements(w.nested(), 2, true);
            StringBuilder b = new StringBuilder(w.indent()).append("if (").append(condition(w)).append(") {\n")
                    .append(then.text());
            boolean completes = true;
            if (chance(0.5)) {
                Code otherwise = statements(w.nested(), 2, then.completes());
                b.append(w.indent()).append("} else {\n").append(otherwise.text());
                completes = then.completes() || otherwise.completes();
            }
            return new Code(b.append(w.indent()).append("}\n").toString(), completes);
        }

        private Code loop(Where w) {
            Where body = new Where(w.depth() + 1, true, Where.Breaks.LOOP, true, w.mayReturn(), false,
                    w.indent() + "    ");
            Code inside = statements(body, 2, true);
            String tail = inside.completes() ? body.indent() + "r = r + 0.25 * Math.sin(s * i);\n" : "";
            return new Code(w.indent() + "for (int i = 0; i < 3; i++) {\n" + inside.text() + tail + w.indent() + "}\n",
                    true);
        }

        private Code switchStatement(Where w) {
            boolean outerBroke = brokeSwitch;
            brokeSwitch = false;
            Where inCase = w.inSwitch(false);
            boolean classic = chance(0.55);
            List<Integer> labels = labels();
            int groups = 1 + rnd.nextInt(3);
            int defaultAt = chance(0.6) ? rnd.nextInt(groups + 1) : -1;
            StringBuilder b = new StringBuilder(w.indent()).append("switch (").append(selector(w)).append(") {\n");
            String caseIndent = w.indent() + "    ";
            boolean lastCompletes = true;
            boolean anyRuleCompletes = false;
            for (int g = 0; g <= groups; g++) {
                String head;
                if (g == defaultAt) {
                    head = "default";
                } else if (g < groups) {
                    head = "case " + caseLabels(labels, classic, caseIndent);
                } else {
                    continue;
                }
                if (classic) {
                    b.append(caseIndent).append(head).append(":\n");
                    boolean empty = chance(0.2) && g < groups - 1;
                    if (!empty) {
                        Code body = statements(inCase, 2, true);
                        b.append(body.text());
                        lastCompletes = body.completes();
                        if (body.completes() && chance(0.55)) {
                            b.append(inCase.indent()).append("break;\n");
                            brokeSwitch = true;
                            lastCompletes = false;
                        }
                    } else {
                        lastCompletes = true;
                    }
                } else if (chance(0.5)) {
                    b.append(caseIndent).append(head).append(" -> ").append(assignment()).append('\n');
                    anyRuleCompletes = true;
                } else {
                    Code body = statements(inCase, 2, true);
                    b.append(caseIndent).append(head).append(" -> {\n").append(body.text()).append(caseIndent)
                            .append("}\n");
                    anyRuleCompletes |= body.completes();
                }
            }
            b.append(w.indent()).append("}\n");
            boolean completes = defaultAt < 0 || brokeSwitch || (classic ? lastCompletes : anyRuleCompletes);
            brokeSwitch = outerBroke;
            return new Code(b.toString(), completes);
        }

        /** {@code r = switch ...}, {@code s += switch ...} or a switch inside a sum. */
        private Code switchExpression(Where w) {
            String target = chance(0.5) ? "r" : "s";
            int form = rnd.nextInt(3);
            if (form == 1) {
                return new Code(w.indent() + target + " += " + valueSwitch(w, false, selector(w)) + ";\n", true);
            }
            if (form == 2) {
                String variable = chance(0.5) ? "k" : "j";
                return new Code(w.indent() + target + " = 0.5 * " + target + " + "
                        + valueSwitch(w, false, variable) + ";\n", true);
            }
            return new Code(w.indent() + target + " = " + valueSwitch(w, true, selector(w)) + ";\n", true);
        }

        /** A switch expression; its arms are blocks, or groups with yield, only where {@code statements}. */
        private String valueSwitch(Where w, boolean statements, String selector) {
            Where arm = w.inSwitch(true);
            boolean classic = statements && chance(0.4);
            List<Integer> labels = labels();
            int groups = 1 + rnd.nextInt(3);
            int defaultAt = rnd.nextInt(groups + 1);
            String caseIndent = w.indent() + "    ";
            StringBuilder b = new StringBuilder("switch (").append(selector).append(") {\n");
            for (int g = 0; g <= groups; g++) {
                String head = g == defaultAt ? "default" : g < groups ? "case " + caseLabels(labels, classic,
                        caseIndent) : null;
                if (head == null) {
                    continue;
                }
                boolean last = g == groups || g == groups - 1 && defaultAt != groups;
                if (classic) {
                    b.append(caseIndent).append(head).append(":\n");
                    if (!last && chance(0.3)) {
                        b.append(statements(arm, 2, false).text()); // falls through into the next group
                    } else {
                        Code body = statements(arm, 2, false);
                        b.append(body.completes() ? body.text() + arm.indent() + "yield " + expression(2) + ";\n"
                                : body.text());
                    }
                } else if (!statements || chance(0.5)) {
                    b.append(caseIndent).append(head).append(" -> ").append(expression(2)).append(";\n");
                } else {
                    Code body = statements(arm, 2, true);
                    b.append(caseIndent).append(head).append(" -> {\n").append(body.text());
                    if (body.completes()) {
                        b.append(arm.indent()).append("yield ").append(expression(2)).append(";\n");
                    }
                    b.append(caseIndent).append("}\n");
                }
            }
            return b.append(w.indent()).append('}').toString();
        }

        private List<Integer> labels() {
            List<Integer> labels = new ArrayList<>(List.of(-1, 0, 1, 2, 3, 4, 5, 6, 7, 8));
            Collections.shuffle(labels, rnd);
            return labels;
        }

        /** One or two labels taken from {@code free}: {@code 1, 2}, or in the classic form also {@code 1: case 2}. */
        private String caseLabels(List<Integer> free, boolean classic, String indent) {
            String first = String.valueOf(free.remove(0));
            if (!chance(0.3)) {
                return first;
            }
            String second = String.valueOf(free.remove(0));
            return classic && chance(0.5) ? first + ":\n" + indent + "case " + second : first + ", " + second;
        }

        private String selector(Where w) {
            List<String> options = new ArrayList<>(List.of("k", "j", "k % 3", "k + j", "(k * 5 + j) % 4",
                    "Math.abs(k - j)"));
            if (w.inLoop()) {
                options.add("i");
                options.add("i + k");
            }
            return options.get(rnd.nextInt(options.size()));
        }

        private String condition(Where w) {
            List<String> options = new ArrayList<>(List.of("k > 1", "j == 0", "(k + j) % 2 == 0", "j < k", "k != 2"));
            if (w.inLoop()) {
                options.add("i == 1");
                options.add("i > k");
            }
            return options.get(rnd.nextInt(options.size()));
        }

        private String assignment() {
            String target = chance(0.5) ? "r" : "s";
            return switch (rnd.nextInt(5)) {
                case 0 -> target + " = " + expression(2) + ";";
                case 1 -> target + " += " + expression(2) + ";";
                case 2 -> target + " -= " + expression(1) + ";";
                case 3 -> target + " *= Math.cos(" + expression(1) + ");";
                default -> target + " = Math.sin(" + target + ") + " + expression(1) + ";";
            };
        }

        private String intAssignment() {
            return switch (rnd.nextInt(3)) {
                case 0 -> "k = k + 1;";
                case 1 -> "j = (j + 1) % 4;";
                default -> "k = 3;";
            };
        }

        /**
         * A smooth double expression of x, y, r, s and k. A product has a sine as one factor, so that a loop feeding
         * r and s back cannot make them grow like an iterated square, where differences with a fixed step fail.
         */
        private String expression(int depth) {
            if (depth == 0 || chance(0.3)) {
                String[] atoms = {"x", "y", "r", "s", "0.5", "1.5", "2.0", "k * 0.25"};
                return atoms[rnd.nextInt(atoms.length)];
            }
            String a = expression(depth - 1);
            String b = expression(depth - 1);
            return switch (rnd.nextInt(6)) {
                case 0 -> a + " + " + b;
                case 1 -> a + " - " + b;
                case 2 -> "Math.sin(" + a + ") * (" + b + ")";
                case 3 -> "Math.sin(" + a + ")";
                case 4 -> "Math.cos(" + a + " * " + b + ")";
                default -> "Math.tanh(" + a + ")";
            };
        }

        private boolean chance(double p) {
            return rnd.nextDouble() < p;
        }
    }
}
