package org.gpt4j.finetune;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Text to task sequences: the base tokenizer encodes each text (special-token strings in the
 * text stay ordinary text, so a review cannot forge an extract token), then the
 * {@link TaskFormat} adds the special tokens by id, truncates to the context and, for similarity
 * and multiple choice, makes an example's several sequences.
 */
public final class TaskEncoder {

    /** A model's input transformation: the texts' ids to an example's sequences. */
    @FunctionalInterface
    interface Transformation {
        int[][] sequences(int[] text, List<int[]> second, int maxLength);
    }

    private final Tokenizer tokenizer;
    private final TaskFormat format;
    private final Transformation transformation;
    private final int maxLength;

    /** GPT-1's transformation of {@code format} with {@code special}'s tokens. */
    public TaskEncoder(Tokenizer tokenizer, TaskFormat format, SpecialTokens special, int maxLength) {
        this(tokenizer, format, (text, second, max) -> format.sequences(text, second, special, max), maxLength);
    }

    /** {@code model}'s own transformation (GPT-1's or BERT's). */
    public TaskEncoder(Tokenizer tokenizer, SequenceClassifier model, int maxLength) {
        this(tokenizer, model.format(), model::sequences, maxLength);
    }

    private TaskEncoder(Tokenizer tokenizer, TaskFormat format, Transformation transformation, int maxLength) {
        this.tokenizer = tokenizer;
        this.format = format;
        this.transformation = transformation;
        this.maxLength = maxLength;
    }

    /**
     * One example's sequences.
     *
     * @param second none (classification), the second text (entailment, similarity) or the options
     *               (multiple choice, at least 2)
     */
    public int[][] encode(String text, List<String> second) {
        int wanted = format.pair() ? 1 : 0;
        if (format.choices() ? second.size() < 2 : second.size() != wanted) {
            throw new IllegalArgumentException(format.configName() + " needs " + (format.choices()
                    ? "at least 2 options (--choice), got " + second.size()
                    : wanted == 1 ? "a second text (--text-pair)" : "one text, not a second"));
        }
        List<int[]> ids = new ArrayList<>(second.size());
        for (String s : second) {
            ids.add(tokenizer.encode(s));
        }
        return transformation.sequences(tokenizer.encode(text), ids, maxLength);
    }

    /**
     * The sequences of a data set's examples.
     *
     * @throws TaskDataException naming the file and line of a text the tokenizer cannot encode
     *                           (a character outside a char-level vocabulary)
     */
    public List<int[][]> encodeAll(TaskDataset set) throws TaskDataException {
        List<int[][]> out = new ArrayList<>(set.size());
        for (TaskExample e : set.examples()) {
            try {
                out.add(encode(e.text(), e.second()));
            } catch (IllegalArgumentException ex) {
                throw new TaskDataException(set.file(), e.line(), ex.getMessage());
            }
        }
        return out;
    }
}
