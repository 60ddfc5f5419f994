package dev.leibniz.processor.frontend;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.TreeScanner;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Desugars {@code switch} on an {@code int} into the IR's {@code if}/{@code else} and {@code ?:}, so that every later
 * stage works on constructs it already knows.
 *
 * <p>A switch statement becomes an else-if chain with one branch per group of labels ({@code if (k == 1 || k == 2)}),
 * the {@code default} group last, as the final {@code else}, wherever the source puts it. The code of a branch is
 * what runs when the switch enters at that group: the group's statements and, while they can complete normally, the
 * next groups' (fall-through duplicates their code, as JLS 14.11.3 runs it). Breaks are removed by
 * {@link SwitchExits}. The chain tests a variable or constant selector directly (its tests all run before any case
 * does, so a case that assigns the variable cannot change which branch runs); any other selector is evaluated once,
 * into a fresh local.
 *
 * <p>A switch expression whose arms are all expressions becomes a chain of conditional expressions, which may stand
 * anywhere an expression may when the selector is a variable or a constant. Otherwise (a computed selector, arms
 * that are blocks, yield, groups) it needs statements before it, and is supported where those statements run
 * exactly when the expression would: as the whole initialiser of a local, the whole right-hand side of {@code =} to a
 * local or parameter, and the whole value of {@code return}. Its arms then hand their values over by an assignment
 * to that variable, or by a {@code return}.
 */
final class Switches {
    private static final String IN = " in a @Differentiable method";
    private static final String NO_DEFAULT = "a switch expression on an int needs a default case; add one "
            + "(default -> ...)";
    private static final String WHERE = "as the whole initialiser of a local, the whole right-hand side of '=' to a "
            + "local or parameter, or the whole value of a return";
    /** {@code case null, default}, which JDK 21 allows; the null part can never match an int. */
    private static final Pattern NULL_OR_DEFAULT = Pattern.compile("case\\s+null\\s*,\\s*default\\b.*",
            Pattern.DOTALL);

    private final TranslationContext context;
    private final ExpressionTranslator expressions;
    private final StatementTranslator statements;

    Switches(TranslationContext context, ExpressionTranslator expressions, StatementTranslator statements) {
        this.context = context;
        this.expressions = expressions;
        this.statements = statements;
    }

    /**
     * One group of a switch block: the labels of one or more cases (an empty {@code case 1:} merges into the next),
     * and what runs when one of them matches.
     *
     * @param head the first case, which the group's branch points at in comments and diagnostics
     * @param isDefault whether {@code default} is among the labels; the group's branch is then the final else
     * @param statements a group's statements, or a rule's body ({@code case 1 -> body})
     * @param value the expression of a switch expression's rule {@code case 1 -> value;}, or {@code null}
     * @param rule whether the group is a rule, which never falls through
     */
    private record Group(CaseTree head, List<ExpressionTree> labels, boolean isDefault,
            List<? extends StatementTree> statements, ExpressionTree value, boolean rule) {
    }

    /** One way into the switch: the test of a group's labels ({@code null} for default) and the code it runs. */
    private record Entry(Group group, Expr test, List<Stmt> code, JumpTarget target) {
    }

    /** The switch expression {@code tree} is, inside any parentheses, or {@code null}. */
    static SwitchExpressionTree switchExpression(ExpressionTree tree) {
        ExpressionTree inner = Constructs.unparenthesized(tree);
        return inner instanceof SwitchExpressionTree s ? s : null;
    }

    // ---- switch statements -----------------------------------------------------------------------------------

    void statement(SwitchTree tree, List<Stmt> out) {
        Expr selector = selector(tree.getExpression(), tree, out);
        List<Group> groups = groups(tree.getCases());
        out.addAll(chain(entries(selector, groups, JumpTarget.Kind.SWITCH_STATEMENT), tree, null));
    }

    // ---- switch expressions ----------------------------------------------------------------------------------

