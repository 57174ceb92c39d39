package org.gpt4j.model;

import java.util.random.RandomGenerator;
import org.gpt4j.tensor.ElementwiseKernels;

/**
 * One transformer block (a GPT's decoder block, or with bidirectional attention a BERT encoder
 * block): self-attention and the feed-forward network, each wrapped in a
 * residual connection and a LayerNorm, placed before the sub-layer (pre-LN, GPT-2:
 * x + f(LN(x))) or after the residual sum (post-LN, GPT-1 and the Transformer: LN(x + f(x))).
 * Dropout, when training, applies to the attention probabilities and to each sub-layer's output
 * before it joins the residual (GPT-2's attn_pdrop and resid_pdrop).
 */
final class Block {

    private final LayerNormPlacement placement;
    private final LayerNorm ln1;
    private final CausalSelfAttention attn;
    private final LayerNorm ln2;
    private final Mlp mlp;
    private final int layer;
    private final int c;
    private final float dropout;

    // Kept from the forward for the backward (names follow the pre-LN equations; see forward).
    private float[] normed1;
    private float[] attnOut;
    private float[] mid;
    private float[] normed2;
    private float[] mlpOut;
    private float[] sum2;
    private float[] attnMask;
    private float[] mlpMask;
    private boolean masked;
    // Backward scratch.
    private float[] g1;
    private float[] g2;
    private float[] branch;

    Block(Parameters params, int layer, GptConfig config, LoraAdapters adapters) {
        this(params, layer, config, adapters, true);
    }

    /** {@code causal} false: an encoder block, whose attention sees both directions (BERT). */
    Block(Parameters params, int layer, GptConfig config, LoraAdapters adapters, boolean causal) {
        String h = "h." + layer + ".";
        this.placement = config.layerNorm();
        this.ln1 = new LayerNorm(params, h + "ln_1", config.nEmbd(), config.layerNormEpsilon());
        this.attn = new CausalSelfAttention(params, h + "attn", config, adapters, causal);
        this.ln2 = new LayerNorm(params, h + "ln_2", config.nEmbd(), config.layerNormEpsilon());
        this.mlp = new Mlp(params, h + "mlp", config, adapters);
        this.layer = layer;
        this.c = config.nEmbd();
        this.dropout = (float) config.dropout();
    }

    /**
     * y = block(x) over B x T positions; {@code rng} is non-null only when training with dropout;
     * {@code caches} (or null) hold the keys and values of the positions before these: one cache
     * of the B sequences, or one cache per sequence (see {@link CausalSelfAttention#forward}).
     */
    void forward(float[] y, float[] x, int b, int t, RandomGenerator rng, KvCache[] caches) {
        forward(y, x, b, t, rng, caches, null);
    }

