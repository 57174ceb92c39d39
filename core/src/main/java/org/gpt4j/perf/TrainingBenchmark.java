package org.gpt4j.perf;

import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.Batch;
import org.gpt4j.train.TrainingStep;

/**
 * Times full training steps — the trainer's own {@link TrainingStep}: zero the gradients, forward
 * with loss, backward, global-norm clipping, AdamW — of a GPT with random weights on random
 * tokens, after warm-up steps that let the JIT compile. The same step as PyTorch's reference in
 * {@code bench/side_by_side.py}.
 */
public final class TrainingBenchmark {

    /** Warm-up lasts at least this long. */
    static final long WARMUP_NANOS = 5_000_000_000L;

    /** What one run measured. {@code mfu}: model FLOPs utilisation against the peak used. */
    public record Result(double tokensPerSecond, double msPerStep, double mfu) {
    }

    private final Gpt gpt;
    private final int batch;
    private final int length;
    private final List<Batch> microBatches;
    private final TrainingStep trainingStep;
    private long step;

    public TrainingBenchmark(GptConfig config, int batch, int length, long seed) {
        if (batch <= 0 || length <= 0 || length > config.nPositions()) {
            throw new IllegalArgumentException("batch must be positive and sequence length in [1, n_positions = "
                    + config.nPositions() + "], got B=" + batch + ", T=" + length);
        }
        this.gpt = GptInit.randomGpt(config, seed);
        this.batch = batch;
        this.length = length;
        SplittableRandom rng = new SplittableRandom(seed + 1);
        int[] tokens = rng.ints(batch * length, 0, config.vocabSize()).toArray();
        int[] targets = rng.ints(batch * length, 0, config.vocabSize()).toArray();
        this.microBatches = List.of(new Batch(tokens, targets, batch, length));
        AdamW adamw = new AdamW(gpt.parameters(), 0.9, 0.95, AdamW.DEFAULT_EPS, 0.1);
        this.trainingStep = new TrainingStep(gpt, adamw, 1.0);
    }

    /** One optimisation step; returns the loss before the update. */
    public float step() {
        return (float) trainingStep.run(microBatches, 3e-4, step++).loss();
    }

    /**
     * At least {@code warmup} untimed steps, and more until {@link #WARMUP_NANOS} have passed (the
     * JIT compiles the vector kernels only after many calls), then the mean over {@code steps}
     * timed ones.
     */
    public Result run(int warmup, int steps, double peakFlops) {
        long warmStart = System.nanoTime();
        for (int i = 0; i < warmup || (System.nanoTime() - warmStart < WARMUP_NANOS && i < 100); i++) {
            step();
        }
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double tokensPerSecond = (double) batch * length * steps / seconds;
        double mfu = tokensPerSecond * flopsPerToken(gpt.config(), length) / peakFlops;
        return new Result(tokensPerSecond, seconds * 1000 / steps, mfu);
    }

    /**
     * Training FLOPs per token as nanoGPT and PaLM count them: 6 per weight that multiplies an
     * activation (the tied unembedding included, positions not) plus 12 L C T for attention.
     */
    public static double flopsPerToken(GptConfig config, int length) {
        long n = 0;
        for (ParameterSpec spec : org.gpt4j.model.ParameterLayout.of(config).specs()) {
            if (!spec.name().equals("wpe.weight")) {
                n += spec.count();
            }
        }
        return 6.0 * n + 12.0 * config.nLayer() * config.nEmbd() * length;
    }
}
