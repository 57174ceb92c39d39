package org.gpt4j.cli;

import java.util.Map;
import org.gpt4j.finetune.TaskColumns;
import picocli.CommandLine.Option;

/** The column (TSV) or field (JSONL) flags of the task commands ({@code finetune}, {@code evaluate-task}). */
final class TaskColumnOptions {

    @Option(names = "--text-column", paramLabel = "NAME",
            description = "Column or field of the text (default: the first of sentence, text, sentence1, premise, "
                    + "question; multiple choice: the context, the first of premise, context, sentence, text).")
    String text;

    @Option(names = "--text-pair-column", paramLabel = "NAME",
            description = "Column of the second text, for entailment and similarity (default: sentence2, hypothesis or text_b).")
    String pair;

    @Option(names = "--label-column", paramLabel = "NAME", description = "Column of the label (default: label).")
    String label;

    @Option(names = "--question-prompt", paramLabel = "WORD=TEXT",
            description = "Multiple choice: the text a row's 'question' WORD adds after its premise (GPT-1's [z; q; $; a]). "
                    + "Defaults: cause=\"What was the cause of this?\", effect=\"What happened as a result?\" (COPA, as "
                    + "SuperGLUE words it); a question without an entry is added as written. Repeat for each word, and "
                    + "give evaluate-task the same. E.g. for XCOPA-zh: --question-prompt cause=原因是什么？ "
                    + "--question-prompt effect=结果是什么？")
    Map<String, String> questions;

    TaskColumns columns() {
        return new TaskColumns(text, pair, label, TaskColumns.questionsWith(questions));
    }
}
