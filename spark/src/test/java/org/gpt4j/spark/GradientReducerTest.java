package org.gpt4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.Batch;
import org.gpt4j.train.TrainingStep;
import org.junit.jupiter.api.Test;

/**
 * The gradient buckets over a real ring on localhost (each replica a thread): the sums, their bits
 * whatever the timing, communication that starts before the backward ends, and a broken ring.
 */
class GradientReducerTest {

    private static final GptConfig CONFIG = GptConfig.gpt2(3, 2, 32, 16, 50);
    /** Small buckets, so that a three-block model has several. */
    private static final int BUCKET = 3_000;

    @Test
    void bucketsAreCutAtTensorsInBackwardOrder() {
        Parameters p = gradients(0);
        assertThat(new GradientReducer(singleRing(), 1, true).bucketCount(p)).as("a tensor each").isEqualTo(40);
        assertThat(new GradientReducer(singleRing(), 1 << 30, true).bucketCount(p)).as("all in one").isEqualTo(1);
        // From the end: ln_f (64 floats) + h.2's MLP output projection (4,128) make the first
        // bucket of 4,192; then 4,224 and 4,288, and so on through each block; the embeddings
        // (wpe 512 + wte 1,600) are too small for a bucket of their own and close the last, with
        // h.0's ln_1 (2,176 floats).
        assertThat(new GradientReducer(singleRing(), 4_192, true).bucketCount(p)).isEqualTo(10);
    }

