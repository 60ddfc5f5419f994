package dev.leibniz.processor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.leibniz.Buffers;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/** A call of generated code that must be refused: an {@link IllegalArgumentException}, the caller's arrays as they were. */
public final class Rejected {
    private Rejected() {
    }

    /**
     * Calls {@code m} with {@code args}, which must throw an {@link IllegalArgumentException} and leave every array
     * among the arguments, and every row of one, holding what it held before.
     *
     * @return the exception's message
     */
    public static String message(Method m, Object... args) {
        Object[] before = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            before[i] = args[i] != null && args[i].getClass().isArray() ? Buffers.snapshot(args[i]) : args[i];
        }
        try {
            m.invoke(null, args);
        } catch (InvocationTargetException e) {
            assertInstanceOf(IllegalArgumentException.class, e.getCause(), m.getName() + " threw " + e.getCause());
            for (int i = 0; i < args.length; i++) {
                if (args[i] != null && args[i].getClass().isArray()) {
                    assertEquals(Arrays.deepToString(new Object[] {before[i]}), Arrays.deepToString(new Object[] {args[i]}),
                            m.getName() + " changed its argument " + i + " before refusing the call");
                }
            }
            return e.getCause().getMessage();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        return fail(m.getName() + " accepted the call");
    }
}
