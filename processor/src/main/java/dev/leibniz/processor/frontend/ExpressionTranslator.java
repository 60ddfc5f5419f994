package dev.leibniz.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Callee;
import dev.leibniz.processor.ir.ClassRef;
import dev.leibniz.processor.ir.ClassType;
import dev.leibniz.processor.ir.CustomPartial;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.MathFunction;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.UnaryOp;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/**
 * Translates expression trees into typed IR. Types are computed here, by the rules of JLS 5.6 restricted to the
 * subset, because the trees are not attributed yet. An unsupported construct is reported and replaced by a
 * placeholder, so that one compilation shows every problem of a method without cascades.
 */
final class ExpressionTranslator {
    private final TranslationContext context;
    private final Set<Expr> placeholders = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ConstantValues constants = new ConstantValues(this::constantField);
    private Switches switches;
    private final SideEffects effects;
    private StatementTranslator statements;

    ExpressionTranslator(TranslationContext context) {
        this.context = context;
        this.effects = new SideEffects(context);
    }

    /** Constant expressions, evaluated where javac's checks depend on their values. */
    ConstantValues constants() {
        return constants;
    }

    /** The field a name or {@code Type.name} denotes, when no local shadows it; nothing is reported. */
    private Optional<VariableElement> constantField(ExpressionTree tree) {
        return tree instanceof IdentifierTree ? qualifierField(tree) : qualifiedField(tree);
    }

    /** Assignments inside expressions are translated as statements: the statement translator hands itself over. */
    void useStatements(StatementTranslator statements) {
        this.statements = statements;
    }

    SideEffects effects() {
        return effects;
    }

    /** Switch expressions need the statement translator for their arms; it hands over its switches here. */
    void useSwitches(Switches switches) {
        this.switches = switches;
    }

    /** Whether {@code expr} stands for something already reported, so that checks on it should stay silent. */
    boolean isPlaceholder(Expr expr) {
        return placeholders.contains(expr);
    }

    Expr placeholder(Tree tree, String message) {
        context.problems().report(tree, message);
        return poisoned(tree);
    }

    /** A placeholder for something already reported. */
    Expr poisoned(Tree tree) {
        Expr p = new Expr.Literal(PrimitiveType.DOUBLE, "0.0", context.pos(tree));
        placeholders.add(p);
        return p;
    }

    Expr translate(ExpressionTree tree) {
        if (Constructs.isString(tree)) {
            // "a" + x, c ? "a" : "b": one error for the string, not one per literal in it
            return placeholder(tree, Constructs.unsupportedExpression(tree));
        }
        switch (tree.getKind()) {
            case PARENTHESIZED:
                return translate(((ParenthesizedTree) tree).getExpression());
            case INT_LITERAL:
                return literal(tree, PrimitiveType.INT);
            case LONG_LITERAL:
                return literal(tree, PrimitiveType.LONG);
            case DOUBLE_LITERAL:
                return literal(tree, PrimitiveType.DOUBLE);
            case BOOLEAN_LITERAL:
                return literal(tree, PrimitiveType.BOOLEAN);
            case FLOAT_LITERAL:
                return literal(tree, PrimitiveType.FLOAT);
            case IDENTIFIER:
                return identifier((IdentifierTree) tree);
            case MEMBER_SELECT:
                return memberSelect((MemberSelectTree) tree);
            case UNARY_MINUS:
            case UNARY_PLUS:
            case LOGICAL_COMPLEMENT:
            case BITWISE_COMPLEMENT:
                return unary((UnaryTree) tree);
            case PREFIX_INCREMENT:
            case PREFIX_DECREMENT:
            case POSTFIX_INCREMENT:
            case POSTFIX_DECREMENT:
            case ASSIGNMENT:
                return sideEffect(tree);
            case CONDITIONAL_EXPRESSION:
                return conditional((ConditionalExpressionTree) tree);
            case TYPE_CAST:
                return cast((TypeCastTree) tree);
            case METHOD_INVOCATION:
                return call((MethodInvocationTree) tree);
            case ARRAY_ACCESS:
                return arrayRead((ArrayAccessTree) tree);
            case NEW_ARRAY:
                return newArray((NewArrayTree) tree, null);
            case SWITCH_EXPRESSION:
                if (SideEffects.in(tree)) {
                    return placeholder(tree, "assignments and '++'/'--' inside a switch expression are not "
                            + "supported in a @Differentiable method; assign in a switch statement instead");
                }
                return switches.inPlace((SwitchExpressionTree) tree);
            default:
                BinaryOp op = Constructs.binaryOp(tree.getKind());
                if (op != null && Constructs.isCompoundAssignment(tree.getKind())) {
                    return sideEffect(tree);
                }
                if (op != null) {
                    return binary((BinaryTree) tree, op);
                }
                return placeholder(tree, Constructs.unsupportedExpression(tree));
        }
    }

    /** An assignment, compound assignment, {@code ++} or {@code --} as a value: see {@link SideEffects}. */
    private Expr sideEffect(ExpressionTree tree) {
        List<Stmt> sink = effects.sinkFor(tree);
        if (sink == null) {
            return poisoned(tree);
        }
        Expr value = statements.sideEffect(tree, sink);
        return value == null ? poisoned(tree) : value;
    }

    /**
     * The expressions of {@code trees}, in order; each one that a later one's side effect may change is kept in a
     * local first.
     */
    private List<Expr> inOrder(List<? extends ExpressionTree> trees) {
        int lastEffect = -1;
        for (int i = 0; i < trees.size(); i++) {
            if (SideEffects.in(trees.get(i))) {
                lastEffect = i;
            }
        }
        List<Expr> out = new ArrayList<>();
        for (int i = 0; i < trees.size(); i++) {
            Expr e = translate(trees.get(i));
            out.add(i < lastEffect && !isPlaceholder(e) ? effects.spill(e, context.pos(trees.get(i))) : e);
        }
        return out;
    }

    private Expr literal(ExpressionTree tree, PrimitiveType type) {
        return new Expr.Literal(type, context.text(tree), context.pos(tree));
    }

    // ---- names ----------------------------------------------------------------------------------------------

    private Expr identifier(IdentifierTree tree) {
        String name = tree.getName().toString();
        if (name.equals("this") || name.equals("super")) {
            return placeholder(tree, "'" + name + "' does not exist in a @Differentiable method, which is static; "
                    + "pass the values you need from the object as parameters");
        }
        var local = context.scopes().lookup(name);
        if (local.isPresent()) {
            if (context.isErroneous(local.get())) {
                return poisoned(tree); // its declaration is already reported
            }
            return new Expr.Ref(local.get(), context.pos(tree));
        }
        Optional<VariableElement> field = context.symbols().resolveField(name);
        if (field.isPresent()) {
            return field(tree, field.get());
        }
        return placeholder(tree, "cannot find symbol '" + name + "'");
    }

