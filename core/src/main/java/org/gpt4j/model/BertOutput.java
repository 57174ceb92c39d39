package org.gpt4j.model;

/**
 * The output of one BERT forward over B x T positions.
 *
 * @param mlmLogits    {@code [positions.length, V]}: the MLM head's scores at the positions it ran
 *                     over (the model's buffer: valid until its next forward)
 * @param mlmPositions the row-major index {@code b * T + t} of each row of {@code mlmLogits}
 * @param nspLogits    {@code [B, 2]}: is-next (0) and is-random (1) scores (the model's buffer)
 * @param loss         mlmLoss + nspLoss (the terms that have labels), or NaN without labels
 * @param mlmLoss      mean cross-entropy over the masked positions, or NaN
 * @param nspLoss      mean next-sentence cross-entropy, or NaN
 * @param mlmCounted   how many masked positions counted towards mlmLoss
 */
public record BertOutput(int batch, int length, int vocabSize, float[] mlmLogits, int[] mlmPositions,
                         float[] nspLogits, float loss, float mlmLoss, float nspLoss, int mlmCounted) {

    /** The MLM score of token {@code v} in row {@code i} of {@link #mlmLogits}. */
    public float mlmLogit(int i, int v) {
        return mlmLogits[i * vocabSize + v];
    }

    public float nspLogit(int b, int k) {
        return nspLogits[b * 2 + k];
    }
}
