package org.gpt4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs a parser on one (hostile) input under the bounds the fuzz tests promise: it returns or
 * throws within a time limit (no hang), and allocates at most a given number of bytes on the
 * heap (no allocation sized by a number the input claims). The result or the exception is
 * handed back for the test to judge.
 */
public final class Bounded {

    /** What the parser did: its result, or the exception it threw (exactly one is non-null). */
    public record Outcome<T>(T value, Throwable error) {

        /** Asserts that a failure, if any, is one of the clean kinds the parser documents. */
        /**
         * Counts the outcome ("read" or "refused") in jqwik's statistics, so that a property can
         * check that its inputs reach both (see {@link #bothOutcomesSeen}).
         */
        public Outcome<T> counted() {
            net.jqwik.api.statistics.Statistics.collect(error == null ? "read" : "refused");
            return this;
        }

        @SafeVarargs
        public final T valueOrClean(Class<? extends Throwable>... clean) {
            if (error != null) {
                for (Class<? extends Throwable> c : clean) {
                    if (c.isInstance(error)) {
                        assertThat(error.getMessage()).as("a clean error has a message").isNotBlank();
                        return null;
                    }
                }
                throw new AssertionError("not a clean format error: " + error, error);
            }
            return value;
        }
    }

    /**
     * Checks, once a property's tries are done, that its generator made inputs the parser reads
     * and inputs it refuses: a generator that only makes garbage tests nothing but the refusal.
     */
    public static void bothOutcomesSeen() {
        net.jqwik.api.statistics.Statistics.coverage(c -> {
            c.check("read").percentage(p -> p > 1);
            c.check("refused").percentage(p -> p > 1);
        });
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Bounded() {
    }

    /**
     * Runs {@code parse} on its own thread, failing the test when it takes longer than
     * {@code limit} or allocates more than {@code maxBytes}.
     */
    public static <T> Outcome<T> run(Duration limit, long maxBytes, Callable<T> parse) {
        Object[] result = new Object[1];
        Throwable[] error = new Throwable[1];
        long[] allocated = new long[1];
        Thread t = Thread.ofPlatform().name("bounded-parse").start(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                result[0] = parse.call();
            } catch (Throwable e) {
                error[0] = e;
            } finally {
                allocated[0] = THREADS.getCurrentThreadAllocatedBytes() - before;
            }
        });
        try {
            t.join(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        if (t.isAlive()) {
            t.interrupt();
            fail("the parser ran longer than " + limit + " (a hang?)");
        }
        if (error[0] instanceof OutOfMemoryError) {
            fail("the parser ran out of memory", error[0]);
        }
        assertThat(allocated[0]).as("bytes allocated by the parser").isLessThanOrEqualTo(maxBytes);
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return new Outcome<>(value, error[0]);
    }
}
