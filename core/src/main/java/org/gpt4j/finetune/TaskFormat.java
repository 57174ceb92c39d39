package org.gpt4j.finetune;

import java.util.List;

/**
 * GPT-1's input transformations (its Figure 1): how one example becomes the token sequences the
 * unchanged transformer reads, and how the head combines their extract states.
 *
 * <ul>
 *   <li>classification: {@code start text extract}; the head reads its extract state
 *   <li>entailment: {@code start premise delim hypothesis extract}; likewise
 *   <li>similarity: both orders, {@code start a delim b extract} and {@code start b delim a extract}
 *       (the two texts have no inherent order); their extract states are added element-wise, then
 *       the head reads the sum
 *   <li>multiple choice: one sequence per option, {@code start context delim option extract}; the
 *       head gives each one score, and a softmax over the example's options gives the answer
 * </ul>
 *
 * <p>Truncation, when a sequence would be longer than the context: the special tokens are always
 * kept (above all the extract token, which the head reads), and each text keeps its beginning.
 * For a pair, tokens are cut from the end of the longer text first, one at a time (Hugging
 * Face's "longest_first"), so a short hypothesis (or option) survives a long premise (or context).
 */
public enum TaskFormat {
    CLASSIFICATION("classification", Input.TEXT),
    ENTAILMENT("entailment", Input.PAIR),
    SIMILARITY("similarity", Input.PAIR),
    MULTIPLE_CHOICE("multiple-choice", Input.CHOICES);

    /** What an example holds besides its label. */
    enum Input {
        TEXT, PAIR, CHOICES
    }

    /** Every format's name, for messages and --help. */
    public static final String NAMES = "classification, entailment, similarity or multiple-choice";

    private final String configName;
    private final Input input;

    TaskFormat(String configName, Input input) {
        this.configName = configName;
        this.input = input;
    }

    public String configName() {
        return configName;
    }

    /** Whether an example has two texts (entailment's premise and hypothesis, similarity's pair). */
    public boolean pair() {
        return input == Input.PAIR;
    }

    /** Whether an example is a context with options (multiple choice). */
    public boolean choices() {
        return input == Input.CHOICES;
    }

    /** Whether the head reads the sum of the example's extract states (similarity). */
    public boolean sumsSequences() {
        return this == SIMILARITY;
    }

    /**
     * Rows of the head's weight: one per label, or one for multiple choice, whose head scores
     * each option's sequence and whose "labels" are the options themselves.
     */
    public int headRows(int labels) {
        return choices() ? 1 : labels;
    }

    /** @throws IllegalArgumentException when {@code head} is not this format's head for {@code labels} */
    public void requireHead(ClassificationHead head, LabelMap labels) {
        if (head.labels() != headRows(labels.size())) {
            throw new IllegalArgumentException("the head has " + head.labels() + " rows, a " + configName
                    + " task with " + labels.size() + " labels needs " + headRows(labels.size()));
        }
    }

    public static TaskFormat fromConfigName(String name) {
        for (TaskFormat f : values()) {
            if (f.configName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown task '" + name + "' (expected " + NAMES + ")");
    }

    /** Special tokens a sequence of this format holds besides its text. */
    public int overhead() {
        return input == Input.TEXT ? 2 : 3;
    }

    /**
     * The sequence for one classification or entailment example, at most {@code maxLength} tokens.
     *
     * @param pair the second text's ids (entailment's hypothesis); ignored for classification
     */
    public int[] sequence(int[] text, int[] pair, SpecialTokens special, int maxLength) {
        checkLength(maxLength);
        return input == Input.TEXT ? single(text, special, maxLength) : joined(text, pair, special, maxLength);
    }

    /**
     * The sequences of one example: one for classification and entailment, both orders of the
     * pair for similarity, one per option for multiple choice.
     *
     * @param second the second texts' ids: none (classification), the pair (entailment,
     *               similarity) or the options (multiple choice)
     */
    public int[][] sequences(int[] text, List<int[]> second, SpecialTokens special, int maxLength) {
        checkLength(maxLength);
        return switch (this) {
            case CLASSIFICATION -> new int[][] {single(text, special, maxLength)};
            case ENTAILMENT -> new int[][] {joined(text, second.get(0), special, maxLength)};
            case SIMILARITY -> new int[][] {joined(text, second.get(0), special, maxLength),
                joined(second.get(0), text, special, maxLength)};
            case MULTIPLE_CHOICE -> second.stream().map(option -> joined(text, option, special, maxLength))
                    .toArray(int[][]::new);
        };
    }

    private void checkLength(int maxLength) {
        if (maxLength < overhead() + (input == Input.TEXT ? 1 : 2)) {
            throw new IllegalArgumentException("a context of " + maxLength + " tokens is too short for " + configName);
        }
    }

    /** {@code start text extract}. */
    private static int[] single(int[] text, SpecialTokens special, int maxLength) {
        int n = Math.min(text.length, maxLength - 2);
        int[] s = new int[n + 2];
        s[0] = special.start();
        System.arraycopy(text, 0, s, 1, n);
        s[n + 1] = special.extract();
        return s;
    }

    /** {@code start a delim b extract}, the longer text cut first. */
    private static int[] joined(int[] first, int[] second, SpecialTokens special, int maxLength) {
        int budget = maxLength - 3;
        int a = first.length;
        int b = second.length;
        while (a + b > budget) {
            if (a >= b) {
                a--;
            } else {
                b--;
            }
        }
        int[] s = new int[a + b + 3];
        s[0] = special.start();
        System.arraycopy(first, 0, s, 1, a);
        s[a + 1] = special.delimiter();
        System.arraycopy(second, 0, s, a + 2, b);
        s[a + b + 2] = special.extract();
        return s;
    }

    @Override
    public String toString() {
        return configName;
    }
}
