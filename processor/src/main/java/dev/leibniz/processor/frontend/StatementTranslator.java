package dev.leibniz.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Translates statement trees into IR statements; nested blocks flatten into their parent's list. */
final class StatementTranslator {
    private final TranslationContext context;
    private final ExpressionTranslator expressions;
    private final Switches switches;
    /** The type each translated local declaration gave its variable, for a switch group that declares it again. */
    private final Map<VariableTree, Type> declaredTypes = new IdentityHashMap<>();

    StatementTranslator(TranslationContext context, ExpressionTranslator expressions) {
        this.context = context;
        this.expressions = expressions;
        this.switches = new Switches(context, expressions, this);
        expressions.useSwitches(switches);
        expressions.useStatements(this);
    }

    List<Stmt> translateBlock(List<? extends StatementTree> statements) {
        context.scopes().push();
        List<Stmt> out = new ArrayList<>();
        for (StatementTree s : statements) {
            translate(s, out);
        }
        context.scopes().pop();
        return out;
    }

    private List<Stmt> translateNested(StatementTree statement) {
        if (statement == null) {
            return List.of();
        }
        if (statement instanceof BlockTree block) {
            return translateBlock(block.getStatements());
        }
        return translateBlock(List.of(statement));
    }

    /** Translates {@code tree} into {@code out}, after the side effects of its expressions ({@link SideEffects}). */
    void translate(StatementTree tree, List<Stmt> out) {
        expressions.effects().into(out, () -> {
            translateStatement(tree, out);
            return null;
        });
    }

    private void translateStatement(StatementTree tree, List<Stmt> out) {
        switch (tree.getKind()) {
            case BLOCK:
                out.addAll(translateBlock(((BlockTree) tree).getStatements()));
                return;
            case VARIABLE:
                localDeclaration((VariableTree) tree, out);
                return;
            case EXPRESSION_STATEMENT:
                expressionStatement((ExpressionStatementTree) tree, out);
                return;
            case IF:
                ifStatement((IfTree) tree, out);
                return;
            case RETURN:
                returnStatement((ReturnTree) tree, out);
                return;
            case EMPTY_STATEMENT:
                return;
            case WHILE_LOOP:
            case DO_WHILE_LOOP:
            case FOR_LOOP:
            case ENHANCED_FOR_LOOP:
                loop(tree, null, out);
                return;
            case LABELED_STATEMENT:
                labeled((LabeledStatementTree) tree, out);
                return;
            case BREAK:
                jump(tree, ((BreakTree) tree).getLabel(), true, out);
                return;
            case CONTINUE:
                jump(tree, ((ContinueTree) tree).getLabel(), false, out);
                return;
            case SWITCH:
                switches.statement((SwitchTree) tree, out);
                return;
            case YIELD:
                yieldStatement((YieldTree) tree, out);
                return;
            default:
                context.problems().report(tree, Constructs.unsupportedStatement(tree));
        }
    }

    private void localDeclaration(VariableTree tree, List<Stmt> out) {
        String name = tree.getName().toString();
        Optional<Type> declared = isVar(tree) ? Optional.empty() : Constructs.type(tree.getType());
        if (isVar(tree) || declared.orElse(null) instanceof ArrayType) {
            Optional<List<Stmt>> copy = expressions.arrayCopy(tree.getInitializer(), fresh -> {
                Type type = declared.orElse(fresh.type());
                if (!type.equals(fresh.type())) {
                    context.problems().report(tree.getInitializer(), "incompatible types: " + fresh.type()
                            + " cannot be converted to " + type);
                }
                Variable variable = context.variables().create(name, type, Variable.Role.LOCAL);
                context.scopes().declare(name, variable);
                declaredTypes.put(tree, type);
                return new Stmt.LocalDecl(variable, fresh, context.pos(tree));
            }, null);
            if (copy.isPresent()) {
                if (copy.get().isEmpty()) {
                    declareErroneous(tree);
                }
                out.addAll(copy.get());
                return;
            }
        }
        Expr init = null;
        Switches.SwitchValue arms = null;
        SwitchExpressionTree switchInit = Switches.switchExpression(tree.getInitializer());
        if (switchInit != null) {
            Switches.SwitchValue value = switches.value(switchInit, true, out);
            init = value.expression();
            arms = init == null ? value : null;
        } else if (tree.getInitializer() instanceof NewArrayTree array
                && declared.orElse(null) instanceof ArrayType expected) {
            init = expressions.newArray(array, expected); // {a, b} takes its type from the declaration
        } else if (tree.getInitializer() instanceof NewArrayTree array && array.getType() == null && !isVar(tree)) {
            init = null; // {a, b} of a type outside the subset (Double[]): the declaration's error says it all
        } else if (tree.getInitializer() != null) {
            init = expressions.translateValue(tree.getInitializer(), out);
        }
        Optional<Type> initType = arms != null ? arms.type()
                : init == null || expressions.isPlaceholder(init) ? Optional.empty() : Optional.of(init.type());
        Optional<Type> type = declaredType(tree, declared, initType);
        if (type.isEmpty()) {
            declareErroneous(tree);
            return;
        }
        Variable variable = context.variables().create(name, type.get(), Variable.Role.LOCAL);
        context.scopes().declare(name, variable);
        declaredTypes.put(tree, type.get());
        if (arms != null) {
            // double y; if (k == 0) { y = ...; } else ...: each arm assigns the value it yields.
            out.add(new Stmt.LocalDecl(variable, null, context.pos(tree)));
            out.addAll(arms.deliver(y -> assignYield(variable, y), false));
            return;
        }
        if (init != null && !checkAssignable(tree.getInitializer(), init, type.get())) {
            return;
        }
        out.add(new Stmt.LocalDecl(variable, init, context.pos(tree)));
    }

