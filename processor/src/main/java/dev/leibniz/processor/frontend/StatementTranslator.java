package dev.leibniz.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Translates statement trees into IR statements; nested blocks flatten into their parent's list. */
final class StatementTranslator {
    private final TranslationContext context;
    private final ExpressionTranslator expressions;

    StatementTranslator(TranslationContext context, ExpressionTranslator expressions) {
        this.context = context;
        this.expressions = expressions;
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

    private void translate(StatementTree tree, List<Stmt> out) {
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
            default:
                context.problems().report(tree, Constructs.unsupportedStatement(tree));
        }
    }

    private void localDeclaration(VariableTree tree, List<Stmt> out) {
        String name = tree.getName().toString();
        Expr init = tree.getInitializer() == null ? null : expressions.translate(tree.getInitializer());
        Optional<PrimitiveType> type = declaredType(tree, init);
        if (type.isEmpty()) {
            // Declared all the same, so that its uses are not reported as unknown names.
            Variable erroneous = context.variables().create(name, PrimitiveType.DOUBLE, Variable.Role.LOCAL);
            context.scopes().declare(name, erroneous);
            context.markErroneous(erroneous);
            return;
        }
        Variable variable = context.variables().create(name, type.get(), Variable.Role.LOCAL);
        context.scopes().declare(name, variable);
        if (init != null && !checkAssignable(tree.getInitializer(), init, type.get())) {
            return;
        }
        out.add(new Stmt.LocalDecl(variable, init, context.pos(tree)));
    }

    /** The declared type, or for {@code var} the initializer's; empty (and reported) outside the subset. */
    private Optional<PrimitiveType> declaredType(VariableTree tree, Expr init) {
        Tree type = tree.getType();
        boolean isVar = type == null || type instanceof IdentifierTree id && id.getName().contentEquals("var");
        if (isVar) {
            if (init == null || expressions.isPlaceholder(init)) {
                return Optional.empty();
            }
            return Optional.of((PrimitiveType) init.type());
        }
        if (type instanceof PrimitiveTypeTree primitive) {
            Optional<PrimitiveType> subset = Constructs.primitive(primitive.getPrimitiveTypeKind());
            if (subset.isPresent()) {
                return subset;
            }
        }
        String advice = type.getKind() == Tree.Kind.ARRAY_TYPE ? "arrays are not supported yet"
                : "only double, long, int and boolean locals are supported";
        context.problems().report(type, "local '" + tree.getName() + "' has type " + type
                + ", which Leibniz cannot differentiate; " + advice);
        return Optional.empty();
    }

    private boolean checkAssignable(ExpressionTree tree, Expr value, PrimitiveType target) {
        if (expressions.isPlaceholder(value)) {
            return false;
        }
        if (!ExpressionTranslator.assignable(value.type(), target)) {
            PrimitiveType source = (PrimitiveType) value.type();
            boolean numeric = source.isNumeric() && target.isNumeric();
            context.problems().report(tree, "incompatible types: " + source.keyword() + " cannot be "
                    + (numeric ? "assigned to " + target.keyword() + " without a cast" : "converted to "
                    + target.keyword()));
            return false;
        }
        return true;
    }

