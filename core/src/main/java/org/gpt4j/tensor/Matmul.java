package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix products of a row-major activation {@code x [rows, in]} with a weight matrix, in the two
 * layouts a GPT needs, with their backward forms.
 * <ul>
 *   <li>{@code forward}/{@code backward}: W is {@code [in, out]} (GPT-2's Conv1D): y = x W + b.</li>
 *   <li>{@code forwardTransposed}/{@code backwardTransposed}: W is {@code [out, in]}: y = x W^T
 *       (the unembedding, which reuses the token embedding {@code wte [V, C]}).</li>
 * </ul>
 * Backward forms accumulate (+=) into the gradients, so gradient accumulation needs no copies.
 */
public final class Matmul {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lane i pairs with lane i ^ half, for half = L/2, L/4, ..., 1: a fixed summation tree. */
    private static final VectorShuffle<Float>[] PAIRS = pairs();

    private Matmul() {
    }

    /** y[r, j] = b[j] + sum_k x[r, k] w[k, j]; {@code bias} may be null. */
    public static void forward(float[] y, float[] x, float[] w, float[] bias, int rows, int in, int out) {
        Parallel.forRange(rows, (long) in * out, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int yo = r * out;
                if (bias != null) {
                    System.arraycopy(bias, 0, y, yo, out);
                } else {
                    java.util.Arrays.fill(y, yo, yo + out, 0f);
                }
                int xo = r * in;
                for (int k = 0; k < in; k++) {
                    axpy(x[xo + k], w, k * out, y, yo, out);
                }
            }
        });
    }

    /**
     * Given dy = dL/dy: dx += dy W^T, dw += x^T dy, db += sum over rows of dy. Any of dx, dw, db
     * may be null when not wanted.
     */
    public static void backward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                int rows, int in, int out) {
        if (dx != null) {
            Parallel.forRange(rows, (long) in * out, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    for (int k = 0; k < in; k++) {
                        dx[r * in + k] += dot(dy, r * out, w, k * out, out);
                    }
                }
            });
        }
        if (dw != null) {
            Parallel.forRange(in, (long) rows * out, (k0, k1) -> {
                for (int k = k0; k < k1; k++) {
                    for (int r = 0; r < rows; r++) {
                        axpy(x[r * in + k], dy, r * out, dw, k * out, out);
                    }
                }
            });
        }
        if (db != null) {
            for (int r = 0; r < rows; r++) {
                axpy(1f, dy, r * out, db, 0, out);
            }
        }
    }

    /** y[r, v] = sum_k x[r, k] w[v, k], with W stored {@code [out, in]}. */
    public static void forwardTransposed(float[] y, float[] x, float[] w, int rows, int in, int out) {
        Parallel.forRange(out, (long) rows * in, (v0, v1) -> {
            for (int r = 0; r < rows; r++) {
                for (int v = v0; v < v1; v++) {
                    y[r * out + v] = dot(x, r * in, w, v * in, in);
                }
            }
        });
    }

    /** Backward of {@link #forwardTransposed}: dx += dy W, dw += dy^T x. Either may be null. */
    public static void backwardTransposed(float[] dx, float[] dw, float[] dy, float[] x, float[] w,
                                          int rows, int in, int out) {
        if (dx != null) {
            Parallel.forRange(rows, (long) in * out, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    for (int v = 0; v < out; v++) {
                        axpy(dy[r * out + v], w, v * in, dx, r * in, in);
                    }
                }
            });
        }
        if (dw != null) {
            Parallel.forRange(out, (long) rows * in, (v0, v1) -> {
                for (int v = v0; v < v1; v++) {
                    for (int r = 0; r < rows; r++) {
                        axpy(dy[r * out + v], x, r * in, dw, v * in, in);
                    }
                }
            });
        }
    }

    /** y[yo .. yo+n) += a * x[xo .. xo+n). */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        if (a == 0f) {
            return;
        }
        FloatVector av = FloatVector.broadcast(S, a);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            FloatVector yv = FloatVector.fromArray(S, y, yo + i);
            xv.fma(av, yv).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
        }
    }

    /** sum_i a[ao + i] * b[bo + i]. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float sum = sumLanes(acc);
        for (; i < n; i++) {
            sum = Math.fma(a[ao + i], b[bo + i], sum);
        }
        return sum;
    }

    /**
     * The sum of the lanes in one fixed tree order. Not reduceLanes(ADD): its order is unspecified
     * and differs between interpreted and compiled code, so results (and a resumed run's losses)
     * would depend on when the JIT compiled this method.
     */
    static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> p : PAIRS) {
            v = v.add(v.rearrange(p));
        }
        return v.lane(0);
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] pairs() {
        int levels = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] out = new VectorShuffle[levels];
        for (int k = 0, half = L / 2; k < levels; k++, half /= 2) {
            int h = half;
            out[k] = VectorShuffle.fromOp(S, i -> i ^ h);
        }
        return out;
    }
}
