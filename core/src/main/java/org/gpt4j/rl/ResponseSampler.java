package org.gpt4j.rl;

import java.util.List;
import java.util.random.RandomGenerator;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.KvCache;
import org.gpt4j.tensor.CategoricalKernels;

/**
 * Samples PPO's responses: {@code n} tokens after each prompt drawn from the policy's own
 * distribution (temperature 1, no top-k / top-p, so the probabilities PPO's ratio assumes are the
 * ones sampled from). Each prompt is prefilled into its own KV cache, then the whole batch decodes
 * one token per step through the same incremental path as generation ({@link Gpt#decode}), each
 * row at its own position. An end-of-text is a token like any other: every response has n tokens.
 * Draws from {@code rng} in a fixed order (row by row, step by step), so a seed repeats a batch.
 */
public final class ResponseSampler {

    private ResponseSampler() {
    }

    /** {@code [prompts][n]} sampled token ids. */
    public static int[][] sample(Gpt gpt, List<int[]> prompts, int n, RandomGenerator rng) {
        int b = prompts.size();
        int v = gpt.config().vocabSize();
        gpt.setTraining(false, 0);
        KvCache[] caches = new KvCache[b];
        float[] logits = new float[b * v];
        for (int i = 0; i < b; i++) {
            int[] p = prompts.get(i);
            if (p.length + n > gpt.config().nPositions()) {
                throw new IllegalArgumentException("a prompt of " + p.length + " tokens and " + n
                        + " response tokens exceed the context of " + gpt.config().nPositions());
            }
            caches[i] = new KvCache(gpt.config(), 1, p.length + n);
            ForwardResult r = gpt.forwardLast(p, 1, p.length, caches[i]);
            System.arraycopy(r.logits(), 0, logits, i * v, v);
        }
        int[][] out = new int[b][n];
        float[] logp = new float[b * v];
        float[] entropy = new float[b];
        int[] step = new int[b];
        for (int j = 0; j < n; j++) {
            CategoricalKernels.forward(logp, entropy, logits, b, v);
            for (int i = 0; i < b; i++) {
                int token = draw(logp, i * v, v, rng.nextDouble());
                out[i][j] = token;
                step[i] = token;
            }
            if (j + 1 < n) {
                ForwardResult r = gpt.decode(step, caches);
                System.arraycopy(r.logits(), 0, logits, 0, b * v);
            }
        }
        return out;
    }

    /** The token whose cumulative probability first exceeds u (inverse transform sampling). */
    static int draw(float[] logp, int offset, int v, double u) {
        double cumulative = 0;
        int last = 0;
        for (int j = 0; j < v; j++) {
            double p = Math.exp(logp[offset + j]);
            if (p > 0) {
                last = j;
            }
            cumulative += p;
            if (u < cumulative) {
                return j;
            }
        }
        // rounding left the total just under 1: the last token with any probability
        return last;
    }
}
