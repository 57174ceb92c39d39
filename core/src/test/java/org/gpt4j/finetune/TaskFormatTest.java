package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void similarityIsBothOrders() {
        int[][] s = TaskFormat.SIMILARITY.sequences(new int[] {5, 6}, List.of(new int[] {8}), S, 16);
        assertThat(s).hasDimensions(2, 6);
        assertThat(s[0]).containsExactly(100, 5, 6, 101, 8, 102);
        assertThat(s[1]).containsExactly(100, 8, 101, 5, 6, 102);
    }

    @Test
    void multipleChoiceIsOneSequencePerOptionEachTruncatedOnItsOwn() {
        int[][] s = TaskFormat.MULTIPLE_CHOICE.sequences(new int[] {1, 2, 3, 4}, List.of(new int[] {7}, new int[] {8, 9, 10, 11}),
                S, 8);
        assertThat(s).hasNumberOfRows(2);
        assertThat(s[0]).containsExactly(100, 1, 2, 3, 4, 101, 7, 102);
        assertThat(s[1]).containsExactly(100, 1, 2, 101, 8, 9, 10, 102);
        assertThat(TaskFormat.MULTIPLE_CHOICE.headRows(4)).isEqualTo(1);
        assertThat(TaskFormat.SIMILARITY.headRows(4)).isEqualTo(4);
    }

    @Test
    void everyFormatHasItsConfigNameAndAnUnknownOneIsNamed() {
        for (TaskFormat f : TaskFormat.values()) {
            assertThat(TaskFormat.fromConfigName(f.configName())).isSameAs(f);
        }
        assertThatThrownBy(() -> TaskFormat.fromConfigName("regression")).hasMessageContaining("'regression'")
                .hasMessageContaining("multiple-choice");
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

    @Test
    void groupedBatchKeepsAnExampleSequencesConsecutiveAndOneLabelPerExample() {
        int[][] first = {{100, 5, 101, 6, 102}, {100, 6, 101, 5, 102}};
        int[][] second = {{100, 7, 101, 8, 9, 102}, {100, 8, 9, 101, 7, 102}};
        TaskBatch b = TaskBatch.ofExamples(List.of(first, second), new int[] {1, 0}, S.pad());
        assertThat(b.batch()).isEqualTo(4);
        assertThat(b.group()).isEqualTo(2);
        assertThat(b.examples()).isEqualTo(2);
        assertThat(b.length()).isEqualTo(6);
        assertThat(b.extract()).containsExactly(4, 4, 5, 5);
        assertThat(b.labels()).containsExactly(1, 0);
        assertThat(java.util.Arrays.copyOfRange(b.tokens(), 6, 12)).containsExactly(100, 6, 101, 5, 102, 103);
        assertThatThrownBy(() -> TaskBatch.ofExamples(List.of(first, new int[][] {{100, 102}}), new int[] {0, 0}, S.pad()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same number of sequences");
    }
}
