package org.gpt4j.finetune;

import java.util.List;
import java.util.Map;

/**
 * A row as a reader found it, before its label is mapped to an id: the texts and the label as
 * written, the line it came from, and (JSON Lines) the object's fields as written.
 *
 * @param pair    the second text (entailment, similarity), else null
 * @param choices the options (multiple choice), else empty
 * @param fields  a JSON object's string and number fields by name, unstripped and before the
 *                question prompt is added (few-shot templates read them: {@code {premise}},
 *                {@code {question}}); empty for TSV
 */
public record TaskRow(String text, String pair, List<String> choices, String label, long line, Map<String, String> fields) {

    public TaskRow {
        choices = List.copyOf(choices);
        fields = Map.copyOf(fields);
    }

    /** A row without named fields (TSV). */
    public TaskRow(String text, String pair, List<String> choices, String label, long line) {
        this(text, pair, choices, label, line, Map.of());
    }
}
