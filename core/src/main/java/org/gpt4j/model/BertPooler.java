package org.gpt4j.model;

import org.gpt4j.tensor.ActivationKernels;
import org.gpt4j.tensor.ElementwiseKernels;

/**
 * BERT's pooler: {@code pooled = tanh(h[CLS] W + b)}, the first position's final hidden state
 * through a dense layer and tanh — the sentence vector the next-sentence head (and a fine-tuned
 * classifier) reads.
 */
final class BertPooler {

    private final Linear dense;
    private final int c;
    private float[] cls;
    private float[] pre;
    private float[] pooled;
    private float[] dpre;
    private float[] dcls;
    private int batch;

    BertPooler(Parameters params, BertConfig config) {
        this.c = config.hiddenSize();
        this.dense = new Linear(params, BertLayout.POOLER, c, c, null);
    }

    /** pooled [B, C] (live buffer) from the hidden states h [B, T, C]. */
    float[] forward(float[] h, int b, int t) {
        this.batch = b;
        cls = Buffers.atLeast(cls, b * c);
        pre = Buffers.atLeast(pre, b * c);
        pooled = Buffers.atLeast(pooled, b * c);
        for (int bi = 0; bi < b; bi++) {
            System.arraycopy(h, bi * t * c, cls, bi * c, c);
        }
        dense.forward(pre, cls, b);
        ActivationKernels.tanhForward(pooled, pre, b * c);
        return pooled;
    }

    float[] pooled() {
        return pooled;
    }

    /** dh [B, T, C] += the gradient reaching each [CLS] row from {@code dpooled [B, C]}. */
    void backward(float[] dh, float[] dpooled, int t) {
        int n = batch * c;
        dpre = Buffers.zeroed(dpre, n);
        dcls = Buffers.zeroed(dcls, n);
        ActivationKernels.tanhBackward(dpre, dpooled, pooled, n);
        dense.backward(dcls, dpre, cls, batch);
        int[] clsRows = new int[batch];
        for (int bi = 0; bi < batch; bi++) {
            clsRows[bi] = bi * t;
        }
        ElementwiseKernels.scatterAddRows(dh, dcls, clsRows, batch, c);
    }
}
