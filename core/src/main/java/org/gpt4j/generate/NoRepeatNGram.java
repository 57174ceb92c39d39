package org.gpt4j.generate;

/**
 * Forbids every token that would complete an n-gram already present in the sequence (prompt
 * included), as Hugging Face's NoRepeatNGramLogitsProcessor.
 */
record NoRepeatNGram(int n) implements LogitsProcessor {

    @Override
    public String name() {
        return "no_repeat_ngram_size";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        if (length + 1 < n) {
            return;
        }
        int prefix = length - (n - 1);
        // Every earlier n-gram whose first n-1 tokens equal the last n-1 tokens bans its last token.
        for (int start = 0; start + n <= length; start++) {
            boolean match = true;
            for (int j = 0; j < n - 1 && match; j++) {
                match = ids[start + j] == ids[prefix + j];
            }
            if (match) {
                scores[ids[start + n - 1]] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
