package org.gpt4j.train;

import java.util.SplittableRandom;
import org.gpt4j.model.Bert;

/**
 * BERT's masked-LM corruption, drawn afresh for every batch (dynamic masking, as RoBERTa and
 * Hugging Face's DataCollatorForLanguageModeling do): each token that is neither special nor
 * padding is chosen with probability 15%; a chosen token becomes {@code [MASK]} (80%), a random
 * token of the vocabulary (10%) or stays itself (10%), and is the MLM's target; every other
 * position's label is {@link Bert#IGNORE}.
 *
 * <p>The draws come from a generator seeded by the masker's seed and the batch's step, so a
 * resumed run masks exactly as an uninterrupted one, whatever batches came before.
 */
public final class MlmMasker {

    private final int maskId;
    private final int vocabSize;
    private final boolean[] special;
    private final double probability;
    private final long seed;

    /**
     * @param maskId      the id of {@code [MASK]}
     * @param specialIds  ids never chosen ({@code [CLS]}, {@code [SEP]}, {@code [PAD]}, ...)
     * @param probability the share of tokens chosen (BERT: 0.15)
     */
    public MlmMasker(int maskId, int vocabSize, int[] specialIds, double probability, long seed) {
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("vocab_size must be positive, got " + vocabSize);
        }
        if (maskId < 0 || maskId >= vocabSize) {
            throw new IllegalArgumentException("[MASK] id " + maskId + " is outside the vocabulary of " + vocabSize);
        }
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("the masking probability must be in (0, 1), got " + probability);
        }
        this.maskId = maskId;
        this.vocabSize = vocabSize;
        this.special = new boolean[vocabSize];
        for (int id : specialIds) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("special token id " + id + " is outside the vocabulary of " + vocabSize);
            }
            special[id] = true;
        }
        special[maskId] = true;
        this.probability = probability;
        this.seed = seed;
    }

    /**
     * Corrupts {@code tokens} in place for the batch of {@code step} and returns the MLM labels
     * (the original id where a token was chosen, {@link Bert#IGNORE} elsewhere).
     *
     * @param attentionMask 0 marks padding, never chosen; null for none
     */
    public int[] mask(int[] tokens, int[] attentionMask, long step) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int[] labels = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            int id = tokens[i];
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("token id " + id + " at position " + i + " is outside the vocabulary of " + vocabSize);
            }
            boolean padding = attentionMask != null && attentionMask[i] == 0;
            if (padding || special[id] || rng.nextDouble() >= probability) {
                labels[i] = Bert.IGNORE;
                continue;
            }
            labels[i] = id;
            double how = rng.nextDouble();
            if (how < 0.8) {
                tokens[i] = maskId;
            } else if (how < 0.9) {
                tokens[i] = rng.nextInt(vocabSize);
            }
        }
        return labels;
    }
}
