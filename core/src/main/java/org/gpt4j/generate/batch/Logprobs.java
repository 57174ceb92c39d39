package org.gpt4j.generate.batch;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.tensor.SoftmaxKernel;
import org.gpt4j.tokenizer.Tokenizer;

/** Log-probabilities under the model's raw next-token logits, and the most likely alternatives. */
final class Logprobs {

    private final Tokenizer tokenizer;

    Logprobs(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Token {@code id} with its log-probability in {@code logits[from .. from+v)} and the {@code top} best. */
    TokenLogprob of(int id, float[] logits, int from, int v, int top) {
        double lse = SoftmaxKernel.logSumExp(logits, from, v);
        return new TokenLogprob(id, tokenizer.tokenText(id), tokenizer.tokenBytes(id), (float) (logits[from + id] - lse),
                alternatives(logits, from, v, top, lse));
    }

    /** A token without a log-probability (none was asked for, or the prompt's first token). */
    TokenLogprob bare(int id) {
        return new TokenLogprob(id, tokenizer.tokenText(id), tokenizer.tokenBytes(id), Float.NaN, List.of());
    }

    private List<TokenLogprob.Alternative> alternatives(float[] logits, int from, int v, int top, double lse) {
        if (top <= 0) {
            return List.of();
        }
        // The best `top` ids, kept sorted by insertion: top is at most 20, V passes once.
        int[] best = new int[Math.min(top, v)];
        int size = 0;
        for (int i = 0; i < v; i++) {
            float s = logits[from + i];
            if (size == best.length && s <= logits[from + best[size - 1]]) {
                continue;
            }
            int at = size < best.length ? size++ : size - 1;
            while (at > 0 && logits[from + best[at - 1]] < s) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        List<TokenLogprob.Alternative> out = new ArrayList<>(size);
        for (int k = 0; k < size; k++) {
            int id = best[k];
            out.add(new TokenLogprob.Alternative(id, tokenizer.tokenText(id), tokenizer.tokenBytes(id),
                    (float) (logits[from + id] - lse)));
        }
        return out;
    }
}
