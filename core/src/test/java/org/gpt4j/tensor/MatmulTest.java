package org.gpt4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every matrix-product form agrees with a naive triple loop (in double), on shapes that are not
 * multiples of the vector length or of the tile and block sizes: one row, one column, primes,
 * sizes just past a block boundary, and more rows than one block of A.
 */
class MatmulTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(1, 1, 1), Arguments.of(1, 7, 5), Arguments.of(1, 768, 2304),
                Arguments.of(3, 17, 33), Arguments.of(4, 16, 48), Arguments.of(5, 49, 47),
                Arguments.of(7, 130, 97), Arguments.of(8, 64, 65), Arguments.of(13, 129, 193),
                Arguments.of(64, 128, 384), Arguments.of(131, 257, 200), Arguments.of(260, 31, 1000),
                // more rows than one block: blocks rounded up to a multiple of the threads
                Arguments.of(1201, 23, 50));
    }

    static Stream<Arguments> blockedShapes() {
        return shapes().filter(shape -> (int) shape.get()[0] >= Gemm.PACK_MIN_ROWS);
    }

    @ParameterizedTest(name = "rows={0} in={1} out={2}")
    @MethodSource("shapes")
    void conv1dForwardAndBackwardMatchNaiveLoops(int rows, int in, int out) {
        SplittableRandom rng = new SplittableRandom(rows * 31L + in * 7L + out);
        float[] x = random(rows * in, rng);
        float[] w = random(in * out, rng);
        float[] bias = random(out, rng);
        float[] dy = random(rows * out, rng);

        float[] y = random(rows * out, rng); // garbage to be overwritten
        Matmul.forward(y, x, w, bias, rows, in, out);
        double[] expectY = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double s = bias[j];
                for (int k = 0; k < in; k++) {
                    s += (double) x[r * in + k] * w[k * out + j];
                }
                expectY[r * out + j] = s;
            }
        }
        assertClose(y, expectY, in);

        float[] dx = random(rows * in, rng);
        float[] dw = random(in * out, rng);
        float[] db = random(out, rng);
        double[] expectDx = toDouble(dx);
        double[] expectDw = toDouble(dw);
        double[] expectDb = toDouble(db);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double g = dy[r * out + j];
                expectDb[j] += g;
                for (int k = 0; k < in; k++) {
                    expectDx[r * in + k] += g * w[k * out + j];
                    expectDw[k * out + j] += g * x[r * in + k];
                }
            }
        }
        Matmul.backward(dx, dw, db, dy, x, w, rows, in, out);
        assertClose(dx, expectDx, out);
        assertClose(dw, expectDw, rows);
        assertClose(db, expectDb, rows);
    }

    @ParameterizedTest(name = "rows={0} in={1} out={2}")
    @MethodSource("shapes")
    void transposedForwardAndBackwardMatchNaiveLoops(int rows, int in, int out) {
        SplittableRandom rng = new SplittableRandom(rows * 17L + in * 5L + out);
        float[] x = random(rows * in, rng);
        float[] w = random(out * in, rng);
        float[] dy = random(rows * out, rng);

        float[] y = random(rows * out, rng);
        Matmul.forwardTransposed(y, x, w, rows, in, out);
        double[] expectY = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < out; v++) {
                double s = 0;
                for (int k = 0; k < in; k++) {
                    s += (double) x[r * in + k] * w[v * in + k];
                }
                expectY[r * out + v] = s;
            }
        }
        assertClose(y, expectY, in);

        float[] dx = random(rows * in, rng);
        float[] dw = random(out * in, rng);
        double[] expectDx = toDouble(dx);
        double[] expectDw = toDouble(dw);
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < out; v++) {
                double g = dy[r * out + v];
                for (int k = 0; k < in; k++) {
                    expectDx[r * in + k] += g * w[v * in + k];
                    expectDw[v * in + k] += g * x[r * in + k];
                }
            }
        }
        Matmul.backwardTransposed(dx, dw, dy, x, w, rows, in, out);
        assertClose(dx, expectDx, out);
        assertClose(dw, expectDw, rows);
    }

    /**
     * From 8 rows on, every output of the blocked product is one chain of fused multiply-adds over
     * k in order, starting from the bias: the exact bits of that chain, whatever the blocking, the
     * tile shape or the vector width (the bias starts the register tile's sums). Fewer rows are
     * streamed, their sums split over ranges of k.
     */
    @ParameterizedTest(name = "rows={0} in={1} out={2}")
    @MethodSource("blockedShapes")
    void blockedForwardIsOneChainOfFusedMultiplyAddsFromTheBias(int rows, int in, int out) {
        SplittableRandom rng = new SplittableRandom(rows * 17L + in + out * 3L);
        float[] x = random(rows * in, rng);
        float[] w = random(in * out, rng);
        float[] bias = random(out, rng);
        float[] y = random(rows * out, rng);
        Matmul.forward(y, x, w, bias, rows, in, out);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                float s = bias[j];
                for (int k = 0; k < in; k++) {
                    s = Math.fma(w[k * out + j], x[r * in + k], s);
                }
                assertThat(y[r * out + j]).as("y[%d, %d]", r, j).isEqualTo(s);
            }
        }
    }

    @ParameterizedTest(name = "rows={0} in={1} out={2}")
    @MethodSource("shapes")
    void resultsDoNotDependOnTheCallOrRepetition(int rows, int in, int out) {
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = random(rows * in, rng);
        float[] w = random(in * out, rng);
        float[] first = new float[rows * out];
        float[] second = new float[rows * out];
        Matmul.forward(first, x, w, null, rows, in, out);
        Matmul.forward(second, x, w, null, rows, in, out);
        assertThat(second).containsExactly(first);
    }

    static float[] random(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Float sums of n terms of size ~1 carry an error of a few ulps times sqrt(n). */
    static void assertClose(float[] actual, double[] expected, int terms) {
        double tolerance = 1e-6 * (8 + Math.sqrt(terms) * 4);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            if (Math.abs(actual[i] - expected[i]) > tolerance * scale) {
                throw new AssertionError("element " + i + ": " + actual[i] + " vs " + expected[i]
                        + " (tolerance " + tolerance * scale + ")");
            }
        }
    }
}
