package org.gpt4j.finetune;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Text to task sequences: the base tokenizer encodes each text (special-token strings in the
 * text stay ordinary text, so a review cannot forge an extract token), then the
 * {@link TaskFormat} adds the special tokens by id and truncates to the context.
 */
public final class TaskEncoder {

    private final Tokenizer tokenizer;
    private final TaskFormat format;
    private final SpecialTokens special;
    private final int maxLength;

    public TaskEncoder(Tokenizer tokenizer, TaskFormat format, SpecialTokens special, int maxLength) {
        this.tokenizer = tokenizer;
        this.format = format;
        this.special = special;
        this.maxLength = maxLength;
    }

    public int[] encode(String text, String pair) {
        if (format.pair() && pair == null) {
            throw new IllegalArgumentException(format.configName() + " needs a second text (--text-pair)");
        }
        return format.sequence(tokenizer.encode(text), format.pair() ? tokenizer.encode(pair) : new int[0], special,
                maxLength);
    }

    /**
     * The sequences of a data set's examples.
     *
     * @throws TaskDataException naming the file and line of a text the tokenizer cannot encode
     *                           (a character outside a char-level vocabulary)
     */
    public List<int[]> encodeAll(TaskDataset set) throws TaskDataException {
        List<int[]> out = new ArrayList<>(set.size());
        for (TaskExample e : set.examples()) {
            try {
                out.add(encode(e.text(), e.pair()));
            } catch (IllegalArgumentException ex) {
                throw new TaskDataException(set.file(), e.line(), ex.getMessage());
            }
        }
        return out;
    }
}