    /**
     * A switch expression inside a larger expression, or anywhere else no statements can run first: a chain of
     * conditional expressions, which needs a selector that can be read again and arms that are expressions.
     */
    Expr inPlace(SwitchExpressionTree tree) {
        return value(tree, false, null).expression();
    }

    /**
     * A switch expression. When every arm is an expression, its value is a chain of conditional expressions; otherwise
     * the arms hand their values over (to a variable, or by returning), which only a local declaration, a plain
     * assignment to a variable and a return can take.
     *
     * @param blocksAllowed whether the arms may be statements
     * @param out where statements may go before the expression, as for the whole initialiser of a local, the whole
     *     right-hand side of an assignment or the whole value of a return: the local of a computed selector;
     *     {@code null} where none may, and the selector must be a variable or a constant
     */
    SwitchValue value(SwitchExpressionTree tree, boolean blocksAllowed, List<Stmt> out) {
        Expr selector = selector(tree.getExpression(), tree, out);
        List<Group> groups = groups(tree.getCases());
        Optional<Group> block = groups.stream().filter(g -> armValue(g) == null).findFirst();
        // arms that assign hand their values over too: their assignments run only in the arm chosen
        boolean assigning = blocksAllowed && groups.stream().anyMatch(g -> SideEffects.in(armValue(g)));
        if (block.isEmpty() && !assigning) {
            Expr chain = conditionalChain(selector, groups, tree);
            return new SwitchValue(expressions.isPlaceholder(selector) ? expressions.poisoned(tree) : chain,
                    List.of(), tree);
        }
        if (!blocksAllowed && block.isPresent()) {
            return new SwitchValue(expressions.placeholder(armBody(block.get()), "a switch expression whose arms are "
                    + "not all expressions is supported" + IN + " only " + WHERE + "; assign it to a local there, "
                    + "or write its arms as expressions"), List.of(), tree);
        }
        if (groups.stream().noneMatch(Group::isDefault)) {
            context.problems().report(tree, NO_DEFAULT);
        }
        return new SwitchValue(null, entries(selector, groups, JumpTarget.Kind.SWITCH_EXPRESSION), tree);
    }

    /** A switch expression at statement level: one expression, or arms that hand their values over. */
    final class SwitchValue {
        private final Expr expression;
        private final List<Entry> entries;
        private final SwitchExpressionTree tree;

        private SwitchValue(Expr expression, List<Entry> entries, SwitchExpressionTree tree) {
            this.expression = expression;
            this.entries = entries;
            this.tree = tree;
        }

        /** The value as one expression, or {@code null} when the arms hand it over ({@link #deliver}). */
        Expr expression() {
            return expression;
        }

        /** The type of the arms' values together (JLS 15.28.1), for {@code var}; empty (and reported) if none. */
        Optional<Type> type() {
            List<Expr> values = new ArrayList<>();
            entries.forEach(e -> e.target().values().forEach(y -> values.add(y.value())));
            return commonType(values, tree).map(t -> t);
        }

        /**
         * The if/else chain, each arm handing its value over with {@code into}.
         *
         * @param returns whether {@code into} makes a {@code return}
         */
        List<Stmt> deliver(Function<JumpTarget.Yield, Stmt> into, boolean returns) {
            return chain(entries, tree, new SwitchExits.Delivery(into, returns));
        }
    }

    /** The expression of an arm that only gives a value: {@code case 1 -> e;}, {@code case 1: yield e;}. */
    private static ExpressionTree armValue(Group g) {
        if (g.value() != null) {
            return g.value();
        }
        List<? extends StatementTree> body = g.statements();
        if (body.size() == 1 && body.get(0) instanceof BlockTree block) {
            body = block.getStatements();
        }
        return body.size() == 1 && body.get(0) instanceof YieldTree yield ? yield.getValue() : null;
    }

    private static Tree armBody(Group g) {
        return g.statements().isEmpty() ? g.head() : g.statements().get(0);
    }

