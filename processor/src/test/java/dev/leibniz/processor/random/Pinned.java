package dev.leibniz.processor.random;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Param;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Type;
import dev.leibniz.processor.random.Harness.Failure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;

/** Checks for pinned regressions: methods written out as source, the last one checked at one point. */
final class Pinned {
    private static final Pattern SIGNATURE = Pattern.compile(
            "@Differentiable(?:\\(wrt = \\{?([^)}]*)\\}?\\))?\\s+(?:\\w+\\s+)*static double (\\w+)\\(([^)]*)\\)");

    private Pinned() {
    }

    /**
     * Compiles {@code methods} (the {@code @Differentiable} methods of one class, as source) with the processor and
     * checks the last of them at {@code args} like the random test does: it must compile cleanly, its value must be
     * the original's bit for bit, its partials must agree with finite differences, its pullback with its seed, its
     * Accumulate form with the gradient, and every generated method must leave array arguments as the original
     * does. Array arguments are copied for every call.
     */
    static void check(String methods, Object... args) {
        Failure f = failure(methods, loaded -> { }, args);
        if (f != null) {
            fail(f.describe() + "generated:\n" + f.generated());
        }
    }

    /**
     * {@link #check}'s failure, or null; {@code inspect} sees what was compiled first, and may change what the
     * harness was told (the parameters Leibniz warned about), so that a test can show the harness notices.
     */
    static Failure failure(String methods, java.util.function.Consumer<Harness.Loaded> inspect, Object... args) {
        Matcher m = SIGNATURE.matcher(methods);
        String name = null;
        String params = null;
        List<String> wrt = List.of();
        while (m.find()) {
            wrt = m.group(1) == null ? List.of()
                    : java.util.Arrays.stream(m.group(1).split(",")).map(w -> w.trim().replace("\"", "")).toList();
            name = m.group(2);
            params = m.group(3);
        }
        if (name == null) {
            throw new IllegalArgumentException("no static double method in\n" + methods);
        }
        List<Param> ps = new ArrayList<>();
        for (String p : params.split(",")) {
            if (p.isBlank()) {
                continue;
            }
            String[] typeAndName = p.trim().split("\\s+");
            Type type = java.util.Arrays.stream(Type.values()).filter(t -> t.java.equals(typeAndName[0])).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("parameter type " + typeAndName[0]));
            ps.add(new Param(type, typeAndName[1]));
        }
        if (ps.size() != args.length) {
            throw new IllegalArgumentException(name + " has " + ps.size() + " parameters, not " + args.length);
        }
        String members = "\n" + methods.stripIndent().lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");
        String simpleName = Harness.newClassName();
        Compilation c = Harness.compileSource(simpleName, Harness.classSource(simpleName, members), true);
        if (!Harness.clean(c)) {
            Compilation plain = Harness.compileSource(simpleName, Harness.classSource(simpleName, members), false);
            String generated = c.diagnostics().stream()
                    .filter(d -> d.getKind() != Diagnostic.Kind.NOTE && d.getSource() != null
                            && d.getSource().getName().endsWith("Gradient.java"))
                    .map(d -> Harness.enclosingMethod(Harness.content(d.getSource()), (int) d.getLineNumber()))
                    .findFirst().orElse("");
            fail((Harness.clean(plain) ? "" : "(the source itself is invalid Java)\n")
                    + "compilation with the processor must succeed without warnings (but Leibniz's at parameters whose "
                    + "partial is always 0):\n" + Harness.diagnostics(c)
                    + "\n" + generated);
        }
        Map<String, Object> point = new LinkedHashMap<>();
        for (int i = 0; i < ps.size(); i++) {
            point.put(ps.get(i).name(), args[i]);
        }
        Method method = new Method("", name, ps, List.of(), wrt);
        Harness.Loaded loaded = new Harness.Loaded(c, simpleName);
        inspect.accept(loaded);
        return Harness.checkPoint(loaded, new Program(0, List.of(method)), method, point, new Harness.Stats());
    }
}