    /** Declared all the same, so that its uses are not reported as unknown names. */
    private void declareErroneous(VariableTree tree) {
        String name = tree.getName().toString();
        Variable erroneous = context.variables().create(name, PrimitiveType.DOUBLE, Variable.Role.LOCAL);
        context.scopes().declare(name, erroneous);
        context.markErroneous(erroneous);
        if (tree.getType() != null && !isVar(tree)) {
            context.noteUnsupportedType(erroneous, tree.getType().toString());
        }
    }

    /**
     * A local that a switch group declares, in the code of a later group's entry that uses it: in scope there, but
     * not run, so declared without a value.
     */
    void declareOnly(VariableTree tree, List<Stmt> out) {
        Type type = declaredTypes.get(tree);
        if (type == null) {
            declareErroneous(tree);
            return;
        }
        Variable variable = context.variables().create(tree.getName().toString(), type, Variable.Role.LOCAL);
        context.scopes().declare(tree.getName().toString(), variable);
        out.add(new Stmt.LocalDecl(variable, null, context.pos(tree)));
    }

    /** {@code target = value} for a value a switch expression's arm yields, or {@code null} when it does not fit. */
    private Stmt assignYield(Variable target, JumpTarget.Yield y) {
        return checkAssignable(y.tree(), y.value(), target.type())
                ? new Stmt.Assign(target, y.value(), Stmt.Assign.Form.PLAIN, y.pos()) : null;
    }

    private static boolean isVar(VariableTree tree) {
        Tree type = tree.getType();
        return type == null || type instanceof IdentifierTree id && id.getName().contentEquals("var");
    }

    /** The declared type, or for {@code var} the initializer's; empty (and reported) outside the subset. */
    private Optional<Type> declaredType(VariableTree tree, Optional<Type> declared, Optional<Type> initType) {
        if (isVar(tree) && tree.getInitializer() == null) {
            // javac's error, which it would report only after Leibniz had written code that names no type
            context.problems().report(tree, "cannot infer type for local variable " + tree.getName() + " ('var' "
                    + "needs an initialiser); declare its type, or give it a value");
            return Optional.empty();
        }
        if (isVar(tree)) {
            return initType;
        }
        if (declared.isPresent() && supported(declared.get())) {
            return declared;
        }
        Tree type = tree.getType();
        context.problems().report(type, "local '" + tree.getName() + "' has type " + type
                + ", which Leibniz cannot differentiate; only double, float, long, int and boolean locals, and arrays "
                + "of them with one or two dimensions, are supported" + Constructs.instead(type));
        return Optional.empty();
    }

    /** Arrays of up to two dimensions, which the generated gradient buffers can take the shape of. */
    /** Arrays of up to two dimensions. */
    static boolean supported(Type type) {
        return !(type instanceof ArrayType a) || a.dimensions() <= 2;
    }

    boolean checkAssignable(ExpressionTree tree, Expr value, Type target) {
        if (expressions.isPlaceholder(value)) {
            return false;
        }
        if (!ExpressionTranslator.assignable(value.type(), target)) {
            boolean numeric = value.type() instanceof PrimitiveType source && source.isNumeric()
                    && target instanceof PrimitiveType t && t.isNumeric();
            context.problems().report(tree, "incompatible types: " + ExpressionTranslator.describe(value.type())
                    + " cannot be " + (numeric ? "assigned to " + ExpressionTranslator.describe(target)
                    + " without a cast" : "converted to " + ExpressionTranslator.describe(target)));
            return false;
        }
        return true;
    }

