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
 * {@link RingAllReduce} over loopback TCP, the allreduce alone (bytes sent per replica, seconds;
 * median of repeats), and the ring's latency (a one-float allreduce).
 *
 * <p>Usage: {@code java -Dgpt4j.threads=1 -cp gpt4j-spark.jar org.gpt4j.spark.ScalingBenchmark
 * LAYERS HEADS EMBD CONTEXT BATCH [VOCAB] [STEPS]}.
 */
public final class ScalingBenchmark {

    private static final int WARMUP = 2;

    private ScalingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ScalingBenchmark LAYERS HEADS EMBD CONTEXT BATCH [VOCAB] [STEPS]");
            System.exit(2);
        }
        int[] a = Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        GptConfig config = GptConfig.gpt2(a[0], a[1], a[2], a[3], a.length > 5 ? a[5] : 65);
        int batch = a[4];
        int steps = a.length > 6 ? a[6] : 5;
        TokenDataset data = syntheticData(config.vocabSize(), 200_000);

        double oneWorker = median(stepTimes(config, data, batch, steps, List.of(ReplicaGroup.SINGLE)).get(0));
        List<RingAllReduce> ring = LoopbackRing.join(2, 600_000);
        List<double[]> two = stepTimes(config, data, batch, steps, List.copyOf(ring));
        double twoWorkers = Math.max(median(two.get(0)), median(two.get(1)));
        double[] allReduce = allReduceTimes(config, ring, 10);
        long bytes = ring.get(0).stats().bytesSent() / ring.get(0).stats().calls();
        double latency = latency(ring, 200);
        for (RingAllReduce r : ring) {
            r.close();
        }
        long params = GptInit.randomGpt(config, 1).parameters().specs().stream().mapToLong(s -> s.count()).sum();
        System.out.printf(Locale.ROOT, "{\"model\": \"%d/%d/%d\", \"context\": %d, \"batch\": %d, \"parameters\": %d,"
                + " \"gradient_bytes\": %d, \"step_seconds_1_worker\": %.4f, \"step_seconds_2_workers\": %.4f,"
                + " \"allreduce_bytes_sent_per_replica\": %d, \"allreduce_seconds\": %.5f,"
                + " \"allreduce_latency_seconds\": %.6f, \"loopback_bytes_per_second\": %.3e}%n",
                a[0], a[1], a[2], a[3], batch, params, params * 4, oneWorker, twoWorkers, bytes, median(allReduce),
                latency, bytes / Math.max(1e-9, median(allReduce) - latency));
    }

    /** Step times of each replica (seconds, after warm-up), all replicas stepping together. */
    private static List<double[]> stepTimes(GptConfig config, TokenDataset data, int batch, int steps,
            List<ReplicaGroup> groups) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(groups.size());
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (ReplicaGroup g : groups) {
                futures.add(pool.submit((Callable<double[]>) () -> {
                    Gpt gpt = GptInit.randomGpt(config, 1);
                    AdamW adamw = new AdamW(gpt.parameters(), 0.9, 0.99, AdamW.DEFAULT_EPS, 0.1);
                    TrainingStep step = new TrainingStep(gpt, adamw, 1.0, g);
                    gpt.setTraining(true, 1);
                    double[] t = new double[steps];
                    for (int s = -WARMUP; s < steps; s++) {
                        Batch b = data.trainBatch(1, s + WARMUP + 1, g.rank(), batch, config.nPositions());
                        long t0 = System.nanoTime();
                        step.run(List.of(b), 1e-4, 0);
                        if (s >= 0) {
                            t[s] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                    return t;
                }));
            }
            List<double[]> out = new ArrayList<>();
            for (Future<double[]> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /** The allreduce of the model's gradients alone, both replicas ready: seconds per call. */
    private static double[] allReduceTimes(GptConfig config, List<RingAllReduce> ring, int repeats) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(ring.size());
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (RingAllReduce r : ring) {
                futures.add(pool.submit((Callable<double[]>) () -> {
                    Gpt gpt = GptInit.randomGpt(config, 1);
                    double[] t = new double[repeats];
                    for (int k = -WARMUP; k < repeats; k++) {
                        long t0 = System.nanoTime();
                        r.sum(gpt.parameters(), 1.0);
                        if (k >= 0) {
                            t[k] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                    return t;
                }));
            }
            double[] first = futures.get(0).get();
            for (int i = 1; i < futures.size(); i++) {
                futures.get(i).get();
            }
            ring.forEach(RingAllReduce::resetStats);
            // Count the bytes of one more call, with nothing else counted.
            List<Future<?>> once = new ArrayList<>();
            for (RingAllReduce r : ring) {
                once.add(pool.submit(() -> r.sum(GptInit.randomGpt(config, 1).parameters(), 1.0)));
            }
            for (Future<?> f : once) {
                f.get();
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