    private Expr memberSelect(MemberSelectTree tree) {
        ExpressionTree qualifier = tree.getExpression();
        String name = tree.getIdentifier().toString();
        if (name.equals("class")) {
            return placeholder(tree, "class literals are not supported in a @Differentiable method"
                    + Constructs.VALUES);
        }
        if (name.equals("length") && isArrayValue(qualifier)) {
            Expr array = translate(qualifier);
            if (isPlaceholder(array)) {
                return poisoned(tree);
            }
            return new Expr.ArrayLength(array, context.pos(tree));
        }
        if (isInstanceQualifier(qualifier)) {
            return placeholder(tree, "instance field '" + name + "' cannot be read in a @Differentiable method, "
                    + "which is static; pass the value as a parameter");
        }
        Optional<String> obscured = obscuredByVariable(qualifier);
        if (obscured.isPresent()) {
            return placeholder(leftmostTree(qualifier), obscured.get());
        }
        Optional<VariableElement> valueField = qualifierField(qualifier);
        if (valueField.isPresent()) {
            // W.length of a static array: what stops it is reading W, which field() says at W
            return valueField.get().asType().getKind() == TypeKind.ARRAY ? field(qualifier, valueField.get())
                    : placeholder(tree, FIELD_OF_A_VALUE.formatted(tree));
        }
        if (isTypeName(qualifier)) {
            Optional<TypeElement> owner = context.symbols().resolveType(qualifier);
            if (owner.isEmpty()) {
                return placeholder(qualifier, noType(qualifier));
            }
            Optional<VariableElement> field = context.symbols().fieldOf(owner.get(), name);
            if (field.isEmpty()) {
                return placeholder(tree, "cannot find symbol '" + name + "' in " + owner.get().getSimpleName());
            }
            return field(tree, field.get());
        }
        return placeholder(tree, FIELD_OF_A_VALUE.formatted(tree));
    }

    private static final String FIELD_OF_A_VALUE = "field access on a value ('%s') is not supported in a "
            + "@Differentiable method; only static final constants such as Math.PI can be read";

    private static final String CALL_ON_A_VALUE = "method calls on values are not supported in a @Differentiable "
            + "method; only static methods can be called";

    /** The field {@code T.f} denotes, when {@code T} is a type: {@code Mode.A} of {@code Mode.A.ordinal()}. */
    private Optional<VariableElement> qualifiedField(ExpressionTree qualifier) {
        if (!(qualifier instanceof MemberSelectTree) || !isNonLocalName(qualifier)) {
            return Optional.empty();
        }
        return context.symbols().classify(qualifier) instanceof Symbols.Meaning.Value v ? Optional.of(v.field())
                : Optional.empty();
    }

    /**
     * When {@code qualifier}'s leftmost identifier is a local, parameter or field that hides a class or package of
     * its name, which the qualified name would otherwise mean ({@code Math.PI} beside a field or parameter
     * {@code Math}), the message that says so.
     */
    private Optional<String> obscuredByVariable(ExpressionTree qualifier) {
        if (!Symbols.isName(qualifier) || isInstanceQualifier(qualifier)) {
            return Optional.empty();
        }
        String left = leftmost(qualifier);
        Optional<Variable> local = context.scopes().lookup(left);
        Optional<VariableElement> field = local.isPresent() ? Optional.empty()
                : context.symbols().resolveField(left);
        if (local.isEmpty() && field.isEmpty()) {
            return Optional.empty();
        }
        String variable = field.isPresent() ? "field"
                : local.get().role() == Variable.Role.PARAMETER ? "parameter" : "local";
        String name = field.map(f -> f.getEnclosingElement().getSimpleName() + ".").orElse("") + left;
        return context.symbols().obscuredByVariable(left, qualifier).map(hidden -> "'" + left + "' is the "
                + variable + " " + name + " here, which obscures " + hidden + " (JLS 6.4.2: a variable is "
                + "chosen over a type or package of its name); rename the " + variable);
    }

    /** Why a qualifier that is no value names no type either. */
    private String noType(ExpressionTree qualifier) {
        Symbols.Meaning meaning = context.symbols().classify(qualifier);
        if (meaning instanceof Symbols.Meaning.TypeVariable v) {
            return "'" + v.name() + "' is a type parameter of the enclosing class here, which shadows any type of "
                    + "that name; write the type's qualified name";
        }
        if (meaning instanceof Symbols.Meaning.Nothing n) {
            String member = ((MemberSelectTree) qualifier).getIdentifier().toString();
            return "cannot find symbol '" + member + "' in " + n.owner().getSimpleName();
        }
        return "cannot find symbol '" + qualifier + "'";
    }

    /** A local array, or an element of one that is an array itself ({@code m[i]} of a matrix). */
    private boolean isArrayValue(ExpressionTree qualifier) {
        if (qualifier instanceof ArrayAccessTree) {
            return true;
        }
        if (qualifier instanceof IdentifierTree id && context.scopes().lookup(id.getName().toString()).isPresent()) {
            return context.scopes().lookup(id.getName().toString()).get().type() instanceof ArrayType;
        }
        return staticField(qualifier).filter(f -> f.asType().getKind() == TypeKind.ARRAY).isPresent();
    }

    /** The static field that {@code Y} or {@code Data.Y} names, when no local shadows it. */
    private Optional<VariableElement> staticField(ExpressionTree tree) {
        if (tree instanceof MemberSelectTree select && isTypeName(select.getExpression())) {
            return context.symbols().resolveType(select.getExpression())
                    .flatMap(owner -> context.symbols().fieldOf(owner, select.getIdentifier().toString()));
        }
        return qualifierField(tree);
    }

    // ---- arrays ---------------------------------------------------------------------------------------------

    private Expr arrayRead(ArrayAccessTree tree) {
        List<Expr> operands = inOrder(List.of(tree.getExpression(), tree.getIndex()));
        Expr array = operands.get(0);
        Expr index = operands.get(1);
        if (isPlaceholder(array) || isPlaceholder(index)) {
            return poisoned(tree);
        }
        if (!(array.type() instanceof ArrayType type)) {
            return placeholder(tree, "array required, but " + describe(array.type()) + " found");
        }
        if (index.type() != PrimitiveType.INT) {
            return placeholder(tree.getIndex(), "an array index must be an int, not " + describe(index.type()));
        }
        return new Expr.ArrayRead(array, index, type.component(), context.pos(tree));
    }

