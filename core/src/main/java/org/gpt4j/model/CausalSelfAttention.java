package org.gpt4j.model;

import java.util.random.RandomGenerator;
import org.gpt4j.tensor.AttentionKernel;
import org.gpt4j.tensor.ElementwiseKernels;

/**
 * Multi-head self-attention: project to queries, keys and values ({@code c_attn}), let every
 * position attend to itself and the positions before it (causal, GPT) or to every position not
 * masked as padding (bidirectional, BERT's encoder), head by head, and project the concatenated
 * heads back ({@code c_proj}). Keeps the attention probabilities of the last forward (before
 * dropout, which when training applies to them on their way to the values).
 */
final class CausalSelfAttention {

    private final Linear cAttn;
    private final Linear cProj;
    private final int nHead;
    private final int headSize;
    private float[] qkv;
    private float[] att;
    private float[] dropMask;
    private boolean dropping;
    private final float dropout;
    private final boolean causal;
    private float[] heads;
    /** One sequence's attention output in a decoding step. */
    private float[] sequenceHeads;
    private float[] dheads;
    private float[] dqkv;

    CausalSelfAttention(Parameters params, String prefix, GptConfig config, LoraAdapters adapters) {
        this(params, prefix, config, adapters, true);
    }

    /** {@code causal} false: the bidirectional attention of an encoder (no cache). */
    CausalSelfAttention(Parameters params, String prefix, GptConfig config, LoraAdapters adapters, boolean causal) {
        this.causal = causal;
        int c = config.nEmbd();
        this.cAttn = new Linear(params, prefix + ".c_attn", c, 3 * c, adapters);
        this.cProj = new Linear(params, prefix + ".c_proj", c, c, adapters);
        this.nHead = config.nHead();
        this.headSize = config.headSize();
        this.dropout = (float) config.dropout();
    }

    /**
     * {@code rng} is non-null only when training with dropout (on the attention probabilities).
     * With {@code caches}, the new keys and values are appended to them for {@code layer} and the
     * T queries attend to every cached position before them: either one cache holds all B
     * sequences at one length, or (a decoding step, T = 1) cache i holds sequence i alone, at its
     * own length. {@code keyBias [B, T]} (bidirectional only, or null) is added to the scores:
     * {@link AttentionKernel#PADDING_BIAS} at padding.
     */
    void forward(float[] y, float[] x, int b, int t, RandomGenerator rng, KvCache[] caches, int layer,
                 float[] keyBias) {
        if (!causal && caches != null) {
            throw new IllegalArgumentException("bidirectional attention keeps no cache");
        }
        if (causal && keyBias != null) {
            throw new IllegalArgumentException("a key bias is for bidirectional attention");
        }
        if (caches != null && caches.length > 1) {
            decodeStep(y, x, b, caches, layer);
            return;
        }
        KvCache cache = caches == null ? null : caches[0];
        int rows = b * t;
        int c = nHead * headSize;
        int past = cache == null ? 0 : cache.length();
        int attSize = Buffers.checkedProduct(b, nHead, t, past + t);
        qkv = Buffers.atLeast(qkv, Buffers.checkedProduct(rows, 3L * c));
        // With a cache, room for every position the cache can hold: decoding grows span by one per
        // token and must not reallocate each time.
        att = Buffers.atLeast(att, cache == null ? attSize : Math.max(attSize,
                Buffers.checkedProduct(b, nHead, t, cache.capacity())));
        heads = Buffers.atLeast(heads, rows * c);
        dropping = rng != null && dropout > 0;
        if (dropping) {
            dropMask = Buffers.atLeast(dropMask, attSize);
            ElementwiseKernels.dropoutMask(dropMask, attSize, dropout, rng);
        }
        cAttn.forward(qkv, x, rows);
        AttentionKernel.Layout layout;
        if (cache == null) {
            layout = AttentionKernel.Layout.fused(qkv, t, c);
        } else {
            int cap = cache.capacity();
            for (int bi = 0; bi < b; bi++) {
                for (int ti = 0; ti < t; ti++) {
                    append(cache, layer, qkv, (bi * t + ti) * 3 * c, bi * cap + past + ti, c);
                }
            }
            layout = new AttentionKernel.Layout(qkv, 0, 3 * c, cache.keys(layer), 0, cache.values(layer), 0, c, cap);
        }
        AttentionKernel.forward(heads, att, dropping ? dropMask : null, layout, b, t, past, nHead, headSize,
                causal, keyBias);
        cProj.forward(y, heads, rows);
    }

    /**
     * One new token for each of B sequences, sequence i in {@code caches[i]} at its own length:
     * the projections run over the B rows together, attention sequence by sequence.
     */
    private void decodeStep(float[] y, float[] x, int b, KvCache[] caches, int layer) {
        int c = nHead * headSize;
        qkv = Buffers.atLeast(qkv, Buffers.checkedProduct(b, 3L * c));
        heads = Buffers.atLeast(heads, b * c);
        dropping = false;
        cAttn.forward(qkv, x, b);
        for (int bi = 0; bi < b; bi++) {
            KvCache cache = caches[bi];
            int past = cache.length();
            append(cache, layer, qkv, bi * 3 * c, past, c);
            att = Buffers.atLeast(att, Buffers.checkedProduct(1, nHead, 1, cache.capacity()));
            sequenceHeads = Buffers.atLeast(sequenceHeads, c);
            AttentionKernel.Layout layout = new AttentionKernel.Layout(qkv, bi * 3 * c, 3 * c, cache.keys(layer), 0,
                    cache.values(layer), 0, c, cache.capacity());
            AttentionKernel.forward(sequenceHeads, att, null, layout, 1, 1, past, nHead, headSize);
            System.arraycopy(sequenceHeads, 0, heads, bi * c, c);
        }
        cProj.forward(y, heads, b);
    }

    /** Writes the key and value of the qkv row at {@code src} into the cache's row {@code dst}. */
    private static void append(KvCache cache, int layer, float[] qkv, int src, int dst, int c) {
        System.arraycopy(qkv, src + c, cache.keys(layer), dst * c, c);
        System.arraycopy(qkv, src + 2 * c, cache.values(layer), dst * c, c);
    }

    /** dx += the gradient of the block input x given to the last forward. */
    void backward(float[] dx, float[] dy, float[] x, int b, int t) {
        int rows = b * t;
        int c = nHead * headSize;
        dheads = Buffers.zeroed(dheads, rows * c);
        dqkv = Buffers.zeroed(dqkv, rows * 3 * c);
        cProj.backward(dheads, dy, heads, rows);
        AttentionKernel.backward(dqkv, dheads, att, dropping ? dropMask : null, qkv, b, t, nHead, headSize, causal);
        cAttn.backward(dx, dqkv, x, rows);
    }

    /** The fused queries, keys and values of the last forward, {@code [B, T, 3C]} (live buffer). */
    float[] queryKeyValues() {
        return qkv;
    }

    /** The probabilities of the last forward, {@code [B, NH, T, T]} (live buffer). */
    float[] attentionProbabilities() {
        return att;
    }
}
