package org.gpt4j.evaluate.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** MBPP's splits by task id, as its paper fixes them. */
class MbppSplitTest {

    private static final List<CodeProblem> MBPP = IntStream.rangeClosed(1, 974)
            .mapToObj(i -> new CodeProblem(String.valueOf(i), "p", "t", null, true, "c")).toList();

    @Test
    void splitsHaveThePapersSizesAndCoverEveryProblemOnce() {
        assertThat(MbppSplit.PROMPT.select(MBPP)).hasSize(10);
        assertThat(MbppSplit.TEST.select(MBPP)).hasSize(500);
        assertThat(MbppSplit.VALIDATION.select(MBPP)).hasSize(90);
        assertThat(MbppSplit.TRAIN.select(MBPP)).hasSize(374);
        assertThat(MbppSplit.TEST.select(MBPP).getFirst().taskId()).isEqualTo("11");
        assertThat(MbppSplit.TEST.select(MBPP).getLast().taskId()).isEqualTo("510");
        assertThat(MbppSplit.ALL.select(MBPP)).isEqualTo(MBPP);
    }

    @Test
    void namesAreCaseInsensitiveAndUnknownOnesAreErrors() {
        assertThat(MbppSplit.named("Test")).isEqualTo(MbppSplit.TEST);
        assertThatThrownBy(() -> MbppSplit.named("dev")).hasMessageContaining("unknown MBPP split 'dev'");
    }

    @Test
    void aSplitOfHumanEvalOrOfNothingIsAnError() {
        List<CodeProblem> humanEval = List.of(new CodeProblem("HumanEval/0", "p", "t", "f", false, null));
        assertThat(MbppSplit.ALL.select(humanEval)).hasSize(1);
        assertThatThrownBy(() -> MbppSplit.TEST.select(humanEval)).hasMessageContaining("HumanEval/0 is not an MBPP id");
        assertThatThrownBy(() -> MbppSplit.TRAIN.select(MBPP.subList(0, 20))).hasMessageContaining("601-974");
    }
}
