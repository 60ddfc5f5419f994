package dev.leibniz.processor.random;

import static org.junit.jupiter.api.Assertions.fail;

import dev.leibniz.processor.random.Ast.Program;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Randomized differential test of the processor: random programs of the supported subset (see {@link Generator}),
 * compiled in batches with the processor under -Xlint:all -Werror, each method checked at random points against
 * the original (value bit for bit), finite differences (every partial) and its own pullback (seed scaling).
 * Failures are shrunk and printed with the seed that reproduces them, and written to
 * {@code target/random-failures.txt}.
 *
 * <p>The regular run checks {@value #DEFAULT_PROGRAMS} programs from a fixed seed. System properties
 * (e.g. {@code mvn -o test -pl processor -Dtest='RandomProgramTest*' -Dleibniz.random.programs=100000}):
 * <ul>
 *   <li>{@code leibniz.random.programs}: number of programs; given alone, the run seed is random (and printed)
 *   <li>{@code leibniz.random.seed}: the run seed
 *   <li>{@code leibniz.random.seconds}: stop generating after this many seconds (0: no limit)
 *   <li>{@code leibniz.random.threads}: parallel compilations (default 2, or 1 on a single processor)
 *   <li>{@code leibniz.random.batch}: methods per compiled class (default 50)
 *   <li>{@code leibniz.random.points}: random points per method (default 4)
 *   <li>{@code leibniz.random.shrink}: how many failures to shrink (default 4; the first of each kind of failure
 *       first), {@code leibniz.random.shrinkSeconds} the time for all of them (default 30)
 *   <li>{@code leibniz.random.program}: check only the program with this program seed (printed with each failure;
 *       its methods are then named {@code f0_0, f0_1, ...})
 *   <li>{@code leibniz.random.show}: print this many generated programs before the run
 * </ul>
 */
class RandomProgramTest {
    static final int DEFAULT_PROGRAMS = 1000;
    static final long DEFAULT_SEED = 20261126L;
    /** Compilations in parallel: javac dominates the run's time. */
    static final int DEFAULT_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

    @Test
    void randomProgramsAgreeWithTheirOriginalsAndFiniteDifferences() throws InterruptedException {
        String only = System.getProperty("leibniz.random.program");
        boolean custom = System.getProperty("leibniz.random.programs") != null;
        long seed = Long.getLong("leibniz.random.seed", custom ? new SecureRandom().nextLong() : DEFAULT_SEED);
        int programs = Integer.getInteger("leibniz.random.programs", DEFAULT_PROGRAMS);
        int show = Integer.getInteger("leibniz.random.show", 0);
        for (int i = 0; i < show; i++) {
            System.out.println("// program " + i + " (seed " + RandomRun.programSeed(seed, i) + ")");
            System.out.println(Ast.print(RandomRun.generate(RandomRun.programSeed(seed, i), i), ""));
        }
        RandomRun run = new RandomRun(seed, programs, Long.getLong("leibniz.random.seconds", 0),
                Integer.getInteger("leibniz.random.threads", DEFAULT_THREADS), Integer.getInteger("leibniz.random.batch", 50),
                Integer.getInteger("leibniz.random.points", 4), Integer.getInteger("leibniz.random.shrink", 4),
                Long.getLong("leibniz.random.shrinkSeconds", 30) * 1000);
        if (only != null) {
            long programSeed = Long.parseLong(only);
            Program p = RandomRun.generate(programSeed, 0);
            System.out.println(Ast.print(p, ""));
            Harness.run(java.util.List.of(p), run.pointsPerMethod, run.stats, run.failures::add);
        } else {
            System.out.println("[random] run seed " + seed + ", up to " + programs + " programs");
            run.run();
        }
        String off = Generator.disabledConstructs();
        String summary = "[random] " + (only != null ? "program seed " + only : "run seed " + seed) + ": " + run.stats
                + " in " + run.elapsedMillis / 1000.0 + " s" + (run.timedOut ? " (stopped by leibniz.random.seconds)" : "")
                + (off.isEmpty() ? "" : "; constructs left out: " + off) + "; " + run.failures.size() + " failures";
        System.out.println(summary);
        RandomRun.delete("random-failures.txt");
        if (!run.failures.isEmpty()) {
            String report = summary + "\n" + run.report();
            System.out.println(report);
            RandomRun.write("random-failures.txt", report);
            fail(report);
        }
    }

    // ------------------------------------------------------------------------------------------------ regressions
    // Programs the random test found, shrunk, written out with realistic conditions, and checked at the point
    // where they failed. All of them failed before 973d50e ("Fix four bugs the random tester found").

    /**
     * Bug 1 (IllegalStateException: no reverse rule for Conditional), trigger (a): an active ternary inside a branch
     * of another active ternary. Found as {@code y = (y > 0 ? 1.0 : y < 1 ? 1.0 : a) + 1.0}.
     */
    @Test
    void ternaryInsideABranchOfAnActiveTernary() {
        Pinned.check("""
                @Differentiable
                static double f(double x, double y) {
                    return (x > 0 ? y > 0 ? x * y : x : 1.0) * y;
                }
                """, 0.3, 0.7);
    }

    /** Bug 1, trigger (b): an active ternary under an integer cast. Found as {@code v * (int) (v < 1.5 ? 2d : v)}. */
    @Test
    void activeTernaryUnderAnIntegerCast() {
        Pinned.check("""
                @Differentiable
                static double f(double v) {
                    return v * (int) (v < 1.5 ? 2.0 : v);
                }
                """, 0.3);
    }

    /** Bug 1, trigger (c): an active ternary under a piecewise-constant Math function. Found as below. */
    @Test
    void activeTernaryUnderMathRound() {
        Pinned.check("""
                @Differentiable
                static double f(double v) {
                    v += Math.round(v < 0 ? v : 0.75);
                    return v;
                }
                """, 0.3);
    }

    /**
     * Bug 2 (generated code does not compile): a call of a {@code @Differentiable} method inside a branch of an
     * active ternary, whose value a derivative rule needs; the reverse sweep uses the callee's record instead of its
     * value ({@code dt1 / squareGradient}). Found as {@code (f(s, w) > 0 ? Math.log(f(s, w)) : 1.0) + 1.0}, also with
     * sin, atan, abs, sqrt(..) * f(..), pow(f(..), 3), pow(x, f(..)).
     */
    @Test
    void differentiableCallInsideABranchOfAnActiveTernary() {
        Pinned.check("""
                @Differentiable
                static double square(double a) {
                    return a * a;
                }

                @Differentiable
                static double f(double x) {
                    return (x > 0 ? Math.log(square(x)) : 1.0) + x;
                }
                """, 0.6);
    }

    /**
     * Bug 3 (generated code does not compile): a local declared in a block, read by the condition of an empty if and
     * then overwritten, is saved and restored although no reverse code reads it, and the restore ({@code t = tBefore})
     * is outside the block that declares it. Found as {@code double h = 1; if (w < h) { } h = 1;}.
     */
    @Test
    void emptyIfOnABlockLocalThatIsOverwrittenLater() {
        Pinned.check("""
                @Differentiable
                static double f(double x, double y) {
                    if (x > 0) {
                        double t = 1.0;
                        if (t >= y) {
                        }
                        t += 1.0;
                    }
                    return x * y;
                }
                """, 0.3, 0.7);
    }

    /** Bug 3 after a guard clause: the rest of the method is the block. */
    @Test
    void emptyIfOnAConstantLocalAfterAGuardClause() {
        Pinned.check("""
                @Differentiable
                static double f(double x, double y) {
                    if (x > 0) {
                        return y;
                    }
                    double t = 1.0;
                    if (t > y) {
                    }
                    t -= 1.0;
                    return t + y;
                }
                """, -0.3, 0.7);
    }
}
