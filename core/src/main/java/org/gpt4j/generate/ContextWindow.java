package org.gpt4j.generate;

import java.util.Arrays;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.KvCache;

/**
 * What the model sees of R sequences of equal length while they grow: a KV cache over at most
 * n_positions tokens, and the sliding policy when they outgrow it.
 *
 * <p><b>Policy.</b> The model reads at most n = n_positions tokens. When the visible tokens would
 * exceed n (a long prompt, or a new token at a full window), the oldest slide out so that the
 * most recent {@code n - max(1, n/4)} remain, and those are re-read from position 0 in one
 * batched pass. Sliding by a quarter window rather than one token keeps positions absolute (as
 * learned position embeddings require) without recomputing the whole window at every step; the
 * model never sees further back than its context, and always sees at least three quarters of it.
 *
 * <p>Nothing here is sized by the context window up front: the cache and the visible tokens grow
 * with the sequences (a config may declare a window far larger than any text it will read), and
 * every logit the model returns is checked to be finite.
 */
final class ContextWindow {

    private final Gpt gpt;
    private final KvCache cache;
    private final int rows;
    private final int n;
    private final int v;
    private int[][] visible;
    private int length;

    ContextWindow(Gpt gpt, int rows) {
        this.gpt = gpt;
        this.rows = rows;
        this.n = gpt.config().nPositions();
        this.v = gpt.config().vocabSize();
        this.cache = KvCache.growing(gpt.config(), rows);
        this.visible = new int[rows][Math.min(n, INITIAL_VISIBLE)];
    }

    private static final int INITIAL_VISIBLE = 64;

    /** Tokens kept after a slide in a window of n positions. */
    static int keptAfterSlide(int n) {
        return n - Math.max(1, n / 4);
    }

    /** Reads the prompts (one per row, equal lengths); returns the next-token logits {@code [R, V]}. */
    float[] prefill(int[][] prompts) {
        int p = prompts[0].length;
        int from = p > n ? p - keptAfterSlide(n) : 0;
        ensureVisible(p - from);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(prompts[r], from, visible[r], 0, p - from);
        }
        length = p - from;
        return reread();
    }

    /** Appends one token per row; returns the next-token logits {@code [R, V]}. */
    float[] append(int[] next) {
        if (length == n) {
            int keep = keptAfterSlide(n);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(visible[r], n - (keep - 1), visible[r], 0, keep - 1);
                visible[r][keep - 1] = next[r];
            }
            length = keep;
            return reread();
        }
        ensureVisible(length + 1);
        for (int r = 0; r < rows; r++) {
            visible[r][length] = next[r];
        }
        length++;
        return lastPositions(gpt.forwardLast(next.clone(), rows, 1, cache));
    }

    /** Room for {@code tokens} visible tokens per row (at most n), keeping those there. */
    private void ensureVisible(int tokens) {
        if (tokens <= visible[0].length) {
            return;
        }
        int size = (int) Math.min(n, Math.max(tokens, 2L * visible[0].length));
        for (int r = 0; r < rows; r++) {
            visible[r] = Arrays.copyOf(visible[r], size);
        }
    }

    /** Row i continues what row {@code sources[i]} was (beam search). */
    void reorder(int[] sources) {
        cache.reorder(sources);
        int[][] old = visible;
        visible = new int[rows][];
        for (int r = 0; r < rows; r++) {
            visible[r] = old[sources[r]].clone();
        }
    }

    /** The tokens the model currently sees in row r. */
    int[] visible(int r) {
        return Arrays.copyOf(visible[r], length);
    }

    private float[] reread() {
        cache.clear();
        int[] tokens = new int[rows * length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(visible[r], 0, tokens, r * length, length);
        }
        return lastPositions(gpt.forwardLast(tokens, rows, length, cache));
    }

    private float[] lastPositions(ForwardResult result) {
        int t = result.length();
        float[] out = new float[rows * v];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(result.logits(), (r * t + t - 1) * v, out, r * v, v);
        }
        NonFiniteLogitsException.check(out, v);
        return out;
    }
}