    /** What an assignment writes: a local or parameter, or an element of an array. */
    private sealed interface Target permits VariableTarget, ElementTarget {
        Type type();

        Expr read(SourcePos pos);

        Stmt assign(Expr value, Stmt.Assign.Form form, SourcePos pos);
    }

    private record VariableTarget(Variable variable) implements Target {
        @Override
        public Type type() {
            return variable.type();
        }

        @Override
        public Expr read(SourcePos pos) {
            return new Expr.Ref(variable, pos);
        }

        @Override
        public Stmt assign(Expr value, Stmt.Assign.Form form, SourcePos pos) {
            return new Stmt.Assign(variable, value, form, pos);
        }
    }

    private record ElementTarget(Expr.ArrayRead element) implements Target {
        @Override
        public Type type() {
            return element.type();
        }

        @Override
        public Expr read(SourcePos pos) {
            return element;
        }

        @Override
        public Stmt assign(Expr value, Stmt.Assign.Form form, SourcePos pos) {
            return new Stmt.ElementAssign(element.array(), element.index(), value, form, pos);
        }
    }

    private void expressionStatement(ExpressionStatementTree tree, List<Stmt> out) {
        ExpressionTree expr = tree.getExpression();
        SourcePos pos = context.pos(tree);
        switch (expr.getKind()) {
            case ASSIGNMENT -> assignment((AssignmentTree) expr, pos, out);
            case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT ->
                    increment((UnaryTree) expr, pos, out);
            case METHOD_INVOCATION -> callStatement((MethodInvocationTree) expr, out);
            default -> {
                if (Constructs.isCompoundAssignment(expr.getKind())) {
                    compoundAssignment((CompoundAssignmentTree) expr, pos, out);
                } else {
                    context.problems().report(expr, Constructs.unsupportedExpression(expr));
                }
            }
        }
    }

    /**
     * An assignment, compound assignment, {@code ++} or {@code --} inside an expression: its statements go into
     * {@code out}, and the value the expression has is returned, or {@code null} when it was reported. The value
     * reads the target after the assignment ({@code x = y = z}: {@code y = z; x = y;}), or, for {@code x++}, a local
     * holding the value before it.
     */
    Expr sideEffect(ExpressionTree tree, List<Stmt> out) {
        SourcePos pos = context.pos(tree);
        Optional<Target> target;
        if (tree instanceof AssignmentTree assignment) {
            target = assignment(assignment, pos, out);
        } else if (tree instanceof UnaryTree unary) {
            boolean postfix = tree.getKind() == Tree.Kind.POSTFIX_INCREMENT
                    || tree.getKind() == Tree.Kind.POSTFIX_DECREMENT;
            Optional<Target> counted = assignmentTarget(unary.getExpression());
            if (counted.isEmpty() || !requireNumeric(unary, counted.get())) {
                return null;
            }
            Expr before = postfix ? expressions.effects().spill(counted.get().read(pos), pos) : null;
            target = increment(unary, counted.get(), pos, out);
            if (postfix) {
                return target.isPresent() ? before : null;
            }
        } else {
            target = compoundAssignment((CompoundAssignmentTree) tree, pos, out);
        }
        if (target.isEmpty()) {
            return null;
        }
        if (target.get().type() instanceof ArrayType) {
            context.problems().report(tree, "assigning an array inside an expression is not supported in a "
                    + "@Differentiable method; assign it in a statement of its own");
            return null;
        }
        return target.get().read(pos);
    }

    private Optional<Target> assignment(AssignmentTree assignment, SourcePos pos, List<Stmt> out) {
        Optional<Target> target = stable(assignmentTarget(assignment.getVariable()), assignment.getExpression());
        SwitchExpressionTree switchValue = Switches.switchExpression(assignment.getExpression());
        if (switchValue != null && target.orElse(null) instanceof VariableTarget variable) {
            assignSwitch(variable.variable(), switchValue, pos, out);
            return target;
        }
        if (target.orElse(null) instanceof VariableTarget variable && variable.type() instanceof ArrayType) {
            Optional<List<Stmt>> copy = expressions.arrayCopy(assignment.getExpression(),
                    fresh -> new Stmt.Assign(variable.variable(), fresh, Stmt.Assign.Form.PLAIN, pos),
                    variable.variable());
            if (copy.isPresent()) {
                out.addAll(copy.get());
                return target;
            }
        }
        Expr value = target.isPresent() && target.get().type() instanceof ArrayType array
                && assignment.getExpression() instanceof NewArrayTree init
                ? expressions.newArray(init, array)
                : named(expressions.translateValue(assignment.getExpression(), out), pos, out);
        if (target.isPresent() && checkAssignable(assignment.getExpression(), value, target.get().type())) {
            out.add(target.get().assign(value, Stmt.Assign.Form.PLAIN, pos));
            return target;
        }
        return Optional.empty();
    }

