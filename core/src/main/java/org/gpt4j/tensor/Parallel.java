package org.gpt4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The one thread pool every kernel shares, sized to the machine's cores. Work is split into
 * disjoint index ranges so that each output element is written by exactly one thread: results
 * never depend on scheduling.
 */
public final class Parallel {

    private static final int THREADS = Math.max(1, Integer.getInteger("gpt4j.threads",
            Runtime.getRuntime().availableProcessors()));

    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS,
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("gpt4j-kernel-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            }, null, false);

    /** Work items below this many multiply-adds run on the calling thread: forking costs more. */
    private static final long MIN_PARALLEL_WORK = 1 << 15;

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
        if (n <= 0) {
            return;
        }
        if (THREADS == 1 || n == 1 || (long) n * workPerItem < MIN_PARALLEL_WORK
                || ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, THREADS * 4);
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int start = (int) ((long) n * c / chunks);
            int end = (int) ((long) n * (c + 1) / chunks);
            tasks.add(ForkJoinTask.adapt(() -> body.run(start, end)));
        }
        POOL.invoke(new ForkJoinTask<Void>() {
            @Override
            public Void getRawResult() {
                return null;
            }

            @Override
            protected void setRawResult(Void value) {
            }

            @Override
            protected boolean exec() {
                ForkJoinTask.invokeAll(tasks);
                return true;
            }
        });
    }
}
