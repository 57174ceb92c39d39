package org.gpt4j.fewshot;

import java.util.Arrays;
import java.util.List;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.KvCache;
import org.gpt4j.tensor.CrossEntropyKernel;

/**
 * log p(answer | prompt) for each candidate answer, by the one forward pass with a KV cache:
 * the prompt is prefilled once, each answer's tokens but its last run after it, and the cache is
 * cut back to the prompt before the next answer. Between prompts the cache keeps the longest
 * common prefix of token ids, so a run whose questions share their demonstrations computes those
 * once (the model is causal: the keys and values of a prefix do not depend on what follows it).
 *
 * <p>Not thread-safe (it owns the model's buffers and the cache).
 */
public final class ContinuationScorer {

    private final Gpt gpt;
    private final KvCache cache;
    private int[] cached = new int[0];
    private long positions;

    public ContinuationScorer(Gpt gpt) {
        this.gpt = gpt;
        this.cache = new KvCache(gpt.config(), 1, gpt.config().nPositions());
    }

    /** The context: a prompt plus an answer minus its last token fit in this many positions. */
    public int context() {
        return cache.capacity();
    }

    /** Positions run through the model so far (what the cache saved shows against the prompts' lengths). */
    public long positions() {
        return positions;
    }

    /**
     * The log-likelihood of each answer after the prompt: the sum over its tokens of
     * log p(token | prompt, the answer's earlier tokens).
     */
    public double[] logLikelihoods(int[] prompt, List<int[]> answers) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: the first answer token needs a token before it");
        }
        int longest = 0;
        for (int[] a : answers) {
            if (a.length == 0) {
                throw new IllegalArgumentException("an answer has no tokens");
            }
            longest = Math.max(longest, a.length);
        }
        if (prompt.length + longest - 1 > cache.capacity()) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens and an answer of " + longest
                    + " exceed the context of " + cache.capacity() + " tokens");
        }
        int v = gpt.config().vocabSize();
        // Reuse the cached prefix; at least the prompt's last token runs again, for its logits.
        int keep = Math.min(commonPrefix(prompt), prompt.length - 1);
        cache.truncate(keep);
        ForwardResult last = gpt.forwardLast(Arrays.copyOfRange(prompt, keep, prompt.length), 1, prompt.length - keep, cache);
        positions += prompt.length - keep;
        cached = prompt.clone();

        double[] out = new double[answers.size()];
        float[] loss = new float[1];
        for (int i = 0; i < out.length; i++) {
            CrossEntropyKernel.forward(loss, last.logits(), new int[] {answers.get(i)[0]}, 1, v);
            out[i] = -loss[0];
        }
        // last.logits() is the model's buffer: read above, before the answers' forwards overwrite it.
        for (int i = 0; i < out.length; i++) {
            int[] a = answers.get(i);
            int m = a.length - 1;
            if (m == 0) {
                continue;
            }
            ForwardResult r = gpt.forward(Arrays.copyOf(a, m), 1, m, cache);
            positions += m;
            float[] losses = new float[m];
            CrossEntropyKernel.forward(losses, r.logits(), Arrays.copyOfRange(a, 1, a.length), m, v);
            for (float l : losses) {
                out[i] -= l;
            }
            cache.truncate(prompt.length);
        }
        return out;
    }

    private int commonPrefix(int[] prompt) {
        int n = Math.min(Math.min(cached.length, cache.length()), prompt.length);
        int i = 0;
        while (i < n && cached[i] == prompt[i]) {
            i++;
        }
        return i;
    }
}
