package org.gpt4j.finetune;

import java.util.List;

/**
 * A row as a reader found it, before its label is mapped to an id: the texts and the label as
 * written, and the line it came from.
 *
 * @param pair    the second text (entailment, similarity), else null
 * @param choices the options (multiple choice), else empty
 */
public record TaskRow(String text, String pair, List<String> choices, String label, long line) {

    public TaskRow {
        choices = List.copyOf(choices);
    }
}
