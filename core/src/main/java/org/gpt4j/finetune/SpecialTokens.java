package org.gpt4j.finetune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokens GPT-1 adds to the vocabulary for fine-tuning (its Figure 1): a start token before
 * the input, a delimiter between the two texts of a pair, and an extract token whose final hidden
 * state the task head reads. A fourth, pad, fills the right end of shorter sequences in a batch
 * (never read: see {@link TaskBatch}); it is also what Hugging Face's
 * GPT2ForSequenceClassification needs as {@code pad_token_id} to find the last real token.
 *
 * <p>They are new rows of {@code wte} after the base vocabulary, so a base tokenizer never
 * produces them from text: they enter sequences only by id.
 */
public record SpecialTokens(int start, int delimiter, int extract, int pad) {

    public static final String START = "<|start|>";
    public static final String DELIMITER = "<|delim|>";
    public static final String EXTRACT = "<|extract|>";
    public static final String PAD = "<|pad|>";

    /** How many rows fine-tuning adds to the embedding. */
    public static final int COUNT = 4;

    public SpecialTokens {
        if (start < 0 || delimiter < 0 || extract < 0 || pad < 0) {
            throw new IllegalArgumentException("special token ids must be >= 0");
        }
    }

    /** @throws IllegalArgumentException when an id is not a row of a {@code vocabSize}-row embedding */
    public void requireInside(int vocabSize) {
        for (int id : new int[] {start, delimiter, extract, pad}) {
            if (id >= vocabSize) {
                throw new IllegalArgumentException("special token id " + id + " is outside the vocabulary (" + vocabSize + ")");
            }
        }
    }

    /** The four ids appended to a vocabulary of {@code baseVocab} ids. */
    public static SpecialTokens appendedTo(int baseVocab) {
        return new SpecialTokens(baseVocab, baseVocab + 1, baseVocab + 2, baseVocab + 3);
    }

    /** Text to id, as Hugging Face's {@code added_tokens.json}. */
    public Map<String, Integer> byText() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(START, start);
        m.put(DELIMITER, delimiter);
        m.put(EXTRACT, extract);
        m.put(PAD, pad);
        return m;
    }
}
