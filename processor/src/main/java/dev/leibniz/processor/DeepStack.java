package dev.leibniz.processor;

/**
 * Runs Leibniz's passes on a thread of their own with a large stack. The front end, the transforms and JavaPoet
 * all recurse over expressions, about as deep as the expression is long, and need several times the stack javac
 * needs for the same tree: on the compiler's own thread (1 MB by default) a sum of a few thousand terms that javac
 * compiles fine would overflow. The stack is reserved address space; only the pages a method needs are touched.
 * The compiler's thread waits, so javac's trees and its messager are still used by one thread at a time.
 */
final class DeepStack {
    /** Enough for about 300,000 nested terms, far beyond what fits the JVM's 64 KB per method anyway. */
    static final long STACK_BYTES = 512L << 20;

    private DeepStack() {
    }

    static void run(Runnable work) {
        onThread("leibniz-processor", STACK_BYTES, work);
    }

    /** Runs {@code work} on a new thread with a stack of {@code stackBytes} and waits; what it throws, this throws. */
    static void onThread(String name, long stackBytes, Runnable work) {
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try {
                work.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, name, stackBytes);
        worker.setDaemon(true);
        worker.start();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // javac's thread: finish the round, keep the interrupt for whoever asked
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        } else if (failure[0] instanceof Error e) {
            throw e;
        } else if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
    }
}
