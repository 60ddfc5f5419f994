package dev.leibniz.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import dev.leibniz.processor.ir.ClassRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Resolves the names a method body uses — types, static fields, static methods — the way javac would, from the
 * element API and the compilation unit's imports, without attributing the body (see docs/design.md, "The front end,
 * and why it resolves names itself").
 *
 * <p>Names in import declarations are fully qualified (JLS 7.5): they are looked up as canonical names, never through
 * the imports themselves. A name in a body is classified by JLS 6.5.2: its leftmost identifier is a field if one is in
 * scope, else a type, else a package; locals and parameters, which come first, are the translator's to check.
 */
public final class Symbols {
    private final Elements elements;
    private final Members members;
    private final TypeElement enclosing;
    private final String packageName;
    private final List<Import> imports;
    /** Simple type names resolved so far: the same for every method of the class, and asked for at every call. */
    private final Map<String, Optional<TypeElement>> simpleTypes = new HashMap<>();
    /** Simple field and method names resolved so far, asked for at every use. */
    private final Map<String, Optional<VariableElement>> fields = new HashMap<>();
    private final Map<String, List<ExecutableElement>> methods = new HashMap<>();
    /** Types by canonical name; {@code Optional.empty()} for names that are packages or nothing. */
    private final Map<String, Optional<TypeElement>> canonicalTypes = new HashMap<>();
    /** The packages each {@code import module M;} makes visible, found on first use. */
    private List<String> modulePackages;

    public Symbols(Elements elements, Members members, TypeElement enclosing, CompilationUnitTree unit) {
        this.elements = elements;
        this.members = members;
        this.enclosing = enclosing;
        this.packageName = elements.getPackageOf(enclosing).getQualifiedName().toString();
        this.imports = unit.getImports().stream().map(Import::of).toList();
    }

    public TypeElement enclosing() {
        return enclosing;
    }

    public String packageName() {
        return packageName;
    }

    // ---- imports --------------------------------------------------------------------------------------------

    private enum ImportKind { SINGLE_TYPE, TYPE_ON_DEMAND, SINGLE_STATIC, STATIC_ON_DEMAND, MODULE }

    /**
     * One import declaration: {@code qualifier} is the canonical name of the imported type's package or type (of
     * the owner, for a static import; of the module, for {@code import module}), {@code name} the imported simple
     * name ({@code *} on demand).
     */
    private record Import(ImportKind kind, String qualifier, String name) {
        static Import of(ImportTree tree) {
            Tree name = tree.getQualifiedIdentifier();
            // import module M; (JDK 23+): ImportTree.isModule() does not exist on JDK 17, the tree's text does
            if (tree.toString().startsWith("import module ")) {
                return new Import(ImportKind.MODULE, name.toString(), "*");
            }
            if (!(name instanceof MemberSelectTree select)) {
                return new Import(ImportKind.SINGLE_TYPE, "", name.toString()); // not legal Java; matches nothing
            }
            String member = select.getIdentifier().toString();
            String qualifier = select.getExpression().toString();
            boolean onDemand = member.equals("*");
            ImportKind kind = tree.isStatic()
                    ? onDemand ? ImportKind.STATIC_ON_DEMAND : ImportKind.SINGLE_STATIC
                    : onDemand ? ImportKind.TYPE_ON_DEMAND : ImportKind.SINGLE_TYPE;
            return new Import(kind, qualifier, member);
        }
    }

    /** The type with this canonical name ({@code java.util.Map.Entry}), if any. */
    private Optional<TypeElement> canonicalType(String name) {
        return canonicalTypes.computeIfAbsent(name,
                n -> n.isEmpty() ? Optional.empty() : Optional.ofNullable(elements.getTypeElement(n)));
    }

    /** The owners of the static imports of that kind that import {@code name} (all of them, on demand). */
    private List<TypeElement> staticImportOwners(String name, boolean onDemand) {
        List<TypeElement> owners = new ArrayList<>();
        for (Import imp : imports) {
            boolean matches = onDemand ? imp.kind() == ImportKind.STATIC_ON_DEMAND
                    : imp.kind() == ImportKind.SINGLE_STATIC && imp.name().equals(name);
            if (matches) {
                canonicalType(imp.qualifier()).ifPresent(owners::add);
            }
        }
        return owners;
    }

