package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
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

    /**
     * Bound while every product must compute each row of x the same way whatever rows share the
     * call: each output is then summed over k in one order that does not depend on the number
     * of rows (the few-rows kernels that split k into ranges are not used). A server's continuous
     * batch decodes this way, so that a sequence gets the same bits alone or beside others.
     */
    private static final ScopedValue<Boolean> ROW_INDEPENDENT = ScopedValue.newInstance();

    /**
     * Below this many rows, x W^T runs as dot products ({@link GemmNT}) rather than by packing W:
     * packing reads and writes all of W (10 ms for GPT-2's 50,257 x 384 unembedding on an AVX-512
     * EPYC, whatever the rows), while the dot products cost about 0.6 ms a row (5.6 ms at 8 rows).
     */
    static final int DOT_MAX_ROWS = 16;

    private Matmul() {
    }

    /**
     * Runs {@code op} with every product in it row-independent (see {@link #ROW_INDEPENDENT}):
     * row r of the result is the same bits as the product of row r alone.
     */
    public static <T> T rowIndependent(java.util.function.Supplier<T> op) {
        return ScopedValue.where(ROW_INDEPENDENT, Boolean.TRUE).call(op::get);
    }

    /** True inside {@link #rowIndependent(java.util.function.Supplier)}. */
    public static boolean rowIndependent() {
        return ROW_INDEPENDENT.isBound();
    }

    /** y[r, j] = b[j] + sum_k x[r, k] w[k, j]; {@code bias} may be null. */
    public static void forward(float[] y, float[] x, float[] w, float[] bias, int rows, int in, int out) {
        Gemm.gemm(rows, out, in, x, 0, in, 1, w, 0, out, y, 0, out, false, bias);
    }

    /**
     * Given dy = dL/dy: dx += dy W^T, dw += x^T dy, db += sum over rows of dy. Any of dx, dw, db
     * may be null when not wanted.
     */
    public static void backward(float[] dx, float[] dw, float[] db, float[] dy, float[] x, float[] w,
                                int rows, int in, int out) {
        if (dx != null) {
            if (rows >= Gemm.PACK_MIN_ROWS) {
                Gemm.gemmTransposedB(rows, in, out, dy, 0, out, 1, w, 0, out, dx, 0, in, false, true);
            } else {
                GemmNT.gemm(rows, in, out, dy, 0, out, w, 0, out, dx, 0, in, true);
            }
        }
        if (dw != null) {
            Gemm.gemm(in, out, rows, x, 0, 1, in, dy, 0, out, dw, 0, out, true);
        }
        if (db != null) {
            columnSums(db, dy, rows, out);
        }
    }

    /** y[r, v] = sum_k x[r, k] w[v, k], with W stored {@code [out, in]}. */
    public static void forwardTransposed(float[] y, float[] x, float[] w, int rows, int in, int out) {
        // GemmNT sums each output in the same order for any number of rows: row-independent as it is.
        if (rows >= DOT_MAX_ROWS && !rowIndependent()) {
            // y^T = W x^T: W's rows are the long side, x^T is packed once.
            Gemm.gemmTransposedB(out, rows, in, w, 0, in, 1, x, 0, in, y, 0, out, true, false);
        } else {
            GemmNT.gemm(rows, out, in, x, 0, in, w, 0, in, y, 0, out, false);
        }
    }

    /** Backward of {@link #forwardTransposed}: dx += dy W, dw += dy^T x. Either may be null. */
    public static void backwardTransposed(float[] dx, float[] dw, float[] dy, float[] x, float[] w,
                                          int rows, int in, int out) {
        if (dx != null) {
            Gemm.gemm(rows, in, out, dy, 0, out, 1, w, 0, in, dx, 0, in, true);
        }
        if (dw != null) {
            Gemm.gemm(out, in, rows, dy, 0, 1, out, x, 0, in, dw, 0, in, true);
        }
    }

    /** The bias gradient of a product: db[j] += sum over rows of dy[r, j]. */
    public static void biasBackward(float[] db, float[] dy, int rows, int out) {
        columnSums(db, dy, rows, out);
    }

    /** db[j] += sum over rows of dy[r, j]; parallel over columns, rows summed in order. */
    static void columnSums(float[] db, float[] dy, int rows, int out) {
        int blocks = (out + L - 1) / L;
        Parallel.forRange(blocks, (long) rows * L, (q0, q1) -> {
            int j0 = q0 * L;
            int j1 = Math.min(out, q1 * L);
            for (int r = 0; r < rows; r++) {
                axpy(1f, dy, r * out + j0, db, j0, j1 - j0);
            }
        });
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
        float sum = VectorMath.sum(acc);
        for (; i < n; i++) {
            sum = Math.fma(a[ao + i], b[bo + i], sum);
        }
        return sum;
    }

}