    private void increment(UnaryTree unary, SourcePos pos, List<Stmt> out) {
        Optional<Target> target = assignmentTarget(unary.getExpression());
        if (target.isPresent() && requireNumeric(unary, target.get())) {
            increment(unary, target.get(), pos, out);
        }
    }

    private Optional<Target> increment(UnaryTree unary, Target target, SourcePos pos, List<Stmt> out) {
        boolean increment = unary.getKind() == Tree.Kind.PREFIX_INCREMENT
                || unary.getKind() == Tree.Kind.POSTFIX_INCREMENT;
        Expr one = new Expr.Literal(PrimitiveType.INT, "1", SourcePos.NONE);
        PrimitiveType type = (PrimitiveType) target.type();
        Expr value = new Expr.Binary(increment ? BinaryOp.ADD : BinaryOp.SUB, target.read(pos), one,
                PrimitiveType.promote(type, PrimitiveType.INT), pos);
        out.add(target.assign(value, increment ? Stmt.Assign.Form.INCREMENT : Stmt.Assign.Form.DECREMENT, pos));
        return Optional.of(target);
    }

    /**
     * An element target whose right-hand side has side effects, with its array and index kept in locals first: Java
     * evaluates them before the right-hand side ({@code a[i] = i++} stores into the old {@code a[i]}).
     */
    private Optional<Target> stable(Optional<Target> target, ExpressionTree value) {
        if (target.orElse(null) instanceof ElementTarget element && SideEffects.in(value)) {
            SideEffects effects = expressions.effects();
            Expr.ArrayRead read = element.element();
            SourcePos pos = read.pos();
            Expr array = read.array() instanceof Expr.Ref ? read.array() : effects.spill(read.array(), pos);
            return Optional.of(new ElementTarget(new Expr.ArrayRead(array, effects.spill(read.index(), pos),
                    read.type(), pos)));
        }
        return target;
    }

    /**
     * A call made for what it writes: {@code System.arraycopy} and {@code Arrays.fill} as the loops they are, any
     * other method that may write into an array it is given as a statement that the reverse sweep knows changes
     * those arrays.
     */
    private void callStatement(MethodInvocationTree tree, List<Stmt> out) {
        Expr call = expressions.call(tree, true);
        if (call instanceof Expr.DiffCall writing && !expressions.isPlaceholder(call)) {
            out.add(new Stmt.Evaluate(writing)); // a @Differentiable method that writes into its arrays
            return;
        }
        if (expressions.isPlaceholder(call) || !(call instanceof Expr.StaticCall s)) {
            return;
        }
        ArrayCopies copies = new ArrayCopies(context.variables(), context.pos(tree));
        if (ArrayCopies.isCopyOrFill(s)) {
            String problem = ArrayCopies.problem(s);
            if (problem != null) {
                context.problems().report(tree, problem);
                return;
            }
            out.addAll(s.name().equals("fill") ? copies.fill(s.args()) : copies.arraycopy(s.args()));
        } else {
            out.add(new Stmt.Evaluate(s));
        }
    }

    /**
     * {@code y = switch ...}: the switch's value assigned, or, when its arms are statements, each arm assigning its
     * own value (the arms cannot see {@code y} change before they yield).
     */
    private void assignSwitch(Variable target, SwitchExpressionTree tree, SourcePos pos, List<Stmt> out) {
        Switches.SwitchValue value = switches.value(tree, true, out);
        if (value.expression() == null) {
            out.addAll(value.deliver(y -> assignYield(target, y), false));
        } else if (checkAssignable(tree, value.expression(), target.type())) {
            out.add(new Stmt.Assign(target, value.expression(), Stmt.Assign.Form.PLAIN, pos));
        }
    }