    private void expressionStatement(ExpressionStatementTree tree, List<Stmt> out) {
        ExpressionTree expr = tree.getExpression();
        SourcePos pos = context.pos(tree);
        switch (expr.getKind()) {
            case ASSIGNMENT -> {
                AssignmentTree assignment = (AssignmentTree) expr;
                Optional<Variable> target = assignmentTarget(assignment.getVariable());
                Expr value = expressions.translate(assignment.getExpression());
                if (target.isPresent() && checkAssignable(assignment.getExpression(), value, primitive(target))) {
                    out.add(new Stmt.Assign(target.get(), value, Stmt.Assign.Form.PLAIN, pos));
                }
            }
            case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
                UnaryTree unary = (UnaryTree) expr;
                boolean increment = expr.getKind() == Tree.Kind.PREFIX_INCREMENT
                        || expr.getKind() == Tree.Kind.POSTFIX_INCREMENT;
                Optional<Variable> target = assignmentTarget(unary.getExpression());
                if (target.isPresent() && requireNumeric(unary, target.get())) {
                    Expr one = new Expr.Literal(PrimitiveType.INT, "1", SourcePos.NONE);
                    PrimitiveType type = primitive(target);
                    Expr value = new Expr.Binary(increment ? BinaryOp.ADD : BinaryOp.SUB,
                            new Expr.Ref(target.get(), pos), one, PrimitiveType.promote(type, PrimitiveType.INT), pos);
                    out.add(new Stmt.Assign(target.get(), value,
                            increment ? Stmt.Assign.Form.INCREMENT : Stmt.Assign.Form.DECREMENT, pos));
                }
            }
            case METHOD_INVOCATION -> context.problems().report(expr, "a call whose result is discarded cannot "
                    + "affect a derivative; remove it, or use its result");
            default -> {
                if (Constructs.isCompoundAssignment(expr.getKind())) {
                    compoundAssignment((CompoundAssignmentTree) expr, pos, out);
                } else {
                    context.problems().report(expr, Constructs.unsupportedExpression(expr));
                }
            }
        }
    }

    private void compoundAssignment(CompoundAssignmentTree tree, SourcePos pos, List<Stmt> out) {
        Optional<Variable> target = assignmentTarget(tree.getVariable());
        Expr rhs = expressions.translate(tree.getExpression());
        if (target.isEmpty() || expressions.isPlaceholder(rhs)) {
            return;
        }
        BinaryOp op = Constructs.binaryOp(tree.getKind());
        PrimitiveType targetType = primitive(target);
        PrimitiveType type = ExpressionTranslator.binaryType(op, targetType, (PrimitiveType) rhs.type());
        if (type == null) {
            context.problems().report(tree, "bad operand types " + targetType.keyword() + " and "
                    + ((PrimitiveType) rhs.type()).keyword() + " for '" + op.symbol() + "='");
            return;
        }
        Expr value = new Expr.Binary(op, new Expr.Ref(target.get(), pos), rhs, type, pos);
        if (type != targetType) {
            value = new Expr.Cast(targetType, value, pos); // JLS 15.26.2: the implicit narrowing of 'x op= y'
        }
        out.add(new Stmt.Assign(target.get(), value, Stmt.Assign.Form.COMPOUND, pos));
    }

    private Optional<Variable> assignmentTarget(ExpressionTree tree) {
        if (tree instanceof IdentifierTree id) {
            Optional<Variable> local = context.scopes().lookup(id.getName().toString());
            if (local.isPresent()) {
                return local;
            }
            context.problems().report(tree, "only locals and parameters can be assigned in a @Differentiable "
                    + "method; '" + id.getName() + "' is not one");
            return Optional.empty();
        }
        context.problems().report(tree, tree.getKind() == Tree.Kind.ARRAY_ACCESS
                ? "arrays are not supported in a @Differentiable method yet"
                : "only locals and parameters can be assigned in a @Differentiable method");
        return Optional.empty();
    }

    private boolean requireNumeric(Tree tree, Variable target) {
        if (primitive(Optional.of(target)).isNumeric()) {
            return true;
        }
        context.problems().report(tree, "bad operand type boolean for '++' or '--'");
        return false;
    }

    private static PrimitiveType primitive(Optional<Variable> variable) {
        return (PrimitiveType) variable.orElseThrow().type();
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
        switch (statement.getKind()) {
            case WHILE_LOOP, DO_WHILE_LOOP, FOR_LOOP -> loop(statement, tree.getLabel().toString(), out);
            default -> context.problems().report(tree, "labels are supported on loops only in a @Differentiable "
                    + "method; label the loop, or write the block without a label");
        }
    }

    /** {@code for}, {@code while} and {@code do/while}, in a scope of their own (a {@code for}'s variables). */
    private void loop(StatementTree tree, String label, List<Stmt> out) {
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
        Expr condition = conditionTree == null ? Expr.Literal.ofBoolean(true) : expressions.translate(conditionTree);
        if (conditionTree != null && !expressions.isPlaceholder(condition) && condition.type() != PrimitiveType.BOOLEAN) {
            context.problems().report(conditionTree, "the condition of a loop must be boolean");
        }
        context.enterLoop(label);
        List<Stmt> body = translateNested(bodyTree);
        context.exitLoop();
        List<Stmt> update = new ArrayList<>();
        for (StatementTree s : updateTrees) {
            translate(s, update);
        }
        context.scopes().pop();
        out.add(new Stmt.Loop(kind, label, init, condition, update, body, context.pos(tree)));
    }

    private void jump(StatementTree tree, javax.lang.model.element.Name label, boolean isBreak, List<Stmt> out) {
        String target = label == null ? null : label.toString();
        String what = isBreak ? "break" : "continue";
        if (!context.isInLoop()) {
            context.problems().report(tree, what + " outside a loop is not supported in a @Differentiable method");
        } else if (target != null && !context.isEnclosingLoop(target)) {
            context.problems().report(tree, what + " " + target + " does not name an enclosing loop; Leibniz "
                    + "supports labels on loops only");
        } else {
            SourcePos pos = context.pos(tree);
            out.add(isBreak ? new Stmt.Break(target, pos) : new Stmt.Continue(target, pos));
        }
    }

    private void returnStatement(ReturnTree tree, List<Stmt> out) {
        if (tree.getExpression() == null) {
            context.problems().report(tree, "a @Differentiable method must return a double value");
            return;
        }
        Expr value = expressions.translate(tree.getExpression());
        if (checkAssignable(tree.getExpression(), value, PrimitiveType.DOUBLE)) {
            out.add(new Stmt.Return(value, context.pos(tree)));
        }
    }
}