    private Expr conditionalChain(Expr selector, List<Group> groups, SwitchExpressionTree tree) {
        List<Expr> tests = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        List<Group> tested = new ArrayList<>();
        Expr otherwise = null;
        for (Group g : groups) {
            Expr test = g.isDefault() ? null : test(selector, g);
            if (SideEffects.in(armValue(g))) {
                return expressions.placeholder(armValue(g), "assignments and '++'/'--' inside a switch expression "
                        + "are not supported in a @Differentiable method here; assign in a switch statement instead");
            }
            Expr value = expressions.translate(armValue(g));
            if (g.isDefault()) {
                otherwise = value;
            } else {
                tests.add(test);
                values.add(value);
                tested.add(g);
            }
        }
        if (otherwise == null) {
            return expressions.placeholder(tree, NO_DEFAULT);
        }
        List<Expr> all = new ArrayList<>(values);
        all.add(otherwise);
        if (commonType(all, tree).isEmpty()) {
            return expressions.poisoned(tree);
        }
        Expr chain = otherwise;
        for (int k = values.size() - 1; k >= 0; k--) {
            PrimitiveType type = join((PrimitiveType) values.get(k).type(), (PrimitiveType) chain.type());
            chain = new Expr.Conditional(tests.get(k), values.get(k), chain, type, context.pos(tested.get(k).head()));
        }
        return chain;
    }

    /** The type of a standalone switch expression with these values; empty, and reported, when there is none. */
    private Optional<PrimitiveType> commonType(List<Expr> values, Tree at) {
        if (values.stream().anyMatch(expressions::isPlaceholder)) {
            return Optional.empty();
        }
        PrimitiveType type = null;
        for (Expr v : values) {
            if (!(v.type() instanceof PrimitiveType p)) {
                context.problems().report(at, "the arms of a switch expression must give double, long, int or "
                        + "boolean values" + IN + ", not " + ExpressionTranslator.describe(v.type()));
                return Optional.empty();
            }
            PrimitiveType joined = type == null ? p : join(type, p);
            if (joined == null) {
                context.problems().report(at, "incompatible types in the arms of a switch expression: "
                        + type.keyword() + " and " + p.keyword());
                return Optional.empty();
            }
            type = joined;
        }
        return Optional.ofNullable(type);
    }

    /** The type of {@code c ? a : b} for arms of types {@code a} and {@code b}, or {@code null}. */
    private static PrimitiveType join(PrimitiveType a, PrimitiveType b) {
        if (a == PrimitiveType.BOOLEAN || b == PrimitiveType.BOOLEAN) {
            return a == b ? a : null;
        }
        return PrimitiveType.promote(a, b);
    }

    // ---- what both forms share -------------------------------------------------------------------------------

    /**
     * The selector as an expression each test may read: a variable or a constant as it is, anything else through a
     * fresh local, declared in {@code out} ({@code null}: no local can be declared, which is an error). A selector
     * outside the subset is reported here and gives a placeholder.
     */
    private Expr selector(ExpressionTree parenthesized, Tree switchTree, List<Stmt> out) {
        ExpressionTree tree = Constructs.unparenthesized(parenthesized);
        Optional<String> outside = typeOutsideSubset(tree);
        if (outside.isPresent()) {
            return expressions.placeholder(tree, notInt(outside.get()));
        }
        Expr value = expressions.translate(tree);
        if (expressions.isPlaceholder(value)) {
            return value;
        }
        if (value.type() != PrimitiveType.INT) {
            return expressions.placeholder(tree, notInt(ExpressionTranslator.describe(value.type())));
        }
        if (value instanceof Expr.Ref || value instanceof Expr.Literal || value instanceof Expr.FieldRef) {
            return value;
        }
        if (out == null) {
            return expressions.placeholder(tree, "a switch expression on a computed value is supported" + IN
                    + " only " + WHERE + " (or of a compound assignment to a local); assign the selector to a local "
                    + "first");
        }
        Variable local = context.variables().create("selector", PrimitiveType.INT, Variable.Role.LOCAL);
        out.add(new Stmt.LocalDecl(local, value, context.pos(switchTree)));
        return new Expr.Ref(local, context.pos(tree));
    }