    private Optional<Target> compoundAssignment(CompoundAssignmentTree tree, SourcePos pos, List<Stmt> out) {
        Optional<Target> target = stable(assignmentTarget(tree.getVariable()), tree.getExpression());
        // x op= e reads x before e runs (JLS 15.26.2): kept first when e has side effects
        Expr old = target.isPresent() && SideEffects.in(tree.getExpression())
                && target.get().type() instanceof PrimitiveType
                ? expressions.effects().spill(target.get().read(pos), pos) : null;
        SwitchExpressionTree switchValue = Switches.switchExpression(tree.getExpression());
        // y += switch (k % 3) {...}: the selector's local may go first, since it cannot change a local y.
        // s += step(x, v): a call that writes arrays may run first when it cannot change the variable assigned
        Expr rhs = switchValue != null && target.orElse(null) instanceof VariableTarget
                ? switches.value(switchValue, false, out).expression()
                : target.orElse(null) instanceof VariableTarget && old == null
                        ? named(expressions.translateValue(tree.getExpression(), out), pos, out)
                        : expressions.translate(tree.getExpression());
        if (target.isEmpty() || expressions.isPlaceholder(rhs)) {
            return Optional.empty();
        }
        BinaryOp op = Constructs.binaryOp(tree.getKind());
        if (!(target.get().type() instanceof PrimitiveType targetType) || !(rhs.type() instanceof PrimitiveType r)) {
            context.problems().report(tree, "bad operand types for '" + op.symbol() + "='");
            return Optional.empty();
        }
        PrimitiveType type = ExpressionTranslator.binaryType(op, targetType, r);
        if (type == null) {
            context.problems().report(tree, "bad operand types " + targetType.keyword() + " and " + r.keyword()
                    + " for '" + op.symbol() + "='");
            return Optional.empty();
        }
        if (expressions.dividesByZero(op, type, tree.getExpression())) {
            context.problems().report(tree.getExpression(), ExpressionTranslator.divisionByZero(op));
            return Optional.empty();
        }
        Expr value = new Expr.Binary(op, old != null ? old : target.get().read(pos), rhs, type, pos);
        if (type != targetType) {
            value = new Expr.Cast(targetType, value, pos); // JLS 15.26.2: the implicit narrowing of 'x op= y'
        }
        // COMPOUND means x = x op e, printed x op= e: not so when x was read before e's side effects
        out.add(target.get().assign(value, old != null ? Stmt.Assign.Form.PLAIN : Stmt.Assign.Form.COMPOUND, pos));
        return target;
    }

    private Optional<Target> assignmentTarget(ExpressionTree tree) {
        if (tree instanceof IdentifierTree id) {
            Optional<Variable> local = context.scopes().lookup(id.getName().toString());
            if (local.isPresent()) {
                return local.map(VariableTarget::new);
            }
            context.problems().report(tree, "only locals, parameters and their array elements can be assigned in a "
                    + "@Differentiable method; '" + id.getName() + "' is not one");
            return Optional.empty();
        }
        if (tree instanceof ArrayAccessTree) {
            Expr element = expressions.translate(tree);
            if (expressions.isPlaceholder(element)) {
                return Optional.empty();
            }
            if (element.type() instanceof ArrayType) {
                context.problems().report(tree, "assigning a whole row of an array is not supported in a "
                        + "@Differentiable method; assign its elements");
                return Optional.empty();
            }
            return Optional.of(new ElementTarget((Expr.ArrayRead) element));
        }
        context.problems().report(tree, "only locals, parameters and their array elements can be assigned in a "
                + "@Differentiable method");
        return Optional.empty();
    }

    private boolean requireNumeric(Tree tree, Target target) {
        if (target.type() instanceof PrimitiveType p && p.isNumeric()) {
            return true;
        }
        context.problems().report(tree, "bad operand type for '++' or '--'");
        return false;
    }

    private void ifStatement(IfTree tree, List<Stmt> out) {
        Expr condition = expressions.translate(tree.getCondition());
        if (!expressions.isPlaceholder(condition) && condition.type() != PrimitiveType.BOOLEAN) {
            context.problems().report(tree.getCondition(), "the condition of 'if' must be boolean");
        }
        List<Stmt> thenStmts = translateNested(tree.getThenStatement());
        List<Stmt> elseStmts = translateNested(tree.getElseStatement());
        out.add(new Stmt.If(condition, thenStmts, elseStmts, context.pos(tree)));
    }

    private void labeled(LabeledStatementTree tree, List<Stmt> out) {
        StatementTree statement = tree.getStatement();
        String label = tree.getLabel().toString();
        for (JumpTarget t : context.jumpTargets()) {
            if (label.equals(t.label())) {
                context.problems().report(tree, "label " + label + " already in use");
                return;
            }
        }
        switch (statement.getKind()) {
            case WHILE_LOOP, DO_WHILE_LOOP, FOR_LOOP, ENHANCED_FOR_LOOP -> loop(statement, label, out);
            case LABELED_STATEMENT -> context.problems().report(tree, "a loop may have one label in a "
                    + "@Differentiable method; remove '" + label + "' or '"
                    + ((LabeledStatementTree) statement).getLabel() + "'");
            default -> context.problems().report(tree, "labels are supported on loops only in a @Differentiable "
                    + "method; remove the label '" + label + "', or put it on a loop");
        }
    }

