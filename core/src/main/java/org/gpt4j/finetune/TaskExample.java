package org.gpt4j.finetune;

import java.util.List;

/**
 * One labelled example as read from a file: its text (multiple choice: the context), the second
 * text of a pair task, the options of a multiple-choice task, the label's id (multiple choice: the
 * gold option's index) and the line it came from (for error messages).
 *
 * @param pair    the second text (entailment, similarity), else null
 * @param choices the options (multiple choice), else empty
 */
public record TaskExample(String text, String pair, List<String> choices, int label, long line) {

    public TaskExample {
        choices = List.copyOf(choices);
    }

    /** A classification or pair example. */
    public TaskExample(String text, String pair, int label, long line) {
        this(text, pair, List.of(), label, line);
    }

    /** The texts that follow the first in a sequence: none, the pair, or the options. */
    public List<String> second() {
        return pair != null ? List.of(pair) : choices;
    }
}