    private static String notInt(String type) {
        return "switch on " + type + " values is not supported" + IN + "; only switch on int is: use an int, or "
                + "write the cases as if/else";
    }

    /** The type a selector has outside the subset, when one can tell: a string or char literal, or such a variable. */
    private Optional<String> typeOutsideSubset(ExpressionTree selector) {
        if (selector.getKind() == Tree.Kind.STRING_LITERAL) {
            return Optional.of("String");
        }
        if (selector.getKind() == Tree.Kind.CHAR_LITERAL) {
            return Optional.of("char");
        }
        if (selector instanceof IdentifierTree id) {
            return context.scopes().lookup(id.getName().toString()).flatMap(context::unsupportedType);
        }
        return Optional.empty();
    }

    /** The groups of a switch block, empty cases merged into the next; patterns are reported. */
    private List<Group> groups(List<? extends CaseTree> cases) {
        List<Group> out = new ArrayList<>();
        CaseTree head = null;
        List<ExpressionTree> labels = new ArrayList<>();
        boolean isDefault = false;
        for (int i = 0; i < cases.size(); i++) {
            CaseTree c = cases.get(i);
            // getLabels() would tell default from a pattern, but it is a preview API on JDK 17; the source can.
            String text = context.text(c);
            boolean caseDefault = c.getExpressions().isEmpty() && text.startsWith("default")
                    || NULL_OR_DEFAULT.matcher(text).matches();
            if (c.getExpressions().isEmpty() && !caseDefault) {
                context.problems().report(c, "patterns in switch are not supported" + IN + "; switch on an int "
                        + "with constant labels, or write the cases as if/else");
            }
            head = head == null ? c : head;
            for (ExpressionTree label : c.getExpressions()) {
                if (label.getKind() == Tree.Kind.NULL_LITERAL) {
                    context.problems().report(label, "an int selector is never null; remove 'null' from the case");
                } else {
                    labels.add(label);
                }
            }
            isDefault |= caseDefault;
            if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
                Tree body = c.getBody();
                out.add(body instanceof ExpressionTree value
                        ? new Group(head, List.copyOf(labels), isDefault, List.of(), value, true)
                        : new Group(head, List.copyOf(labels), isDefault, List.of((StatementTree) body), null, true));
            } else if (c.getStatements().isEmpty() && i < cases.size() - 1) {
                continue; // case 1: case 2: ... is one group
            } else {
                out.add(new Group(head, List.copyOf(labels), isDefault, c.getStatements(), null, false));
            }
            head = null;
            labels = new ArrayList<>();
            isDefault = false;
        }
        return out;
    }

    /** {@code selector == a || selector == b} for a group's labels {@code a, b}. */
    private Expr test(Expr selector, Group g) {
        if (expressions.isPlaceholder(selector)) {
            return selector; // labels of a selector outside the subset would only repeat its problem
        }
        Expr test = null;
        for (ExpressionTree label : g.labels()) {
            Expr value = expressions.translate(label);
            if (expressions.isPlaceholder(value)) {
                continue;
            }
            if (value.type() != PrimitiveType.INT) {
                context.problems().report(label, "a case label must be an int constant" + IN + ", not "
                        + ExpressionTranslator.describe(value.type()));
                continue;
            }
            SourcePos pos = context.pos(label);
            Expr equal = new Expr.Binary(BinaryOp.EQ, copy(selector), value, PrimitiveType.BOOLEAN, pos);
            test = test == null ? equal
                    : new Expr.Binary(BinaryOp.CONDITIONAL_OR, test, equal, PrimitiveType.BOOLEAN, pos);
        }
        return test == null ? expressions.poisoned(g.head()) : test;
    }

    /** Each test reads the selector through a node of its own. */
    private Expr copy(Expr selector) {
        if (selector instanceof Expr.Ref r) {
            return new Expr.Ref(r.variable(), r.pos());
        }
        if (selector instanceof Expr.Literal l && !expressions.isPlaceholder(l)) {
            return new Expr.Literal(l.type(), l.text(), l.pos());
        }
        if (selector instanceof Expr.FieldRef f) {
            return new Expr.FieldRef(f.owner(), f.name(), f.type(), f.pos());
        }
        return selector;
    }

    /**
     * The code each group runs when the switch enters there, with the switch's breaks (and yields) still in it. Each
     * is translated on its own, so that code a fall-through repeats gets variables of its own, as if the source
     * repeated it. A local declared by an earlier group is in scope in later ones (one switch block); where a later
     * group uses it, its entry declares it first, without a value (javac has checked it is assigned before use).
     */
    private List<Entry> entries(Expr selector, List<Group> groups, JumpTarget.Kind kind) {
        List<Set<String>> names = groups.stream().map(Switches::namesUsed).toList();
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            Expr test = g.isDefault() ? null : test(selector, g);
            context.scopes().push();
            JumpTarget target = context.enterSwitch(kind);
            List<Stmt> code = new ArrayList<>();
            declareEarlierLocals(groups, names, i, code);
            for (int j = i; j < groups.size(); j++) {
                translate(groups.get(j), target, code);
                if (groups.get(j).rule() || !SwitchExits.mayComplete(code, target.label())) {
                    break;
                }
            }
            context.exitJumpTarget();
            context.scopes().pop();
            out.add(new Entry(g, test, code, target));
        }
        return out;
    }

    private void translate(Group g, JumpTarget target, List<Stmt> code) {
        if (g.value() != null) {
            // an arm's side effects run in the arm (case 0 -> x *= 2)
            Expr value = expressions.effects().into(code, () -> expressions.translate(g.value()));
            code.add(target.yieldBreak(new JumpTarget.Yield(value, g.value(), context.pos(g.value()))));
            return;
        }
        for (StatementTree s : g.statements()) {
            statements.translate(s, code);
        }
    }

    private void declareEarlierLocals(List<Group> groups, List<Set<String>> names, int entry, List<Stmt> code) {
        Set<String> used = new HashSet<>();
        names.subList(entry, names.size()).forEach(used::addAll);
        for (Group earlier : groups.subList(0, entry)) {
            for (StatementTree s : earlier.statements()) {
                if (!earlier.rule() && s instanceof VariableTree v && used.contains(v.getName().toString())) {
                    statements.declareOnly(v, code);
                }
            }
        }
    }

    /** The simple names a group's code mentions. */
    private static Set<String> namesUsed(Group g) {
        Set<String> names = new HashSet<>();
        TreeScanner<Void, Void> scanner = new TreeScanner<>() {
            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
                names.add(node.getName().toString());
                return null;
            }
        };
        g.statements().forEach(s -> scanner.scan(s, null));
        if (g.value() != null) {
            scanner.scan(g.value(), null);
        }
        return names;
    }

    /**
     * The else-if chain over the entries, the default's code last; a group whose code does nothing is left out
     * unless a later branch needs it tested first.
     */
    private List<Stmt> chain(List<Entry> entries, Tree switchTree, SwitchExits.Delivery delivery) {
        SourcePos at = context.pos(switchTree);
        List<Stmt> otherwise = List.of();
        List<Entry> tested = new ArrayList<>();
        for (Entry e : entries) {
            List<Stmt> code = new SwitchExits(e.target(), delivery, () -> flag(at)).apply(e.code());
            if (e.test() == null) {
                otherwise = code;
            } else {
                tested.add(new Entry(e.group(), e.test(), code, e.target()));
            }
        }
        List<Stmt> chain = otherwise;
        for (int k = tested.size() - 1; k >= 0; k--) {
            Entry e = tested.get(k);
            if (e.code().isEmpty() && chain.isEmpty()) {
                continue;
            }
            chain = List.of(new Stmt.If(e.test(), e.code(), chain, context.pos(e.group().head())));
        }
        return chain;
    }

    private Variable flag(SourcePos at) {
        return context.variables().create(at.line() > 0 ? "stop" + at.line() : "stop", PrimitiveType.BOOLEAN,
                Variable.Role.EXIT_FLAG);
    }
}