    private static final String ARRAYS_ONLY = "enhanced for loops are supported over arrays only in a "
            + "@Differentiable method; pass the values in a double[], or loop over an index";

    /** {@code for}, {@code while} and {@code do/while}, in a scope of their own (a {@code for}'s variables). */
    private void loop(StatementTree tree, String label, List<Stmt> out) {
        if (tree instanceof EnhancedForLoopTree each) {
            enhancedFor(each, label, out);
            return;
        }
        context.scopes().push();
        List<Stmt> init = new ArrayList<>();
        ExpressionTree conditionTree;
        List<? extends StatementTree> updateTrees = List.of();
        StatementTree bodyTree;
        Stmt.Loop.Kind kind;
        if (tree instanceof ForLoopTree f) {
            kind = Stmt.Loop.Kind.FOR;
            for (StatementTree s : f.getInitializer()) {
                translate(s, init);
            }
            conditionTree = f.getCondition();
            updateTrees = f.getUpdate();
            bodyTree = f.getStatement();
        } else if (tree instanceof WhileLoopTree w) {
            kind = Stmt.Loop.Kind.WHILE;
            conditionTree = w.getCondition();
            bodyTree = w.getStatement();
        } else {
            DoWhileLoopTree d = (DoWhileLoopTree) tree;
            kind = Stmt.Loop.Kind.DO_WHILE;
            conditionTree = d.getCondition();
            bodyTree = d.getStatement();
        }
        // side effects of the condition run each time it is evaluated: at the top of the body, or its end for do-while
        List<Stmt> conditionEffects = new ArrayList<>();
        Expr condition = conditionTree == null ? Expr.Literal.ofBoolean(true)
                : expressions.effects().into(conditionEffects, () -> expressions.translate(conditionTree));
        if (conditionTree != null && !expressions.isPlaceholder(condition) && condition.type() != PrimitiveType.BOOLEAN) {
            context.problems().report(conditionTree, "the condition of a loop must be boolean");
        }
        int problemsBefore = context.problems().size();
        context.enterLoop(label);
        List<Stmt> body = translateNested(bodyTree);
        context.exitJumpTarget();
        if (context.problems().size() == problemsBefore && expressions.constants().isTrue(conditionTree)
                && !leaves(body, label, Set.of(), true)) {
            // Valid Java, but the method never returns; the reverse sweep after such a loop would be unreachable code.
            context.problems().report(tree, "this loop never ends: its condition is always true and no break or "
                    + "return leaves it; end it with a break or a return, or give it a condition that becomes false");
        }
        List<Stmt> update = new ArrayList<>();
        for (StatementTree s : updateTrees) {
            translate(s, update);
        }
        context.scopes().pop();
        if (!conditionEffects.isEmpty()) {
            SourcePos pos = context.pos(conditionTree);
            if (kind == Stmt.Loop.Kind.DO_WHILE) {
                if (Constructs.anyTree(bodyTree, t -> t instanceof ContinueTree)) {
                    // a continue jumps to the condition, past statements appended to the body
                    context.problems().report(conditionTree, "a do-while loop whose condition assigns is not supported "
                            + "in a @Differentiable method when its body has a continue; write it as while (true) with "
                            + "the assignment and if (!(condition)) break; at the end of the body");
                    return;
                }
                // while (true) { body; effects; if (!condition) break; }: the condition may read locals of the effects
                kind = Stmt.Loop.Kind.WHILE;
                body = new ArrayList<>(body);
                body.addAll(conditionEffects);
                body.add(exitUnless(condition, pos));
            } else {
                List<Stmt> tested = new ArrayList<>(conditionEffects);
                tested.add(exitUnless(condition, pos));
                tested.addAll(body);
                body = tested;
            }
            condition = Expr.Literal.ofBoolean(true);
        }
        out.add(new Stmt.Loop(kind, label, init, condition, update, body, context.pos(tree)));
    }

    private static Stmt exitUnless(Expr condition, SourcePos pos) {
        return new Stmt.If(new Expr.Unary(dev.leibniz.processor.ir.UnaryOp.NOT, condition, PrimitiveType.BOOLEAN, pos),
                List.of(new Stmt.Break(null, pos)), List.of(), pos);
    }

