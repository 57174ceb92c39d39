package org.gpt4j.model;

/**
 * How many floats a {@link Gpt} (or a {@link Bert}) keeps between a training forward and its
 * backward, counted from the config alone: the buffers each layer allocates for B sequences of T
 * tokens. Training asks before its first step, so that a batch the heap cannot hold is refused in
 * a second instead of running out of memory minutes into the first backward.
 *
 * <p>The count mirrors the layers' own buffers ({@code Buffers.atLeast} calls in {@link Gpt},
 * {@link Block}, {@link CausalSelfAttention}, {@link Mlp}, {@link LayerNorm}, {@link LmHead} and
 * BERT's embeddings and heads); {@code ActivationFootprintTest} walks a trained model's buffers
 * and holds the two equal, so a layer that gains a buffer must say so here. Short-lived scratch (the GEMM's packed panels,
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
        requirePositive(batch, t);
        try {
            boolean dropout = c.dropout() > 0;
            long rows = Math.multiplyExact((long) batch, (long) t);
            long rc = Math.multiplyExact(rows, (long) c.nEmbd());
            long layers = Math.multiplyExact(blockFloats(c, batch, t), (long) c.nLayer());
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

    /**
     * As {@link #trainingFloats} for a {@link Bert} pre-training step (masked LM + next sentence)
     * on {@code batch} padded pairs of {@code t} positions with {@code mlmPositions} masked-LM
     * targets in all: the blocks as GPT's, the masked-LM head on the chosen positions only
     * (8·C + 2·V floats each), the pooler and the next-sentence head per pair.
     */
    public static long bertTrainingFloats(BertConfig c, int batch, int t, int mlmPositions) {
        requirePositive(batch, t);
        if (mlmPositions < 0) {
            throw new IllegalArgumentException("masked-LM positions must be >= 0, got " + mlmPositions);
        }
        try {
            GptConfig blocks = c.blockConfig();
            boolean dropout = c.dropout() > 0;
            long rows = Math.multiplyExact((long) batch, (long) t);
            long rc = Math.multiplyExact(rows, (long) c.hiddenSize());
            long bc = Math.multiplyExact((long) batch, (long) c.hiddenSize());
            long layers = Math.multiplyExact(blockFloats(blocks, batch, t), (long) c.numHiddenLayers());
            // Bert: the L + 1 residual streams, dA and dB, the embedding's dropout mask, the
            // padding's key bias [B, T], the pooled gradient [B, C]; BertEmbeddings: the sum its
            // LayerNorm reads, its gradient and the LayerNorm's statistics.
            long model = Math.addExact(Math.multiplyExact(c.numHiddenLayers() + 3L + (dropout ? 1 : 0) + 2, rc),
                    Math.addExact(3 * rows, bc));
            // MlmHead per target: selected, pre, act, transformed and their gradients (8 C), the
            // logits and their gradient (2 V), the loss and the LayerNorm's statistics (3).
            long mlm = Math.multiplyExact((long) mlmPositions, 8L * c.hiddenSize() + 2L * c.vocabSize() + 3);
            // BertPooler: cls, pre, pooled, dpre, dcls; NspHead: logits, losses, dlogits (5 per pair).
            long pooler = Math.addExact(Math.multiplyExact(5, bc), 5L * batch);
            return Math.addExact(layers, Math.addExact(model, Math.addExact(mlm, pooler)));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * One {@link Block}'s buffers after a forward and its backward: normed1, attnOut, mid,
     * normed2, mlpOut and the backward's g1, g2 (post-LN: sum2; with dropout the two branch masks
     * and the masked gradient); attention's qkv and dqkv (3C each), heads and dheads, its
     * probabilities (and their dropout mask); the MLP's pre, act, dact, dpre; two LayerNorms'
     * mean and rstd.
     */
    private static long blockFloats(GptConfig c, int batch, int t) {
        boolean dropout = c.dropout() > 0;
        long rows = Math.multiplyExact((long) batch, (long) t);
        long rc = Math.multiplyExact(rows, (long) c.nEmbd());
        long ri = Math.multiplyExact(rows, (long) c.nInner());
        long scores = Math.multiplyExact(Math.multiplyExact((long) batch, (long) c.nHead()), (long) t * t);
        long perRc = 7 + (c.layerNorm() == LayerNormPlacement.POST ? 1 : 0) + (dropout ? 3 : 0) + 8;
        return Math.addExact(Math.multiplyExact(perRc, rc), Math.addExact(Math.multiplyExact(4, ri),
                Math.addExact(Math.multiplyExact(dropout ? 2 : 1, scores), 4 * rows)));
    }

    private static void requirePositive(int batch, int t) {
        if (batch <= 0 || t <= 0) {
            throw new IllegalArgumentException("batch and sequence length must be positive, got " + batch + " x " + t);
        }
    }

    /** {@link #trainingFloats} in bytes. */
    public static long trainingBytes(GptConfig c, int batch, int t) {
        return bytes(trainingFloats(c, batch, t));
    }

    /** {@link #bertTrainingFloats} in bytes. */
    public static long bertTrainingBytes(BertConfig c, int batch, int t, int mlmPositions) {
        return bytes(bertTrainingFloats(c, batch, t, mlmPositions));
    }

    private static long bytes(long floats) {
        return floats > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : floats * Float.BYTES;
    }
}
