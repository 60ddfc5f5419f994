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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Resolves the names a method body uses — types, static fields, static methods — the way javac would, from the
 * element API and the compilation unit's imports, without attributing the body (see docs/design.md, "Why the
 * front end resolves names itself").
 */
public final class Symbols {
    private final Elements elements;
    private final Members members;
    private final TypeElement enclosing;
    private final String packageName;
    private final List<ImportTree> imports;
    /** Simple type names resolved so far: the same for every method of the class, and asked for at every call. */
    private final Map<String, Optional<TypeElement>> simpleTypes = new HashMap<>();

    public Symbols(Elements elements, Members members, TypeElement enclosing, CompilationUnitTree unit) {
        this.elements = elements;
        this.members = members;
        this.enclosing = enclosing;
        this.packageName = elements.getPackageOf(enclosing).getQualifiedName().toString();
        this.imports = List.copyOf(unit.getImports());
    }

    public TypeElement enclosing() {
        return enclosing;
    }

    public String packageName() {
        return packageName;
    }

    // ---- types ----------------------------------------------------------------------------------------------

    /** The type a (possibly qualified) name denotes, following JLS 6.4.1's shadowing order. */
    public Optional<TypeElement> resolveType(ExpressionTree name) {
        if (name instanceof IdentifierTree id) {
            return resolveSimpleType(id.getName().toString());
        }
        if (name instanceof MemberSelectTree select) {
            String member = select.getIdentifier().toString();
            Optional<TypeElement> qualifier = resolveType(select.getExpression());
            if (qualifier.isPresent()) {
                return memberType(qualifier.get(), member);
            }
            return Optional.ofNullable(elements.getTypeElement(select.toString()));
        }
        return Optional.empty();
    }

    private Optional<TypeElement> resolveSimpleType(String name) {
        Optional<TypeElement> known = simpleTypes.get(name);
        if (known == null) {
            // A name met again while it is looked up names no type on that path: import java.util.* asks whether
            // its first name, java, is a type, and looking java up goes through that import again.
            simpleTypes.put(name, Optional.empty());
            known = lookUpSimpleType(name);
            simpleTypes.put(name, known);
        }
        return known;
    }

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
        for (ImportTree imp : imports) {
            if (!imp.isStatic() && imp.getQualifiedIdentifier() instanceof MemberSelectTree select
                    && select.getIdentifier().contentEquals(name)) {
                Optional<TypeElement> imported = resolveType(select);
                if (imported.isPresent()) {
                    return imported;
                }
            }
        }
        TypeElement samePackage = elements.getTypeElement(qualify(packageName, name));
        if (samePackage != null) {
            return Optional.of(samePackage);
        }
        for (ImportTree imp : imports) {
            if (!imp.isStatic() && isOnDemand(imp)) {
                Optional<TypeElement> found = onDemandType(onDemandQualifier(imp), name);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.ofNullable(elements.getTypeElement("java.lang." + name));
    }

    private Optional<TypeElement> onDemandType(ExpressionTree qualifier, String name) {
        Optional<TypeElement> owner = resolveType(qualifier);
        if (owner.isPresent()) {
            return memberType(owner.get(), name);
        }
        return Optional.ofNullable(elements.getTypeElement(qualifier + "." + name));
    }

    private Optional<TypeElement> memberType(TypeElement owner, String name) {
        return ElementFilter.typesIn(members.named(owner, name)).stream().findFirst();
    }

    // ---- fields ---------------------------------------------------------------------------------------------

    /** A field named by a simple name: enclosing classes first, then static imports. */
    public Optional<VariableElement> resolveField(String name) {
        for (TypeElement c = enclosing; c != null; c = enclosingType(c)) {
            Optional<VariableElement> field = fieldOf(c, name);
            if (field.isPresent()) {
                return field;
            }
        }
        for (TypeElement owner : staticImportOwners(name, false)) {
            Optional<VariableElement> field = fieldOf(owner, name);
            if (field.isPresent()) {
                return field;
            }
        }
        for (TypeElement owner : staticImportOwners(name, true)) {
            Optional<VariableElement> field = fieldOf(owner, name);
            if (field.isPresent() && field.get().getModifiers().contains(Modifier.STATIC)) {
                return field;
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
        for (TypeElement c = enclosing; c != null; c = enclosingType(c)) {
            List<ExecutableElement> methods = methodsOf(c, name);
            if (!methods.isEmpty()) {
                return methods;
            }
        }
        List<ExecutableElement> imported = new ArrayList<>();
        for (TypeElement owner : staticImportOwners(name, false)) {
            imported.addAll(staticOnly(methodsOf(owner, name)));
        }
        if (!imported.isEmpty()) {
            return imported;
        }
        for (TypeElement owner : staticImportOwners(name, true)) {
            imported.addAll(staticOnly(methodsOf(owner, name)));
        }
        return imported;
    }

    public List<ExecutableElement> methodsOf(TypeElement owner, String name) {
        return List.copyOf(ElementFilter.methodsIn(members.named(owner, name)));
    }

    private static List<ExecutableElement> staticOnly(List<ExecutableElement> methods) {
        return methods.stream().filter(m -> m.getModifiers().contains(Modifier.STATIC)).toList();
    }

    /** Owners of {@code import static T.name;} (single) or {@code import static T.*;} (on demand). */
    private List<TypeElement> staticImportOwners(String name, boolean onDemand) {
        List<TypeElement> owners = new ArrayList<>();
        for (ImportTree imp : imports) {
            if (!imp.isStatic() || !(imp.getQualifiedIdentifier() instanceof MemberSelectTree select)) {
                continue;
            }
            boolean matches = onDemand ? isOnDemand(imp) : select.getIdentifier().contentEquals(name);
            if (matches) {
                resolveType(select.getExpression()).ifPresent(owners::add);
            }
        }
        return owners;
    }

    private static boolean isOnDemand(ImportTree imp) {
        return imp.getQualifiedIdentifier() instanceof MemberSelectTree select
                && select.getIdentifier().contentEquals("*");
    }

    private static ExpressionTree onDemandQualifier(ImportTree imp) {
        return ((MemberSelectTree) imp.getQualifiedIdentifier()).getExpression();
    }

    // ---- accessibility and naming ---------------------------------------------------------------------------

    /** Whether generated code in this package may name {@code element} (a member or a type). */
    public boolean isAccessibleFromGeneratedCode(Element element) {
        for (Element e = element; e != null && e.getKind() != ElementKind.PACKAGE; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) {
                return false;
            }
            if (!e.getModifiers().contains(Modifier.PUBLIC) && !packageOf(e).equals(packageName)) {
                return false;
            }
        }
        return true;
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