    // ---- names in bodies ------------------------------------------------------------------------------------

    /** What a name that is no local denotes (JLS 6.5.2). */
    public sealed interface Meaning {
        /** Exactly this field: {@code K}, {@code Outer.K}. */
        record Value(VariableElement field) implements Meaning {
        }

        /** A member of a value ({@code k.x}, {@code Mode.A.x}): an expression, whatever follows. */
        record OfValue() implements Meaning {
        }

        record Type(TypeElement type) implements Meaning {
        }

        /** A type parameter of an enclosing class: no type Leibniz can name in a static method. */
        record TypeVariable(String name) implements Meaning {
        }

        record Package(String name) implements Meaning {
        }

        /** A member that {@code owner} does not have. */
        record Nothing(TypeElement owner) implements Meaning {
        }

        /** Whether the name is an expression (JLS 6.5.2: its leftmost identifier is a field), not a type's name. */
        default boolean isValue() {
            return this instanceof Value || this instanceof OfValue;
        }
    }

    /** What {@code name}, an identifier or a qualified name whose leftmost identifier is no local, denotes. */
    public Meaning classify(ExpressionTree name) {
        return classify(name, false);
    }

    /**
     * {@code typeContext}: the name is a TypeName (an annotation, a declared type; JLS 6.5.1), whose leftmost
     * identifier is a type or a package, never a field.
     */
    private Meaning classify(ExpressionTree name, boolean typeContext) {
        if (name instanceof IdentifierTree id) {
            String simple = id.getName().toString();
            Optional<VariableElement> field = typeContext ? Optional.empty() : resolveField(simple);
            if (field.isPresent()) {
                return new Meaning.Value(field.get());
            }
            if (isTypeVariable(simple)) {
                return new Meaning.TypeVariable(simple);
            }
            Optional<TypeElement> type = resolveSimpleType(simple);
            return type.<Meaning>map(Meaning.Type::new).orElseGet(() -> new Meaning.Package(simple));
        }
        if (!(name instanceof MemberSelectTree select)) {
            return new Meaning.Package(""); // no name: nothing matches it
        }
        String member = select.getIdentifier().toString();
        Meaning qualifier = classify(select.getExpression(), typeContext);
        if (qualifier instanceof Meaning.Package p) {
            String qualified = qualify(p.name(), member);
            return canonicalType(qualified).<Meaning>map(Meaning.Type::new)
                    .orElseGet(() -> new Meaning.Package(qualified));
        }
        if (qualifier instanceof Meaning.Type t) {
            Optional<VariableElement> field = typeContext ? Optional.empty() : fieldOf(t.type(), member);
            if (field.isPresent()) {
                return new Meaning.Value(field.get());
            }
            return memberType(t.type(), member).<Meaning>map(Meaning.Type::new)
                    .orElseGet(() -> new Meaning.Nothing(t.type()));
        }
        // a value's member is a value; a type variable's or a missing member's, the same problem as its qualifier
        return qualifier.isValue() ? new Meaning.OfValue() : qualifier;
    }

    /** The type a name in a body denotes (JLS 6.5.2), or empty when it denotes something else. */
    public Optional<TypeElement> resolveType(ExpressionTree name) {
        return classify(name, false) instanceof Meaning.Type t ? Optional.of(t.type()) : Optional.empty();
    }

    /** The type a TypeName denotes ({@code @Differentiable}, a declared type): no field can shadow it. */
    public Optional<TypeElement> resolveTypeName(ExpressionTree name) {
        return classify(name, true) instanceof Meaning.Type t ? Optional.of(t.type()) : Optional.empty();
    }