    /**
     * Whether a {@code return}, or a {@code break} or {@code continue} to a target outside, leaves the loop
     * labelled {@code label} (or unlabelled: {@code null}) whose body holds {@code stmts}; {@code inner}: the labels of
     * the loops between, {@code direct}: not inside one of those.
     */
    private static boolean leaves(List<Stmt> stmts, String label, Set<String> inner, boolean direct) {
        for (Stmt s : stmts) {
            if (s instanceof Stmt.Return
                    || s instanceof Stmt.Break b && (b.label() == null ? direct : !inner.contains(b.label()))
                    || s instanceof Stmt.Continue c && c.label() != null && !c.label().equals(label)
                            && !inner.contains(c.label())
                    || s instanceof Stmt.If i && (leaves(i.thenStmts(), label, inner, direct)
                            || leaves(i.elseStmts(), label, inner, direct))) {
                return true;
            }
            if (s instanceof Stmt.Loop loop) {
                Set<String> within = new HashSet<>(inner);
                if (loop.label() != null) {
                    within.add(loop.label());
                }
                if (leaves(loop.init(), label, within, false) || leaves(loop.body(), label, within, false)
                        || leaves(loop.update(), label, within, false)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code for (double v : a) body} as {@code for (int i = 0; i < a.length; i++) { double v = a[i]; body }}, with
     * {@code a} evaluated once, before the loop.
     */
    private void enhancedFor(EnhancedForLoopTree tree, String label, List<Stmt> out) {
        SourcePos pos = context.pos(tree);
        Tree.Kind kind = tree.getExpression().getKind();
        if (kind != Tree.Kind.IDENTIFIER && kind != Tree.Kind.ARRAY_ACCESS && kind != Tree.Kind.NEW_ARRAY
                && kind != Tree.Kind.PARENTHESIZED && kind != Tree.Kind.MEMBER_SELECT
                && !(tree.getExpression() instanceof MethodInvocationTree call && expressions.mayReturnArray(call))) {
            context.problems().report(tree.getExpression(), ARRAYS_ONLY);
            return;
        }
        // evaluated once, before the loop: a helper's array (for (double m : model(a, t))) is declared first
        Expr array = named(expressions.translateValue(tree.getExpression(), out), pos, out);
        if (expressions.isPlaceholder(array)) {
            return;
        }
        if (!(array.type() instanceof ArrayType arrayType)) {
            context.problems().report(tree.getExpression(), ARRAYS_ONLY);
            return;
        }
        context.scopes().push();
        List<Stmt> init = new ArrayList<>();
        if (!(array instanceof Expr.Ref)) {
            // Named before the loop rather than in its header, which then holds just the counter.
            Variable copy = context.variables().create("array", arrayType, Variable.Role.LOCAL);
            out.add(new Stmt.LocalDecl(copy, array, pos));
            array = new Expr.Ref(copy, pos);
        }
        Variable index = context.variables().create("i", PrimitiveType.INT, Variable.Role.LOCAL);
        init.add(new Stmt.LocalDecl(index, Expr.Literal.zero(PrimitiveType.INT), pos));
        Expr condition = new Expr.Binary(BinaryOp.LT, new Expr.Ref(index, pos), new Expr.ArrayLength(array, pos),
                PrimitiveType.BOOLEAN, pos);
        Stmt update = new Stmt.Assign(index, new Expr.Binary(BinaryOp.ADD, new Expr.Ref(index, pos),
                Expr.Literal.ofInt(1), PrimitiveType.INT, pos), Stmt.Assign.Form.INCREMENT, pos);

        VariableTree element = tree.getVariable();
        Optional<Type> declared = isVar(element) ? Optional.of(arrayType.component())
                : Constructs.type(element.getType());
        Expr read = new Expr.ArrayRead(array, new Expr.Ref(index, pos), arrayType.component(), pos);
        List<Stmt> body = new ArrayList<>();
        if (declared.isEmpty() || !ExpressionTranslator.assignable(arrayType.component(), declared.get())) {
            context.problems().report(element, "the loop variable's type must hold the array's elements ("
                    + arrayType.component() + ")");
        } else {
            context.scopes().push();
            Variable v = context.variables().create(element.getName().toString(), declared.get(),
                    Variable.Role.LOCAL);
            context.scopes().declare(element.getName().toString(), v);
            body.add(new Stmt.LocalDecl(v, read, context.pos(element)));
            context.enterLoop(label);
            body.addAll(translateNested(tree.getStatement()));
            context.exitJumpTarget();
            context.scopes().pop();
        }
        context.scopes().pop();
        out.add(new Stmt.Loop(Stmt.Loop.Kind.FOR, label, init, condition, List.of(update), body, pos));
    }

    /**
     * An unlabelled break leaves the innermost loop or switch statement; continue and labelled jumps go to a loop. A
     * switch's break names the switch's own label, which {@link SwitchExits} removes; a loop's stays for the later
     * stages.
     */
    private void jump(StatementTree tree, javax.lang.model.element.Name label, boolean isBreak, List<Stmt> out) {
        String target = label == null ? null : label.toString();
        String what = isBreak ? "break" : "continue";
        SourcePos pos = context.pos(tree);
        boolean inLoop = false;
        for (JumpTarget t : context.jumpTargets()) {
            if (t.kind() == JumpTarget.Kind.SWITCH_EXPRESSION) {
                context.problems().report(tree, what + " cannot leave a switch expression; yield its value instead");
                return;
            }
            if (t.kind() == JumpTarget.Kind.SWITCH_STATEMENT) {
                if (isBreak && target == null) {
                    out.add(new Stmt.Break(t.label(), pos));
                    return;
                }
                continue;
            }
            inLoop = true;
            if (target == null || target.equals(t.label())) {
                out.add(isBreak ? new Stmt.Break(target, pos) : new Stmt.Continue(target, pos));
                return;
            }
        }
        if (!inLoop) {
            context.problems().report(tree, what + " outside a loop is not supported in a @Differentiable method");
        } else {
            context.problems().report(tree, "undefined label: " + target);
        }
    }

    /** {@code yield v}: leaves the innermost switch expression with {@code v} (a switch statement between is fine). */
    private void yieldStatement(YieldTree tree, List<Stmt> out) {
        for (JumpTarget t : context.jumpTargets()) {
            if (t.kind() == JumpTarget.Kind.LOOP) {
                context.problems().report(tree, "yield from inside a loop is not supported in a @Differentiable "
                        + "method; assign the value to a local, break out of the loop, and yield the local after it");
                return;
            }
            if (t.kind() == JumpTarget.Kind.SWITCH_EXPRESSION) {
                Expr value = expressions.translate(tree.getValue());
                out.add(t.yieldBreak(new JumpTarget.Yield(value, tree.getValue(), context.pos(tree))));
                return;
            }
        }
        context.problems().report(tree, "yield outside of a switch expression");
    }

    private void returnStatement(ReturnTree tree, List<Stmt> out) {
        if (context.isInSwitchExpression()) {
            context.problems().report(tree, "return cannot leave a switch expression; yield its value instead");
            return;
        }
        if (tree.getExpression() == null) {
            if (context.returnsVoid()) {
                out.add(new Stmt.Return(Expr.Literal.zero(PrimitiveType.DOUBLE), context.pos(tree)));
            } else {
                context.problems().report(tree, "a @Differentiable method must return a value");
            }
            return;
        }
        SwitchExpressionTree switchValue = Switches.switchExpression(tree.getExpression());
        if (switchValue != null) {
            Switches.SwitchValue value = switches.value(switchValue, true, out);
            if (value.expression() == null) {
                // if (k == 0) { return ...; } else ...: each arm returns the value it yields.
                out.addAll(value.deliver(y -> checkAssignable(y.tree(), y.value(), context.returnType())
                        ? new Stmt.Return(y.value(), y.pos()) : null, true));
                return;
            }
            if (checkAssignable(switchValue, value.expression(), context.returnType())) {
                out.add(new Stmt.Return(value.expression(), context.pos(tree)));
            }
            return;
        }
        Expr value = tree.getExpression() instanceof NewArrayTree array
                && context.returnType() instanceof ArrayType expected
                ? expressions.newArray(array, expected) // return {a, b}'s type is the method's
                : named(expressions.translateValue(tree.getExpression(), out), context.pos(tree), out);
        if (checkAssignable(tree.getExpression(), value, context.returnType())) {
            out.add(new Stmt.Return(value, context.pos(tree)));
        }
    }

    /**
     * The array a {@code @Differentiable} call returns, declared in a local of its own ({@code x = step(x, dt)}
     * becomes {@code double[] step = step(x, dt); x = step;}): the call then always defines a new array, whose
     * shadow its pullback reads while the arguments' shadows are still theirs.
     */
    private Expr named(Expr value, SourcePos pos, List<Stmt> out) {
        if (!(value instanceof Expr.DiffCall call)
                || !(call.type() instanceof ArrayType) && !call.callee().writesArrayArguments()) {
            return value;
        }
        Variable result = context.variables().create(call.callee().method(), call.type(), Variable.Role.LOCAL);
        out.add(new Stmt.LocalDecl(result, value, pos));
        return new Expr.Ref(result, pos);
    }
}
