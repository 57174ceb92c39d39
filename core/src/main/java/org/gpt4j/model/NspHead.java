package org.gpt4j.model;

import org.gpt4j.tensor.CrossEntropyKernel;

/**
 * BERT's next-sentence head: {@code logits = pooled W + b} over two classes (0: sentence B
 * follows A; 1: B is a random sentence, Hugging Face's convention) and their mean cross-entropy.
 */
final class NspHead {

    private final Linear dense;
    private final int c;
    private float[] pooled;
    private float[] logits;
    private float[] losses;
    private int[] labels;
    private int batch;
    private int counted;
    private float[] dlogits;

    NspHead(Parameters params, BertConfig config) {
        this.c = config.hiddenSize();
        this.dense = new Linear(params, BertLayout.NSP, c, 2, null);
    }

    /** Logits [B, 2] (live buffer) for pooled [B, C]; with labels (-1 = ignored) the mean loss, else NaN. */
    float forward(float[] pooled, int b, int[] labels) {
        this.pooled = pooled;
        this.batch = b;
        this.labels = labels;
        logits = Buffers.atLeast(logits, 2 * b);
        dense.forward(logits, pooled, b);
        counted = 0;
        if (labels == null) {
            return Float.NaN;
        }
        losses = Buffers.atLeast(losses, b);
        counted = CrossEntropyKernel.forward(losses, logits, labels, b, 2);
        double sum = 0;
        for (int i = 0; i < b; i++) {
            sum += losses[i];
        }
        return counted == 0 ? Float.NaN : (float) (sum / counted);
    }

    float[] logits() {
        return logits;
    }

    int counted() {
        return counted;
    }

    /** dpooled [B, C] += the gradient of {@code lossScale} times the last forward's mean loss. */
    void backward(float[] dpooled, float lossScale) {
        if (counted == 0 || lossScale == 0) {
            return;
        }
        dlogits = Buffers.atLeast(dlogits, 2 * batch);
        CrossEntropyKernel.backward(dlogits, logits, losses, labels, batch, 2, lossScale / counted);
        dense.backward(dpooled, dlogits, pooled, batch);
    }
}
