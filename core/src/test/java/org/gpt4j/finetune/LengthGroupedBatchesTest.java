package org.gpt4j.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Grouped batches (a reward model's comparisons from one ranking): every example in exactly one
 * batch, a group never split, batches within the size unless one group is larger, and the order
 * fixed by the seed and epoch.
 */
class LengthGroupedBatchesTest {

    @Test
    void groupsStayTogetherAndEveryExampleIsBatchedOnce() {
        SplittableRandom rng = new SplittableRandom(3);
        List<Integer> groupOf = new ArrayList<>();
        List<Integer> lengthOf = new ArrayList<>();
        for (int g = 0; g < 300; g++) {
            // single comparisons, rankings of 3 and 4 (3 and 6 pairs), and one of 9 (36 pairs) > batch
            int size = g == 17 ? 36 : new int[] {1, 1, 3, 6}[rng.nextInt(4)];
            int length = 5 + rng.nextInt(60);
            for (int k = 0; k < size; k++) {
                groupOf.add(g);
                lengthOf.add(length + rng.nextInt(3));
            }
        }
        int[] groups = groupOf.stream().mapToInt(Integer::intValue).toArray();
        int[] lengths = lengthOf.stream().mapToInt(Integer::intValue).toArray();
        List<int[]> batches = LengthGroupedBatches.ofGroups(lengths, groups, 16, 1, 1);

        int[] seen = new int[lengths.length];
        Map<Integer, Integer> batchOfGroup = new HashMap<>();
        for (int b = 0; b < batches.size(); b++) {
            int[] batch = batches.get(b);
            assertThat(batch.length <= 16 || batch.length == 36).as("batch size %d", batch.length).isTrue();
            for (int i : batch) {
                seen[i]++;
                Integer earlier = batchOfGroup.putIfAbsent(groups[i], b);
                assertThat(earlier == null || earlier == b).as("group %d split", groups[i]).isTrue();
            }
        }
        assertThat(seen).containsOnly(1);
        int[][] first = batches.toArray(int[][]::new);
        assertThat(LengthGroupedBatches.ofGroups(lengths, groups, 16, 1, 1).toArray(int[][]::new)).isDeepEqualTo(first);
        assertThat(java.util.Arrays.deepEquals(LengthGroupedBatches.ofGroups(lengths, groups, 16, 1, 2).toArray(int[][]::new),
                first)).as("another epoch, another order").isFalse();
    }
}
