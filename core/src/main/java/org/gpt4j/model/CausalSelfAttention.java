package org.gpt4j.model;

import java.util.random.RandomGenerator;
import org.gpt4j.tensor.AttentionKernel;
import org.gpt4j.tensor.ElementwiseKernels;

/**
 * Masked multi-head self-attention: project to queries, keys and values ({@code c_attn}), let
 * every position attend to itself and the positions before it, head by head, and project the
 * concatenated heads back ({@code c_proj}). Keeps the attention probabilities of the last forward
 * (before dropout, which when training applies to them on their way to the values).
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
    private float[] heads;
    private float[] dheads;
    private float[] dqkv;

    CausalSelfAttention(Parameters params, String prefix, GptConfig config, LoraAdapters adapters) {
        int c = config.nEmbd();
        this.cAttn = new Linear(params, prefix + ".c_attn", c, 3 * c, adapters);
        this.cProj = new Linear(params, prefix + ".c_proj", c, c, adapters);
        this.nHead = config.nHead();
        this.headSize = config.headSize();
        this.dropout = (float) config.dropout();
    }

    /**
     * {@code rng} is non-null only when training with dropout (on the attention probabilities).
     * With a cache, the new keys and values are appended to it for {@code layer}, and the T
     * queries attend to every cached position before them.
     */
    void forward(float[] y, float[] x, int b, int t, RandomGenerator rng, KvCache cache, int layer) {
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
            float[] k = cache.keys(layer);
            float[] v = cache.values(layer);
            int cap = cache.capacity();
            for (int bi = 0; bi < b; bi++) {
                for (int ti = 0; ti < t; ti++) {
                    int src = (bi * t + ti) * 3 * c;
                    int dst = (bi * cap + past + ti) * c;
                    System.arraycopy(qkv, src + c, k, dst, c);
                    System.arraycopy(qkv, src + 2 * c, v, dst, c);
                }
            }
            layout = new AttentionKernel.Layout(qkv, 0, 3 * c, k, 0, v, 0, c, cap);
        }
        AttentionKernel.forward(heads, att, dropping ? dropMask : null, layout, b, t, past, nHead, headSize);
        cProj.forward(y, heads, rows);
    }

    /** dx += the gradient of the block input x given to the last forward. */
    void backward(float[] dx, float[] dy, float[] x, int b, int t) {
        int rows = b * t;
        int c = nHead * headSize;
        dheads = Buffers.zeroed(dheads, rows * c);
        dqkv = Buffers.zeroed(dqkv, rows * 3 * c);
        cProj.backward(dheads, dy, heads, rows);
        AttentionKernel.backward(dqkv, dheads, att, dropping ? dropMask : null, qkv, b, t, nHead, headSize);
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
