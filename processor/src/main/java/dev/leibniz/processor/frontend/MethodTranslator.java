package dev.leibniz.processor.frontend;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.GradientNaming;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.Type;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The front end's entry point: checks a {@code @Differentiable} method's declaration and translates its body
 * into a {@link Function}. Everything it cannot translate becomes a {@link Problem}.
 */
public final class MethodTranslator {
    private final Declarations declarations;
    private final Map<TypeElement, Symbols> symbolsByClass = new HashMap<>();
    private final Elements elements;
    private final Members members;
    private final MemoryEffects effects;
    private final Overloads overloads;
    private final CalleeIndex callees;
    private final CustomDerivatives customDerivatives;

    public MethodTranslator(Declarations declarations, Elements elements, Types types, Members members,
            MemoryEffects effects, CalleeIndex callees, CustomDerivatives customDerivatives) {
        this.declarations = declarations;
        this.elements = elements;
        this.members = members;
        this.effects = effects;
        this.overloads = new Overloads(types);
        this.callees = callees;
        this.customDerivatives = customDerivatives;
    }

    /**
     * The method in IR form. When {@code problems} received any, the function has placeholders where the
     * problems are: good for finding more problems, not for generating code.
     */
    public Optional<Function> translate(ExecutableElement method, Problems problems) {
        TreePath path = declarations.path(method);
        if (path == null || !(path.getLeaf() instanceof MethodTree tree)) {
            return Optional.empty();
        }
        SourceText source = declarations.source(path.getCompilationUnit());
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        Symbols symbols = symbolsByClass.computeIfAbsent(owner,
                o -> new Symbols(elements, members, o, path.getCompilationUnit()));
        dev.leibniz.processor.ir.ClassRef gradientClass = GradientNaming.gradientClass(Symbols.classRef(owner));
        TranslationContext context = new TranslationContext(symbols, overloads, source, problems, gradientClass,
                callees, customDerivatives, effects);

        checkDeclaration(method, tree, problems);
        context.noteUse(method); // the generated class names the method and its class
        if (returnsArray(method)) {
            context.returnType(new dev.leibniz.processor.ir.ArrayType(PrimitiveType.DOUBLE, 1));
        } else if (returnsVoid(method)) {
            context.returnsVoid(true);
        } else if (tree.getReturnType() != null) {
            // an unsupported return type is reported at the declaration; its returns need no error of their own
            Constructs.type(tree.getReturnType()).filter(StatementTranslator::supported)
                    .ifPresent(context::returnType);
        }
        if (method.isVarArgs()) {
            problems.report(tree.getParameters().get(tree.getParameters().size() - 1),
                    "varargs parameters are not supported by @Differentiable; declare the parameter as an array "
                            + "(double[] rather than double...)");
        }
        List<Variable> parameters = new ArrayList<>();
        List<Boolean> differentiated = new ArrayList<>();
        for (VariableTree p : tree.getParameters()) {
            boolean varargs = method.isVarArgs() && p == tree.getParameters().get(tree.getParameters().size() - 1);
            Optional<Type> type = varargs ? Optional.empty() : parameterType(p, problems);
            String name = p.getName().toString();
            Variable v = context.variables().create(name, type.orElse(PrimitiveType.DOUBLE), Variable.Role.PARAMETER);
            context.scopes().declare(name, v);
            if (type.isEmpty()) {
                // reported at its declaration: its uses are placeholders, not errors of their own
                context.markErroneous(v);
                context.noteUnsupportedType(v, p.getType().toString());
            }
            parameters.add(v);
            differentiated.add(type.isPresent() && Differentiation.isDifferentiable(type.get()));
        }
        applyWrt(method, tree, parameters, differentiated, problems);
        if (tree.getBody() == null) {
            problems.report(tree, "@Differentiable method '" + tree.getName() + "' has no body to differentiate");
            return Optional.empty();
        }
        ExpressionTranslator expressions = new ExpressionTranslator(context);
        List<Stmt> translated = new ArrayList<>(new StatementTranslator(context, expressions).translateBlock(
                tree.getBody().getStatements()));
        if (returnsVoid(method) && (translated.isEmpty() || !(translated.get(translated.size() - 1)
                instanceof Stmt.Return))) {
            translated.add(new Stmt.Return(dev.leibniz.processor.ir.Expr.Literal.zero(PrimitiveType.DOUBLE),
                    dev.leibniz.processor.ir.SourcePos.NONE)); // the end of a void method: its implicit return
        }
        // the static final arrays the body reads, each declared on entry, in the order the body names them
        List<Stmt> body = new ArrayList<>(context.constantArrayDeclarations());
        body.addAll(translated);
        return Optional.of(new Function(Symbols.classRef(owner), method.getSimpleName().toString(),
                source.fileName(), parameters, differentiated, body, context.variables(), source.pos(tree),
                context.suppressions()));
    }

