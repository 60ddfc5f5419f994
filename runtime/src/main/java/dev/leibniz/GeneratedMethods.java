package dev.leibniz;

import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * A {@code @Differentiable} method and the members Leibniz generated for it, found by reflection from the naming
 * contract: {@code com.example.Shapes} has its derivatives in {@code com.example.ShapesGradient} ({@code Outer.Inner}
 * in {@code Outer_InnerGradient}), {@code f} has {@code f}, {@code fPullback}, {@code fAccumulate} and
 * {@code fDifferential} there, or for a method returning {@code double[]} {@code fPullback}, {@code fDifferential}
 * and {@code fJacobian}.
 *
 * <p>The annotation itself is not visible at run time (its retention is {@code CLASS}), so a method counts as
 * differentiable when its generated members exist. Which parameters are differentiated ({@code wrt}) follows from
 * the tangents of {@code fDifferential}, one per differentiated parameter in order, and where their types leave a
 * choice, from the names of the record components (or of the tangents) and of the source's parameters.
 */
final class GeneratedMethods {
    final Method original;
    /** {@code Shapes.ellipsoidVolume}, for messages. */
    final String label;
    /** The parameters' names as declared, or {@code arg0, ...} where they cannot be known. */
    final String[] names;
    /** The differentiated parameters, as indices into the original's parameters, in order. */
    final int[] differentiated;
    final boolean vectorValued;
    /** {@code f(args)}, the record form; {@code null} for a method returning {@code double[]}. */
    final Method gradient;
    final Method pullback;
    /**
     * {@code fAccumulate(args, dArrays, tape)}; {@code null} when no array is differentiated. It returns the value, or
     * when scalars are differentiated too a record of the value and their partials.
     */
    final Method accumulate;
    final Method differential;
    /** {@code fJacobian(args)}; {@code null} for a method returning {@code double}. */
    final Method jacobian;
    /** The accessors of the record the gradient or the pullback returns, {@code value()} first; or {@code null}. */
    private final Method[] components;
    /** The accessors of the record the accumulate form returns, {@code value()} first; or {@code null}. */
    private final Method[] accumulateComponents;

    private GeneratedMethods(Method original, String[] names, int[] differentiated, Class<?> gradientClass) {
        this.original = original;
        this.label = original.getDeclaringClass().getSimpleName() + "." + original.getName();
        this.names = names;
        this.differentiated = differentiated;
        this.vectorValued = original.getReturnType() == double[].class;
        String f = original.getName();
        Class<?>[] parameters = original.getParameterTypes();
        List<Class<?>> arrays = new ArrayList<>();
        for (int p : differentiated) {
            if (parameters[p].isArray()) {
                arrays.add(parameters[p]);
            }
        }
        this.differential = find(gradientClass, f + "Differential", parameters, differentiatedTypes());
        this.pullback = find(gradientClass, f + "Pullback", parameters,
                concat(List.of(vectorValued ? double[].class : double.class), arrays));
        if (vectorValued) {
            this.gradient = null;
            this.accumulate = null;
            this.jacobian = find(gradientClass, f + "Jacobian", parameters, List.of());
        } else {
            this.gradient = find(gradientClass, f, parameters, List.of());
            this.accumulate = arrays.isEmpty() ? null
                    : find(gradientClass, f + "Accumulate", parameters, concat(arrays, List.of(Tape.class)));
            this.jacobian = null;
        }
        Class<?> record = vectorValued ? pullback.getReturnType() : gradient.getReturnType();
        this.components = record.isRecord() ? accessors(record) : null;
        this.accumulateComponents = accumulate != null && accumulate.getReturnType().isRecord()
                ? accessors(accumulate.getReturnType()) : null;
    }

