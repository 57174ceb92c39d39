package org.gpt4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sums over groups of rows (similarity's h_ab + h_ba) and their backward, the rows repeated,
 * against plain loops, at widths with and without a vector tail.
 */
class ElementwiseKernelsTest {

    @ParameterizedTest(name = "groups {0}, size {1}, width {2}")
    @CsvSource({"3, 2, 16", "2, 3, 37", "1, 1, 5", "4, 2, 256"})
    void sumGroupsAddsEachGroupsRowsInOrderAndRepeatRowsUndoesTheShape(int groups, int size, int width) {
        SplittableRandom rng = new SplittableRandom(groups * 31L + width);
        float[] x = new float[groups * size * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] sum = new float[groups * width];
        ElementwiseKernels.sumGroups(sum, x, groups, size, width);
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < width; i++) {
                float expected = x[g * size * width + i];
                for (int k = 1; k < size; k++) {
                    expected += x[(g * size + k) * width + i];
                }
                assertThat(sum[g * width + i]).as("group %d, column %d", g, i).isEqualTo(expected);
            }
        }
        float[] repeated = new float[groups * size * width];
        ElementwiseKernels.repeatRows(repeated, sum, groups, size, width);
        for (int r = 0; r < groups * size; r++) {
            for (int i = 0; i < width; i++) {
                assertThat(repeated[r * width + i]).isEqualTo(sum[(r / size) * width + i]);
            }
        }
    }
}
