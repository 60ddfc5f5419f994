package dev.leibniz.processor;

import static dev.leibniz.processor.DiagnosticsHarness.PICK;
import static dev.leibniz.processor.DiagnosticsHarness.assertOnlyErrors;
import static dev.leibniz.processor.DiagnosticsHarness.assertNoGradient;
import static dev.leibniz.processor.DiagnosticsHarness.assertRejected;
import static dev.leibniz.processor.DiagnosticsHarness.at;
import static dev.leibniz.processor.DiagnosticsHarness.compile;
import static dev.leibniz.processor.DiagnosticsHarness.error;

import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.processor.DiagnosticsHarness.Result;
import dev.leibniz.processor.testing.Compiled;
import dev.leibniz.processor.testing.GradientCheck;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * What generated code cannot reach, said as it is: the generated class lives in the source class's package and
 * extends nothing, so a member is out of its reach when the member is private, when a class around it is private, or
 * when it is protected or package-private in another package. Each message names what stands in the way — the class
 * and not its members when the class is private; protected, not private, for an inherited protected member — and the
 * change that removes it, at the expression that names the member.
 */
class AccessMessagesTest {
    private static final String BASE = """
            package com.other;
            public class Base {
                protected static final double RATE = Math.sqrt(2);
                protected static final double CONSTANT = 0.5;
                protected Base() {
                }
                protected static double damp(double x) {
                    return 0.5 * x;
                }
            }
            """;

    @Test
    void membersOfAPrivateNestedClassNameTheClassNotTheMembers() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    private static class Inner {
                        static final double K = Math.sqrt(3);
                        static double g(double x) {
                            return x;
                        }
                    }
                    @Differentiable
                    static double f(double x) {
                        return Inner.K * Inner.g(x);
                    }
                }
                """;
        assertRejected(PICK, src,
                error("'K' is no compile-time constant and is in the private class Pick.Inner, so the generated "
                        + "gradient class PickGradient cannot read it; make the class Pick.Inner package-private "
                        + "(drop its 'private')", at(src, "Inner.K", ".")),
                error("'g' is in the private class Pick.Inner, so the generated gradient class PickGradient cannot "
                        + "call it; make the class Pick.Inner package-private (drop its 'private')",
                        at(src, "g(x)", "(")));
    }

    @Test
    void aPrivateMemberOfAPrivateClassNamesBoth() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick {
                    private static class Inner {
                        private static double g(double x) {
                            return x;
                        }
                    }
                    @Differentiable
                    static double f(double x) {
                        return Inner.g(x) * x;
                    }
                }
                """;
        assertRejected(PICK, src, error("'g' is private and is in the private class Pick.Inner, so the generated "
                + "gradient class PickGradient cannot call it; make it package-private, and make the class Pick.Inner "
                + "package-private (drop its 'private')", at(src, "g(x)", "(")));
    }

    @Test
    void anInheritedProtectedFieldOfAnotherPackageIsCalledProtected() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick extends com.other.Base {
                    private Pick() {
                    }
                    @Differentiable
                    static double f(double x) {
                        return RATE * x + damp(x);
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString(PICK, src);
        Result result = compile(file, JavaFileObjects.forSourceString("com.other.Base", BASE));
        assertOnlyErrors(result.compilation(), file,
                error("'RATE' is no compile-time constant and is protected in Base of package com.other, which the "
                        + "generated class, in package com.example, does not extend, so the generated gradient class "
                        + "PickGradient cannot read it; make it public, or copy it into a static member of Pick that "
                        + "is not private", at(src, "RATE")),
                error("'damp' is protected in Base of package com.other, which the generated class, in package "
                        + "com.example, does not extend, so the generated gradient class PickGradient cannot call it; "
                        + "make it public, or copy it into a static member of Pick that is not private",
                        at(src, "damp(x)", "(")));
        assertNoGradient(result, file);
    }

    /** The fix the message names, applied: the inherited values copied into members of the class, and constants. */
    @Test
    void theNamedFixWorks() {
        Compiled compiled = Compiled.compile("com.other.Base", BASE, PICK, """
                package com.example;
                import dev.leibniz.Differentiable;
                final class Pick extends com.other.Base {
                    static final double RATE_HERE = RATE;
                    private Pick() {
                    }
                    static double dampHere(double x) {
                        return damp(x);
                    }
                    @Differentiable
                    static double f(double x) {
                        return RATE_HERE * x * x + CONSTANT * x;
                    }
                }
                """);
        new GradientCheck(compiled, PICK).check("f", 0.7);
    }

    @Test
    void aPackagePrivateMemberOfAnotherPackageIsCalledPackagePrivate() {
        String other = """
                package com.other;
                public final class Tables {
                    static final double SCALE = Math.sqrt(5);
                    private Tables() {
                    }
                }
                """;
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                import com.other.Tables;
                final class Pick {
                    @Differentiable
                    static double f(double x) {
                        return Tables.SCALE * x;
                    }
                }
                """;
        JavaFileObject file = JavaFileObjects.forSourceString(PICK, src);
        Result result = compile(file, JavaFileObjects.forSourceString("com.other.Tables", other));
        assertOnlyErrors(result.compilation(), file, error("'SCALE' is no compile-time constant and is "
                + "package-private in Tables of package com.other, so the generated gradient class PickGradient "
                + "cannot read it; make it public", at(src, "Tables.SCALE", ".")));
        assertNoGradient(result, file);
    }

    /** An interface has no package-private methods: the fix is to drop 'private'. */
    @Test
    void aPrivateInterfaceMethodIsToldToDropPrivate() {
        String src = """
                package com.example;
                import dev.leibniz.Differentiable;
                interface Pick {
                    private static double half(int n) {
                        return n * 0.5;
                    }
                    @Differentiable
                    static double f(double x, int n) {
                        return half(n) * x;
                    }
                }
                """;
        assertRejected(PICK, src, error("'half' is private, so the generated gradient class PickGradient cannot call "
                + "it; drop its 'private' (an interface's other members are public)", at(src, "half(n) *", "(")));
    }

    @Test
    void aPrivateDerivativeIsCalledPrivate() {
        String src = """
                package com.example;
                import dev.leibniz.DerivativeOf;
                import dev.leibniz.Differentiable;
                final class Pick {
                    static double softplus(double x) {
                        return Math.log1p(Math.exp(x));
                    }
                    @DerivativeOf("softplus")
                    private static double softplusDerivative(double x) {
                        return 1 / (1 + Math.exp(-x));
                    }
                    @Differentiable
                    static double f(double x) {
                        return softplus(x) * x;
                    }
                }
                """;
        assertRejected(PICK, src, error("the derivative 'softplusDerivative' of 'softplus' is private, so the "
                + "generated gradient class PickGradient cannot call it; make it package-private",
                at(src, "softplus(x) *", "(")));
    }
}
