package org.gpt4j.finetune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which TSV columns or JSONL fields hold the text, the second text and the label, and what a
 * multiple-choice row's {@code question} adds to its context. A null name means "find it": the
 * first of the usual names present, as GLUE, COPA and the sets in {@code ../shared/data} spell them.
 *
 * <p>Multiple choice follows GPT-1's [z; q; $; a_k] (section 3.3): the context z and the question
 * q are one text before the delimiter. COPA and XCOPA give the question as a word, {@code cause}
 * or {@code effect}; {@code questions} maps such a word to the text appended to the premise
 * (by default SuperGLUE's COPA wording, "What was the cause of this?" / "What happened as a
 * result?"). A question the map lacks is appended as written (a free-text question).
 *
 * @param questions question word to the text it adds (null: {@link #COPA_QUESTIONS})
 */
public record TaskColumns(String text, String pair, String label, Map<String, String> questions) {

    static final List<String> TEXT_NAMES = List.of("sentence", "text", "sentence1", "premise", "question");
    static final List<String> PAIR_NAMES = List.of("sentence2", "hypothesis", "text_b");
    static final List<String> LABEL_NAMES = List.of("label");
    /** A multiple-choice example's context; {@code question} is not one of them (it is added to the context). */
    static final List<String> CONTEXT_NAMES = List.of("premise", "context", "sentence", "text");
    static final String QUESTION = "question";
    /** The options as one array; otherwise {@code choice1}, {@code choice2}, ... */
    static final String CHOICES = "choices";
    static final String CHOICE_PREFIX = "choice";

    /** COPA's question words as SuperGLUE phrases them. */
    public static final Map<String, String> COPA_QUESTIONS = Map.of("cause", "What was the cause of this?",
            "effect", "What happened as a result?");

    public TaskColumns {
        questions = questions == null ? COPA_QUESTIONS : Map.copyOf(questions);
    }

    public TaskColumns(String text, String pair, String label) {
        this(text, pair, label, null);
    }

    /** Every column found by name, COPA's questions. */
    public static TaskColumns automatic() {
        return new TaskColumns(null, null, null);
    }

    /** The default question texts with {@code overrides} put over them (so cause=... alone keeps effect's). */
    public static Map<String, String> questionsWith(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(COPA_QUESTIONS);
        if (overrides != null) {
            m.putAll(overrides);
        }
        return m;
    }

    /** A multiple-choice context: the premise, then the question's text when there is a question. */
    public String context(String premise, String question) {
        if (question == null || question.isBlank()) {
            return premise;
        }
        String q = questions.getOrDefault(question.strip(), question.strip());
        return premise == null ? q : premise + " " + q;
    }
}
