package org.gpt4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.Batch;
import org.gpt4j.train.ReplicaGroup;
import org.gpt4j.train.TokenDataset;
import org.gpt4j.train.TokenSequence;
import org.gpt4j.train.TrainingStep;

/**
 * The measurements behind the README's weak-scaling model, without Spark in the way: for a model
 * shape and a per-worker batch, the step time of one replica alone, the step time of two replicas
 * (threads of this JVM, one core each with {@code -Dgpt4j.threads=1}) joined by the
 * {@link RingAllReduce} over loopback TCP with the gradients summed while the backward goes on
 * and (for comparison) after it, how long each step waited for the allreduce after its backward,
 * the allreduce alone (bytes sent per replica, seconds; median of repeats), and the ring's
 * latency (a one-float allreduce).
 *
 * <p>Usage: {@code java -Dgpt4j.threads=1 -cp gpt4j-spark.jar org.gpt4j.spark.ScalingBenchmark
 * LAYERS HEADS EMBD CONTEXT BATCH [VOCAB] [STEPS] [BUCKET_MB]}. Run it under an emulated network
 * (Linux {@code tc qdisc add dev lo root tbf rate 1gbit burst 1mb latency 100ms}) to see what
 * the overlap hides when bytes take time on the wire, not only the CPU's.
 */
public final class ScalingBenchmark {

    private static final int WARMUP = 2;

