package org.gpt4j.finetune;

import java.util.List;

/**
 * Which TSV columns hold the text, the second text and the label. A null name means "find it":
 * the first of the usual names present in the header, as GLUE and the sets in {@code data/}
 * spell them.
 */
public record TaskColumns(String text, String pair, String label) {

    static final List<String> TEXT_NAMES = List.of("sentence", "text", "sentence1", "premise", "question");
    static final List<String> PAIR_NAMES = List.of("sentence2", "hypothesis", "text_b");
    static final List<String> LABEL_NAMES = List.of("label");

    /** Every column found by name. */
    public static TaskColumns automatic() {
        return new TaskColumns(null, null, null);
    }
}
