package org.gpt4j.model;

/**
 * How many floats a {@link Gpt} keeps between a training forward and its backward, counted from
 * the config alone: the buffers each layer allocates for B sequences of T tokens. Training asks
 * before its first step, so that a batch the heap cannot hold is refused in a second instead of
 * running out of memory minutes into the first backward.
 *
 * <p>The count mirrors the layers' own buffers ({@code Buffers.atLeast} calls in {@link Gpt},
 * {@link Block}, {@link CausalSelfAttention}, {@link Mlp}, {@link LayerNorm} and {@link LmHead});
 * {@code ActivationFootprintTest} walks a trained model's buffers and holds the two equal, so a
 * layer that gains a buffer must say so here. Short-lived scratch (the GEMM's packed panels,
 * attention's per-thread rows) is not counted: it is a few MB whatever the batch.
 */
public final class ActivationFootprint {

    private ActivationFootprint() {
    }

    /**
     * The floats of every buffer a forward with targets and the backward after it leave behind,
     * for {@code batch} sequences of {@code t} tokens, with dropout when the config has it.
     * Grows with B·T·C per layer (about 31 of them with GPT-2's 4C MLP), B·H·T² per layer for
     * the attention probabilities (twice with dropout: the mask), and 2·B·T·V for the logits and
     * their gradient; {@link Long#MAX_VALUE} where that passes 2^63.
     */
    public static long trainingFloats(GptConfig c, int batch, int t) {
        if (batch <= 0 || t <= 0) {
            throw new IllegalArgumentException("batch and sequence length must be positive, got " + batch + " x " + t);
        }
        try {
            boolean dropout = c.dropout() > 0;
            long rows = Math.multiplyExact((long) batch, (long) t);
            long rc = Math.multiplyExact(rows, (long) c.nEmbd());
            long ri = Math.multiplyExact(rows, (long) c.nInner());
            long scores = Math.multiplyExact(Math.multiplyExact((long) batch, (long) c.nHead()), (long) t * t);

            // Block: normed1, attnOut, mid, normed2, mlpOut, the backward's g1, g2; post-LN's sum2;
            // with dropout the two residual-branch masks and the masked gradient ("branch").
            long block = 7 + (c.layerNorm() == LayerNormPlacement.POST ? 1 : 0) + (dropout ? 3 : 0);
            // Attention: qkv and dqkv (3C each), heads and dheads.
            long attention = 8;
            long perLayerRc = block + attention;
            long perLayer = Math.addExact(Math.multiplyExact(perLayerRc, rc),
                    // Mlp: pre, act, dact, dpre; attention: probabilities (+ dropout mask);
                    // two LayerNorms' mean and rstd.
                    Math.addExact(Math.multiplyExact(4, ri),
                            Math.addExact(Math.multiplyExact(dropout ? 2 : 1, scores), 4 * rows)));
            long layers = Math.multiplyExact(perLayer, (long) c.nLayer());

            // Gpt: the L + 1 residual streams, dA and dB, the embedding's dropout mask.
            long model = Math.multiplyExact(c.nLayer() + 3L + (dropout ? 1 : 0), rc);
            // LmHead: logits and dlogits [rows, V], the losses; pre-LN's ln_f output, its gradient
            // and statistics.
            long head = Math.addExact(Math.multiplyExact(2, Math.multiplyExact(rows, (long) c.vocabSize())), rows);
            if (c.layerNorm() == LayerNormPlacement.PRE) {
                head = Math.addExact(head, Math.addExact(Math.multiplyExact(2, rc), 2 * rows));
            }
            return Math.addExact(layers, Math.addExact(model, head));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@link #trainingFloats} in bytes. */
    public static long trainingBytes(GptConfig c, int batch, int t) {
        long floats = trainingFloats(c, batch, t);
        return floats > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : floats * Float.BYTES;
    }
}
