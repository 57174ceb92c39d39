package org.gpt4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The compact products equal the f32 products over the widened weights, for row counts on both
 * sides of the streaming / widen-then-multiply switch and widths with vector tails; and the
 * formats round as PyTorch does.
 */
class CompactMatmulTest {

    /** Up to 250: past one block of rows ({@code Gemm.MC}), where B is packed once for all tasks. */
    private static final int[] ROWS = {1, 2, 3, 5, 7, 8, 9, 20, 250};
    private static final int[][] SHAPES = {{1, 1}, {3, 5}, {16, 16}, {17, 33}, {48, 200}, {200, 48}, {64, 1000}};

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "INT8"})
    void aConv1DWeightStoredTransposedGivesTheF32ProductOfItsWidenedWeightsAndBias(WeightFormat format) {
        SplittableRandom rng = new SplittableRandom(3);
        for (int[] shape : SHAPES) {
            int in = shape[0];
            int out = shape[1];
            float[] conv1d = random(in * out, rng);
            CompactMatrix w = CompactMatrix.transposedOf(conv1d, in, out, format);
            assertThat(w.rows()).isEqualTo(out);
            assertThat(w.cols()).isEqualTo(in);
            assertThat(w.rowChannels()).isTrue();
            float[] widened = new float[in * out];
            ElementwiseKernels.transpose(widened, widened(w), out, in);
            float[] bias = random(out, rng);
            for (int rows : ROWS) {
                float[] x = random(rows * in, rng);
                float[] expected = new float[rows * out];
                Matmul.forward(expected, x, widened, bias, rows, in, out);
                float[] actual = random(rows * out, rng);          // overwritten, not added to
                CompactMatmul.forward(actual, x, w, bias, rows);
                assertClose(actual, expected, format + " " + rows + "x" + in + "x" + out);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "INT8"})
    void aMatrixWiderThanOneSliceOfPackedPanelsIsMultipliedSliceBySlice(WeightFormat format) {
        // 1,031 x 2,050 weights: more than the 2^21 floats of packed panels per slice, so the
        // many-rows path cuts W's rows into two slices (the second not a whole number of panels).
        SplittableRandom rng = new SplittableRandom(6);
        int in = 1031;
        int out = 2050;
        CompactMatrix w = CompactMatrix.of(random(out * in, rng), out, in, true, format);
        float[] widened = widened(w);
        int rows = 9;
        float[] x = random(rows * in, rng);
        float[] expected = new float[rows * out];
        Matmul.forwardTransposed(expected, x, widened, rows, in, out);
        float[] actual = random(rows * out, rng);
        CompactMatmul.forwardTransposed(actual, x, w, rows);
        assertClose(actual, expected, format + " two slices");
    }

    @Test
    void theTransposedInt8CopyHasTheCodesAndScalesOfTheColumnChannels() {
        SplittableRandom rng = new SplittableRandom(5);
        int in = 17;
        int out = 33;
        float[] conv1d = random(in * out, rng);
        CompactMatrix columns = CompactMatrix.of(conv1d, in, out, false, WeightFormat.INT8);
        CompactMatrix transposed = CompactMatrix.transposedOf(conv1d, in, out, WeightFormat.INT8);
        for (int j = 0; j < out; j++) {
            assertThat(transposed.scale(j)).isEqualTo(columns.scale(j));
            for (int p = 0; p < in; p++) {
                assertThat(transposed.quantized(j, p)).isEqualTo(columns.quantized(p, j));
            }
        }
        assertThatThrownBy(() -> CompactMatrix.transposedOf(new float[5], 2, 3, WeightFormat.BF16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 2 x 3");
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "INT8"})
    void forwardTransposedEqualsTheF32ProductOfTheWidenedWeights(WeightFormat format) {
        SplittableRandom rng = new SplittableRandom(4);
        for (int[] shape : SHAPES) {
            int in = shape[0];
            int out = shape[1];
            CompactMatrix w = CompactMatrix.of(random(out * in, rng), out, in, true, format);
            float[] widened = widened(w);
            for (int rows : ROWS) {
                float[] x = random(rows * in, rng);
                float[] expected = new float[rows * out];
                Matmul.forwardTransposed(expected, x, widened, rows, in, out);
                float[] actual = random(rows * out, rng);
                CompactMatmul.forwardTransposed(actual, x, w, rows);
                assertClose(actual, expected, format + " transposed " + rows + "x" + in + "x" + out);
            }
        }
    }

    @Test
    void bf16RoundsToNearestEvenAsTorchDoes() {
        // 1 + 2^-8 is halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even one, 1.
        assertThat(CompactMatrix.fromBf16(CompactMatrix.toBf16(1f + 0x1p-8f))).isEqualTo(1f);
        // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: the even one is 1 + 2^-6.
        assertThat(CompactMatrix.fromBf16(CompactMatrix.toBf16(1f + 3 * 0x1p-8f))).isEqualTo(1f + 0x1p-6f);
        assertThat(CompactMatrix.fromBf16(CompactMatrix.toBf16(1f + 0x1p-8f + 0x1p-20f))).isEqualTo(1f + 0x1p-7f);
        assertThat(CompactMatrix.fromBf16(CompactMatrix.toBf16(-2.5f))).isEqualTo(-2.5f);
        assertThat(CompactMatrix.fromBf16(CompactMatrix.toBf16(Float.MAX_VALUE))).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(CompactMatrix.fromBf16(CompactMatrix.toBf16(Float.NaN))).isNaN();
        assertThat(CompactMatrix.fromBf16(CompactMatrix.toBf16(Float.NEGATIVE_INFINITY))).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void int8ScalesEachOutputChannelByItsLargestWeight() {
        float[] w = {0.5f, -2f, 0f,
                     -1f, 1f, 0f};
        CompactMatrix columns = CompactMatrix.of(w, 2, 3, false, WeightFormat.INT8);
        assertThat(columns.scale(0)).isEqualTo(1f / 127f);
        assertThat(columns.scale(2)).as("an all-zero channel").isEqualTo(1f);
        assertThat(columns.quantized(0, 0)).isEqualTo(64);                    // rint(63.5) = 64, the even one
        assertThat(columns.quantized(1, 0)).isEqualTo(-127);
        assertThat(columns.quantized(0, 1)).isEqualTo(-127);
        assertThat(columns.quantized(1, 1)).isEqualTo(64);
        assertThat(columns.get(1, 2)).isZero();
        CompactMatrix rows = CompactMatrix.of(w, 2, 3, true, WeightFormat.INT8);
        assertThat(rows.scale(0)).isEqualTo(2f / 127f);
        assertThat(rows.quantized(0, 0)).isEqualTo(32);                       // rint(31.75)
        assertThat(rows.bytes()).isEqualTo(6 + 2 * 4);
    }

    @Test
    void refusesF32NonFiniteWeightsAndMismatchedShapes() {
        assertThatThrownBy(() -> CompactMatrix.of(new float[4], 2, 2, false, WeightFormat.F32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CompactMatrix.of(new float[5], 2, 2, false, WeightFormat.INT8))
                .hasMessageContaining("2 x 2");
        assertThatThrownBy(() -> CompactMatrix.of(new float[] {1, Float.NaN}, 1, 2, true, WeightFormat.INT8))
                .hasMessageContaining("channel 0");
        assertThatThrownBy(() -> WeightFormat.parse("fp8")).hasMessageContaining("f32, bf16 or int8");
        assertThat(WeightFormat.parse(" BF16 ")).isEqualTo(WeightFormat.BF16);
    }

    private static float[] widened(CompactMatrix w) {
        float[] out = new float[w.rows() * w.cols()];
        w.dequantizeRows(0, w.rows(), out, 0);
        for (int r = 0; r < w.rows(); r++) {
            for (int c = 0; c < w.cols(); c++) {
                assertThat(out[r * w.cols() + c]).isEqualTo(w.get(r, c));
            }
        }
        return out;
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        double scale = 1e-30;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
        }
        assertThat(diff / scale).as(what).isLessThan(1e-5);
    }

    private static float[] random(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }
}
