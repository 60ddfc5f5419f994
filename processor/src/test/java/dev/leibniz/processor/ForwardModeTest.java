package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What is particular to the differential (forward mode). That it agrees with the gradient is checked wherever a
 * gradient is: both gradient checkers call it along random tangents. Here: its form, unit tangents picking out a
 * partial, and names that could collide with what it declares.
 */
class ForwardModeTest {
    private static final String SOURCE = """
            package com.example;

            import dev.leibniz.Differentiable;

            public final class Surface {
                private Surface() {
                }

                @Differentiable
                public static double f(double x, double y) {
                    return x * x * y + Math.sin(y);
                }

                /** A parameter named like the tangent of another. */
                @Differentiable
                public static double tangentLikeNames(double x, double dx) {
                    return x * dx;
                }

                /** Its record is called Differential, like the runtime's class the differential returns. */
                @Differentiable
                public static double differential(double x) {
                    return f(x, 2 * x);
                }
            }
            """;

    private static final Compiled COMPILED = Compiled.compile("com.example.Surface", SOURCE);

    private static Map<String, Object> differential(String method, Object... args) {
        Method m = COMPILED.method("com.example.SurfaceGradient", method + "Differential");
        return Compiled.components(Compiled.invoke(m, args));
    }

    @Test
    void unitTangentsPickOutThePartials() {
        double x = 0.7;
        double y = -1.3;
        assertEquals(2 * x * y, (double) differential("f", x, y, 1.0, 0.0).get("differential"), 1e-15);
        assertEquals(x * x + Math.cos(y), (double) differential("f", x, y, 0.0, 1.0).get("differential"), 1e-15);
        new GradientCheck(COMPILED, "com.example.Surface").check("f", x, y);
    }

    @Test
    void returnsTheRuntimesDifferentialWithTheValueFirst() {
        Method m = COMPILED.method("com.example.SurfaceGradient", "fDifferential");
        assertEquals("dev.leibniz.Differential", m.getReturnType().getName());
        assertEquals(4, m.getParameterCount());
        assertEquals(Map.of("value", 0.5 * 0.5 * 2 + Math.sin(2), "differential", 0.0),
                differential("f", 0.5, 2.0, 0.0, 0.0));
    }

    @Test
    void aParameterNamedLikeATangentKeepsItsName() {
        new GradientCheck(COMPILED, "com.example.Surface").check("tangentLikeNames", 0.7, -1.1);
        String generated = COMPILED.generatedSource("com.example.SurfaceGradient");
        // dx is taken: the tangent of x is dx2, the tangent of dx is dDx
        assertTrue(generated.contains("tangentLikeNamesDifferential(double x, double dx,\n"
                + "            double dx2, double dDx)"), generated);
    }

    @Test
    void aMethodWhoseRecordIsNamedDifferential() {
        new GradientCheck(COMPILED, "com.example.Surface").check("differential", 0.4);
        String generated = COMPILED.generatedSource("com.example.SurfaceGradient");
        assertTrue(generated.contains("public static dev.leibniz.Differential differentialDifferential("),
                generated);
    }

    @Test
    void aSourceClassNamedDifferential() {
        Compiled compiled = Compiled.compile("com.example.Differential", """
                package com.example;

                import dev.leibniz.Differentiable;

                public final class Differential {
                    static final double K = 3;

                    private Differential() {
                    }

                    @Differentiable
                    public static double scaled(double x) {
                        return K * x * x;
                    }
                }
                """);
        new GradientCheck(compiled, "com.example.Differential").check("scaled", 0.4);
    }
}