    /**
     * {@code new double[n][m]}, {@code new double[] {a, b}}, or an initialiser {@code {a, b}} whose type
     * {@code expected} gives.
     */
    Expr newArray(NewArrayTree tree, ArrayType expected) {
        ArrayType type;
        if (tree.getType() != null) {
            Optional<Type> element = Constructs.type(tree.getType());
            if (element.isEmpty()) {
                return placeholder(tree, "arrays of " + tree.getType() + " are not supported in a @Differentiable "
                        + "method; use double, long, int or boolean elements" + Constructs.instead(tree.getType()));
            }
            if (element.get() instanceof ArrayType && !tree.getDimensions().isEmpty()) {
                return placeholder(tree, EVERY_LENGTH);
            }
            Type component = element.get();
            int extra = tree.getInitializers() != null ? 1 : tree.getDimensions().size();
            type = component instanceof ArrayType a ? new ArrayType(a.element(), a.dimensions() + extra)
                    : new ArrayType((PrimitiveType) component, extra);
        } else if (expected != null) {
            type = expected;
        } else {
            return placeholder(tree, "an array initialiser needs a declared array type");
        }
        if (tree.getInitializers() == null) {
            if (tree.getDimensions().size() != type.dimensions()) {
                return placeholder(tree, EVERY_LENGTH);
            }
            List<Expr> lengths = new ArrayList<>();
            List<Expr> translated = inOrder(tree.getDimensions());
            for (int k = 0; k < translated.size(); k++) {
                ExpressionTree d = tree.getDimensions().get(k);
                Expr length = translated.get(k);
                if (isPlaceholder(length)) {
                    return poisoned(tree);
                }
                if (length.type() != PrimitiveType.INT) {
                    return placeholder(d, "an array length must be an int, not " + describe(length.type()));
                }
                lengths.add(length);
            }
            return new Expr.NewArray(type, lengths, context.pos(tree));
        }
        List<Expr> elements = new ArrayList<>();
        Type component = type.component();
        List<? extends ExpressionTree> inits = tree.getInitializers();
        for (int i = 0; i < inits.size(); i++) {
            ExpressionTree init = inits.get(i);
            Expr element = init instanceof NewArrayTree nested && component instanceof ArrayType c
                    ? newArray(nested, c) : translate(init);
            if (isPlaceholder(element)) {
                return poisoned(tree);
            }
            if (inits.subList(i + 1, inits.size()).stream().anyMatch(SideEffects::in)) {
                element = effects.spill(element, context.pos(init)); // {x, x++}, {{a}, {a *= 2}}: a as it was
            }
            if (!assignable(element.type(), component)) {
                return placeholder(init, "incompatible types: " + describe(element.type()) + " cannot be converted to "
                        + describe(component));
            }
            if (component instanceof ArrayType row && row.carriesDerivatives()
                    && !(element instanceof Expr.ArrayLiteral || element instanceof Expr.NewArray)) {
                return placeholder(init, "a row of an array initialiser must be a new array ({a, b} or new double[n]) "
                        + "in a @Differentiable method; an existing array as a row would share its elements, which "
                        + "Leibniz does not follow; copy them into a new row");
            }
            elements.add(element);
        }
        return new Expr.ArrayLiteral(type, elements, context.pos(tree));
    }

    private static final String EVERY_LENGTH = "give every length of a new array in a @Differentiable method, as in "
            + "new double[n][m]";

    /**
     * A qualifier that may name a type (JLS 6.5.2): a name whose leftmost identifier is no local, no parameter, not
     * {@code this} or {@code super}, and that no field makes an expression. Whether it names one, {@link
     * Symbols#resolveType} says.
     */
    private boolean isTypeName(ExpressionTree qualifier) {
        return isNonLocalName(qualifier) && !context.symbols().classify(qualifier).isValue();
    }

    /** A name whose leftmost identifier is no local or parameter, and not {@code this} or {@code super}. */
    private boolean isNonLocalName(ExpressionTree qualifier) {
        return Symbols.isName(qualifier) && !isInstanceQualifier(qualifier)
                && context.scopes().lookup(leftmost(qualifier)).isEmpty();
    }

    private static String leftmost(ExpressionTree qualifier) {
        return leftmostTree(qualifier) instanceof IdentifierTree id ? id.getName().toString() : "";
    }

    private static ExpressionTree leftmostTree(ExpressionTree qualifier) {
        ExpressionTree leftmost = qualifier;
        while (leftmost instanceof MemberSelectTree select) {
            leftmost = select.getExpression();
        }
        return leftmost;
    }

    private static boolean isInstanceQualifier(ExpressionTree qualifier) {
        String name = leftmost(qualifier);
        return name.equals("this") || name.equals("super");
    }

    /** The field a simple-name qualifier denotes ({@code W} in {@code W.length}), when no local shadows it. */
    private Optional<VariableElement> qualifierField(ExpressionTree qualifier) {
        if (!(qualifier instanceof IdentifierTree id) || context.scopes().lookup(id.getName().toString()).isPresent()) {
            return Optional.empty();
        }
        return context.symbols().resolveField(id.getName().toString());
    }

    private Expr field(Tree tree, VariableElement field) {
        String name = field.getSimpleName().toString();
        if (field.getKind() == ElementKind.ENUM_CONSTANT) {
            return placeholder(tree, "enum constant '" + name + "' cannot be used in a @Differentiable method"
                    + Constructs.VALUES + "; pass an int or boolean parameter instead");
        }
        if (!field.getModifiers().contains(Modifier.STATIC)) {
            return placeholder(tree, "instance field '" + name + "' cannot be read in a @Differentiable method, "
                    + "which is static; pass the value as a parameter");
        }
        if (!field.getModifiers().contains(Modifier.FINAL)) {
            return placeholder(tree, "static field '" + name + "' is not final; a derivative cannot depend on "
                    + "mutable state: make it final or pass its value as a parameter");
        }
        Optional<PrimitiveType> type = Overloads.primitiveType(field.asType());
        if (field.asType().getKind() == TypeKind.ARRAY) {
            return constantArray(tree, field);
        }
        if (type.isEmpty()) {
            return placeholder(tree, "constant '" + name + "' has type " + field.asType()
                    + "; only double, int, long and boolean constants are supported");
        }
        context.noteUse(field);
        Optional<Symbols.Inaccessibility> inaccessible = context.symbols().inaccessibility(field);
        if (inaccessible.isEmpty()) {
            TypeElement owner = (TypeElement) field.getEnclosingElement();
            return new Expr.FieldRef(Symbols.classRef(owner), name, type.get(), context.pos(tree));
        }
        Object constant = field.getConstantValue();
        if (constant != null) {
            return Constants.literal(constant, type.get(), context.pos(tree));
        }
        return placeholder(tree, "'" + name + "' is no compile-time constant and " + inaccessible.get().reason()
                + ", so the generated gradient class " + context.gradientClassName() + " cannot read it; "
                + inaccessible.get().fix());
    }

