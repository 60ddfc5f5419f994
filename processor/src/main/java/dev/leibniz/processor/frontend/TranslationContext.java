package dev.leibniz.processor.frontend;

import com.sun.source.tree.Tree;
import dev.leibniz.processor.ir.Callee;
import dev.leibniz.processor.ir.Expr;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ir.SourcePos;
import dev.leibniz.processor.ir.VariableFactory;
import dev.leibniz.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;

/** What the statement and expression translators of one method share. */
final class TranslationContext {
    private final Symbols symbols;
    private final Overloads overloads;
    private final SourceText source;
    private final Problems problems;
    private final LocalScopes scopes = new LocalScopes();
    private final VariableFactory variables = new VariableFactory();
    private final dev.leibniz.processor.ir.ClassRef gradientClass;
    private final CalleeIndex callees;
    private final CustomDerivatives customDerivatives;
    private final MemoryEffects effects;
    private final Set<Variable> erroneous = new HashSet<>();
    /** What the method returns: {@code double}, or {@code double[]} for a vector-valued method. */
    private dev.leibniz.processor.ir.Type returnType = dev.leibniz.processor.ir.PrimitiveType.DOUBLE;
    /** The type a parameter or local is declared with when the subset has no such type ({@code String}). */
    private final Map<Variable, String> unsupportedTypes = new HashMap<>();
    /** The loops and switches around the statement being translated, innermost first. */
    private final Deque<JumpTarget> jumpTargets = new ArrayDeque<>();
    private int switches;
    /** The javac lint keys the generated class must suppress because of what it names ({@link #noteUse}). */
    private final Set<String> suppressions = new java.util.TreeSet<>();
    /** The static final arrays the method reads, each through one local declared on entry. */
    private final Map<Element, Stmt.LocalDecl> constantArrays = new java.util.LinkedHashMap<>();

    TranslationContext(Symbols symbols, Overloads overloads, SourceText source, Problems problems,
            dev.leibniz.processor.ir.ClassRef gradientClass, CalleeIndex callees, CustomDerivatives customDerivatives, MemoryEffects effects) {
        this.effects = effects;
        this.symbols = symbols;
        this.overloads = overloads;
        this.source = source;
        this.problems = problems;
        this.gradientClass = gradientClass;
        this.callees = callees;
        this.customDerivatives = customDerivatives;
    }

    MemoryEffects effects() {
        return effects;
    }

    CustomDerivatives customDerivatives() {
        return customDerivatives;
    }

    Symbols symbols() {
        return symbols;
    }

    Overloads overloads() {
        return overloads;
    }

    SourceText source() {
        return source;
    }

    Problems problems() {
        return problems;
    }

    LocalScopes scopes() {
        return scopes;
    }

    VariableFactory variables() {
        return variables;
    }

    String gradientClassName() {
        return gradientClass.simpleName();
    }

    /** The class generated for the method's class, where copies of private constant data go. */
    dev.leibniz.processor.ir.ClassRef gradientClass() {
        return gradientClass;
    }

    Optional<Callee> generated(Callee callee) {
        return callees.generated(callee);
    }

    /** See {@link CalleeIndex#inPlaceProblem}. */
    Optional<Problem> inPlaceProblem(Callee callee) {
        return callees.inPlaceProblem(callee);
    }

    void enterLoop(String label) {
        jumpTargets.push(JumpTarget.loop(label));
    }

    /** Enters a switch being desugared; its breaks (and yields) carry the label of the target returned. */
    JumpTarget enterSwitch(JumpTarget.Kind kind) {
        JumpTarget target = JumpTarget.ofSwitch(kind, "switch#" + ++switches);
        jumpTargets.push(target);
        return target;
    }

    /** Leaves the innermost loop or switch. */
    void exitJumpTarget() {
        jumpTargets.pop();
    }

    /** The loops and switches around the statement being translated, innermost first. */
    Iterable<JumpTarget> jumpTargets() {
        return jumpTargets;
    }

    boolean isInSwitchExpression() {
        return jumpTargets.stream().anyMatch(t -> t.kind() == JumpTarget.Kind.SWITCH_EXPRESSION);
    }

    /** A local whose declaration was reported: its uses are placeholders, not further errors. */
    void markErroneous(Variable v) {
        erroneous.add(v);
    }

    boolean isErroneous(Variable v) {
        return erroneous.contains(v);
    }

    /** Remembers the type outside the subset that {@code v} is declared with, for messages about its uses. */
    void noteUnsupportedType(Variable v, String type) {
        unsupportedTypes.put(v, type);
    }

    /** The type outside the subset that {@code v} is declared with, if it is. */
    Optional<String> unsupportedType(Variable v) {
        return Optional.ofNullable(unsupportedTypes.get(v));
    }

    /**
     * Records that generated code will name {@code element}, to know which warnings naming it gives there: a
     * deprecated element, or one of an auxiliary class (a top-level class in a file named otherwise, which javac
     * warns about when another file, like the generated one, names it).
     */
    void noteUse(Element element) {
        Element top = element;
        for (Element e = element; e != null && e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
            if (symbols.isDeprecated(e)) {
                suppressions.add("deprecation");
                suppressions.add("removal");
            }
            top = e;
        }
        com.sun.source.util.TreePath path = source.path(top);
        if (path != null && !path.getCompilationUnit().getSourceFile().isNameCompatible(top.getSimpleName().toString(),
                javax.tools.JavaFileObject.Kind.SOURCE)) {
            suppressions.add("auxiliaryclass");
        }
    }

    /**
     * The local through which the method reads the static final array {@code field}: declared on entry
     * ({@code double[] y = Data.Y;}) the first time the body names the field.
     */
    Variable constantArray(Element field, Expr.FieldRef read) {
        return constantArrays.computeIfAbsent(field, f -> new Stmt.LocalDecl(
                variables.create(read.name(), read.type(), Variable.Role.LOCAL), read, SourcePos.NONE)).variable();
    }

    /** The declarations of {@link #constantArray} locals, in the order the body first names them. */
    java.util.List<Stmt.LocalDecl> constantArrayDeclarations() {
        return java.util.List.copyOf(constantArrays.values());
    }

    boolean isInSources(Element element) {
        return source.isInSources(element);
    }

    Set<String> suppressions() {
        return Set.copyOf(suppressions);
    }

    SourcePos pos(Tree tree) {
        return source.pos(tree);
    }

    String text(Tree tree) {
        return source.text(tree);
    }

    dev.leibniz.processor.ir.Type returnType() {
        return returnType;
    }

    private boolean returnsVoid;

    /** Whether the method returns void: {@code return;} returns the constant 0 (see MethodTranslator). */
    boolean returnsVoid() {
        return returnsVoid;
    }

    void returnsVoid(boolean v) {
        returnsVoid = v;
    }

    void returnType(dev.leibniz.processor.ir.Type type) {
        this.returnType = type;
    }
}