    private ScalingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ScalingBenchmark LAYERS HEADS EMBD CONTEXT BATCH [VOCAB] [STEPS] [BUCKET_MB]");
            System.exit(2);
        }
        int[] a = Arrays.stream(args).limit(7).mapToInt(Integer::parseInt).toArray();
        GptConfig config = GptConfig.gpt2(a[0], a[1], a[2], a[3], a.length > 5 ? a[5] : 65);
        int batch = a[4];
        int steps = a.length > 6 ? a[6] : 5;
        int bucketFloats = args.length > 7 ? (int) Math.round(Double.parseDouble(args[7]) * (1 << 20) / Float.BYTES)
                : GradientReducer.DEFAULT_BUCKET_FLOATS;
        TokenDataset data = syntheticData(config.vocabSize(), 200_000);

        double oneWorker = median(stepTimes(config, data, batch, steps, List.of(ReplicaGroup.SINGLE)).get(0).seconds());
        List<RingAllReduce> ring = LoopbackRing.join(2, 600_000);
        List<GradientReducer> overlapping = reducers(ring, bucketFloats, true);
        List<GradientReducer> after = reducers(ring, bucketFloats, false);
        List<Steps> two = stepTimes(config, data, batch, steps, List.copyOf(overlapping));
        List<Steps> twoAfter = stepTimes(config, data, batch, steps, List.copyOf(after));
        double[] timed = allReduceTimes(config, after, 10);
        long bytes = Math.round(timed[timed.length - 1]);
        double[] allReduce = Arrays.copyOf(timed, timed.length - 1);
        double latency = latency(ring, 200);
        int buckets = overlapping.get(0).bucketCount(GptInit.randomGpt(config, 1).parameters());
        for (int r = 0; r < ring.size(); r++) {
            overlapping.get(r).close();
            after.get(r).close();
            ring.get(r).close();
        }
        long params = GptInit.randomGpt(config, 1).parameters().specs().stream().mapToLong(s -> s.count()).sum();
        System.out.printf(Locale.ROOT, "{\"model\": \"%d/%d/%d\", \"context\": %d, \"batch\": %d, \"parameters\": %d,"
                + " \"gradient_bytes\": %d, \"buckets\": %d, \"step_seconds_1_worker\": %.4f,"
                + " \"step_seconds_2_workers\": %.4f, \"step_seconds_2_workers_no_overlap\": %.4f,"
                + " \"allreduce_hidden_seconds_per_step\": %.5f,"
                + " \"allreduce_wait_seconds_per_step\": %.5f, \"allreduce_wait_seconds_per_step_no_overlap\": %.5f,"
                + " \"allreduce_bytes_sent_per_replica\": %d, \"allreduce_seconds\": %.5f,"
                + " \"allreduce_latency_seconds\": %.6f, \"loopback_bytes_per_second\": %.3e}%n",
                a[0], a[1], a[2], a[3], batch, params, params * 4, buckets, oneWorker, slowest(two), slowest(twoAfter),
                hiddenPerStep(two), waitedPerStep(two), waitedPerStep(twoAfter), bytes, median(allReduce), latency,
                bytes / Math.max(1e-9, median(allReduce) - latency));
    }

    private static List<GradientReducer> reducers(List<RingAllReduce> ring, int bucketFloats, boolean overlap) {
        return ring.stream().map(r -> new GradientReducer(r, bucketFloats, overlap)).toList();
    }

    /** The slower replica's median step. */
    private static double slowest(List<Steps> replicas) {
        return replicas.stream().mapToDouble(r -> median(r.seconds())).max().orElse(0);
    }

    /** Seconds per step the replicas waited in the allreduce after their backward (the longer wait). */
    private static double waitedPerStep(List<Steps> replicas) {
        return replicas.stream().mapToDouble(Steps::waited).max().orElse(0);
    }

    /** Seconds per step of allreduce over before the backward ended (the less hidden replica). */
    private static double hiddenPerStep(List<Steps> replicas) {
        return replicas.stream().mapToDouble(Steps::hidden).min().orElse(0);
    }

    /**
     * One replica's step times (seconds, after warm-up), and per step the seconds of allreduce
     * over before its backward ended and the seconds it waited for the allreduce after it.
     */
    private record Steps(double[] seconds, double hidden, double waited) {
    }

    /** Each replica's steps, all replicas stepping together. */
    private static List<Steps> stepTimes(GptConfig config, TokenDataset data, int batch, int steps,
            List<ReplicaGroup> groups) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(groups.size());
        try {
            List<Future<Steps>> futures = new ArrayList<>();
            for (ReplicaGroup g : groups) {
                futures.add(pool.submit((Callable<Steps>) () -> {
                    Gpt gpt = GptInit.randomGpt(config, 1);
                    AdamW adamw = new AdamW(gpt.parameters(), 0.9, 0.99, AdamW.DEFAULT_EPS, 0.1);
                    TrainingStep step = new TrainingStep(gpt, adamw, 1.0, g);
                    gpt.setTraining(true, 1);
                    double[] t = new double[steps];
                    GradientReducer.Stats before = null;
                    for (int s = -WARMUP; s < steps; s++) {
                        if (s == 0) {
                            before = stats(g);
                        }
                        Batch b = data.trainBatch(1, s + WARMUP + 1, g.rank(), batch, config.nPositions());
                        long t0 = System.nanoTime();
                        step.run(List.of(b), 1e-4, 0);
                        if (s >= 0) {
                            t[s] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                    GradientReducer.Stats after = stats(g);
                    return new Steps(t, (after.hiddenNanos() - before.hiddenNanos()) / 1e9 / steps,
                            (after.waitNanos() - before.waitNanos()) / 1e9 / steps);
                }));
            }
            List<Steps> out = new ArrayList<>();
            for (Future<Steps> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static GradientReducer.Stats stats(ReplicaGroup g) {
        return g instanceof GradientReducer r ? r.stats() : new GradientReducer.Stats(0, 0, 0, 0, 0);
    }

    /**
     * The allreduce of the model's gradients alone, every replica ready: seconds per call, and the
     * bytes replica 0 sent per call.
     */
    private static double[] allReduceTimes(GptConfig config, List<GradientReducer> group, int repeats) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(group.size());
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (GradientReducer r : group) {
                futures.add(pool.submit((Callable<double[]>) () -> {
                    Gpt gpt = GptInit.randomGpt(config, 1);
                    double[] t = new double[repeats + 1];
                    long bytesBefore = 0;
                    for (int k = -WARMUP; k < repeats; k++) {
                        if (k == 0) {
                            bytesBefore = r.stats().bytesSent();
                        }
                        long t0 = System.nanoTime();
                        r.sum(gpt.parameters(), 1.0);
                        if (k >= 0) {
                            t[k] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                    t[repeats] = (double) (r.stats().bytesSent() - bytesBefore) / repeats;
                    return t;
                }));
            }
            double[] first = futures.get(0).get();
            for (int i = 1; i < futures.size(); i++) {
                futures.get(i).get();
            }
            return first;
        } finally {
            pool.shutdown();
        }
    }

    /** The time of one tiny allreduce (2(N-1) ring steps of one float and one double): the ring's latency. */
    private static double latency(List<RingAllReduce> ring, int repeats) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(ring.size());
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (RingAllReduce r : ring) {
                futures.add(pool.submit((Callable<double[]>) () -> {
                    float[] x = new float[2];
                    double[] t = new double[repeats];
                    for (int k = 0; k < repeats; k++) {
                        long t0 = System.nanoTime();
                        r.allReduce(x, x.length);
                        t[k] = (System.nanoTime() - t0) / 1e9;
                    }
                    return t;
                }));
            }
            double[] first = futures.get(0).get();
            futures.get(1).get();
            return median(first);
        } finally {
            pool.shutdown();
        }
    }

    private static TokenDataset syntheticData(int vocab, int length) {
        SplittableRandom rng = new SplittableRandom(3);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = rng.nextInt(vocab);
        }
        return TokenDataset.of(TokenSequence.of(ids));
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
