package dev.leibniz.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.leibniz.processor.testing.Compiled;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code -Aleibniz.verbose}: a note at each {@code @Differentiable} method naming what Leibniz generated for it. */
class VerboseOptionTest {
    private static final List<JavaFileObject> SOURCES = Compiled.sources("com.example.Models", """
            package com.example;
            import dev.leibniz.Differentiable;
            public final class Models {
                @Differentiable(hessian = true)
                public static double energy(double x, double y) { return x * x * y; }

                @Differentiable
                static double dot(double[] a, double[] b) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * b[i];
                    }
                    return s;
                }

                @Differentiable
                static double[] scaled(double[] v, double c) {
                    double[] r = new double[v.length];
                    for (int i = 0; i < v.length; i++) {
                        r[i] = c * v[i];
                    }
                    return r;
                }
            }
            """);

    @Test
    void eachMethodGetsOneNoteAtItsDeclarationNamingTheGeneratedClassMembersAndFile() {
        Compilation compilation = compile("-Aleibniz.verbose");
        assertThat(compilation).succeeded();
        assertEquals(List.of(
                "Leibniz: energy -> com.example.ModelsGradient [energy, energyPullback, energyDifferential, "
                        + "record Energy, energyDifferentialPullback, record EnergyDifferential, energyHessianVector, "
                        + "energyHessian, record EnergyHessianVector]",
                "Leibniz: dot -> com.example.ModelsGradient [dot, dotPullback, dotAccumulate, dotDifferential, "
                        + "record Dot]",
                "Leibniz: scaled -> com.example.ModelsGradient [scaledPullback, scaledDifferential, record Scaled, "
                        + "scaledJacobian]"),
                leibnizNotes(compilation).stream().map(n -> n.substring(0, n.indexOf(" in "))).toList());
        assertThat(compilation).hadNoteContaining("Leibniz: energy").inFile(SOURCES.get(0)).onLine(5);
        assertThat(compilation).hadNoteContaining("Leibniz: dot").inFile(SOURCES.get(0)).onLine(8);
        for (String note : leibnizNotes(compilation)) {
            assertEquals(true, note.endsWith("com/example/ModelsGradient.java"), note);
        }
    }

    @Test
    void withoutTheOptionOrSetToFalseLeibnizSaysNothing() {
        assertEquals(List.of(), leibnizNotes(compile()));
        assertEquals(List.of(), leibnizNotes(compile("-Aleibniz.verbose=false")));
    }

    @Test
    void theOptionIsDeclaredSoThatJavacDoesNotWarnAboutIt() {
        assertThat(compile("-Aleibniz.verbose")).hadWarningCount(0);
    }

    private static Compilation compile(String... options) {
        List<String> all = new ArrayList<>(Compiled.OPTIONS);
        all.addAll(List.of(options));
        return Compiler.javac().withProcessors(new LeibnizProcessor()).withOptions(all).compile(SOURCES);
    }

    private static List<String> leibnizNotes(Compilation compilation) {
        return compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.NOTE)
                .map(d -> d.getMessage(null))
                .filter(m -> m.startsWith("Leibniz"))
                .toList();
    }
}
