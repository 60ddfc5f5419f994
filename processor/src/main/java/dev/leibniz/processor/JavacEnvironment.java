package dev.leibniz.processor;

import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * javac's Compiler Tree API for a {@link ProcessingEnvironment} that build tools may have wrapped.
 *
 * <p>{@link Trees#instance} accepts javac's own environment only. Gradle's incremental processing hands processors
 * a decorator whose field {@code delegate} holds javac's (Kotlin's kapt one whose field is {@code processingEnv});
 * IntelliJ's build hands them a {@link Proxy} whose invocation handler, an anonymous class, captured the wrapped
 * environment as {@code delegateTo} (javac names the field {@code val$delegateTo}). Only the Tree API is taken from
 * the unwrapped environment: the processor keeps using the wrapper's {@code Filer}, through which the build tool
 * learns which source each generated file comes from.
 */
final class JavacEnvironment {
    private static final List<String> WRAPPER_FIELDS = List.of("delegate", "processingEnv");
    private static final List<String> PROXY_HANDLER_FIELDS = List.of("val$delegateTo", "delegate");
    /** Wrappers of wrappers are unwrapped too, to this depth (a cycle of wrappers ends here). */
    private static final int MAX_DEPTH = 8;

    private JavacEnvironment() {
    }

    /** The Tree API of javac's environment behind {@code env}; empty when there is none (another compiler). */
    static Optional<Trees> trees(ProcessingEnvironment env) {
        ProcessingEnvironment current = env;
        for (int depth = 0; current != null && depth <= MAX_DEPTH; depth++) {
            try {
                return Optional.of(Trees.instance(current));
            } catch (IllegalArgumentException notJavacs) {
                current = unwrapped(current);
            }
        }
        return Optional.empty();
    }

    /** The environment {@code env} delegates to, if it is a wrapper Leibniz knows; otherwise null. */
    static ProcessingEnvironment unwrapped(ProcessingEnvironment env) {
        if (Proxy.isProxyClass(env.getClass())) {
            return environmentIn(Proxy.getInvocationHandler(env), PROXY_HANDLER_FIELDS);
        }
        return environmentIn(env, WRAPPER_FIELDS);
    }

    private static ProcessingEnvironment environmentIn(Object holder, List<String> fieldNames) {
        for (Class<?> type = holder.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (String name : fieldNames) {
                try {
                    Field field = type.getDeclaredField(name);
                    field.setAccessible(true);
                    if (field.get(holder) instanceof ProcessingEnvironment inner && inner != holder) {
                        return inner;
                    }
                } catch (NoSuchFieldException notThisOne) {
                    // the next name, or the superclass
                } catch (ReflectiveOperationException | RuntimeException inaccessible) {
                    // a field of a module that does not open it to Leibniz: not a wrapper Leibniz can see through
                }
            }
        }
        return null;
    }
}
