package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** GPT-1's input transformations and how they truncate to the context. */
class TaskFormatTest {

    private static final SpecialTokens S = SpecialTokens.appendedTo(100);

    @Test
    void classificationIsStartTextExtract() {
        assertThat(TaskFormat.CLASSIFICATION.sequence(new int[] {5, 6, 7}, null, S, 16))
                .containsExactly(100, 5, 6, 7, 102);
    }

    @Test
    void entailmentIsStartPremiseDelimHypothesisExtract() {
        assertThat(TaskFormat.ENTAILMENT.sequence(new int[] {5, 6}, new int[] {8}, S, 16))
                .containsExactly(100, 5, 6, 101, 8, 102);
    }

    @Test
    void truncationKeepsTheStartOfTheTextAndTheExtractToken() {
        int[] s = TaskFormat.CLASSIFICATION.sequence(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, null, S, 5);
        assertThat(s).containsExactly(100, 1, 2, 3, 102);
    }

    @Test
    void pairTruncationCutsTheLongerTextFirst() {
        int[] s = TaskFormat.ENTAILMENT.sequence(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {20, 21}, S, 8);
        assertThat(s).containsExactly(100, 1, 2, 3, 101, 20, 21, 102);
        int[] both = TaskFormat.ENTAILMENT.sequence(new int[] {1, 2, 3, 4}, new int[] {20, 21, 22, 23}, S, 7);
        assertThat(both).containsExactly(100, 1, 2, 101, 20, 21, 102);
    }

    @Test
    void paddedBatchTargetsAreNextTokensAndExtractIsTheLastRealPosition() {
        TaskBatch b = TaskBatch.of(List.of(new int[] {100, 5, 102}, new int[] {100, 5, 6, 7, 102}), new int[] {0, 1}, S.pad());
        assertThat(b.length()).isEqualTo(5);
        assertThat(b.tokens()).containsExactly(100, 5, 102, 103, 103, 100, 5, 6, 7, 102);
        assertThat(b.targets()).containsExactly(5, 102, -1, -1, -1, 5, 6, 7, 102, -1);
        assertThat(b.extract()).containsExactly(2, 4);
    }
}
