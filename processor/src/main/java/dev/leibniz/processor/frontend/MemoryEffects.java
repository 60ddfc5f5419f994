package dev.leibniz.processor.frontend;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Which of its array parameters a method may write into: the memory effects of a call, which the reverse sweep must
 * undo where it reads what the call changed.
 *
 * <p>A method with source in this compilation is read: an element write through a parameter or through a local
 * that may alias one ({@code double[] row = m[i]}, {@code t = a}), an array parameter stored anywhere but in a
 * local (it escapes: whoever holds it may write it later), and an array parameter passed to a call that may write
 * that argument, transitively; mutually recursive methods are solved together, from "writes nothing" up to a fixed
 * point. A method without source writes every array it is given, except the JDK methods known to leave their
 * arguments alone ({@link #knownEffects}). An instance method or a constructor that receives an array is assumed to
 * write it. Syntactic, flow-insensitive and conservative: it may say "writes" where a method does not, never the
 * reverse.
 */
public final class MemoryEffects {

    private final Declarations declarations;
    private final Elements elements;
    private final Members members;
    private final Map<TypeElement, Symbols> symbolsByClass = new HashMap<>();
    /** Summaries that have reached their fixed point. */
    private final Map<ExecutableElement, Summary> solved = new HashMap<>();
    /** Summaries of the current query, growing towards their fixed point. */
    private final Map<ExecutableElement, Summary> growing = new HashMap<>();
    private final Set<ExecutableElement> visited = new HashSet<>();
    private boolean grew;

    /**
     * What a method may do to the arrays it is given, by parameter index.
     *
     * @param writes the parameters whose array it may write into
     * @param keeps the parameters whose array it may store where code that runs later can reach it (a field, an
     *     element of another array), so that a later call could change it unseen
     * @param returns the parameters whose array (or a row of it) it may return: the caller's result then shares
     *     storage with the argument
     */
    private record Summary(Set<Integer> writes, Set<Integer> keeps, Set<Integer> returns) {
        static final Summary NONE = new Summary(Set.of(), Set.of(), Set.of());

        Summary {
            writes = Set.copyOf(writes);
            keeps = Set.copyOf(keeps);
            returns = Set.copyOf(returns);
        }

        Summary union(Summary other) {
            return new Summary(joined(writes, other.writes), joined(keeps, other.keeps),
                    joined(returns, other.returns));
        }

        private static Set<Integer> joined(Set<Integer> a, Set<Integer> b) {
            Set<Integer> all = new TreeSet<>(a);
            all.addAll(b);
            return all;
        }
    }

    public MemoryEffects(Declarations declarations, Elements elements, Members members) {
        this.declarations = declarations;
        this.elements = elements;
        this.members = members;
    }

    /** The indices of the parameters of {@code method} whose array it may write into. */
    public Set<Integer> writtenParameters(ExecutableElement method) {
        return solve(method).writes();
    }

    /** The indices of the parameters of {@code method} whose array it may keep a reference to. */
    public Set<Integer> keptParameters(ExecutableElement method) {
        return solve(method).keeps();
    }

    /** The indices of the parameters of {@code method} whose array (or a row of it) it may return. */
    public Set<Integer> returnedParameters(ExecutableElement method) {
        return solve(method).returns();
    }

    /** Whether {@code method} may write into an array given to it. */
    public boolean writesArrayParameters(ExecutableElement method) {
        return !writtenParameters(method).isEmpty();
    }

    private Summary solve(ExecutableElement method) {
        Summary known = solved.get(method);
        if (known != null) {
            return known;
        }
        do {
            grew = false;
            visited.clear();
            summary(method);
        } while (grew);
        solved.putAll(growing);
        growing.clear();
        return solved.get(method);
    }

    private Summary summary(ExecutableElement method) {
        Summary known = solved.get(method);
        if (known != null) {
            return known;
        }
        if (!visited.add(method)) {
            return growing.getOrDefault(method, Summary.NONE); // in progress, or done in this pass
        }
        Summary before = growing.getOrDefault(method, Summary.NONE);
        Summary union = before.union(analyse(method));
        grew |= !union.equals(before);
        growing.put(method, union);
        return union;
    }

    private Summary analyse(ExecutableElement method) {
        Optional<Set<Integer>> table = knownEffects(method);
        if (table.isPresent()) {
            return new Summary(table.get(), Set.of(), Set.of()); // what they return is new, or no array
        }
        Set<Integer> arrays = arrayParameters(method);
        if (arrays.isEmpty()) {
            return Summary.NONE;
        }
        TreePath path = declarations.path(method);
        if (path == null || !(path.getLeaf() instanceof MethodTree tree) || tree.getBody() == null) {
            return new Summary(arrays, Set.of(), arrays); // no source: it may write or return whatever it is given
        }
        return new BodyEffects(method, tree, path).summary();
    }

    private static Set<Integer> arrayParameters(ExecutableElement method) {
        Set<Integer> arrays = new TreeSet<>();
        for (int i = 0; i < method.getParameters().size(); i++) {
            if (method.getParameters().get(i).asType().getKind() == TypeKind.ARRAY) {
                arrays.add(i);
            }
        }
        return arrays;
    }

    /**
     * The JDK methods Leibniz knows: {@code System.arraycopy} writes its destination; of {@code Arrays}, the
     * methods that fill, set or sort write their first argument and the rest only read; the numeric classes,
     * {@code Math}, {@code Objects} and {@code String} write nothing.
     */
    static Optional<Set<Integer>> knownEffects(ExecutableElement method) {
        if (!(method.getEnclosingElement() instanceof TypeElement owner)) {
            return Optional.empty();
        }
        String name = method.getSimpleName().toString();
        switch (owner.getQualifiedName().toString()) {
            case "java.lang.System":
                return Optional.of(name.equals("arraycopy") ? Set.of(2) : Set.of());
            case "java.util.Arrays":
                return Optional.of(Set.of("fill", "setAll", "parallelSetAll", "sort", "parallelSort",
                        "parallelPrefix").contains(name) ? Set.of(0) : Set.of());
            case "java.lang.Math", "java.lang.StrictMath", "java.util.Objects", "java.lang.String",
                    "java.lang.Double", "java.lang.Float", "java.lang.Long", "java.lang.Integer", "java.lang.Short",
                    "java.lang.Byte", "java.lang.Character", "java.lang.Boolean":
                return Optional.of(Set.of());
            default:
                return Optional.empty();
        }
    }

    /** One method body read for the array parameters it may write. */
    private final class BodyEffects {
        private final ExecutableElement method;
        private final MethodTree tree;
        private final TreePath path;
        /** For each name that may denote a parameter's array, the parameters it may denote. */
        private final Map<String, Set<Integer>> aliases = new HashMap<>();
        /** How many dimensions each name's array has, where the declarations say: {@code a[i]} is an array or not. */
        private final Map<String, Integer> dimensions = new HashMap<>();
        private final Set<Integer> written = new TreeSet<>();
        private final Set<Integer> kept = new TreeSet<>();
        private final Set<Integer> returned = new TreeSet<>();
        /** Locals by declaration, not by name: {@code double[] t = x;} in one block and {@code = new ...} in another. */
        private final LocalNames locals;

        BodyEffects(ExecutableElement method, MethodTree tree, TreePath path) {
            this.method = method;
            this.tree = tree;
            this.path = path;
            this.locals = new LocalNames(tree);
            for (int i : arrayParameters(method)) {
                aliases.put(tree.getParameters().get(i).getName().toString(), new HashSet<>(Set.of(i)));
            }
            for (VariableTree p : tree.getParameters()) {
                dimensions.put(p.getName().toString(), dimensions(p.getType()));
            }
            List<VariableTree> inferred = new ArrayList<>();
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitVariable(VariableTree t, Void unused) {
                    dimensions.merge(locals.key(t), dimensions(t.getType()), Math::max);
                    if (t.getType() == null && t.getInitializer() != null) {
                        inferred.add(t);
                    }
                    return super.visitVariable(t, unused);
                }
            }.scan(tree.getBody(), null);
            // var t = m[i]: the dimensions of what initialises it, to a fixed point (var u = t)
            boolean changed = true;
            while (changed) {
                changed = false;
                for (VariableTree t : inferred) {
                    int d = dimensionsOf(t.getInitializer());
                    if (d < dimensions.get(locals.key(t))) {
                        dimensions.put(locals.key(t), d);
                        changed = true;
                    }
                }
            }
        }

        /** The dimensions of an expression's value where the trees tell, else {@code Integer.MAX_VALUE}. */
        private int dimensionsOf(ExpressionTree e) {
            if (e instanceof ParenthesizedTree p) {
                return dimensionsOf(p.getExpression());
            }
            if (e instanceof TypeCastTree c) {
                return dimensions(c.getType());
            }
            if (e instanceof IdentifierTree id) {
                return dimensions.getOrDefault(locals.key(id), Integer.MAX_VALUE);
            }
            if (e instanceof ArrayAccessTree a) {
                int d = dimensionsOf(a.getExpression());
                return d == Integer.MAX_VALUE ? d : Math.max(d - 1, 0);
            }
            if (e instanceof NewArrayTree array && array.getType() != null) {
                return dimensions(array.getType()) + Math.max(1, array.getDimensions().size());
            }
            if (e instanceof ConditionalExpressionTree c) {
                return Math.max(dimensionsOf(c.getTrueExpression()), dimensionsOf(c.getFalseExpression()));
            }
            if (e instanceof MethodInvocationTree call && call.getArguments().isEmpty()
                    && call.getMethodSelect() instanceof MemberSelectTree select
                    && select.getIdentifier().contentEquals("clone")) {
                return dimensionsOf(select.getExpression());
            }
            if (e instanceof com.sun.source.tree.LiteralTree || e instanceof com.sun.source.tree.BinaryTree
                    || e instanceof UnaryTree) {
                return 0;
            }
            return Integer.MAX_VALUE;
        }

        /** The dimensions of a declared type; many for {@code var}, which the trees do not resolve. */
        private static int dimensions(Tree type) {
            if (type == null) {
                return Integer.MAX_VALUE;
            }
            int d = 0;
            for (Tree t = type; t instanceof ArrayTypeTree array; t = array.getType()) {
                d++;
            }
            return d;
        }

        Summary summary() {
            findAliases();
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitAssignment(AssignmentTree t, Void unused) {
                    target(t.getVariable());
                    boolean local = t.getVariable() instanceof IdentifierTree id && isLocal(id)
                            || heldBy(t.getVariable()) != null;
                    if (!local && storesAnArray(t.getVariable())) {
                        kept.addAll(denoted(t.getExpression())); // stored where later code can reach it
                    }
                    return super.visitAssignment(t, unused);
                }

                @Override
                public Void visitCompoundAssignment(CompoundAssignmentTree t, Void unused) {
                    target(t.getVariable());
                    return super.visitCompoundAssignment(t, unused);
                }

                @Override
                public Void visitUnary(UnaryTree t, Void unused) {
                    if (Constructs.isIncrement(t.getKind())) {
                        target(t.getExpression());
                    }
                    return super.visitUnary(t, unused);
                }

                @Override
                public Void visitMethodInvocation(MethodInvocationTree t, Void unused) {
                    call(t);
                    return super.visitMethodInvocation(t, unused);
                }

                @Override
                public Void visitNewClass(NewClassTree t, Void unused) {
                    t.getArguments().forEach(a -> written.addAll(denoted(a))); // the object may keep and write it
                    return super.visitNewClass(t, unused);
                }

                @Override
                public Void visitReturn(ReturnTree t, Void unused) {
                    if (t.getExpression() != null) {
                        returned.addAll(denoted(t.getExpression()));
                    }
                    return super.visitReturn(t, unused);
                }
            }.scan(tree.getBody(), null);
            return new Summary(written, kept, returned);
        }

        /** Locals that may alias a parameter, to a fixed point (declaration order does not matter). */
        private void findAliases() {
            boolean changed = true;
            while (changed) {
                int before = aliases.values().stream().mapToInt(Set::size).sum() + aliases.size();
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitVariable(VariableTree t, Void unused) {
                        if (t.getInitializer() != null) {
                            join(locals.key(t), denoted(t.getInitializer()));
                        }
                        return super.visitVariable(t, unused);
                    }

                    @Override
                    public Void visitAssignment(AssignmentTree t, Void unused) {
                        if (t.getVariable() instanceof IdentifierTree id) {
                            join(locals.key(id), denoted(t.getExpression()));
                        }
                        String holder = heldBy(t.getVariable());
                        if (holder != null) {
                            join(holder, denoted(t.getExpression())); // h[i] = w: the local h holds w
                        }
                        return super.visitAssignment(t, unused);
                    }
                }.scan(tree.getBody(), null);
                changed = aliases.values().stream().mapToInt(Set::size).sum() + aliases.size() != before;
            }
        }

        private void join(String name, Set<Integer> parameters) {
            if (!parameters.isEmpty()) {
                aliases.computeIfAbsent(name, n -> new HashSet<>()).addAll(parameters);
            }
        }

        /** The parameters whose array (or a row of it) {@code e} may denote. */
        private Set<Integer> denoted(ExpressionTree e) {
            return denoted(e, 0);
        }

        /** @param depth how many indices are applied to {@code e}: {@code m[i]} is a row, {@code x[i]} a number */
        private Set<Integer> denoted(ExpressionTree e, int depth) {
            if (e instanceof ParenthesizedTree p) {
                return denoted(p.getExpression(), depth);
            }
            if (e instanceof TypeCastTree c) {
                return denoted(c.getExpression(), depth);
            }
            if (e instanceof ConditionalExpressionTree c) {
                Set<Integer> both = new HashSet<>(denoted(c.getTrueExpression(), depth));
                both.addAll(denoted(c.getFalseExpression(), depth));
                return both;
            }
            if (e instanceof ArrayAccessTree a) {
                return denoted(a.getExpression(), depth + 1);
            }
            if (e instanceof AssignmentTree a) {
                return denoted(a.getExpression(), depth);
            }
            if (e instanceof NewArrayTree array && array.getInitializers() != null) {
                // {w, v} holds w and v: writing through its rows writes them
                Set<Integer> rows = new HashSet<>();
                array.getInitializers().forEach(row -> rows.addAll(denoted(row, Math.max(depth - 1, 0))));
                return rows;
            }
            if (e instanceof MethodInvocationTree call) {
                return returnedBy(call);
            }
            if (e instanceof IdentifierTree id) {
                String name = locals.key(id);
                boolean array = dimensions.getOrDefault(name, Integer.MAX_VALUE) > depth;
                return array ? aliases.getOrDefault(name, Set.of()) : Set.of();
            }
            return Set.of();
        }

        /**
         * The local whose element {@code target} is, when that element is itself an array ({@code h[i]} of a
         * {@code double[][] h}); otherwise {@code null}.
         */
        private String heldBy(ExpressionTree target) {
            ExpressionTree root = indexedRoot(target);
            return target instanceof ArrayAccessTree && root instanceof IdentifierTree id && isLocal(id)
                    && storesAnArray(target) ? locals.key(id) : null;
        }

        /** Whether an assignment to {@code target} may store an array: not an element of numbers. */
        private boolean storesAnArray(ExpressionTree target) {
            int depth = 0;
            for (ExpressionTree t = target; t instanceof ArrayAccessTree access; t = access.getExpression()) {
                depth++;
            }
            return !(indexedRoot(target) instanceof IdentifierTree id)
                    || dimensions.getOrDefault(locals.key(id), Integer.MAX_VALUE) > depth;
        }

        /** {@code m} in {@code m[i][j]}. */
        private static ExpressionTree indexedRoot(ExpressionTree target) {
            ExpressionTree t = target;
            while (t instanceof ArrayAccessTree access) {
                t = access.getExpression();
            }
            return t;
        }

        private boolean isLocal(IdentifierTree id) {
            return locals.isLocal(id);
        }

        /** An element written: the parameters its array may be. */
        private void target(ExpressionTree target) {
            if (Constructs.unparenthesized(target) instanceof ArrayAccessTree access) {
                written.addAll(denoted(access.getExpression(), 0));
            }
        }

        private void call(MethodInvocationTree call) {
            List<Set<Integer>> passed = new ArrayList<>();
            boolean any = false;
            for (ExpressionTree arg : call.getArguments()) {
                Set<Integer> denoted = denoted(arg);
                passed.add(denoted);
                any |= !denoted.isEmpty();
            }
            if (!any) {
                return;
            }
            Optional<List<ExecutableElement>> candidates = candidates(call);
            if (candidates.isEmpty()) {
                passed.forEach(written::addAll); // a method Leibniz cannot name may write whatever it is given
                return;
            }
            for (ExecutableElement candidate : candidates.get()) {
                Summary effects = MemoryEffects.this.summary(candidate);
                passOn(candidate, effects.writes(), passed, written);
                passOn(candidate, effects.keeps(), passed, kept);
            }
        }

        /** The parameters of this method whose array (or a row) the call may return: what it passes there. */
        private Set<Integer> returnedBy(MethodInvocationTree call) {
            List<Set<Integer>> passed = call.getArguments().stream().map(this::denoted).toList();
            Set<Integer> out = new HashSet<>();
            if (passed.stream().allMatch(Set::isEmpty)) {
                return out;
            }
            Optional<List<ExecutableElement>> candidates = candidates(call);
            if (candidates.isEmpty()) {
                passed.forEach(out::addAll); // a method Leibniz cannot name may return what it is given
                return out;
            }
            for (ExecutableElement candidate : candidates.get()) {
                passOn(candidate, MemoryEffects.this.summary(candidate).returns(), passed, out);
            }
            return out;
        }

        /** What the callee does to its parameters {@code indices}, done to what this method passes there. */
        private void passOn(ExecutableElement callee, Set<Integer> indices, List<Set<Integer>> passed,
                Set<Integer> out) {
            int parameters = callee.getParameters().size();
            for (int index : indices) {
                for (int arg = 0; arg < passed.size(); arg++) {
                    boolean varargs = callee.isVarArgs() && index == parameters - 1 && arg >= index;
                    if (arg == index || varargs) {
                        out.addAll(passed.get(arg));
                    }
                }
            }
        }

        /**
         * The static methods a call may mean, by name and number of arguments; empty when Leibniz cannot name them
         * (an instance method, a static import), and the call must be assumed to write every array it passes.
         */
        private Optional<List<ExecutableElement>> candidates(MethodInvocationTree call) {
            ExpressionTree select = call.getMethodSelect();
            int arity = call.getArguments().size();
            TypeElement owner = (TypeElement) method.getEnclosingElement();
            List<ExecutableElement> found = new ArrayList<>();
            if (select instanceof IdentifierTree id) {
                symbols(owner).resolveMethods(id.getName().toString()).stream()
                        .filter(m -> accepts(m, arity)).forEach(found::add);
            } else if (select instanceof MemberSelectTree member) {
                if (!denoted(member.getExpression()).isEmpty()) {
                    return Optional.of(List.of()); // a method of an array (clone, equals, ...) writes nothing
                }
                if (!Symbols.isName(member.getExpression())) {
                    return Optional.empty();
                }
                Optional<TypeElement> type = symbols(owner).resolveType(member.getExpression());
                if (type.isEmpty()) {
                    return Optional.empty(); // a field or a local: an instance method
                }
                found.addAll(applicable(type.get(), member.getIdentifier().toString(), arity));
            }
            return found.isEmpty() || found.stream().anyMatch(m -> !m.getModifiers().contains(Modifier.STATIC))
                    ? Optional.empty() : Optional.of(found);
        }

        private List<ExecutableElement> applicable(TypeElement type, String name, int arity) {
            return ElementFilter.methodsIn(members.named(type, name)).stream().filter(m -> accepts(m, arity)).toList();
        }

        private static boolean accepts(ExecutableElement m, int arity) {
            return m.getParameters().size() == arity || m.isVarArgs() && arity >= m.getParameters().size() - 1;
        }

        private Symbols symbols(TypeElement owner) {
            return symbolsByClass.computeIfAbsent(owner,
                    o -> new Symbols(elements, members, o, path.getCompilationUnit()));
        }
    }
}