    /**
     * Binds {@code owner.name}: the static method of that name, of the parameter types given if any, whose derivatives
     * Leibniz generated.
     *
     * @throws IllegalArgumentException if there is no such method, or it is not differentiable
     * @throws IllegalStateException if its generated class cannot be found or used
     */
    static GeneratedMethods bind(Class<?> owner, String name, Class<?>... parameterTypes) {
        List<Method> named = Arrays.stream(owner.getDeclaredMethods())
                .filter(m -> m.getName().equals(name) && !m.isSynthetic())
                .filter(m -> parameterTypes.length == 0 || Arrays.equals(m.getParameterTypes(), parameterTypes))
                .toList();
        String label = owner.getSimpleName() + "." + name;
        if (named.isEmpty()) {
            throw new IllegalArgumentException(owner.getName() + " declares no method " + name
                    + (parameterTypes.length == 0 ? "" : " with parameters " + typeList(parameterTypes)));
        }
        if (named.stream().noneMatch(m -> Modifier.isStatic(m.getModifiers()))) {
            throw new IllegalArgumentException(label + " is not static: @Differentiable methods are static");
        }
        Class<?> gradientClass = gradientClass(owner, label);
        List<Method> bound = named.stream()
                .filter(m -> Modifier.isStatic(m.getModifiers()))
                .filter(m -> hasGeneratedMembers(gradientClass, m))
                .toList();
        if (bound.isEmpty()) {
            Method m = named.get(0);
            boolean result = m.getReturnType() == double.class || m.getReturnType() == double[].class;
            throw new IllegalArgumentException(label + typeList(m.getParameterTypes()) + " has no derivatives in "
                    + gradientClass.getName() + ": "
                    + (result ? "annotate it @Differentiable (from dev.leibniz) and recompile"
                            : "Leibniz differentiates methods returning double or double[], not "
                                    + m.getReturnType().getSimpleName()));
        }
        if (bound.size() > 1) {
            throw new IllegalArgumentException(label + " is overloaded: name the parameter types, as in "
                    + "GradientCheck.of(" + owner.getSimpleName() + ".class, \"" + name + "\", double.class, ...)");
        }
        Method original = bound.get(0);
        String[] declared = ParameterNames.of(original);
        int[] differentiated = differentiatedParameters(gradientClass, original, declared);
        return new GeneratedMethods(accessible(original), names(original, declared, differentiated, gradientClass),
                differentiated, gradientClass);
    }

    /** {@code com.example.ShapesGradient} for {@code com.example.Shapes}; {@code Outer_InnerGradient} for a nested one. */
    private static Class<?> gradientClass(Class<?> owner, String label) {
        List<String> simpleNames = new ArrayList<>();
        for (Class<?> c = owner; c != null; c = c.getEnclosingClass()) {
            simpleNames.add(0, c.getSimpleName());
        }
        String packageName = owner.getPackageName();
        String name = (packageName.isEmpty() ? "" : packageName + ".") + String.join("_", simpleNames) + "Gradient";
        try {
            return Class.forName(name, false, owner.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Leibniz generated no class " + name + " for " + label
                    + ": is leibniz-processor on the annotation processor path of the compilation of "
                    + owner.getSimpleName() + " (with Maven, in the maven-compiler-plugin's <annotationProcessorPaths>),"
                    + " and is the method annotated @Differentiable?", e);
        }
    }

