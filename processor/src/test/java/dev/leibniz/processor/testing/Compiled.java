package dev.leibniz.processor.testing;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.processor.LeibnizProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Sources compiled by javac with the Leibniz processor, as a user's build compiles them, and the resulting
 * classes loaded so that tests can call the generated code.
 */
public final class Compiled {
    /** javac options of every test compilation: generated code must compile without a single warning. */
    public static final List<String> OPTIONS = List.of("-Xlint:all", "-Werror");

    private final Compilation compilation;
    private final ClassLoader loader;

    private Compiled(Compilation compilation, ClassLoader loader) {
        this.compilation = compilation;
        this.loader = loader;
    }

    /** Compiles sources given as {@code (qualifiedName, source)} pairs; fails the test on any diagnostic. */
    public static Compiled compile(String... namesAndSources) {
        return compile(ClassLoader.getSystemClassLoader(), sources(namesAndSources));
    }

    public static Compiled compile(ClassLoader parent, List<JavaFileObject> sources) {
        return compile(compiler(), parent, sources);
    }

    /** Compiles with {@code compiler} (its processors and options), which must report nothing but notes. */
    public static Compiled compile(Compiler compiler, ClassLoader parent, List<JavaFileObject> sources) {
        Compilation compilation = compiler.compile(sources);
        String diagnostics = compilation.diagnostics().stream()
                .map(d -> d.getKind() + ": " + d.getMessage(null) + " (line " + d.getLineNumber() + ")")
                .collect(Collectors.joining("\n"));
        assertWithMessage("compilation must succeed without warnings:\n" + diagnostics + "\n" + generatedSources(compilation))
                .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
        assertWithMessage("diagnostics:\n" + diagnostics)
                .that(compilation.diagnostics().stream().filter(d -> d.getKind() != Diagnostic.Kind.NOTE).count())
                .isEqualTo(0);
        return new Compiled(compilation, new InMemoryClassLoader(parent, compilation));
    }

    public static Compiler compiler() {
        return Compiler.javac().withProcessors(new LeibnizProcessor()).withOptions(OPTIONS);
    }

    public static List<JavaFileObject> sources(String... namesAndSources) {
        if (namesAndSources.length % 2 != 0) {
            throw new IllegalArgumentException("pass (qualifiedName, source) pairs");
        }
        JavaFileObject[] files = new JavaFileObject[namesAndSources.length / 2];
        for (int i = 0; i < files.length; i++) {
            files[i] = JavaFileObjects.forSourceString(namesAndSources[2 * i], namesAndSources[2 * i + 1]);
        }
        return List.of(files);
    }

    public Compilation compilation() {
        return compilation;
    }

    public ClassLoader loader() {
        return loader;
    }

    public Class<?> load(String qualifiedName) {
        try {
            return Class.forName(qualifiedName, true, loader);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("class " + qualifiedName + " was not generated or compiled", e);
        }
    }

    /** The one method of that class with that name, made accessible; overloads are a mistake in the test. */
    public Method method(String owner, String name) {
        Method found = null;
        for (Method m : load(owner).getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                if (found != null) {
                    throw new AssertionError(owner + "." + name + " is overloaded; the checker needs a unique name");
                }
                found = m;
            }
        }
        if (found == null) {
            throw new AssertionError("no method " + owner + "." + name + "\n" + generatedSources(compilation));
        }
        found.setAccessible(true);
        return found;
    }

    /** Calls a static method; what it throws fails the test with the method's name. */
    public static Object invoke(Method m, Object[] args) {
        try {
            return m.invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m.getName() + " threw " + e.getCause(), e.getCause());
        }
    }

    /** A record's components by name, in declaration order. */
    public static Map<String, Object> components(Object record) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                values.put(component.getName(), accessor.invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }

    /** The text of a generated source file, for golden tests and for failure messages. */
    public String generatedSource(String qualifiedName) {
        String path = qualifiedName.replace('.', '/') + ".java";
        return compilation.generatedSourceFiles().stream()
                .filter(f -> f.toUri().getPath().endsWith(path))
                .map(Compiled::contents)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no generated source " + qualifiedName));
    }

    private static String generatedSources(Compilation compilation) {
        if (compilation.status() != Compilation.Status.SUCCESS) {
            return ""; // compile-testing keeps no generated files of a failed compilation
        }
        return compilation.generatedSourceFiles().stream().map(Compiled::contents).collect(Collectors.joining("\n"));
    }

    private static String contents(JavaFileObject file) {
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