    /**
     * A static final array is constant data, an input without derivative: the method reads it through a local
     * declared on entry. Nothing the method runs may write into it ({@code ConstantDataWrites}).
     */
    private Expr constantArray(Tree tree, VariableElement field) {
        String name = field.getSimpleName().toString();
        Optional<Type> type = Overloads.subsetType(field.asType()).filter(StatementTranslator::supported);
        if (type.isEmpty()) {
            return placeholder(tree, "static array '" + name + "' has type " + field.asType() + "; constant data "
                    + "read by a @Differentiable method is an array of double, float, long, int or boolean with one or two "
                    + "dimensions");
        }
        TypeElement owner = (TypeElement) field.getEnclosingElement();
        Optional<Symbols.Inaccessibility> inaccessible = context.symbols().inaccessibility(field);
        Expr.FieldRef read;
        if (inaccessible.isEmpty()) {
            context.noteUse(field);
            read = new Expr.FieldRef(Symbols.classRef(owner), name, type.get(), SourcePos.NONE);
        } else if (field.getModifiers().contains(Modifier.PRIVATE)) {
            // the method's own top-level class declares it: the generated class gets a copy, if it stays right
            boolean sameClass = owner.equals(context.symbols().enclosing());
            PrivateConstantData.Copy copy = new PrivateConstantData(context.source(), sameClass ? constants
                    : new ConstantValues(t -> Optional.empty())).copy(field, (ArrayType) type.get());
            if (copy.initialiser() == null) {
                return placeholder(tree, "static array '" + name + "' is private, and " + copy.refusal() + "; make it "
                        + "package-private, so that the generated gradient class " + context.gradientClassName()
                        + " can read it");
            }
            List<String> nested = Symbols.classRef(owner).simpleNames();
            String copyName = sameClass ? name : String.join("_", nested.subList(1, nested.size())) + "_" + name;
            read = new Expr.FieldRef(context.gradientClass(), copyName, type.get(), SourcePos.NONE,
                    copy.initialiser());
        } else {
            return placeholder(tree, "static array '" + name + "' " + inaccessible.get().reason() + ", so the "
                    + "generated gradient class " + context.gradientClassName() + " cannot read it; "
                    + inaccessible.get().fix());
        }
        return new Expr.Ref(context.constantArray(field, read), context.pos(tree));
    }

    /** That generated code cannot call {@code what}, why, and what to change. */
    private String notCallable(String what, Symbols.Inaccessibility inaccessible) {
        return what + " " + inaccessible.reason() + ", so the generated gradient class " + context.gradientClassName()
                + " cannot call it; " + inaccessible.fix();
    }

    // ---- operators ------------------------------------------------------------------------------------------

    private Expr unary(UnaryTree tree) {
        Expr operand = translate(tree.getExpression());
        SourcePos pos = context.pos(tree);
        if (isPlaceholder(operand)) {
            return poisoned(tree);
        }
        PrimitiveType type = (PrimitiveType) operand.type();
        switch (tree.getKind()) {
            case LOGICAL_COMPLEMENT:
                if (type != PrimitiveType.BOOLEAN) {
                    return placeholder(tree, "bad operand type " + type.keyword() + " for '!'");
                }
                return new Expr.Unary(UnaryOp.NOT, operand, type, pos);
            case BITWISE_COMPLEMENT:
                if (type != PrimitiveType.INT && type != PrimitiveType.LONG) {
                    return placeholder(tree, "bad operand type " + type.keyword() + " for '~'");
                }
                return new Expr.Unary(UnaryOp.BIT_NOT, operand, type, pos);
            default:
                if (!type.isNumeric()) {
                    return placeholder(tree, "bad operand type boolean for unary '-' or '+'");
                }
                UnaryOp op = tree.getKind() == Tree.Kind.UNARY_MINUS ? UnaryOp.NEG : UnaryOp.PLUS;
                return new Expr.Unary(op, operand, type, pos);
        }
    }

    private Expr binary(BinaryTree tree, BinaryOp op) {
        boolean shortCircuit = op == BinaryOp.CONDITIONAL_AND || op == BinaryOp.CONDITIONAL_OR;
        if (shortCircuit && SideEffects.in(tree.getRightOperand()) && effects.hasSink()) {
            Expr left = translate(tree.getLeftOperand());
            if (isPlaceholder(left)) {
                return poisoned(tree);
            }
            if (left.type() != PrimitiveType.BOOLEAN) {
                return placeholder(tree, "bad operand type " + describe(left.type()) + " for '" + op.symbol() + "'");
            }
            return effects.shortCircuit(op == BinaryOp.CONDITIONAL_AND, left,
                    () -> booleanOperand(tree.getRightOperand(), op), context.pos(tree));
        }
        List<Expr> operands = inOrder(List.of(tree.getLeftOperand(), tree.getRightOperand()));
        Expr left = operands.get(0);
        Expr right = operands.get(1);
        if (isPlaceholder(left) || isPlaceholder(right)) {
            return poisoned(tree);
        }
        PrimitiveType type = binaryType(op, (PrimitiveType) left.type(), (PrimitiveType) right.type());
        if (type == null) {
            return placeholder(tree, "bad operand types " + ((PrimitiveType) left.type()).keyword() + " and "
                    + ((PrimitiveType) right.type()).keyword() + " for '" + op.symbol() + "'");
        }
        if (dividesByZero(op, type, tree.getRightOperand())) {
            return placeholder(tree.getRightOperand(), divisionByZero(op));
        }
        return new Expr.Binary(op, left, right, type, context.pos(tree));
    }

    /**
     * Whether {@code op} of type {@code type} divides integers by the constant 0, which always throws (javac warns:
     * [divzero]); generated code would repeat it, warning included.
     */
    boolean dividesByZero(BinaryOp op, PrimitiveType type, ExpressionTree divisor) {
        return (op == BinaryOp.DIV || op == BinaryOp.REM) && (type == PrimitiveType.INT || type == PrimitiveType.LONG)
                && constants.isIntegralZero(divisor);
    }

    static String divisionByZero(BinaryOp op) {
        return "integer " + (op == BinaryOp.DIV ? "division" : "remainder") + " by zero always throws "
                + "ArithmeticException, and a @Differentiable method must not throw; divide by a value that is not zero";
    }

    /** The result type of {@code left op right}, or {@code null} when Java rejects the operands. */
    static PrimitiveType binaryType(BinaryOp op, PrimitiveType left, PrimitiveType right) {
        boolean numeric = left.isNumeric() && right.isNumeric();
        boolean bothBoolean = left == PrimitiveType.BOOLEAN && right == PrimitiveType.BOOLEAN;
        boolean integral = numeric && !left.isReal() && !right.isReal();
        if (op.isArithmetic()) {
            return numeric ? PrimitiveType.promote(left, right) : null;
        }
        if (op.isShift()) {
            return integral ? PrimitiveType.promote(left, PrimitiveType.INT) : null;
        }
        if (op == BinaryOp.EQ || op == BinaryOp.NE) {
            return numeric || bothBoolean ? PrimitiveType.BOOLEAN : null;
        }
        if (op.isComparison()) {
            return numeric ? PrimitiveType.BOOLEAN : null;
        }
        if (op.isBitwiseOrLogical()) {
            if (bothBoolean) {
                return PrimitiveType.BOOLEAN;
            }
            return integral ? PrimitiveType.promote(left, right) : null;
        }
        return bothBoolean ? PrimitiveType.BOOLEAN : null;
    }

    /** The right operand of {@code &&} or {@code ||}, which must be boolean. */
    private Expr booleanOperand(ExpressionTree tree, BinaryOp op) {
        Expr e = translate(tree);
        if (!isPlaceholder(e) && e.type() != PrimitiveType.BOOLEAN) {
            return placeholder(tree, "bad operand type " + describe(e.type()) + " for '" + op.symbol() + "'");
        }
        return e;
    }

