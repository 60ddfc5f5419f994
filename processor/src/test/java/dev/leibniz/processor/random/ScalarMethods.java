package dev.leibniz.processor.random;

import com.google.testing.compile.Compilation;
import dev.leibniz.processor.random.Ast.Method;
import dev.leibniz.processor.random.Ast.Program;
import dev.leibniz.processor.random.Ast.Type;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;

/**
 * What the runs that check more than first order on the generator's programs share ({@link RandomHessianTest},
 * {@link RandomFloatTest}): the methods they take — scalar parameters, at least one {@code double}, no {@code wrt},
 * a {@code double} result — and which failed compilations are refusals on purpose rather than failures.
 */
final class ScalarMethods {
    private ScalarMethods() {
    }

    /** A method taken, with its program (whose other methods it may call). */
    record Found(Method method, Program program) {
    }

    /** The methods so taken of the first {@code programs} programs of the run. */
    static List<Found> of(long seed, int programs) {
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < programs; i++) {
            Program p = RandomRun.generate(RandomRun.programSeed(seed, i), i);
            for (Method m : p.methods()) {
                if (!m.returnsArray() && !m.returnsVoid() && m.wrt().isEmpty()
                        && m.params().stream().anyMatch(q -> q.type() == Type.DOUBLE)
                        && m.params().stream().allMatch(q -> !q.type().isArray())) {
                    found.add(new Found(m, p));
                }
            }
        }
        return found;
    }

    /**
     * Whether a compilation failed only where the processor may refuse: at a construct the generator marks as
     * possibly refused (as the first-order run counts it), or with a message containing {@code refusal}.
     */
    static boolean refusedOnPurpose(Compilation c, String refusal) {
        return c.status() == Compilation.Status.FAILURE && c.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .allMatch(d -> refusal != null && d.getMessage(null).contains(refusal) || d.getSource() != null
                        && Harness.line(Harness.content(d.getSource()), (int) d.getLineNumber())
                                .contains(Ast.Marked.COMMENT));
    }
}
