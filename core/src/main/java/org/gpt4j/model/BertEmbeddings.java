package org.gpt4j.model;

import org.gpt4j.tensor.ElementwiseKernels;

/**
 * BERT's input: {@code x = LN_e(wte[token] + wpe[position] + wtt[segment])} — GPT's token and
 * learned position embedding ({@link Embedding}, the same layer) plus the segment (token type)
 * embedding that tells sentence A from sentence B, normalised by the embedding LayerNorm.
 * Dropout, when training, is the caller's (it owns the random stream).
 */
final class BertEmbeddings {

    private final Parameters params;
    private final Embedding tokensAndPositions;
    private final LayerNorm ln;
    private final float[] wtt;
    private final int c;
    /** wte + wpe + wtt of the last forward: the LayerNorm's input, kept for its backward. */
    private float[] sum;
    private float[] dsum;

    BertEmbeddings(Parameters params, BertConfig config) {
        this.params = params;
        this.tokensAndPositions = new Embedding(params, config.blockConfig());
        this.ln = new LayerNorm(params, BertLayout.LN_E, config.hiddenSize(), config.layerNormEps());
        this.wtt = params.data(BertLayout.WTT);
        this.c = config.hiddenSize();
    }

    /** x [B, T, C] for B sequences of T tokens with their segment ids, positions 0 .. T-1. */
    void forward(float[] x, int[] tokens, int[] types, int b, int t) {
        int rows = b * t;
        sum = Buffers.atLeast(sum, Buffers.checkedProduct(rows, c));
        tokensAndPositions.forward(sum, tokens, b, t, new int[b]);
        ElementwiseKernels.addRows(sum, wtt, types, rows, c);
        ln.forward(x, sum, rows);
    }

    /** Adds the gradients of wte, wpe, wtt and the LayerNorm, given dx = dL/dx. */
    void backward(float[] dx, int[] tokens, int[] types, int b, int t) {
        int rows = b * t;
        dsum = Buffers.zeroed(dsum, rows * c);
        ln.backward(dsum, dx, sum, rows);
        tokensAndPositions.backward(dsum, tokens, b, t);
        ElementwiseKernels.scatterAddRows(params.grad(BertLayout.WTT), dsum, types, rows, c);
    }
}
