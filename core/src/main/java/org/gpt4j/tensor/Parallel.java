package org.gpt4j.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread pool every kernel shares: persistent worker threads, one per core (the caller
 * is one of them). Work is split into disjoint index ranges so that each output element is
 * written by exactly one thread: results never depend on scheduling.
 *
 * <p>A parallel region costs no allocation (beyond the caller's lambda) and wakes workers that
 * spin briefly between regions, so the hundred small regions of one decoding step stay cheap.
 * A region started while another runs (another thread, or a kernel inside a kernel) runs
 * serially on its caller.
 */
public final class Parallel {

    private static final int THREADS = Math.max(1, Integer.getInteger("gpt4j.threads",
            Runtime.getRuntime().availableProcessors()));

    /** Work items below this many multiply-adds run on the calling thread: waking costs more. */
    private static final long MIN_PARALLEL_WORK = 1 << 14;

    /** How long an idle worker spins before parking, in nanoseconds. */
    private static final long SPIN_NANOS = 50_000;

    private static final AtomicInteger BUSY = new AtomicInteger();
    /** The region's generation (high 32 bits) and the next unclaimed chunk (low 32 bits). */
    private static final AtomicLong CLAIM = new AtomicLong();
    private static final AtomicInteger FINISHED = new AtomicInteger();
    private static volatile int generation;
    private static volatile RangeBody body;
    private static volatile int items;
    private static volatile int chunks;
    private static volatile Throwable failure;
    private static final Worker[] WORKERS = new Worker[THREADS - 1];

    static {
        for (int i = 0; i < WORKERS.length; i++) {
            WORKERS[i] = new Worker(i + 1);
            WORKERS[i].start();
        }
    }

    private Parallel() {
    }

    /** A body over the half-open range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over [0, n) split into contiguous chunks. {@code workPerItem} estimates
     * the cost of one index so tiny loops stay serial.
     */
    public static void forRange(int n, long workPerItem, RangeBody body) {
        forChunks(n, Math.min(n, THREADS * 4), workPerItem, body);
    }

    /**
     * Runs {@code body} once per chunk index in [0, count): each call gets one index
     * ({@code end = start + 1}). For callers that partition work themselves (2-D tiles).
     */
    public static void forEach(int count, long workPerItem, RangeBody body) {
        forChunks(count, count, workPerItem, body);
    }

    private static void forChunks(int n, int chunkCount, long workPerItem, RangeBody task) {
        if (n <= 0) {
            return;
        }
        if (THREADS == 1 || n == 1 || (long) n * workPerItem < MIN_PARALLEL_WORK
                || Thread.currentThread() instanceof Worker || !BUSY.compareAndSet(0, 1)) {
            task.run(0, n);
            return;
        }
        try {
            body = task;
            items = n;
            chunks = chunkCount;
            failure = null;
            FINISHED.set(0);
            int gen = generation + 1;
            CLAIM.set((long) gen << 32);
            generation = gen;
            for (Worker w : WORKERS) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            runChunks(gen);
            int spins = 0;
            while (FINISHED.get() < chunkCount) {
                if (++spins > 1000) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            // Close the region: a late worker can no longer claim a chunk of it.
            CLAIM.set(((long) gen << 32) | Integer.MAX_VALUE);
            body = null;
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        } finally {
            BUSY.set(0);
        }
    }

    private static void runChunks(int gen) {
        RangeBody task = body;
        int n = items;
        int count = chunks;
        while (true) {
            long v = CLAIM.get();
            int c = (int) v;
            if ((int) (v >>> 32) != gen || c >= count) {
                return;
            }
            if (!CLAIM.compareAndSet(v, v + 1)) {
                continue;
            }
            try {
                int start = (int) ((long) n * c / count);
                int end = (int) ((long) n * (c + 1) / count);
                task.run(start, end);
            } catch (Throwable t) {
                failure = t;
            } finally {
                FINISHED.incrementAndGet();
            }
        }
    }

    private static final class Worker extends Thread {

        volatile boolean parked;

        Worker(int index) {
            super("gpt4j-kernel-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (generation == seen) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (generation == seen) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                seen = generation;
                runChunks(seen);
            }
        }
    }
}