    private static boolean hasGeneratedMembers(Class<?> gradientClass, Method m) {
        String name = m.getReturnType() == double[].class ? m.getName() + "Jacobian" : m.getName();
        try {
            gradientClass.getDeclaredMethod(name, m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * The differentiated parameters: those of the tangents of {@code fDifferential}, matched in order to the
     * parameters of the same types; where several matchings fit, the one the names agree with.
     */
    private static int[] differentiatedParameters(Class<?> gradientClass, Method original, String[] declared) {
        Class<?>[] parameters = original.getParameterTypes();
        Method differential = Arrays.stream(gradientClass.getDeclaredMethods())
                .filter(m -> m.getName().equals(original.getName() + "Differential"))
                .filter(m -> m.getParameterCount() >= parameters.length && Arrays.equals(
                        Arrays.copyOf(m.getParameterTypes(), parameters.length), parameters))
                .findFirst()
                .orElseThrow(() -> outOfDate(gradientClass, original.getName() + "Differential"));
        Class<?>[] all = differential.getParameterTypes();
        Class<?>[] tangents = Arrays.copyOfRange(all, parameters.length, all.length);
        List<int[]> matchings = new ArrayList<>();
        match(parameters, tangents, 0, 0, new int[tangents.length], matchings);
        if (matchings.size() == 1) {
            return matchings.get(0);
        }
        if (matchings.isEmpty()) {
            throw outOfDate(gradientClass, differential.getName());
        }
        // Several parameters of one type, not all differentiated: the names tell which.
        Method named = recordMethod(gradientClass, original);
        String[] wrt;
        BiPredicate<String, String> agrees;
        if (named != null) {
            RecordComponent[] components = named.getReturnType().getRecordComponents();
            wrt = Arrays.stream(components).skip(1).map(RecordComponent::getName).toArray(String[]::new);
            agrees = String::equals;
        } else {
            String[] tangentNames = ParameterNames.of(differential);
            wrt = tangentNames == null ? null : Arrays.copyOfRange(tangentNames, parameters.length, all.length);
            agrees = (parameter, tangent) -> tangent.matches("d" + Character.toUpperCase(parameter.charAt(0))
                    + java.util.regex.Pattern.quote(parameter.substring(1)) + "[0-9]*");
        }
        if (declared == null || wrt == null) {
            throw new IllegalStateException(original.getDeclaringClass().getSimpleName() + "." + original.getName()
                    + ": the types of its parameters leave open which of them wrt names, and its class file has no "
                    + "parameter names; compile it with -g (Maven's default) or -parameters");
        }
        String[] names = wrt;
        List<int[]> agreeing = matchings.stream().filter(m -> {
            for (int k = 0; k < m.length; k++) {
                if (!agrees.test(declared[m[k]], names[k])) {
                    return false;
                }
            }
            return true;
        }).toList();
        if (agreeing.size() != 1) {
            throw outOfDate(gradientClass, differential.getName());
        }
        return agreeing.get(0);
    }

    /** Every way to pick, in order, parameters of the tangents' types (a {@code double}, array or matrix of them). */
    private static void match(Class<?>[] parameters, Class<?>[] tangents, int from, int k, int[] picked,
            List<int[]> matchings) {
        if (k == tangents.length) {
            matchings.add(picked.clone());
            return;
        }
        for (int p = from; p < parameters.length && matchings.size() < 64; p++) {
            if (parameters[p] == tangents[k] && Point.isFloating(parameters[p])) {
                picked[k] = p;
                match(parameters, tangents, p + 1, k + 1, picked, matchings);
            }
        }
    }

    /** The generated method that returns the record naming the differentiated parameters, if one does. */
    private static Method recordMethod(Class<?> gradientClass, Method original) {
        for (Method m : gradientClass.getDeclaredMethods()) {
            boolean form = m.getName().equals(original.getName()) || m.getName().equals(original.getName() + "Pullback");
            if (form && m.getReturnType().isRecord() && m.getParameterCount() >= original.getParameterCount()
                    && Arrays.equals(Arrays.copyOf(m.getParameterTypes(), original.getParameterCount()),
                            original.getParameterTypes())) {
                return m;
            }
        }
        return null;
    }

    /** The declared names where known; otherwise the record's for the differentiated parameters, else {@code argN}. */
    private static String[] names(Method original, String[] declared, int[] differentiated, Class<?> gradientClass) {
        if (declared != null) {
            return declared;
        }
        String[] names = new String[original.getParameterCount()];
        for (int i = 0; i < names.length; i++) {
            names[i] = "arg" + i;
        }
        Method named = recordMethod(gradientClass, original);
        if (named != null) {
            RecordComponent[] components = named.getReturnType().getRecordComponents();
            for (int k = 0; k < differentiated.length; k++) {
                names[differentiated[k]] = components[k + 1].getName();
            }
        }
        return names;
    }

    private Class<?>[] differentiatedTypes() {
        Class<?>[] types = new Class<?>[differentiated.length];
        for (int k = 0; k < types.length; k++) {
            types[k] = original.getParameterTypes()[differentiated[k]];
        }
        return types;
    }

    private static Method find(Class<?> gradientClass, String name, Class<?>[] parameters, List<Class<?>> more) {
        return find(gradientClass, name, parameters, more.toArray(Class<?>[]::new));
    }

    private static Method find(Class<?> gradientClass, String name, Class<?>[] parameters, Class<?>[] more) {
        Class<?>[] all = Arrays.copyOf(parameters, parameters.length + more.length);
        System.arraycopy(more, 0, all, parameters.length, more.length);
        try {
            return accessible(gradientClass.getDeclaredMethod(name, all));
        } catch (NoSuchMethodException e) {
            throw outOfDate(gradientClass, name + typeList(all));
        }
    }

    private static IllegalStateException outOfDate(Class<?> gradientClass, String member) {
        return new IllegalStateException(gradientClass.getName() + " lacks " + member
                + ", which this version of Leibniz generates: recompile with the leibniz-processor of the same version "
                + "as leibniz-runtime");
    }

    private static Method[] accessors(Class<?> record) {
        return Arrays.stream(record.getRecordComponents())
                .map(c -> accessible(c.getAccessor()))
                .toArray(Method[]::new);
    }

    /** Generated members have the visibility of the source method, so package-private ones are common. */
    private static Method accessible(Method method) {
        try {
            method.setAccessible(true);
            return method;
        } catch (InaccessibleObjectException e) {
            throw new IllegalStateException(method.getDeclaringClass().getName() + " is in a module that does not open "
                    + "its package to Leibniz's runtime: add 'opens " + method.getDeclaringClass().getPackageName()
                    + " to dev.leibniz;' to its module-info (for tests only, --add-opens), or make the method public",
                    e);
        }
    }

    /** The original's value at these arguments: its {@code double} as an array of one, or its array. */
    double[] evaluate(Object[] arguments) {
        Object result = invoke(original, arguments);
        return vectorValued ? (double[]) result : new double[] {(double) result};
    }

    /** Calls a static method; what it throws is thrown as it is. */
    static Object invoke(Method method, Object... arguments) {
        return call(method, null, arguments);
    }

    private static Object call(Method method, Object target, Object... arguments) {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the pullback returns a record (otherwise, when only arrays are differentiated, just the value). */
    boolean pullbackReturnsRecord() {
        return pullback.getReturnType().isRecord();
    }

    /** Component {@code k} of a record {@code gradient} or {@code pullback} returned: 0 the value, then the partials. */
    Object component(Object record, int k) {
        return call(components[k], record);
    }

    /**
     * The value an accumulate form returned, with the partials of the differentiated scalars it returns beside it in
     * a record, if it does, copied into {@code into} at their coordinates of {@code point}.
     */
    double accumulated(Object result, Point point, double[] into) {
        if (accumulateComponents == null) {
            return (double) result;
        }
        int component = 1;
        Class<?>[] types = original.getParameterTypes();
        for (int j = 0; j < differentiated.length; j++) {
            if (!types[differentiated[j]].isArray()) {
                point.read(j, call(accumulateComponents[component++], result), 1, into);
            }
        }
        return (double) call(accumulateComponents[0], result);
    }

    /** Whether the accumulate form returns the scalars' partials beside the value (a record), or the value alone. */
    boolean accumulateReturnsRecord() {
        return accumulateComponents != null;
    }

    static String typeList(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static List<Class<?>> concat(List<Class<?>> a, List<Class<?>> b) {
        List<Class<?>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
