package org.gpt4j.evaluate.code;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * MBPP's splits, which its paper (Austin et al., 2021) fixes by task id rather than by file: 1-10
 * are the few-shot prompt examples, 11-510 the test set that results are quoted on, 511-600
 * validation and 601-974 training (what Codex-S style fine-tuning may learn from).
 */
public enum MbppSplit {
    ALL(Integer.MIN_VALUE, Integer.MAX_VALUE),
    PROMPT(1, 10),
    TEST(11, 510),
    VALIDATION(511, 600),
    TRAIN(601, 974);

    private final int first;
    private final int last;

    MbppSplit(int first, int last) {
        this.first = first;
        this.last = last;
    }

    /** The split named {@code all}, {@code prompt}, {@code test}, {@code validation} or {@code train}. */
    public static MbppSplit named(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown MBPP split '" + name + "': all, prompt, test, validation or train");
        }
    }

    /**
     * The problems of this split, in their order. Any split but {@link #ALL} needs MBPP's numeric
     * task ids: asking for one of a HumanEval file is an error rather than an empty selection.
     */
    public List<CodeProblem> select(Collection<CodeProblem> problems) {
        if (this == ALL) {
            return List.copyOf(problems);
        }
        List<CodeProblem> out = new ArrayList<>();
        for (CodeProblem p : problems) {
            int id;
            try {
                id = Integer.parseInt(p.taskId());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the " + name().toLowerCase(Locale.ROOT) + " split is MBPP's (task ids"
                        + " 1-974); task_id " + p.taskId() + " is not an MBPP id");
            }
            if (id >= first && id <= last) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no problem of the file is in MBPP's " + name().toLowerCase(Locale.ROOT)
                    + " split (task ids " + first + "-" + last + ")");
        }
        return out;
    }
}
