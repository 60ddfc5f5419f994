package dev.leibniz.processor;

import dev.leibniz.processor.analysis.Activity;
import dev.leibniz.processor.analysis.ConstantDataWrites;
import dev.leibniz.processor.analysis.DifferentiabilityCheck;
import dev.leibniz.processor.analysis.SecondOrderCheck;
import dev.leibniz.processor.analysis.ZeroPartials;
import dev.leibniz.processor.frontend.Callees;
import dev.leibniz.processor.frontend.MethodTranslator;
import dev.leibniz.processor.frontend.Problems;
import dev.leibniz.processor.ir.Function;
import dev.leibniz.processor.ir.Variable;
import dev.leibniz.processor.transform.ArrayVersions;
import dev.leibniz.processor.transform.ForwardMode;
import dev.leibniz.processor.transform.LoopJumps;
import dev.leibniz.processor.transform.Lowering;
import dev.leibniz.processor.transform.Pullback;
import dev.leibniz.processor.transform.Pushforward;
import dev.leibniz.processor.transform.ReverseMode;
import dev.leibniz.processor.transform.SecondOrder;
import dev.leibniz.processor.transform.SingleExit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.leibniz.processor.ir.ArrayType;
import dev.leibniz.processor.ir.BinaryOp;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.PrimitiveType;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.VariableFactory;
import javax.lang.model.element.ExecutableElement;

/** Front end, analyses and transforms for one method, in order: the whole compiler in a dozen lines. */
final class MethodPipeline {
    private final MethodTranslator translator;

    MethodPipeline(MethodTranslator translator) {
        this.translator = translator;
    }

    /**
     * Runs the analyses over a function with placeholders, so that one compilation reports every problem of a
     * method. Best effort: if a placeholder confuses an analysis, the problems already found still stand.
     */
    private static void findMoreProblems(Function partial, Problems problems) {
        try {
            SingleExit.Result normalized = SingleExit.apply(partial);
            DifferentiabilityCheck.check(normalized.function(),
                    Activity.of(normalized.function(), normalized.result()), problems);
        } catch (RuntimeException ignored) {
            // the front end's problems are what the user needs first
        }
    }

    /**
     * A method's derivatives in both modes, and its second derivatives when it asks for them.
     *
     * @param hessian the Hessian-vector product, or {@code null} without {@code hessian = true}
     * @param zeroPartials the differentiated parameters whose partial is always 0, which deserve a warning
     */
    record Derivatives(Pullback pullback, Pushforward pushforward, SecondOrder.HessianVector hessian,
            List<ZeroPartials.Parameter> zeroPartials, InPlace inPlace, Pullback directional) {
        /** Whether the method returns {@code double[]}: the pullback is then the vector-Jacobian product. */
        boolean vectorValued() {
            return pushforward.function() != pullback.function();
        }
    }

    /**
     * The derivatives of a method that writes into its differentiated array parameters {@code outputs} (or returns
     * void), whose shadows and tangents carry the derivatives of those arrays' contents in place: what a caller
     * needs to differentiate through a call that changes its arrays.
     *
     * @param returnsVoid whether the method returns void: these are then its only derivatives
     */
    record InPlace(Pullback pullback, Pushforward pushforward, List<Variable> outputs, boolean returnsVoid) {
    }

    /**
     * A method up to the checks of its result's derivative: as translated, then with one exit and structured loops,
     * and its activity.
     */
    private record Checked(Function translated, Function structured, Variable result, Activity activity) {
    }

