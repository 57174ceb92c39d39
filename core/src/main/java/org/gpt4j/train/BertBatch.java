package org.gpt4j.train;

import java.util.List;
import org.gpt4j.model.BertInput;

/**
 * A padded batch of BERT pre-training examples with its labels, as
 * {@link org.gpt4j.model.Bert#forward(BertInput, int[], int[])} takes them.
 *
 * @param nspLabels null for MLM alone (RoBERTa-style, no next-sentence task)
 */
public record BertBatch(BertInput input, int[] mlmLabels, int[] nspLabels) {

    /**
     * The pairs padded to {@code length} with {@code padId} (attention mask 0, segment 0), masked by
     * {@code masker} for {@code step}.
     *
     * @param withNsp whether the batch carries next-sentence labels
     * @throws IllegalArgumentException when a pair is longer than {@code length}
     */
    public static BertBatch of(List<SentencePair> pairs, int length, int padId, MlmMasker masker, long step, boolean withNsp) {
        int b = pairs.size();
        int[] tokens = new int[b * length];
        int[] types = new int[b * length];
        int[] mask = new int[b * length];
        int[] nsp = withNsp ? new int[b] : null;
        java.util.Arrays.fill(tokens, padId);
        for (int i = 0; i < b; i++) {
            SentencePair p = pairs.get(i);
            if (p.tokens().length > length) {
                throw new IllegalArgumentException("pair " + i + " holds " + p.tokens().length + " tokens, more than the "
                        + length + " positions of the batch");
            }
            System.arraycopy(p.tokens(), 0, tokens, i * length, p.tokens().length);
            System.arraycopy(p.tokenTypes(), 0, types, i * length, p.tokens().length);
            java.util.Arrays.fill(mask, i * length, i * length + p.tokens().length, 1);
            if (nsp != null) {
                nsp[i] = p.nspLabel();
            }
        }
        int[] labels = masker.mask(tokens, mask, step);
        return new BertBatch(new BertInput(b, length, tokens, types, mask), labels, nsp);
    }
}
