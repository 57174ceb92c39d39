package org.gpt4j.model;

/**
 * The output of one forward pass over B x T positions.
 *
 * @param logits {@code [B, T, V]} scores before softmax (the model's buffer: valid until its next
 *               forward; copy what must outlive it)
 * @param loss   mean next-token cross-entropy over the counted targets, or NaN without targets
 * @param counted how many targets counted towards the loss (those not -1)
 */
public record ForwardResult(int batch, int length, int vocabSize, float[] logits, float loss, int counted) {

    public float logit(int b, int t, int v) {
        return logits[(b * length + t) * vocabSize + v];
    }
}