    /**
     * {@code wrt = {"w1", "w2"}}: only the named parameters are differentiated. A name that is not a parameter, or
     * names one without derivatives, is an error at that name in the annotation.
     */
    private static void applyWrt(ExecutableElement method, MethodTree tree, List<Variable> parameters,
            List<Boolean> differentiated, Problems problems) {
        List<String> wrt = Callees.wrt(method);
        if (wrt.isEmpty()) {
            return;
        }
        Map<String, Tree> nameTrees = wrtTrees(tree);
        for (String name : wrt) {
            Tree at = nameTrees.getOrDefault(name, tree);
            Optional<Variable> parameter = parameters.stream().filter(p -> p.hint().equals(name)).findFirst();
            if (parameter.isEmpty()) {
                problems.report(at, "wrt names '" + name + "', which is not a parameter of " + tree.getName());
            } else if (!Differentiation.isDifferentiable(parameter.get().type())) {
                Type type = parameter.get().type();
                String described = type instanceof PrimitiveType p ? p.keyword() : type.toString();
                problems.report(at, "wrt names '" + name + "', a parameter of type " + described + "; only double "
                        + "parameters and arrays of double can be differentiated");
            }
        }
        for (int i = 0; i < parameters.size(); i++) {
            differentiated.set(i, differentiated.get(i) && wrt.contains(parameters.get(i).hint()));
        }
    }

    /** The string literals of the {@code wrt} attribute in the source, by value, for precise diagnostics. */
    private static Map<String, Tree> wrtTrees(MethodTree tree) {
        Map<String, Tree> out = new HashMap<>();
        for (AnnotationTree annotation : tree.getModifiers().getAnnotations()) {
            for (ExpressionTree argument : annotation.getArguments()) {
                if (argument instanceof AssignmentTree a && a.getVariable().toString().equals("wrt")) {
                    ExpressionTree value = a.getExpression();
                    List<? extends ExpressionTree> names = value instanceof NewArrayTree array
                            ? array.getInitializers() : List.of(value);
                    for (ExpressionTree n : names) {
                        if (n instanceof LiteralTree literal && literal.getValue() instanceof String s) {
                            out.putIfAbsent(s, n);
                        }
                    }
                }
            }
        }
        return out;
    }