    @Test
    void theSumHasTheSameBitsWhetherGradientsAreToldDuringTheBackwardOrNot() throws Exception {
        int size = 3;
        Parameters[] told = new Parameters[size];
        Parameters[] notTold = new Parameters[size];
        for (int r = 0; r < size; r++) {
            told[r] = gradients(r);
            notTold[r] = gradients(r);
        }
        // Replicas 0 and 1 tell their gradients as a backward finishes them; replica 2 tells
        // nothing, as a replica whose loss was not finite: the ring must still carry the same sums.
        double[] losses = onRing(size, true, (reducer, rank) -> {
            if (rank < 2) {
                backwardOrder(reducer, told[rank]);
            }
            return reducer.sum(told[rank], rank + 0.5);
        });
        onRing(size, false, (reducer, rank) -> {
            backwardOrder(reducer, notTold[rank]);   // ignored without overlap
            return reducer.sum(notTold[rank], 0);
        });
        assertThat(losses).containsExactly(4.5, 4.5, 4.5);
        for (ParameterSpec s : told[0].specs()) {
            float[] expected = new float[(int) s.count()];
            for (int r = 0; r < size; r++) {
                float[] own = gradients(r).grad(s.name());
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += own[i];
                }
            }
            for (int r = 0; r < size; r++) {
                assertThat(java.util.Arrays.equals(told[r].grad(s.name()), told[0].grad(s.name())))
                        .as("replica %d holds replica 0's bits of %s", r, s.name()).isTrue();
                assertThat(java.util.Arrays.equals(notTold[r].grad(s.name()), told[0].grad(s.name())))
                        .as("without overlap, replica %d has the same bits of %s", r, s.name()).isTrue();
            }
            float[] got = told[0].grad(s.name());
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).as("%s[%d]", s.name(), i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void theFirstBucketIsOnTheRingBeforeTheBackwardEnds() throws Exception {
        Parameters[] p = {gradients(0), gradients(1)};
        onRing(2, true, (reducer, rank) -> {
            List<ParameterSpec> specs = p[rank].specs();
            // The final LayerNorm and the last block: the first bucket.
            reducer.gradientsFinished(p[rank], specs.subList(specs.size() - 14, specs.size()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reducer.stats().bytesSent() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("replica " + rank + ": nothing sent before sum()");
                }
                Thread.sleep(1);
            }
            reducer.gradientsFinished(p[rank], specs.subList(0, specs.size() - 14));
            return reducer.sum(p[rank], 1);
        });
    }

    @Test
    void aNeighbourGoneInTheMiddleOfAStepFailsTheSumInsteadOfHangingIt() throws Exception {
        List<RingAllReduce> ring = LoopbackRing.join(2, 30_000);
        Parameters p = gradients(0);
        try (GradientReducer reducer = new GradientReducer(ring.get(0), BUCKET, true)) {
            ring.get(1).close();
            backwardOrder(reducer, p);
            assertThatThrownBy(() -> reducer.sum(p, 1)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("replica 0 of 2: the gradient allreduce failed");
        } finally {
            ring.get(0).close();
        }
    }

    /**
     * Through {@link TrainingStep}: two replicas of two micro-batches each take the step of one
     * process with all four, while their buckets are summed during the second backward (were they
     * told during the first, the second micro-batch's gradients would miss the sum).
     */
    @Test
    void trainingStepsOnTwoReplicasMatchOneProcessAccumulatingTheirMicroBatches() throws Exception {
        SplittableRandom rng = new SplittableRandom(9);
        List<Batch> batches = new ArrayList<>();
        for (int m = 0; m < 4; m++) {
            batches.add(new Batch(rng.ints(2 * 16, 0, 50).toArray(), rng.ints(2 * 16, 0, 50).toArray(), 2, 16));
        }
        Gpt alone = GptInit.randomGpt(CONFIG, 3);
        TrainingStep.Result one = new TrainingStep(alone, adamw(alone), 1.0).run(batches, 1e-3, 0);

        Gpt[] replicas = {GptInit.randomGpt(CONFIG, 3), GptInit.randomGpt(CONFIG, 3)};
        double[] losses = onRing(2, true, (reducer, rank) -> {
            Gpt gpt = replicas[rank];
            return new TrainingStep(gpt, adamw(gpt), 1.0, reducer)
                    .run(batches.subList(2 * rank, 2 * rank + 2), 1e-3, 2L * rank).loss();
        });
        assertThat(losses[0]).isCloseTo(one.loss(), org.assertj.core.data.Percentage.withPercentage(1e-4));
        for (ParameterSpec s : alone.parameters().specs()) {
            float[] expected = alone.parameters().data(s.name());
            float[] got = replicas[0].parameters().data(s.name());
            assertThat(java.util.Arrays.equals(got, replicas[1].parameters().data(s.name()))).as(s.name()).isTrue();
            for (int i = 0; i < expected.length; i++) {
                assertThat(got[i]).as("%s[%d]", s.name(), i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    private static AdamW adamw(Gpt gpt) {
        return new AdamW(gpt.parameters(), 0.9, 0.99, AdamW.DEFAULT_EPS, 0.1);
    }

    /** Tells the gradients as a GPT's backward finishes them: ln_f, blocks from the last, embeddings. */
    private static void backwardOrder(GradientReducer reducer, Parameters p) {
        reducer.gradientsFinished(p, ParameterLayout.finalNorm(CONFIG));
        for (int l = CONFIG.nLayer() - 1; l >= 0; l--) {
            reducer.gradientsFinished(p, ParameterLayout.block(CONFIG, l));
        }
        reducer.gradientsFinished(p, ParameterLayout.embeddings(CONFIG));
    }

    private static Parameters gradients(int seed) {
        Parameters p = Parameters.zeros(ParameterLayout.of(CONFIG));
        SplittableRandom rng = new SplittableRandom(100 + seed);
        for (ParameterSpec s : p.specs()) {
            float[] g = p.grad(s.name());
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rng.nextGaussian();
            }
        }
        return p;
    }

    private interface Replica {
        double run(GradientReducer reducer, int rank) throws Exception;
    }

    /** Runs each replica on its own thread, joined by a loopback ring; returns what each returned. */
    private static double[] onRing(int size, boolean overlap, Replica replica) throws Exception {
        List<RingAllReduce> ring = LoopbackRing.join(size, 30_000);
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            List<Future<Double>> done = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                int rank = r;
                done.add(pool.submit((Callable<Double>) () -> {
                    try (GradientReducer reducer = new GradientReducer(ring.get(rank), BUCKET, overlap)) {
                        return replica.run(reducer, rank);
                    }
                }));
            }
            double[] out = new double[size];
            for (int r = 0; r < size; r++) {
                out[r] = done.get(r).get(60, TimeUnit.SECONDS);
            }
            return out;
        } finally {
            pool.shutdownNow();
            for (RingAllReduce r : ring) {
                r.close();
            }
        }
    }

    private static RingAllReduce singleRing() {
        try {
            return LoopbackRing.join(1, 1000).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