    /** The front end and the checks every derivative of the method needs, or empty when {@code problems} say why. */
    private Optional<Checked> check(ExecutableElement method, Problems problems) {
        Optional<Function> translated = translator.translate(method, problems);
        if (translated.isEmpty()) {
            return Optional.empty();
        }
        ConstantDataWrites.check(translated.get(), problems);
        if (!problems.isEmpty()) {
            findMoreProblems(translated.get(), problems);
            return Optional.empty();
        }
        Function separated = ArrayVersions.apply(translated.get());
        SingleExit.Result normalized = MethodTranslator.returnsArray(method)
                ? SingleExit.apply(separated, new ArrayType(PrimitiveType.DOUBLE, 1))
                : SingleExit.apply(separated);
        Function structured = LoopJumps.apply(normalized.function(), normalized.returned());
        Activity activity = Activity.of(structured, normalized.result());
        DifferentiabilityCheck.check(structured, activity, problems);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Checked(translated.get(), structured, normalized.result(), activity));
    }

    /** The method's derivatives, or empty when {@code problems} says why not. */
    Optional<Derivatives> differentiate(ExecutableElement method, Problems problems) {
        Optional<Checked> checked = check(method, problems);
        if (checked.isEmpty()) {
            return Optional.empty();
        }
        boolean vectorValued = MethodTranslator.returnsArray(method);
        Function structured = checked.get().structured();
        Activity activity = checked.get().activity();
        Variable result = checked.get().result();
        boolean returnsVoid = method.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID;
        // The arrays a method writes are outputs beside its result. A void method's problems with them are its own;
        // another method keeps its other derivatives, and a call of it is refused instead (inPlaceProblem). A method
        // returning double[] that writes its arguments has none: calls of it are refused.
        Problems inPlaceProblems = returnsVoid ? problems : new Problems();
        InPlace inPlace = vectorValued ? null : inPlace(structured, result, returnsVoid, inPlaceProblems);
        if (!returnsVoid && !vectorValued) {
            inPlaceChecked.putIfAbsent(method, inPlaceProblems.all().stream().findFirst()); // what callers ask
        }
        if (returnsVoid) {
            if (inPlace == null) {
                return Optional.empty();
            }
            Pullback directional = secondOrderCallees.contains(method)
                    ? directional(method).pullback().orElse(null) : null;
            return Optional.of(new Derivatives(inPlace.pullback(), inPlace.pushforward(), null, List.of(), inPlace,
                    directional));
        }
        boolean hessian = Callees.hessian(method);
        if (hessian) {
            SecondOrderCheck.check(structured, activity, problems, this::secondOrderProblem);
            if (!problems.isEmpty()) {
                return Optional.empty();
            }
        }
        Function lowered = Lowering.apply(structured, activity);
        Activity loweredActivity = Activity.of(lowered, result);
        Pushforward pushforward = ForwardMode.differentiate(lowered, result, loweredActivity);
        List<ZeroPartials.Parameter> zeroPartials = ZeroPartials.of(checked.get().translated(), structured, activity, lowered,
                loweredActivity);
        SecondOrder.HessianVector hessianVector = null;
        Pullback directional = null;
        if (hessian) {
            Optional<SecondOrder.HessianVector> second = hessianVector(pushforward, result,
                    loweredActivity, problems);
            if (second.isEmpty()) {
                return Optional.empty();
            }
            hessianVector = second.get();
        }
        if (hessian || secondOrderCallees.contains(method)) {
            directional = directional(method).pullback().orElse(null);
        }
        if (vectorValued) {
            return Optional.of(new Derivatives(vectorJacobianProduct(lowered, result), pushforward, null,
                    zeroPartials, inPlace, directional));
        }
        return Optional.of(new Derivatives(ReverseMode.differentiate(lowered, result, loweredActivity),
                pushforward, hessianVector, zeroPartials, inPlace, directional));
    }

    /** The methods of this compilation that callers with {@code hessian = true} differentiate twice. */
    private final java.util.Set<ExecutableElement> secondOrderCallees = new java.util.HashSet<>();

    private GeneratedCallees callees;

    /**
     * Finds, before any class is generated, the methods of this compilation that a method with
     * {@code hessian = true} calls, directly or through others: each gets the pullback of its differential,
     * {@code fDifferentialPullback}, which second order goes through.
     */
    void planSecondOrder(GeneratedCallees index, java.util.Collection<ExecutableElement> methods) {
        this.callees = index;
        java.util.ArrayDeque<ExecutableElement> pending = new java.util.ArrayDeque<>();
        methods.stream().filter(Callees::hessian).forEach(pending::add);
        while (!pending.isEmpty()) {
            ExecutableElement method = pending.pop();
            Optional<Function> translated;
            try {
                translated = translator.translate(method, new Problems());
            } catch (RuntimeException | StackOverflowError reportedLater) {
                continue; // its own differentiation reports it
            }
            translated.ifPresent(f -> dev.leibniz.processor.analysis.ExprWalk.statements(f.body(),
                    s -> dev.leibniz.processor.analysis.ExprWalk.ownExpressions(s).forEach(
                            e -> dev.leibniz.processor.analysis.ExprWalk.nodes(e, node -> {
                                if (node instanceof Expr.DiffCall call) {
                                    index.sourcesThisRound(call.callee()).filter(secondOrderCallees::add)
                                            .forEach(pending::add);
                                }
                            }))));
        }
    }

    /**
     * The pullback of a method's differential, or why it has none; worked out once per method. Asked again while
     * it is being answered (recursion), the answer is that it has one.
     */
    private record Directional(Optional<Pullback> pullback, Optional<dev.leibniz.processor.frontend.Problem> problem) {
    }

    private final java.util.Map<ExecutableElement, Directional> directionals = new java.util.HashMap<>();

    private Directional directional(ExecutableElement method) {
        Directional known = directionals.get(method);
        if (known != null) {
            return known;
        }
        directionals.put(method, new Directional(Optional.empty(), Optional.empty()));
        Problems problems = new Problems();
        Optional<Pullback> pullback = directionalPullback(method, problems);
        Directional answer = new Directional(pullback, problems.all().stream().findFirst());
        directionals.put(method, answer);
        return answer;
    }

    private Optional<Pullback> directionalPullback(ExecutableElement method, Problems problems) {
        Optional<Checked> checked = check(method, problems);
        if (checked.isEmpty()) {
            return Optional.empty();
        }
        Function structured = checked.get().structured();
        Variable result = checked.get().result();
        SecondOrderCheck.check(structured, checked.get().activity(), problems, this::secondOrderProblem);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        if (MethodTranslator.returnsVoid(method)) {
            // its differential updates the arrays it writes and their tangents in place: so does the pullback
            InPlace inPlace = inPlace(structured, result, true, problems);
            if (inPlace == null) {
                return Optional.empty();
            }
            return secondOrder(inPlace.pushforward(), result, Activity.of(inPlace.pushforward().function(), result,
                    inPlace.outputs()), true, inPlace.outputs(), problems).map(Map.Entry::getValue);
        }
        Function lowered = Lowering.apply(structured, checked.get().activity());
        Activity loweredActivity = Activity.of(lowered, result);
        Pushforward pushforward = ForwardMode.differentiate(lowered, result, loweredActivity);
        return secondOrder(pushforward, result, loweredActivity, true, problems).map(Map.Entry::getValue);
    }

    /**
     * Why a call of {@code callee} cannot be differentiated twice, or empty: a method of this compilation whose
     * differential cannot be differentiated (the first problem, in its words), or one compiled earlier without the
     * second-order forms.
     */
    Optional<String> secondOrderProblem(dev.leibniz.processor.ir.Callee callee) {
        List<ExecutableElement> sources = callees == null ? List.of() : callees.sourcesThisRound(callee).toList();
        if (sources.isEmpty()) {
            if (callee.hasSecondOrder()) {
                return Optional.empty();
            }
            // hessian = true, which generates them with a method's own Hessian, needs a method returning double
            return Optional.of("'" + callee.method() + "' was compiled earlier without the forms second derivatives "
                    + "go through; " + (callee.returnsVoid() || callee.returnsArray()
                            ? "a method returning " + (callee.returnsVoid() ? "void" : "double[]") + " has them when "
                                    + "it is compiled with a caller that has hessian = true: compile them together"
                            : "compile it with @Differentiable(hessian = true)"));
        }
        return sources.stream().map(m -> directional(m).problem()).flatMap(Optional::stream).findFirst()
                .map(dev.leibniz.processor.frontend.Problem::message);
    }

    private final java.util.Map<ExecutableElement, Optional<dev.leibniz.processor.frontend.Problem>> inPlaceChecked =
            new java.util.HashMap<>();

    /**
     * Why a method of this compilation that returns a value and writes into its differentiated arrays has no in-place
     * derivatives (the first problem with what their contents need: {@code out[0] = helper(x)} with {@code helper} not
     * differentiable, where the result does not read {@code out}), or empty when it has them or its own compilation
     * reports why it has none. A caller's call of it is refused with this, since the method itself is fine. Asked
     * again while it is being answered (recursion), the answer is empty.
     */
    Optional<dev.leibniz.processor.frontend.Problem> inPlaceProblem(ExecutableElement method) {
        if (inPlaceChecked.containsKey(method)) {
            return inPlaceChecked.get(method);
        }
        inPlaceChecked.put(method, Optional.empty());
        Optional<dev.leibniz.processor.frontend.Problem> answer = Optional.empty();
        if (!MethodTranslator.returnsArray(method) && !MethodTranslator.returnsVoid(method)) {
            Problems problems = new Problems();
            Optional<Checked> checked = check(method, problems);
            if (checked.isPresent()) {
                inPlace(checked.get().structured(), checked.get().result(), false, problems);
                answer = problems.all().stream().findFirst();
            }
        }
        inPlaceChecked.put(method, answer);
        return answer;
    }

    /**
     * The in-place derivatives of a method that writes into differentiated array parameters, or returns void;
     * {@code null} for any other. The written arrays' contents are outputs beside the result, so activity and
     * lowering run again with them.
     */
    private static InPlace inPlace(Function structured, Variable result, boolean returnsVoid, Problems problems) {
        List<Variable> outputs = dev.leibniz.processor.analysis.WrittenParameters.of(structured).stream()
                .filter(p -> structured.differentiatedParameters().contains(p)
                        && ((ArrayType) p.type()).carriesDerivatives())
                .toList();
        if (outputs.isEmpty() && !returnsVoid) {
            return null;
        }
        if (outputs.isEmpty()) {
            problems.report(structured.pos(), "@Differentiable method '" + structured.name() + "' returns void and "
                    + "writes into no double array it differentiates, so it has no output to differentiate; return "
                    + "the value, or write it into an array parameter");
            return null;
        }
        Activity activity = Activity.of(structured, result, outputs);
        DifferentiabilityCheck.check(structured, activity, problems);
        if (!problems.isEmpty()) {
            return null;
        }
        Function lowered = Lowering.apply(structured, activity);
        Activity loweredActivity = Activity.of(lowered, result, outputs);
        return new InPlace(ReverseMode.differentiateInPlace(lowered, result, loweredActivity, outputs),
                ForwardMode.differentiateInPlace(lowered, result, loweredActivity, outputs), outputs, returnsVoid);
    }

    /**
     * The vector-Jacobian product of a method returning {@code double[]}, by reverse mode over the scalar
     * {@code <f(x), dValue>}: the method's body, then {@code dot += value[i] * dValue[i]} over the returned array,
     * with the caller's cotangent {@code dValue} as one more input without derivative. The gradient of that dot
     * product with respect to {@code x} is {@code J^T dValue}, and its reverse sweep starts by adding
     * {@code dValue} into the shadow of the returned array (whatever that array aliases), exactly the VJP's seed.
     */
    private static final dev.leibniz.processor.ir.ClassRef ARGUMENTS = dev.leibniz.processor.ir.ClassRef.of(
            "dev.leibniz", "Arguments");

    private static Pullback vectorJacobianProduct(Function lowered, Variable value) {
        VariableFactory variables = lowered.variables();
        java.util.Set<String> taken = new java.util.HashSet<>();
        lowered.parameters().forEach(p -> taken.add(p.hint()));
        String name = "dValue";
        for (int k = 2; taken.contains(name); k++) {
            name = "dValue" + k; // a parameter of the method is called dValue
        }
        Variable cotangent = variables.create(name, value.type(), Variable.Role.PARAMETER);
        Variable dot = variables.create("dot", PrimitiveType.DOUBLE, Variable.Role.RESULT);
        Variable i = variables.create("i", PrimitiveType.INT, Variable.Role.LOCAL);
        Variable length = variables.create("length", PrimitiveType.INT, Variable.Role.LOCAL);
        List<Stmt> body = new ArrayList<>(lowered.body());
        // the cotangent has the result's length, which is known only now: checked before any adjoint is added
        body.add(new Stmt.LocalDecl(length, new Expr.StaticCall(ARGUMENTS, "cotangent", List.of(Expr.Ref.to(value),
                Expr.Ref.to(cotangent)), PrimitiveType.INT, false, SourcePos.NONE), SourcePos.NONE));
        body.add(new Stmt.LocalDecl(dot, Expr.Literal.zero(PrimitiveType.DOUBLE), SourcePos.NONE));
        Expr product = new Expr.Binary(BinaryOp.MUL,
                new Expr.ArrayRead(Expr.Ref.to(value), Expr.Ref.to(i), PrimitiveType.DOUBLE, SourcePos.NONE),
                new Expr.ArrayRead(Expr.Ref.to(cotangent), Expr.Ref.to(i), PrimitiveType.DOUBLE, SourcePos.NONE),
                PrimitiveType.DOUBLE, SourcePos.NONE);
        Expr more = new Expr.Binary(BinaryOp.LT, Expr.Ref.to(i), Expr.Ref.to(length), PrimitiveType.BOOLEAN,
                SourcePos.NONE);
        Stmt increment = new Stmt.Assign(i, new Expr.Binary(BinaryOp.ADD, Expr.Ref.to(i), Expr.Literal.ofInt(1),
                PrimitiveType.INT, SourcePos.NONE), Stmt.Assign.Form.PLAIN, SourcePos.NONE);
        body.add(new Stmt.Loop(Stmt.Loop.Kind.FOR, null,
                List.of(new Stmt.LocalDecl(i, Expr.Literal.zero(PrimitiveType.INT), SourcePos.NONE)), more,
                List.of(increment), List.of(Stmt.Assign.accumulate(dot, product)), SourcePos.NONE));
        List<Variable> parameters = new ArrayList<>(lowered.parameters());
        parameters.add(cotangent);
        List<Boolean> differentiated = new ArrayList<>(lowered.differentiated());
        differentiated.add(false);
        Function dotted = new Function(lowered.owner(), lowered.name(), lowered.sourceFile(), parameters,
                differentiated, body, variables, lowered.pos(), lowered.suppressions());
        return ReverseMode.differentiate(dotted, dot, Activity.of(dotted, dot));
    }

    /**
     * Reverse over forward: the differential, a method without returns or jumps, goes through the rest of the
     * pipeline and reverse mode like a method the user wrote.
     */
    private static Optional<SecondOrder.HessianVector> hessianVector(Pushforward pushforward, Variable result,
            Activity methodActivity, Problems problems) {
        return secondOrder(pushforward, result, methodActivity, false, problems)
                .map(e -> SecondOrder.hessianVector(e.getKey(), e.getValue()));
    }

    /** The differential, and its pullback: with respect to the parameters, and the directions too if asked. */
    private static Optional<Map.Entry<SecondOrder.Differential, Pullback>> secondOrder(Pushforward pushforward,
            Variable result, Activity methodActivity, boolean directional, Problems problems) {
        return secondOrder(pushforward, result, methodActivity, directional, List.of(), problems);
    }

    /**
     * The same for the in-place differential of a method that writes its arrays {@code outputs}: those arrays and
     * their directions, which the differential updates in place, are the outputs of its pullback too.
     */
    private static Optional<Map.Entry<SecondOrder.Differential, Pullback>> secondOrder(Pushforward pushforward,
            Variable result, Activity methodActivity, boolean directional, List<Variable> outputs,
            Problems problems) {
        SecondOrder.Differential differential = SecondOrder.differential(pushforward, result, methodActivity,
                directional);
        List<Variable> written = new ArrayList<>(outputs);
        List<Variable> differentiated = pushforward.function().differentiatedParameters();
        outputs.forEach(p -> written.add(differential.directions().get(differentiated.indexOf(p))));
        Function structured = LoopJumps.apply(differential.function(), null);
        Activity activity = Activity.of(structured, differential.result(), written);
        DifferentiabilityCheck.check(structured, activity, problems);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        Function lowered = Lowering.apply(structured, activity);
        Activity loweredActivity = Activity.of(lowered, differential.result(), written);
        Pullback pullback = !written.isEmpty()
                ? ReverseMode.differentiateInPlace(lowered, differential.result(), loweredActivity, written)
                : differential.result().type() instanceof ArrayType
                        ? vectorJacobianProduct(lowered, differential.result())
                        : ReverseMode.differentiate(lowered, differential.result(), loweredActivity);
        return Optional.of(Map.entry(differential, pullback));
    }
}