    private Expr conditional(ConditionalExpressionTree tree) {
        if ((SideEffects.in(tree.getTrueExpression()) || SideEffects.in(tree.getFalseExpression()))
                && effects.hasSink()) {
            return conditionalWithEffects(tree);
        }
        Expr condition = translate(tree.getCondition());
        Expr whenTrue = translate(tree.getTrueExpression());
        Expr whenFalse = translate(tree.getFalseExpression());
        if (isPlaceholder(condition) || isPlaceholder(whenTrue) || isPlaceholder(whenFalse)) {
            return poisoned(tree);
        }
        if (condition.type() != PrimitiveType.BOOLEAN) {
            return placeholder(tree.getCondition(), "the condition of '?:' must be boolean");
        }
        if (!(whenTrue.type() instanceof PrimitiveType t) || !(whenFalse.type() instanceof PrimitiveType f)) {
            return placeholder(tree, "'?:' choosing between arrays is not supported in a @Differentiable method "
                    + "(the arrays' aliasing would depend on the condition); use if/else");
        }
        PrimitiveType type;
        if (t == PrimitiveType.BOOLEAN && f == PrimitiveType.BOOLEAN) {
            type = PrimitiveType.BOOLEAN;
        } else if (t.isNumeric() && f.isNumeric()) {
            type = PrimitiveType.promote(t, f);
        } else {
            return placeholder(tree, "incompatible operand types " + t.keyword() + " and " + f.keyword()
                    + " for '?:'");
        }
        return new Expr.Conditional(condition, whenTrue, whenFalse, type, context.pos(tree));
    }

    /** {@code c ? a : b} with side effects in a branch: an if that assigns the value ({@link SideEffects#choice}). */
    private Expr conditionalWithEffects(ConditionalExpressionTree tree) {
        Expr condition = translate(tree.getCondition());
        if (isPlaceholder(condition)) {
            return poisoned(tree);
        }
        if (condition.type() != PrimitiveType.BOOLEAN) {
            return placeholder(tree.getCondition(), "the condition of '?:' must be boolean");
        }
        Expr chosen = effects.choice(condition, () -> translate(tree.getTrueExpression()),
                () -> translate(tree.getFalseExpression()), (t, f) -> conditionalType(tree, t, f), context.pos(tree));
        return chosen == null ? poisoned(tree) : chosen;
    }

    /** The type of {@code c ? t : f}, or {@code null} when there is none (reported, unless already). */
    private Type conditionalType(ConditionalExpressionTree tree, Expr whenTrue, Expr whenFalse) {
        if (isPlaceholder(whenTrue) || isPlaceholder(whenFalse)) {
            return null;
        }
        if (!(whenTrue.type() instanceof PrimitiveType t) || !(whenFalse.type() instanceof PrimitiveType f)) {
            placeholder(tree, "'?:' choosing between arrays is not supported in a @Differentiable method "
                    + "(the arrays' aliasing would depend on the condition); use if/else");
            return null;
        }
        if (t == PrimitiveType.BOOLEAN && f == PrimitiveType.BOOLEAN) {
            return PrimitiveType.BOOLEAN;
        }
        if (t.isNumeric() && f.isNumeric()) {
            return PrimitiveType.promote(t, f);
        }
        placeholder(tree, "incompatible operand types " + t.keyword() + " and " + f.keyword() + " for '?:'");
        return null;
    }

    private Expr cast(TypeCastTree tree) {
        Expr operand = translate(tree.getExpression());
        if (isPlaceholder(operand)) {
            return poisoned(tree);
        }
        if (!(tree.getType() instanceof PrimitiveTypeTree primitive)) {
            return placeholder(tree, "casts to " + tree.getType() + " are not supported in a @Differentiable "
                    + "method; only casts between double, float, long and int are");
        }
        Optional<PrimitiveType> target = Constructs.primitive(primitive.getPrimitiveTypeKind());
        if (target.isEmpty()) {
            return placeholder(tree, "casts to " + primitive + " are not supported in a @Differentiable method; "
                    + "only casts between double, float, long and int are");
        }
        if (target.get() == operand.type()) {
            return operand; // an identity cast changes nothing, and javac's -Xlint:cast would flag a copy of it
        }
        if (target.get() == PrimitiveType.BOOLEAN || operand.type() == PrimitiveType.BOOLEAN) {
            return placeholder(tree, "incompatible types: cannot cast " + ((PrimitiveType) operand.type()).keyword()
                    + " to " + target.get().keyword());
        }
        return new Expr.Cast(target.get(), operand, context.pos(tree));
    }

    // ---- calls ----------------------------------------------------------------------------------------------

    private Expr call(MethodInvocationTree tree) {
        return call(tree, false);
    }

    /**
     * A call, resolved as javac would.
     *
     * @param discarded whether the call is a statement of its own, made for what it writes: it may then return
     *     anything, or nothing
     */
    Expr call(MethodInvocationTree tree, boolean discarded) {
        if (!tree.getTypeArguments().isEmpty()) {
            return placeholder(tree, "explicit type arguments are not supported in a @Differentiable method; "
                    + "remove them");
        }
        List<Expr> args = inOrder(tree.getArguments());
        boolean poisonedArgs = args.stream().anyMatch(this::isPlaceholder);
        ExpressionTree select = tree.getMethodSelect();
        String name;
        List<ExecutableElement> candidates;
        if (select instanceof IdentifierTree id) {
            name = id.getName().toString();
            candidates = context.symbols().resolveMethods(name);
        } else if (select instanceof MemberSelectTree member && isTypeName(member.getExpression())) {
            name = member.getIdentifier().toString();
            Optional<TypeElement> owner = context.symbols().resolveType(member.getExpression());
            if (owner.isEmpty()) {
                return placeholder(member.getExpression(), noType(member.getExpression()));
            }
            candidates = context.symbols().methodsOf(owner.get(), name);
        } else if (select instanceof MemberSelectTree member && member.getIdentifier().contentEquals("clone")
                && args.isEmpty() && !isTypeName(member.getExpression())) {
            return placeholder(tree, COPY_POSITION.formatted("clone()", "double[] c = a.clone();"));
        } else if (select instanceof MemberSelectTree member && isInstanceQualifier(member.getExpression())) {
            return placeholder(tree, "instance method '" + member.getIdentifier() + "' cannot be called from a "
                    + "@Differentiable method, which is static and has no '" + leftmost(member.getExpression())
                    + "'; make the method static, or pass its result as a parameter");
        } else {
            ExpressionTree qualifier = select instanceof MemberSelectTree member ? member.getExpression() : select;
            Optional<String> obscured = obscuredByVariable(qualifier);
            return obscured.isPresent() ? placeholder(leftmostTree(qualifier), obscured.get())
                    : placeholder(tree, CALL_ON_A_VALUE);
        }
        if (poisonedArgs) {
            return poisoned(tree);
        }
        List<Type> argTypes = args.stream().map(Expr::type).toList();
        Optional<ExecutableElement> chosen = context.overloads().select(candidates, argTypes);
        List<ExecutableElement> ambiguous = chosen.isPresent() ? List.of()
                : context.overloads().mostSpecific(candidates, argTypes);
        if (ambiguous.size() > 1) {
            return placeholder(tree, ambiguity(name, ambiguous));
        }
        if (chosen.isEmpty()) {
            String signature = name + "(" + String.join(", ", argTypes.stream().map(ExpressionTranslator::describe)
                    .toList()) + ")";
            return placeholder(tree, candidates.isEmpty() ? "cannot find symbol '" + name + "'"
                    : "no single static method " + signature + " applies without boxing or varargs; "
                    + "Leibniz resolves calls on double, long, int and boolean arguments only");
        }
        return resolvedCall(tree, chosen.get(), args, discarded);
    }

