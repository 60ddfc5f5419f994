package dev.leibniz.processor.testing;

/**
 * Sources compiled on first use and shared by the tests of one class, so that a suite of many small checks costs one
 * compilation.
 */
public final class CompiledOnce {
    private final String checkedClass;
    private final String[] namesAndSources;
    private Compiled compiled;

    /**
     * @param checkedClass the class whose methods {@link #check()} checks
     * @param namesAndSources {@code (qualifiedName, source)} pairs, as for {@link Compiled#compile(String...)}
     */
    public CompiledOnce(String checkedClass, String... namesAndSources) {
        this.checkedClass = checkedClass;
        this.namesAndSources = namesAndSources.clone();
    }

    public synchronized Compiled get() {
        if (compiled == null) {
            compiled = Compiled.compile(namesAndSources);
        }
        return compiled;
    }

    public GradientCheck check() {
        return new GradientCheck(get(), checkedClass);
    }
}
