package org.gpt4j.cli;

import org.gpt4j.finetune.TaskColumns;
import picocli.CommandLine.Option;

/** The column flags of the task commands ({@code finetune}, {@code evaluate-task}). */
final class TaskColumnOptions {

    @Option(names = "--text-column", paramLabel = "NAME",
            description = "Column of the text (default: the first of sentence, text, sentence1, premise, question).")
    String text;

    @Option(names = "--text-pair-column", paramLabel = "NAME",
            description = "Column of the second text, for entailment (default: sentence2, hypothesis or text_b).")
    String pair;

    @Option(names = "--label-column", paramLabel = "NAME", description = "Column of the label (default: label).")
    String label;

    TaskColumns columns() {
        return new TaskColumns(text, pair, label);
    }
}