    /** Several methods apply and none is more specific: from one class, or imported statically from several. */
    private static String ambiguity(String name, List<ExecutableElement> methods) {
        boolean oneClass = methods.stream().map(ExecutableElement::getEnclosingElement).distinct().count() == 1;
        List<String> described = methods.stream().map(m -> (oneClass ? "" : m.getEnclosingElement().getSimpleName()
                + ".") + name + "(" + String.join(", ", m.getParameters().stream().map(p -> p.asType().toString())
                        .toList()) + ")").toList();
        return "the call of '" + name + "' is ambiguous: it matches " + String.join(" and ", described)
                + " equally well" + (oneClass ? "; cast an argument to choose one"
                        : ", imported statically from each class; qualify the call with the class you mean");
    }

    /**
     * {@code double[] c = Arrays.copyOf(a, n);}, {@code copyOfRange} and {@code a.clone()} as the whole value of a
     * declaration or an assignment of an array: the copy as {@link ArrayCopies} writes it, or empty when
     * {@code tree} is no such copy; a problem is reported where the copy cannot be made.
     *
     * @param assign the declaration or assignment of the new array
     */
    Optional<List<Stmt>> arrayCopy(ExpressionTree tree, java.util.function.Function<Expr, Stmt> assign,
            dev.leibniz.processor.ir.Variable reassigned) {
        if (!(tree instanceof MethodInvocationTree call)) {
            return Optional.empty();
        }
        ArrayCopies copies = new ArrayCopies(context.variables(), context.pos(tree));
        if (call.getMethodSelect() instanceof MemberSelectTree member && member.getIdentifier().contentEquals("clone")
                && call.getArguments().isEmpty() && !isTypeName(member.getExpression())) {
            Expr source = translate(member.getExpression());
            if (isPlaceholder(source)) {
                return Optional.of(List.of());
            }
            if (!(source.type() instanceof ArrayType array)) {
                placeholder(tree, "clone() is supported on arrays only in a @Differentiable method");
                return Optional.of(List.of());
            }
            if (array.dimensions() > 1) {
                placeholder(tree, SHALLOW_COPY.formatted("clone()"));
                return Optional.of(List.of());
            }
            return Optional.of(copies.copyOfRange(source, Expr.Literal.zero(PrimitiveType.INT), null, assign,
                    reassigned));
        }
        if (!(call.getMethodSelect() instanceof MemberSelectTree member)
                || !(member.getIdentifier().contentEquals("copyOf") || member.getIdentifier().contentEquals("copyOfRange"))
                || !isTypeName(member.getExpression())) {
            return Optional.empty();
        }
        Optional<TypeElement> owner = context.symbols().resolveType(member.getExpression());
        if (owner.isEmpty() || !owner.get().getQualifiedName().contentEquals("java.util.Arrays")) {
            return Optional.empty();
        }
        List<Expr> args = inOrder(call.getArguments());
        if (args.stream().anyMatch(this::isPlaceholder)) {
            return Optional.of(List.of());
        }
        boolean range = member.getIdentifier().contentEquals("copyOfRange");
        if (args.size() != (range ? 3 : 2) || !(args.get(0).type() instanceof ArrayType array)
                || args.stream().skip(1).anyMatch(a -> a.type() != PrimitiveType.INT)) {
            placeholder(tree, "Arrays." + member.getIdentifier() + " is supported on an array and int positions");
            return Optional.of(List.of());
        }
        if (array.dimensions() > 1) {
            placeholder(tree, SHALLOW_COPY.formatted("Arrays." + member.getIdentifier()));
            return Optional.of(List.of());
        }
        return Optional.of(range ? copies.copyOfRange(args.get(0), args.get(1), args.get(2), assign, reassigned)
                : copies.copyOfRange(args.get(0), Expr.Literal.zero(PrimitiveType.INT), args.get(1), assign,
                        reassigned));
    }

    /** The call {@link #arrayValuedCall} may translate: a {@code @Differentiable} method returning an array. */
    private MethodInvocationTree arrayValuedCall;

    private static final String ARRAY_CALL_POSITION = "a call of '%s', which returns double[], is supported in the "
            + "value of a declaration, an assignment or a return that has no side effects, where it is evaluated "
            + "exactly once (not in a condition, a branch of ?:, or on the right of && and ||); declare its result "
            + "first (double[] h = %s(...);)";

    /**
     * The value of a declaration, an assignment or a {@code return}, where a call of a {@code @Differentiable} method
     * returning {@code double[]} may stand as the whole value ({@code double[] h = layer(w, x)}): the array it
     * returns gets a name, and a shadow. In a value without side effects such a call may stand anywhere it is
     * evaluated exactly once ({@code layer(w2, layer(w1, x))}, {@code s + sum(twice(x))}; not in a branch of
     * {@code ?:} or on the right of {@code &&} and {@code ||}): it is declared first, in a local of its own
     * ({@code double[] layer = layer(w1, x);}), which goes to {@code out}. Nothing else in the value writes what it
     * reads (a call that writes arrays is refused inside a larger expression), so it may run first.
     */
    Expr translateValue(ExpressionTree tree, List<Stmt> out) {
        ExpressionTree inner = Constructs.unparenthesized(tree);
        MethodInvocationTree outerTop = arrayValuedCall;
        Set<Tree> outerHoisted = hoisted;
        List<Stmt> outerSink = hoistSink;
        ExpressionTree outerValue = hoistedValue;
        arrayValuedCall = inner instanceof MethodInvocationTree call ? call : null;
        hoisted = SideEffects.in(tree) ? Set.of() : evaluatedOnce(tree);
        hoistSink = out;
        hoistedValue = tree;
        try {
            return translate(tree);
        } finally {
            arrayValuedCall = outerTop;
            hoisted = outerHoisted;
            hoistSink = outerSink;
            hoistedValue = outerValue;
        }
    }

    /** Whether some method {@code call} may name returns an array (for-each over a call's result). */
    boolean mayReturnArray(MethodInvocationTree call) {
        List<ExecutableElement> candidates = List.of();
        if (call.getMethodSelect() instanceof IdentifierTree id) {
            candidates = context.symbols().resolveMethods(id.getName().toString());
        } else if (call.getMethodSelect() instanceof MemberSelectTree member && isTypeName(member.getExpression())) {
            candidates = context.symbols().resolveType(member.getExpression())
                    .map(owner -> context.symbols().methodsOf(owner, member.getIdentifier().toString()))
                    .orElse(List.of());
        }
        return candidates.stream().anyMatch(m -> m.getReturnType().getKind() == TypeKind.ARRAY);
    }

