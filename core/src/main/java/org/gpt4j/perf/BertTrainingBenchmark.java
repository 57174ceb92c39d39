package org.gpt4j.perf;

import java.util.SplittableRandom;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInit;
import org.gpt4j.model.BertInput;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.GradientClipping;

/**
 * Times BERT pre-training steps (forward, MLM + NSP loss, backward, clipping, AdamW) on random
 * weights and tokens, with 15% of the positions labelled for the MLM as BERT masks them: the
 * figure {@code bench train --arch bert} prints beside GPT's {@link TrainingBenchmark}.
 */
public final class BertTrainingBenchmark {

    private final Bert bert;
    private final AdamW adamw;
    private final BertInput input;
    private final int[] mlmLabels;
    private final int[] nspLabels;
    private long step;

    public BertTrainingBenchmark(BertConfig config, int batch, int length, long seed) {
        if (batch <= 0 || length <= 0 || length > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("batch must be positive and sequence length in [1, max_position_embeddings = "
                    + config.maxPositionEmbeddings() + "], got B=" + batch + ", T=" + length);
        }
        this.bert = BertInit.randomBert(config, seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        int n = batch * length;
        int[] tokens = rng.ints(n, 0, config.vocabSize()).toArray();
        int[] types = new int[n];
        mlmLabels = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = i % length >= length / 2 ? 1 : 0;
            mlmLabels[i] = rng.nextDouble() < 0.15 ? rng.nextInt(config.vocabSize()) : Bert.IGNORE;
        }
        nspLabels = rng.ints(batch, 0, 2).toArray();
        this.input = new BertInput(batch, length, tokens, types, null);
        this.adamw = new AdamW(bert.parameters(), 0.9, 0.999, AdamW.DEFAULT_EPS, 0.01);
    }

    /** One optimisation step; returns the loss before the update. */
    public float step() {
        bert.parameters().zeroGrad();
        bert.setForwardCount(step++);
        float loss = bert.forward(input, mlmLabels, nspLabels).loss();
        bert.backward();
        GradientClipping.clip(bert.parameters(), 1.0);
        adamw.step(1e-4);
        return loss;
    }

    /** As {@link TrainingBenchmark#run}: warm-up (at least 5 s of it), then the mean over {@code steps}. */
    public TrainingBenchmark.Result run(int warmup, int steps, double peakFlops) {
        long warmStart = System.nanoTime();
        for (int i = 0; i < warmup || (System.nanoTime() - warmStart < TrainingBenchmark.WARMUP_NANOS && i < 100); i++) {
            step();
        }
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double tokensPerSecond = (double) input.batch() * input.length() * steps / seconds;
        double mfu = tokensPerSecond * flopsPerToken(bert.config(), input.length()) / peakFlops;
        return new TrainingBenchmark.Result(tokensPerSecond, seconds * 1000 / steps, mfu);
    }

    /**
     * Training FLOPs per token: 6 per weight of the encoder blocks and the pooler, 12 L C T for
     * attention, and the MLM head's transform and tied decoder at the 15% of positions it runs on.
     */
    public static double flopsPerToken(BertConfig c, int length) {
        long h = c.hiddenSize();
        long blocks = (long) c.numHiddenLayers() * (4 * h * h + 2 * h * c.intermediateSize());
        return 6.0 * blocks + 12.0 * c.numHiddenLayers() * h * length + 0.15 * 6.0 * (h * h + h * c.vocabSize());
    }
}