    private void checkDeclaration(ExecutableElement method, MethodTree tree, Problems problems) {
        String name = tree.getName().toString();
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            problems.report(tree, "@Differentiable method '" + name + "' must be static: Leibniz differentiates "
                    + "functions of their parameters, not of object state");
        }
        Tree returnType = tree.getReturnType();
        if (returnsArray(method)) {
            checkArrayReturn(tree, problems);
            if (Callees.hessian(method)) {
                problems.report(returnType, "hessian = true needs a method returning double; '" + name + "' returns "
                        + "double[], whose second derivatives Leibniz does not generate");
            }
        } else if (returnsVoid(method)) {
            if (Callees.hessian(method)) {
                problems.report(returnType, "hessian = true needs a method returning double; '" + name + "' returns "
                        + "void, whose outputs are the arrays it writes");
            }
        } else if (returnType != null
                && !Overloads.primitiveType(method.getReturnType()).filter(p -> p.isReal()).isPresent()) {
            problems.report(returnType, "@Differentiable method '" + name + "' must return double, float, double[] "
                    + "or void, not " + method.getReturnType());
        }
        if (method.getModifiers().contains(Modifier.SYNCHRONIZED)) {
            problems.report(tree, "@Differentiable method '" + name + "' is synchronized, but its generated gradient "
                    + "takes no lock; remove synchronized, and synchronize in the caller if it must");
        }
        if (!tree.getTypeParameters().isEmpty()) {
            problems.report(tree.getTypeParameters().get(0), "generic @Differentiable methods are not supported; "
                    + "Leibniz differentiates methods of double, long, int and boolean parameters: remove the type "
                    + "parameters");
        }
    }

    /**
     * Whether the method returns void: its outputs are the arrays it writes, and it is differentiated as if it
     * returned the constant 0 ({@code return;} is {@code return 0.0;}), with in-place derivatives only.
     */
    public static boolean returnsVoid(ExecutableElement method) {
        return method.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID;
    }

    /** Whether the method returns {@code double[]}: its Jacobian, VJP and JVP are generated. */
    public static boolean returnsArray(ExecutableElement method) {
        return method.getReturnType() instanceof javax.lang.model.type.ArrayType a
                && a.getComponentType().getKind() == javax.lang.model.type.TypeKind.DOUBLE;
    }

    /**
     * A method returning {@code double[]} must end with its only {@code return}: the reverse sweep starts from the
     * shadow of that one array.
     */
    private static void checkArrayReturn(MethodTree tree, Problems problems) {
        if (tree.getBody() == null) {
            return;
        }
        List<com.sun.source.tree.ReturnTree> returns = new ArrayList<>();
        new com.sun.source.util.TreeScanner<Void, Void>() {
            @Override
            public Void visitReturn(com.sun.source.tree.ReturnTree node, Void unused) {
                returns.add(node);
                return super.visitReturn(node, unused);
            }

            @Override
            public Void visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree node, Void unused) {
                return null;
            }

            @Override
            public Void visitClass(com.sun.source.tree.ClassTree node, Void unused) {
                return null;
            }
        }.scan(tree.getBody(), null);
        List<? extends com.sun.source.tree.StatementTree> stmts = tree.getBody().getStatements();
        boolean last = !stmts.isEmpty() && stmts.get(stmts.size() - 1) instanceof com.sun.source.tree.ReturnTree;
        for (com.sun.source.tree.ReturnTree r : returns) {
            if (!last || r != stmts.get(stmts.size() - 1)) {
                problems.report(r, "a @Differentiable method returning double[] must have one return, its last "
                        + "statement; assign the array to a local and return it at the end");
            }
        }
    }

    private Optional<Type> parameterType(VariableTree p, Problems problems) {
        String name = p.getName().toString();
        if (name.equals(GradientNaming.VALUE_COMPONENT)) {
            problems.report(p, "parameter 'value' clashes with the 'value' component of the generated gradient "
                    + "record; rename the parameter");
        } else if (GradientNaming.FORBIDDEN_COMPONENT_NAMES.contains(name)) {
            problems.report(p, "parameter '" + name + "' cannot name a component of the generated gradient record "
                    + "(it would clash with Object." + name + "()); rename the parameter");
        }
        Tree type = p.getType();
        Optional<Type> subset = Constructs.type(type);
        if (subset.isPresent() && StatementTranslator.supported(subset.get())) {
            return subset;
        }
        problems.report(type, "parameter '" + name + "' has type " + type + "; @Differentiable parameters are "
                + "double and float (differentiated), long, int, boolean (inputs without derivative), or arrays of "
                + "them with one or two dimensions" + Constructs.instead(type));
        return Optional.empty();
    }
}
