package org.gpt4j.finetune;

/**
 * GPT-1's input transformations (its Figure 1): how one example becomes one token sequence for
 * the unchanged transformer.
 *
 * <ul>
 *   <li>classification: {@code start text extract}
 *   <li>entailment: {@code start premise delim hypothesis extract}
 * </ul>
 *
 * <p>Truncation, when a sequence would be longer than the context: the special tokens are always
 * kept (above all the extract token, which the head reads), and each text keeps its beginning.
 * For a pair, tokens are cut from the end of the longer text first, one at a time (Hugging
 * Face's "longest_first"), so a short hypothesis survives a long premise.
 */
public enum TaskFormat {
    CLASSIFICATION("classification", false),
    ENTAILMENT("entailment", true);

    private final String configName;
    private final boolean pair;

    TaskFormat(String configName, boolean pair) {
        this.configName = configName;
        this.pair = pair;
    }

    public String configName() {
        return configName;
    }

    /** Whether an example has two texts. */
    public boolean pair() {
        return pair;
    }

    public static TaskFormat fromConfigName(String name) {
        for (TaskFormat f : values()) {
            if (f.configName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "' (expected classification or entailment)");
    }

    /** Special tokens a sequence of this format holds besides its text. */
    public int overhead() {
        return pair ? 3 : 2;
    }

    /**
     * The sequence for one example, at most {@code maxLength} tokens.
     *
     * @param pair the second text's ids (entailment's hypothesis); ignored for classification
     */
    public int[] sequence(int[] text, int[] pair, SpecialTokens special, int maxLength) {
        if (maxLength < overhead() + (this.pair ? 2 : 1)) {
            throw new IllegalArgumentException("a context of " + maxLength + " tokens is too short for " + configName);
        }
        int budget = maxLength - overhead();
        if (!this.pair) {
            int n = Math.min(text.length, budget);
            int[] s = new int[n + 2];
            s[0] = special.start();
            System.arraycopy(text, 0, s, 1, n);
            s[n + 1] = special.extract();
            return s;
        }
        int a = text.length;
        int b = pair.length;
        while (a + b > budget) {
            if (a >= b) {
                a--;
            } else {
                b--;
            }
        }
        int[] s = new int[a + b + 3];
        s[0] = special.start();
        System.arraycopy(text, 0, s, 1, a);
        s[a + 1] = special.delimiter();
        System.arraycopy(pair, 0, s, a + 2, b);
        s[a + b + 2] = special.extract();
        return s;
    }

    @Override
    public String toString() {
        return configName;
    }
}
