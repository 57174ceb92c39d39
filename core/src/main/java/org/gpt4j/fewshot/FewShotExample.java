package org.gpt4j.fewshot;

import java.util.List;
import java.util.Map;

/**
 * One example as few-shot prompting sees it: the fields a template reads, the candidate answers
 * (a classification task's verbalisers, or a multiple-choice question's options, each with its
 * leading space) and the index of the right one.
 *
 * @param source where it came from ({@code file:line}), for error messages
 */
public record FewShotExample(Map<String, String> fields, List<String> continuations, int gold, String source) {

    public FewShotExample {
        fields = Map.copyOf(fields);
        continuations = List.copyOf(continuations);
        if (continuations.size() < 2) {
            throw new IllegalArgumentException(source + ": an example needs at least 2 candidate answers, got " + continuations.size());
        }
        if (gold < 0 || gold >= continuations.size()) {
            throw new IllegalArgumentException(source + ": the answer index " + gold + " is outside [0, " + continuations.size() + ")");
        }
    }

    /** The right answer's text. */
    public String answer() {
        return continuations.get(gold);
    }

    /**
     * Whether {@code other} is this example as far as a prompt can tell (the same fields and the
     * same candidates): such a training example is never a demonstration for it.
     */
    public boolean sameInputAs(FewShotExample other) {
        return fields.equals(other.fields) && continuations.equals(other.continuations);
    }
}
