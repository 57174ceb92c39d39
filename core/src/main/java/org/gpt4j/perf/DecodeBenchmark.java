package org.gpt4j.perf;

import java.util.SplittableRandom;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.KvCache;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.WeightFormat;

/**
 * Times generation with a KV cache at batch 1: the prefill of a random prompt in one forward,
 * then greedy decoding one token per forward, through {@link Gpt#forwardLast(int[], int, int, KvCache)} (logits of the last position only, as the generator asks).
 * Repeats after warm-up and reports the median of each figure.
 */
public final class DecodeBenchmark {

    /**
     * Milliseconds to prefill the prompt; new tokens per second after it; the bytes of weights
     * each decoded token reads ({@link #weightBytesPerToken}).
     */
    public record Result(double prefillMs, double decodeTokensPerSecond, long weightBytesPerToken) {

        /**
         * The share of {@code bandwidthBytesPerSecond} (a measured memory bandwidth) that decoding
         * spends streaming weights: weight bytes per token x tokens per second over it.
         */
        public double bandwidthUtilisation(double bandwidthBytesPerSecond) {
            return weightBytesPerToken * decodeTokensPerSecond / bandwidthBytesPerSecond;
        }
    }

    private final Gpt gpt;
    private final KvCache cache;
    private final int[] prompt;
    private final int newTokens;
    private final int[] next = new int[1];

    public DecodeBenchmark(GptConfig config, int promptLength, int newTokens, long seed) {
        this(config, WeightFormat.F32, promptLength, newTokens, seed);
    }

    /** As above, with the weight matrices read in {@code weights} (f32, bf16 or int8). */
    public DecodeBenchmark(GptConfig config, WeightFormat weights, int promptLength, int newTokens, long seed) {
        if (promptLength <= 0 || newTokens <= 0 || promptLength + newTokens > config.nPositions()) {
            throw new IllegalArgumentException("prompt and new tokens must be positive and fit the context (n_positions = "
                    + config.nPositions() + "), got " + promptLength + " + " + newTokens);
        }
        this.gpt = new Gpt(config, GptInit.gpt2(config, seed).compacted(weights));
        this.cache = new KvCache(config, 1, promptLength + newTokens);
        this.prompt = new SplittableRandom(seed + 1).ints(promptLength, 0, config.vocabSize()).toArray();
        this.newTokens = newTokens;
    }

    /** One prefill and decode; {@code times[0]} = prefill ns, {@code times[1]} = decode ns. */
    private void once(long[] times) {
        cache.clear();
        long t0 = System.nanoTime();
        ForwardResult r = gpt.forwardLast(prompt, 1, prompt.length, cache);
        next[0] = argmaxLast(r);
        long t1 = System.nanoTime();
        for (int i = 0; i < newTokens; i++) {
            next[0] = argmaxLast(gpt.forwardLast(next, 1, 1, cache));
        }
        long t2 = System.nanoTime();
        times[0] = t1 - t0;
        times[1] = t2 - t1;
    }

    /** At least {@code warmup} untimed runs, and more for the first seconds; then the medians. */
    public Result run(int warmup, int repeats) {
        long[] times = new long[2];
        long warmStart = System.nanoTime();
        for (int i = 0; i < warmup || (System.nanoTime() - warmStart < TrainingBenchmark.WARMUP_NANOS && i < 20); i++) {
            once(times);
        }
        double[] prefill = new double[repeats];
        double[] decode = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            once(times);
            prefill[i] = times[0] / 1e6;
            decode[i] = newTokens / (times[1] / 1e9);
        }
        return new Result(median(prefill), median(decode), weightBytesPerToken(gpt.parameters()));
    }

    /**
     * Bytes of weights one decoding step streams from memory: every weight matrix once — the
     * blocks' {@code c_attn}, {@code c_proj}, {@code c_fc} and MLP {@code c_proj}, and {@code wte},
     * which the tied unembedding reads whole for the last position's logits — as stored: 4 bytes
     * a weight in f32, 2 in bf16, 1 in int8 plus its float scales. Left out: biases, LayerNorms
     * and the one row of {@code wte} and {@code wpe} the embedding reads (a fraction of a percent),
     * and the KV cache, which grows with the position (GPT-2's is 3% of its f32 weights at 192
     * tokens) and is often still in the cache from the step before.
     */
    public static long weightBytesPerToken(Parameters parameters) {
        long bytes = 0;
        for (ParameterSpec s : parameters.specs()) {
            if (Parameters.isWeightMatrix(s)) {
                CompactMatrix compact = parameters.compactData(s.name());
                bytes += compact != null ? compact.bytes() : (long) Float.BYTES * s.count();
            }
        }
        return bytes;
    }

    private static int argmaxLast(ForwardResult r) {
        int v = r.vocabSize();
        int o = (r.length() - 1) * v;
        float[] logits = r.logits();
        int best = 0;
        for (int i = 1; i < v; i++) {
            if (logits[o + i] > logits[o + best]) {
                best = i;
            }
        }
        return best;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