    /** As above, with {@code keyBias [B, T]} (bidirectional attention's padding mask, or null). */
    void forward(float[] y, float[] x, int b, int t, RandomGenerator rng, KvCache[] caches, float[] keyBias) {
        int rows = b * t;
        int n = Buffers.checkedProduct(rows, c);
        normed1 = Buffers.atLeast(normed1, n);
        attnOut = Buffers.atLeast(attnOut, n);
        mid = Buffers.atLeast(mid, n);
        normed2 = Buffers.atLeast(normed2, n);
        mlpOut = Buffers.atLeast(mlpOut, n);
        masked = rng != null && dropout > 0;
        if (masked) {
            attnMask = Buffers.atLeast(attnMask, n);
            mlpMask = Buffers.atLeast(mlpMask, n);
            ElementwiseKernels.dropoutMask(attnMask, n, dropout, rng);
            ElementwiseKernels.dropoutMask(mlpMask, n, dropout, rng);
        }
        if (placement == LayerNormPlacement.PRE) {
            // mid = x + drop(attn(ln1(x)));  y = mid + drop(mlp(ln2(mid)))
            ln1.forward(normed1, x, rows);
            attn.forward(attnOut, normed1, b, t, rng, caches, layer, keyBias);
            dropout(attnOut, attnMask, n);
            ElementwiseKernels.add(mid, x, attnOut, n);
            ln2.forward(normed2, mid, rows);
            mlp.forward(mlpOut, normed2, rows);
            dropout(mlpOut, mlpMask, n);
            ElementwiseKernels.add(y, mid, mlpOut, n);
        } else {
            // sum1 (kept in normed1) = x + drop(attn(x)); mid = ln1(sum1);
            // sum2 = mid + drop(mlp(mid)); y = ln2(sum2)
            sum2 = Buffers.atLeast(sum2, n);
            attn.forward(attnOut, x, b, t, rng, caches, layer, keyBias);
            dropout(attnOut, attnMask, n);
            ElementwiseKernels.add(normed1, x, attnOut, n);
            ln1.forward(mid, normed1, rows);
            mlp.forward(mlpOut, mid, rows);
            dropout(mlpOut, mlpMask, n);
            ElementwiseKernels.add(sum2, mid, mlpOut, n);
            ln2.forward(y, sum2, rows);
        }
    }

    /** dx = dL/dx given dy = dL/dy, for the x of the last forward; dx is overwritten. */
    void backward(float[] dx, float[] dy, float[] x, int b, int t) {
        int rows = b * t;
        int n = rows * c;
        g1 = Buffers.atLeast(g1, n);
        g2 = Buffers.atLeast(g2, n);
        if (placement == LayerNormPlacement.PRE) {
            // dmid = dy + ln2'(mlp'(drop'(dy)))
            float[] dmid = g1;
            float[] dnormed = g2;
            ElementwiseKernels.copy(dmid, dy, n);
            ElementwiseKernels.zero(dnormed, n);
            mlp.backward(dnormed, branchGradient(dy, mlpMask, n), normed2, rows);
            ln2.backward(dmid, dnormed, mid, rows);
            // dx = dmid + ln1'(attn'(drop'(dmid)))
            ElementwiseKernels.copy(dx, dmid, n);
            ElementwiseKernels.zero(dnormed, n);
            attn.backward(dnormed, branchGradient(dmid, attnMask, n), normed1, b, t);
            ln1.backward(dx, dnormed, x, rows);
        } else {
            // dsum2 = ln2'(dy); dmid = dsum2 + mlp'(drop'(dsum2))
            float[] dsum2 = g1;
            ElementwiseKernels.zero(dsum2, n);
            ln2.backward(dsum2, dy, sum2, rows);
            float[] dmid = g2;
            ElementwiseKernels.copy(dmid, dsum2, n);
            mlp.backward(dmid, branchGradient(dsum2, mlpMask, n), mid, rows);
            // dsum1 = ln1'(dmid); dx = dsum1 + attn'(drop'(dsum1))
            float[] dsum1 = g1;
            ElementwiseKernels.zero(dsum1, n);
            ln1.backward(dsum1, dmid, normed1, rows);
            ElementwiseKernels.copy(dx, dsum1, n);
            attn.backward(dx, branchGradient(dsum1, attnMask, n), x, b, t);
        }
    }

    float[] queryKeyValues() {
        return attn.queryKeyValues();
    }

    float[] attentionProbabilities() {
        return attn.attentionProbabilities();
    }

    private void dropout(float[] values, float[] mask, int n) {
        if (masked) {
            ElementwiseKernels.multiply(values, mask, n);
        }
    }


    /** The gradient that flows into a sub-layer through its dropout: dy * mask, or dy itself. */
    private float[] branchGradient(float[] dy, float[] mask, int n) {
        if (!masked) {
            return dy;
        }
        branch = Buffers.atLeast(branch, n);
        ElementwiseKernels.copy(branch, dy, n);
        ElementwiseKernels.multiply(branch, mask, n);
        return branch;
    }
}
