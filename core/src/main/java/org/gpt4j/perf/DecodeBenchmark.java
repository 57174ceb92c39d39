package org.gpt4j.perf;

import java.util.SplittableRandom;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.KvCache;
import org.gpt4j.tensor.WeightFormat;

/**
 * Times generation with a KV cache at batch 1: the prefill of a random prompt in one forward,
 * then greedy decoding one token per forward, through {@link Gpt#forwardLast(int[], int, int, KvCache)} (logits of the last position only, as the generator asks).
 * Repeats after warm-up and reports the median of each figure.
 */
public final class DecodeBenchmark {

    /** Milliseconds to prefill the prompt; new tokens per second after it. */
    public record Result(double prefillMs, double decodeTokensPerSecond) {
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
        return new Result(median(prefill), median(decode));
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
