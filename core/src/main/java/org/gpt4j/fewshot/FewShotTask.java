package org.gpt4j.fewshot;

import org.gpt4j.finetune.TaskFormat;

/**
 * The task shapes few-shot prompting reads, each with the fields its template may use, a default
 * template and a default {@link Scoring}.
 *
 * <ul>
 *   <li>classification: a TSV, fields {@code {text}}; the answers are the labels' verbalisers.
 *   <li>entailment: a TSV with two texts, fields {@code {premise}} = {@code {text}} and
 *       {@code {hypothesis}} = {@code {pair}}; the answers are the labels' verbalisers.
 *   <li>multiple-choice: JSONL ({@code premise}, {@code choice1..N} or {@code choices},
 *       {@code label}), every string or number field of the object a template field (as written:
 *       {@code {question}} is COPA's word, not fine-tuning's question prompt); the answers are the
 *       example's own options.
 * </ul>
 */
public enum FewShotTask {
    CLASSIFICATION("classification", "Text: {text}\\nLabel:", Scoring.SUM),
    ENTAILMENT("entailment", "{premise}\\nHypothesis: {hypothesis}\\nLabel:", Scoring.SUM),
    MULTIPLE_CHOICE("multiple-choice", "{premise}", Scoring.MEAN);

    private final String label;
    private final String defaultTemplate;
    private final Scoring defaultScoring;

    FewShotTask(String label, String defaultTemplate, Scoring defaultScoring) {
        this.label = label;
        this.defaultTemplate = defaultTemplate;
        this.defaultScoring = defaultScoring;
    }

    public String label() {
        return label;
    }

    /** The default template, as typed (with {@code \n} escapes). */
    public String defaultTemplate() {
        return defaultTemplate;
    }

    public Scoring defaultScoring() {
        return defaultScoring;
    }

    /** Whether every example shares one set of answers (the labels' verbalisers). */
    public boolean hasLabels() {
        return this != MULTIPLE_CHOICE;
    }

    /** The fine-tuning format whose reader this task's data goes through. */
    TaskFormat taskFormat() {
        return switch (this) {
            case CLASSIFICATION -> TaskFormat.CLASSIFICATION;
            case ENTAILMENT -> TaskFormat.ENTAILMENT;
            case MULTIPLE_CHOICE -> TaskFormat.MULTIPLE_CHOICE;
        };
    }

    public static FewShotTask fromLabel(String label) {
        for (FewShotTask t : values()) {
            if (t.label.equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task '" + label + "' (expected classification, entailment or multiple-choice)");
    }

    @Override
    public String toString() {
        return label;
    }
}