    /** The calls in {@code tree} that each evaluation of it evaluates exactly once. */
    private static Set<Tree> evaluatedOnce(ExpressionTree tree) {
        Set<Tree> calls = Collections.newSetFromMap(new IdentityHashMap<>());
        new com.sun.source.util.TreeScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree t, Void unused) {
                calls.add(t);
                return super.visitMethodInvocation(t, unused);
            }

            @Override
            public Void visitConditionalExpression(com.sun.source.tree.ConditionalExpressionTree t, Void unused) {
                return scan(t.getCondition(), unused); // a branch runs on some paths only
            }

            @Override
            public Void visitBinary(com.sun.source.tree.BinaryTree t, Void unused) {
                boolean shortCircuit = t.getKind() == Tree.Kind.CONDITIONAL_AND
                        || t.getKind() == Tree.Kind.CONDITIONAL_OR;
                return shortCircuit ? scan(t.getLeftOperand(), unused) : super.visitBinary(t, unused);
            }

            @Override
            public Void visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree t, Void unused) {
                return null;
            }

            @Override
            public Void visitSwitchExpression(com.sun.source.tree.SwitchExpressionTree t, Void unused) {
                return scan(t.getExpression(), unused);
            }
        }.scan(tree, null);
        return calls;
    }

    /** Calls of helpers returning arrays that {@link #translateValue} declares first, where they are such calls. */
    private Set<Tree> hoisted = Set.of();
    private List<Stmt> hoistSink;
    /** The value {@link #hoisted} was found in. */
    private ExpressionTree hoistedValue;

    static final String DISCARDED = "a call whose result is discarded cannot affect a derivative (the method writes "
            + "into no array it is given); remove it, or use its result";

    private static final String COPY_POSITION = "%s is supported as the whole value of a declaration or an "
            + "assignment of an array in a @Differentiable method; declare the copy first (%s)";

    private static final String SHALLOW_COPY = "%s of a matrix copies the outer array only, and the copy would share "
            + "its rows with the original; copy each row (double[][] c = new double[m.length][]; "
            + "c[i] = m[i].clone();) or allocate new double[rows][columns] and copy the elements";

    private Expr resolvedCall(MethodInvocationTree tree, ExecutableElement method, List<Expr> args,
            boolean discarded) {
        String name = method.getSimpleName().toString();
        context.noteUse(method);
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            return placeholder(tree, "instance method '" + name + "' cannot be called from a @Differentiable "
                    + "method, which is static; make it static");
        }
        List<Integer> writes = new ArrayList<>();
        for (int i : context.effects().writtenParameters(method)) {
            if (i < args.size() && args.get(i).type() instanceof ArrayType) {
                writes.add(i);
            }
        }
        for (int i : context.effects().keptParameters(method)) {
            if (i < args.size() && args.get(i).type() instanceof ArrayType) {
                return placeholder(tree.getArguments().get(i), "'" + name + "' may keep a reference to the array '"
                        + tree.getArguments().get(i) + "' (it stores it where code that runs later can reach it), "
                        + "and a later call could change it without Leibniz seeing; pass it a copy (double[] c = "
                        + tree.getArguments().get(i) + ".clone();)");
            }
        }
        if (discarded && writes.isEmpty()) {
            return placeholder(tree, DISCARDED);
        }
        if (method.getReturnType().getKind() == TypeKind.VOID && !discarded) {
            return placeholder(tree, "'" + name + "' returns void; only calls whose value is used are supported");
        }
        Optional<PrimitiveType> returnType = Overloads.primitiveType(method.getReturnType());
        List<String> checked = Symbols.checkedExceptions(method);
        if (!checked.isEmpty() && !Symbols.isAnnotatedDifferentiable(method)) {
            // a @Differentiable callee is called through its generated members, which throw nothing checked
            return placeholder(tree, "'" + name + "' declares throws " + String.join(", ", checked) + ", which the "
                    + "generated gradient class could neither catch nor declare; call it in a helper that catches "
                    + "it, or in the caller, and pass the value as a parameter");
        }
        if (ownerIs(method, "java.util.Arrays") && (name.equals("copyOf") || name.equals("copyOfRange"))) {
            return placeholder(tree, COPY_POSITION.formatted("Arrays." + name, "double[] c = Arrays." + name
                    + "(a, ...);"));
        }
        if (Symbols.isAnnotatedDifferentiable(method) && MethodTranslator.returnsArray(method)) {
            if (tree == arrayValuedCall) {
                return differentiableCall(tree, method, args, context.pos(tree), false);
            }
            if (!hoisted.contains(tree) || hoistSink == null) {
                return placeholder(tree, ARRAY_CALL_POSITION.formatted(name, name));
            }
            Expr call = differentiableCall(tree, method, args, context.pos(tree), false);
            if (isPlaceholder(call)) {
                return call;
            }
            Variable result = context.variables().create(name, call.type(), Variable.Role.LOCAL);
            hoistSink.add(new Stmt.LocalDecl(result, call, call.pos()));
            return new Expr.Ref(result, call.pos());
        }
        if (returnType.isEmpty() && !discarded) {
            return placeholder(tree, "'" + name + "' returns " + method.getReturnType()
                    + "; calls must return double, long, int or boolean");
        }
        SourcePos pos = context.pos(tree);
        ClassRef ownerRef = Symbols.classRef(owner);
        String ownerName = owner.getQualifiedName().toString();
        if (ownerName.equals("java.lang.Math") || ownerName.equals("java.lang.StrictMath")) {
            if (name.equals("random")) {
                return placeholder(tree, owner.getSimpleName() + ".random() is not supported in a @Differentiable "
                        + "method: the method would return another value on every call, and its Hessian and Jacobian "
                        + "run it more than once; draw the number in the caller and pass it as a parameter, left out "
                        + "of wrt");
            }
            Optional<MathFunction> function = MathFunction.forName(name, args.size());
            List<? extends VariableElement> parameters = method.getParameters();
            // the double overload, or the float one (abs, max, min, signum, copySign, ulp, nextUp, fma, ...)
            boolean doubleSignature = function.isPresent() && java.util.stream.IntStream.range(0, parameters.size())
                    .allMatch(i -> function.get().takesInt(i)
                            ? parameters.get(i).asType().getKind() == TypeKind.INT
                            : parameters.get(i).asType().getKind() == TypeKind.DOUBLE
                                    || parameters.get(i).asType().getKind() == TypeKind.FLOAT);
            if (function.isPresent() && doubleSignature) {
                return new Expr.MathCall(ownerRef, function.get(), args, returnType.get(), pos);
            }
        }
        if (Symbols.isAnnotatedDifferentiable(method)) {
            return differentiableCall(tree, method, args, pos, discarded);
        }
        Optional<Symbols.Inaccessibility> inaccessible = context.symbols().inaccessibility(method);
        if (inaccessible.isPresent()) {
            return placeholder(tree, notCallable("'" + name + "'", inaccessible.get()));
        }
        List<CustomPartial> partials = new ArrayList<>();
        for (CustomDerivatives.Declared declared : context.customDerivatives().of(method)) {
            Optional<Symbols.Inaccessibility> derivative = context.symbols().inaccessibility(declared.method());
            if (derivative.isPresent()) {
                return placeholder(tree, notCallable("the derivative '" + declared.method().getSimpleName() + "' of '"
                        + name + "'", derivative.get()));
            }
            partials.add(declared.partial().withPartials(context.customDerivatives().of(declared.method()).stream()
                    .filter(own -> context.symbols().isAccessibleFromGeneratedCode(own.method()))
                    .map(CustomDerivatives.Declared::partial).toList()));
        }
        return new Expr.StaticCall(ownerRef, name, args, discarded ? ClassType.VOID : returnType.get(),
                context.isInSources(method), partials, writes, pos);
    }

    private static boolean ownerIs(ExecutableElement method, String owner) {
        return ((TypeElement) method.getEnclosingElement()).getQualifiedName().contentEquals(owner);
    }

    private static final String WRITING_CALL_POSITION = "a call of '%s', which writes into the arrays it is given, is "
            + "supported as a statement of its own, as the whole value of a declaration, an assignment or a return, or "
            + "in a value that reads no array element and calls no other method (but Math's), so that nothing else "
            + "sees the arrays change; call it first (%s)";

    /**
     * @param discarded whether the call is a statement of its own (its value, if any, unused)
     */
    private Expr differentiableCall(MethodInvocationTree tree, ExecutableElement method, List<Expr> args,
            SourcePos pos, boolean discarded) {
        Optional<Callee> declared = Callees.describe(method, context.symbols());
        String name = method.getSimpleName().toString();
        context.noteUse(method); // the forward sweep calls it
        if (declared.isEmpty()) {
            return placeholder(tree, "'" + name + "' is @Differentiable but its signature is outside what Leibniz "
                    + "differentiates (static; a double, float, double[] or void result; double, float, long, int "
                    + "and boolean parameters, and arrays of them)");
        }
        Optional<Callee> callee = context.generated(declared.get());
        if (callee.isEmpty()) {
            return placeholder(tree, "'" + name + "' is @Differentiable but its generated gradient class "
                    + declared.get().gradientClass() + " is not on the class path; compile "
                    + declared.get().owner().simpleName() + " with the Leibniz annotation processor");
        }
        if (!callee.get().hasDifferential()) {
            return placeholder(tree, "'" + name + "' was compiled by an older Leibniz: "
                    + declared.get().gradientClass() + " has no " + GradientNaming.differentialName(name)
                    + ", which the differential of this method calls (forward mode); recompile "
                    + declared.get().owner().simpleName() + " with this version of Leibniz");
        }
        if (callee.get().returnsArray() && callee.get().returnsArgument()) {
            return placeholder(tree, "'" + name + "' may return an array it is given (or a row of one) rather than a "
                    + "new array, and its result would share storage with that argument; let it return a copy ("
                    + "return a.clone();)");
        }
        if (callee.get().writesArrayArguments()) {
            if (callee.get().returnsArray()) {
                return placeholder(tree, "'" + name + "' returns double[] and writes into arrays it is given, whose "
                        + "derivatives Leibniz cannot chain yet; let it return the arrays it computes, or write them "
                        + "and return void");
            }
            for (int i : callee.get().writtenParameters()) {
                if (i < args.size() && args.get(i).type() instanceof ArrayType array && array.carriesDerivatives()
                        && !callee.get().differentiated().get(i)) {
                    String p = callee.get().parameterNames().get(i);
                    return placeholder(tree.getArguments().get(i), "'" + name + "' writes into its parameter '" + p
                            + "', which its wrt leaves out, so its derivatives cannot carry what the caller's array "
                            + "holds through the call; add \"" + p + "\" to its wrt");
                }
            }
            boolean hoistable = hoistSink != null && hoisted.contains(tree) && readsNoArrayBesides(hoistedValue, tree);
            if (!discarded && tree != arrayValuedCall && !hoistable) {
                return placeholder(tree, WRITING_CALL_POSITION.formatted(name, (callee.get().returnsVoid() ? ""
                        : "double r = ") + name + "(...);"));
            }
            Optional<Problem> inPlace = context.inPlaceProblem(callee.get());
            if (inPlace.isPresent()) {
                return placeholder(tree, "'" + name + "' writes into arrays it is given, and the derivatives of what "
                        + "it writes would need what Leibniz refuses in '" + name + "' (though its result does not): "
                        + inPlace.get().message() + "; change that in '" + name + "', and this call is differentiated");
            }
            // axpy(dt, v, v): one array as an input and as the output, which the in-place forms refuse at run time
            for (int i : callee.get().writtenParameters()) {
                for (int j = 0; j < args.size(); j++) {
                    if (j != i && i < args.size() && args.get(i) instanceof Expr.Ref written
                            && args.get(j) instanceof Expr.Ref other && written.variable().equals(other.variable())) {
                        return placeholder(tree.getArguments().get(Math.max(i, j)), "'" + name + "' writes into its "
                                + "parameter '" + callee.get().parameterNames().get(i) + "', and the array '"
                                + tree.getArguments().get(i) + "' is passed as its parameter '"
                                + callee.get().parameterNames().get(j) + "' too, so what it reads changes as it "
                                + "writes; pass a copy (" + tree.getArguments().get(i) + ".clone())");
                    }
                }
            }
        }
        Expr.DiffCall call = new Expr.DiffCall(callee.get(), args, pos);
        if (callee.get().writesArrayArguments() && !discarded && tree != arrayValuedCall) {
            // e + step(x, v): declared first, in a local of its own; nothing else in the value reads an array or
            // calls a method, so nothing can tell that it ran first
            Variable result = context.variables().create(name, call.type(), Variable.Role.LOCAL);
            hoistSink.add(new Stmt.LocalDecl(result, call, pos));
            return new Expr.Ref(result, pos);
        }
        return call;
    }

    /**
     * Whether {@code value}, but for {@code call} and its arguments, reads no array element and calls no method but
     * {@code Math}'s and {@code StrictMath}'s: then a call that writes into arrays may run before the rest of it.
     */
    private static boolean readsNoArrayBesides(ExpressionTree value, Tree call) {
        boolean[] reads = {false};
        new com.sun.source.util.TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree t, Void unused) {
                return t == call ? null : super.scan(t, unused);
            }

            @Override
            public Void visitArrayAccess(com.sun.source.tree.ArrayAccessTree t, Void unused) {
                reads[0] = true;
                return null;
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree t, Void unused) {
                boolean math = t.getMethodSelect() instanceof MemberSelectTree select
                        && select.getExpression() instanceof IdentifierTree owner
                        && (owner.getName().contentEquals("Math") || owner.getName().contentEquals("StrictMath"));
                reads[0] |= !math;
                return super.visitMethodInvocation(t, unused);
            }
        }.scan(value, null);
        return !reads[0];
    }

    /** Whether a value of {@code type} may be assigned to a variable of {@code target}, by JLS 5.2. */
    static boolean assignable(Type type, Type target) {
        if (target instanceof PrimitiveType t) {
            return type instanceof PrimitiveType p && p.widensTo(t);
        }
        return type.equals(target);
    }

    static String describe(Type type) {
        return type instanceof PrimitiveType p ? p.keyword() : type.toString();
    }
}
