package org.gpt4j.train;

/**
 * One BERT pre-training example before masking: {@code [CLS] A [SEP] B [SEP]} with segment ids
 * (0 through the first {@code [SEP]}, 1 after), and whether B is a random sentence rather than
 * the text that follows A (the next-sentence label: 1 random, 0 next, Hugging Face's convention).
 */
public record SentencePair(int[] tokens, int[] tokenTypes, boolean randomNext) {

    public SentencePair {
        if (tokens.length != tokenTypes.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + tokenTypes.length + " token types");
        }
    }

    /** The next-sentence label: 1 when B is random, 0 when it follows A. */
    public int nspLabel() {
        return randomNext ? 1 : 0;
    }
}
