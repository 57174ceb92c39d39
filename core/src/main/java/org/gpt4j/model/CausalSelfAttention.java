package org.gpt4j.model;

import org.gpt4j.tensor.AttentionKernel;

/**
 * Masked multi-head self-attention: project to queries, keys and values ({@code c_attn}), let
 * every position attend to itself and the positions before it, head by head, and project the
 * concatenated heads back ({@code c_proj}). Keeps the attention probabilities of the last forward.
 */
final class CausalSelfAttention {

    private final Linear cAttn;
    private final Linear cProj;
    private final int nHead;
    private final int headSize;
    private float[] qkv;
    private float[] att;
    private float[] heads;
    private float[] dheads;
    private float[] dqkv;

    CausalSelfAttention(Parameters params, String prefix, GptConfig config) {
        int c = config.nEmbd();
        this.cAttn = new Linear(params, prefix + ".c_attn", c, 3 * c);
        this.cProj = new Linear(params, prefix + ".c_proj", c, c);
        this.nHead = config.nHead();
        this.headSize = config.headSize();
    }

    void forward(float[] y, float[] x, int b, int t) {
        int rows = b * t;
        int c = nHead * headSize;
        qkv = Buffers.atLeast(qkv, Buffers.checkedProduct(rows, 3L * c));
        att = Buffers.atLeast(att, Buffers.checkedProduct(b, nHead, t, t));
        heads = Buffers.atLeast(heads, rows * c);
        cAttn.forward(qkv, x, rows);
        AttentionKernel.forward(heads, att, AttentionKernel.Layout.fused(qkv, t, c), b, t, 0, nHead, headSize);
        cProj.forward(y, heads, rows);
    }

    /** dx += the gradient of the block input x given to the last forward. */
    void backward(float[] dx, float[] dy, float[] x, int b, int t) {
        int rows = b * t;
        int c = nHead * headSize;
        dheads = Buffers.zeroed(dheads, rows * c);
        dqkv = Buffers.zeroed(dqkv, rows * 3 * c);
        cProj.backward(dheads, dy, heads, rows);
        AttentionKernel.backward(dqkv, dheads, att, qkv, b, t, nHead, headSize);
        cAttn.backward(dx, dqkv, x, rows);
    }

    /** The probabilities of the last forward, {@code [B, NH, T, T]} (live buffer). */
    float[] attentionProbabilities() {
        return att;
    }
}