    /**
     * What a variable named {@code simple}, the leftmost identifier of {@code qualifier}, obscures there (JLS 6.4.2:
     * a variable is chosen over a type or a package of its name): "the class Math", "the package java".
     */
    public Optional<String> obscuredByVariable(String simple, ExpressionTree qualifier) {
        if (resolveSimpleType(simple).isPresent()) {
            return Optional.of("the class " + simple);
        }
        return resolveTypeName(qualifier).map(t -> "the package " + simple);
    }

    // ---- types ----------------------------------------------------------------------------------------------

    /** Whether an enclosing class declares a type parameter of that name, which shadows every type (JLS 6.4.1). */
    private boolean isTypeVariable(String name) {
        for (TypeElement c = enclosing; c != null; c = enclosingType(c)) {
            if (memberType(c, name).isPresent()) {
                return false; // a member type, declared inside the type parameter's scope, shadows it
            }
            if (c.getTypeParameters().stream().anyMatch(p -> p.getSimpleName().contentEquals(name))) {
                return true;
            }
        }
        return false;
    }

    private Optional<TypeElement> resolveSimpleType(String name) {
        return simpleTypes.computeIfAbsent(name, this::lookUpSimpleType); // which never asks for a simple type
    }

    /**
     * JLS 6.4.1's order: member types of the enclosing classes, innermost first; single-type and single-static
     * imports; the package; on-demand imports and {@code java.lang}; module imports, which on-demand imports shadow.
     */
    private Optional<TypeElement> lookUpSimpleType(String name) {
        for (TypeElement c = enclosing; c != null; c = enclosingType(c)) {
            if (c.getSimpleName().contentEquals(name)) {
                return Optional.of(c);
            }
            Optional<TypeElement> member = memberType(c, name);
            if (member.isPresent()) {
                return member;
            }
        }
        for (Import imp : imports) {
            Optional<TypeElement> imported = imp.kind() == ImportKind.SINGLE_TYPE && imp.name().equals(name)
                    ? canonicalType(qualify(imp.qualifier(), name))
                    : imp.kind() == ImportKind.SINGLE_STATIC && imp.name().equals(name)
                            ? canonicalType(imp.qualifier()).flatMap(owner -> staticMemberType(owner, name))
                            : Optional.empty();
            if (imported.isPresent()) {
                return imported;
            }
        }
        Optional<TypeElement> samePackage = canonicalType(qualify(packageName, name));
        if (samePackage.isPresent()) {
            return samePackage;
        }
        for (Import imp : imports) {
            Optional<TypeElement> found = switch (imp.kind()) {
                case TYPE_ON_DEMAND -> onDemandType(imp.qualifier(), name);
                case STATIC_ON_DEMAND -> canonicalType(imp.qualifier()).flatMap(owner -> staticMemberType(owner, name));
                default -> Optional.empty();
            };
            if (found.isPresent()) {
                return found;
            }
        }
        Optional<TypeElement> javaLang = canonicalType("java.lang." + name);
        if (javaLang.isPresent()) {
            return javaLang;
        }
        for (String pkg : modulePackages()) {
            Optional<TypeElement> found = canonicalType(pkg + "." + name);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** {@code import q.*;}: the member types of the type {@code q}, else the top-level types of the package. */
    private Optional<TypeElement> onDemandType(String qualifier, String name) {
        Optional<TypeElement> owner = canonicalType(qualifier);
        if (owner.isPresent()) {
            return memberType(owner.get(), name);
        }
        return canonicalType(qualify(qualifier, name));
    }

    private Optional<TypeElement> memberType(TypeElement owner, String name) {
        return ElementFilter.typesIn(members.named(owner, name)).stream().findFirst();
    }

    private Optional<TypeElement> staticMemberType(TypeElement owner, String name) {
        return memberType(owner, name).filter(t -> t.getModifiers().contains(Modifier.STATIC)
                || t.getKind() != ElementKind.CLASS || owner.getKind().isInterface());
    }

    /**
     * The packages that {@code import module M;} declarations make visible: those M exports to everyone, and
     * those of the modules M requires transitively (JLS 7.5.5). Empty on a JDK without module imports.
     */
    private List<String> modulePackages() {
        if (modulePackages == null) {
            List<String> packages = new ArrayList<>();
            Set<ModuleElement> seen = new HashSet<>();
            for (Import imp : imports) {
                if (imp.kind() == ImportKind.MODULE) {
                    addExports(elements.getModuleElement(imp.qualifier()), packages, seen);
                }
            }
            modulePackages = List.copyOf(packages);
        }
        return modulePackages;
    }

    private static void addExports(ModuleElement module, List<String> packages, Set<ModuleElement> seen) {
        if (module == null || !seen.add(module)) {
            return;
        }
        for (ModuleElement.Directive directive : module.getDirectives()) {
            if (directive instanceof ModuleElement.ExportsDirective exports && exports.getTargetModules() == null) {
                packages.add(exports.getPackage().getQualifiedName().toString());
            } else if (directive instanceof ModuleElement.RequiresDirective requires && requires.isTransitive()) {
                addExports(requires.getDependency(), packages, seen);
            }
        }
    }

    // ---- fields ---------------------------------------------------------------------------------------------

    /**
     * A field named by a simple name: the innermost enclosing class that declares or inherits one, then single
     * static imports, then static imports on demand (JLS 6.4.1, 15.11).
     */
    public Optional<VariableElement> resolveField(String name) {
        return fields.computeIfAbsent(name, this::lookUpField);
    }

    private Optional<VariableElement> lookUpField(String name) {
        for (TypeElement c = enclosing; c != null; c = enclosingType(c)) {
            Optional<VariableElement> field = fieldOf(c, name);
            if (field.isPresent()) {
                return field;
            }
        }
        for (boolean onDemand : new boolean[] {false, true}) {
            for (TypeElement owner : staticImportOwners(name, onDemand)) {
                Optional<VariableElement> field = fieldOf(owner, name);
                if (field.isPresent() && field.get().getModifiers().contains(Modifier.STATIC)) {
                    return field;
                }
            }
        }
        return Optional.empty();
    }

    public Optional<VariableElement> fieldOf(TypeElement owner, String name) {
        return ElementFilter.fieldsIn(members.named(owner, name)).stream().findFirst();
    }

    // ---- methods --------------------------------------------------------------------------------------------

    /** The methods an unqualified call may mean: those of the innermost class that has any, else static imports. */
    public List<ExecutableElement> resolveMethods(String name) {
        return methods.computeIfAbsent(name, this::lookUpMethods);
    }

    private List<ExecutableElement> lookUpMethods(String name) {
        for (TypeElement c = enclosing; c != null; c = enclosingType(c)) {
            List<ExecutableElement> declared = methodsOf(c, name);
            if (!declared.isEmpty()) {
                return declared;
            }
        }
        List<ExecutableElement> imported = new ArrayList<>();
        for (boolean onDemand : new boolean[] {false, true}) {
            for (TypeElement owner : staticImportOwners(name, onDemand)) {
                imported.addAll(staticOnly(methodsOf(owner, name)));
            }
            if (!imported.isEmpty()) {
                break;
            }
        }
        return List.copyOf(imported);
    }

    public List<ExecutableElement> methodsOf(TypeElement owner, String name) {
        return List.copyOf(ElementFilter.methodsIn(members.named(owner, name)));
    }

    private static List<ExecutableElement> staticOnly(List<ExecutableElement> methods) {
        return methods.stream().filter(m -> m.getModifiers().contains(Modifier.STATIC)).toList();
    }

    // ---- accessibility and naming ---------------------------------------------------------------------------

    /** Whether generated code in this package may name {@code element} (a member or a type). */
    public boolean isAccessibleFromGeneratedCode(Element element) {
        return inaccessibility(element).isEmpty();
    }

    /**
     * Why the generated class, in this package and a subclass of nothing, cannot name {@code element}, and what
     * would let it: {@code reason} follows the element's name ("is private", "is in the private class Hidden"),
     * {@code fix} is what to change. The member's own access and that of every class around it count; the fix names
     * each that stands in the way, so that a member of a private class is not told to become package-private.
     */
    public record Inaccessibility(String reason, String fix) {
    }

    public Optional<Inaccessibility> inaccessibility(Element element) {
        List<String> reasons = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (Element e = element; e != null && e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
            boolean member = e == element;
            Set<Modifier> modifiers = e.getModifiers();
            String type = member ? "" : typeName((TypeElement) e);
            if (modifiers.contains(Modifier.PRIVATE)) {
                boolean inInterface = e.getEnclosingElement().getKind().isInterface();
                reasons.add(member ? "is private" : "is in the private class " + type);
                fixes.add(!member ? "make the class " + type + " package-private (drop its 'private')"
                        : inInterface ? "drop its 'private' (an interface's other members are public)"
                        : "make it package-private");
            } else if (!modifiers.contains(Modifier.PUBLIC) && !packageOf(e).equals(packageName)) {
                String access = modifiers.contains(Modifier.PROTECTED) ? "protected" : "package-private";
                if (member) {
                    reasons.add("is " + access + " in " + typeName((TypeElement) e.getEnclosingElement())
                            + " of package " + packageOf(e) + (access.equals("protected")
                                    ? ", which the generated class, in package " + packageName + ", does not extend"
                                    : ""));
                    fixes.add(access.equals("protected") ? "make it public, or copy it into a static member of "
                            + enclosing.getSimpleName() + " that is not private" : "make it public");
                } else {
                    reasons.add("is in the " + access + " class " + type + " of package " + packageOf(e));
                    fixes.add("make the class " + type + " public");
                }
            }
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Inaccessibility(String.join(" and ", reasons), String.join(", and ", fixes)));
    }

    /** {@code Outer.Inner}: a type's name as its package's code writes it. */
    private static String typeName(TypeElement type) {
        return String.join(".", classRef(type).simpleNames());
    }

    public boolean isDeprecated(Element e) {
        return elements.isDeprecated(e);
    }

    private String packageOf(Element e) {
        return elements.getPackageOf(e).getQualifiedName().toString();
    }

    public static boolean isAnnotatedDifferentiable(Element element) {
        return element.getAnnotationMirrors().stream()
                .anyMatch(a -> ((TypeElement) a.getAnnotationType().asElement()).getQualifiedName()
                        .contentEquals(DIFFERENTIABLE));
    }

    public static final String DIFFERENTIABLE = "dev.leibniz.Differentiable";

    /**
     * The checked exceptions {@code method} declares, as written in a message: generated code that calls it could
     * neither catch nor declare them.
     */
    public static List<String> checkedExceptions(ExecutableElement method) {
        List<String> checked = new ArrayList<>();
        for (TypeMirror thrown : method.getThrownTypes()) {
            if (!isUnchecked(thrown)) {
                checked.add(thrown instanceof DeclaredType d ? d.asElement().getSimpleName().toString()
                        : thrown.toString());
            }
        }
        return checked;
    }

    private static boolean isUnchecked(TypeMirror type) {
        TypeMirror current = type;
        while (current instanceof DeclaredType d && d.asElement() instanceof TypeElement e) {
            if (e.getQualifiedName().contentEquals("java.lang.RuntimeException")
                    || e.getQualifiedName().contentEquals("java.lang.Error")) {
                return true;
            }
            current = e.getSuperclass();
        }
        return false;
    }

    public static ClassRef classRef(TypeElement type) {
        List<String> names = new ArrayList<>();
        Element e = type;
        while (e instanceof TypeElement t) {
            names.add(0, t.getSimpleName().toString());
            e = t.getEnclosingElement();
        }
        String pkg = e instanceof PackageElement p ? p.getQualifiedName().toString() : "";
        return new ClassRef(pkg, names);
    }

    private static TypeElement enclosingType(TypeElement type) {
        Element outer = type.getEnclosingElement();
        return outer instanceof TypeElement t ? t : null;
    }

    private static String qualify(String pkg, String name) {
        return pkg.isEmpty() ? name : pkg + "." + name;
    }

    /** True for trees that can only be names: used to tell a type qualifier from an expression. */
    public static boolean isName(Tree tree) {
        return tree instanceof IdentifierTree
                || tree instanceof MemberSelectTree select && isName(select.getExpression());
    }
}
