package org.gpt4j.tensor;

/**
 * Matrix products with a {@link CompactMatrix} weight, the inference counterparts of
 * {@link Matmul#forward} and {@link Matmul#forwardTransposed}. Every compact matrix keeps one
 * output's weights in one row: the token embedding as it is, the Conv1D layers' {@code [in, out]}
 * weights transposed.
 *
 * <p>With few rows (decoding: one row per sequence) each weight is used once, so the product runs
 * at the speed memory delivers the weights: each output is a dot product over one row, the rows
 * in order, so that the matrix is read front to back as one run, in its compact form, widened to
 * floats in registers (where bf16 and int8 save time); an int8 row's scale is applied once, to its
 * finished sum. With many rows (a prompt, an evaluation) the blocked {@link Gemm} runs as for f32
 * weights, widening W as it packs it: the widening is one pass over the weights, shared by all
 * rows.
 *
 * <p>Why one row at a time: on an AMD EPYC (Zen 5, 2 threads, GPT-2's 48 block matrices in bf16,
 * from memory) the dot over rows of the transposed copy moved 16-19.5 Gweights/s where eight
 * rows of the {@code [in, out]} layout added into a row of sums at a time (the previous kernel)
 * moved 12.6-15.7 with 512-bit vectors, 18.7-19.8 against 14.8-15.3 with 256-bit ones; f32's
 * streamed product moved 8-12 in the same run.
 */
public final class CompactMatmul {

    /** Floats of packed, widened weights per slice of W in the many-rows path (8 MiB). */
    private static final int BLOCK_FLOATS = 1 << 21;

    private CompactMatmul() {
    }

    /**
     * y[r, j] = b[j] + sum_k x[r, k] W(k, j) for a layer's weight W {@code [in, out]} (GPT-2's
     * Conv1D), held as its transposed compact copy {@code [out, in]} ({@link
     * CompactMatrix#transposedOf}); {@code bias} may be null. Many rows: W is widened once into
     * the product's packed panels, as {@link Matmul#forward} packs an f32 W.
     */
    public static void forward(float[] y, float[] x, CompactMatrix w, float[] bias, int rows) {
        if (!w.rowChannels()) {
            throw new IllegalArgumentException("forward needs the transposed copy [out, in] of a layer's weights");
        }
        int out = w.rows();
        int in = w.cols();
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("bias of " + bias.length + " values for " + out + " outputs");
        }
        if (rows < Gemm.PACK_MIN_ROWS && !Matmul.rowIndependent()) {
            dotRows(y, x, w, bias, rows, in, out);
            return;
        }
        for (int r = 0; r < rows; r++) {
            if (bias != null) {
                System.arraycopy(bias, 0, y, r * out, out);
            } else {
                java.util.Arrays.fill(y, r * out, (r + 1) * out, 0f);
            }
        }
        widenedProduct(y, x, w, rows, in, out);
    }

    /**
     * y[r, v] = sum_k x[r, k] W(v, k) for W {@code [out, in]} with row channels (the tied
     * unembedding, which reads the token embedding {@code [V, C]}).
     */
    public static void forwardTransposed(float[] y, float[] x, CompactMatrix w, int rows) {
        if (!w.rowChannels()) {
            throw new IllegalArgumentException("forwardTransposed needs a [out, in] matrix with row channels");
        }
        int out = w.rows();
        int in = w.cols();
        if (rows < Gemm.PACK_MIN_ROWS && !Matmul.rowIndependent()) {
            dotRows(y, x, w, null, rows, in, out);
            return;
        }
        java.util.Arrays.fill(y, 0, rows * out, 0f);
        widenedProduct(y, x, w, rows, in, out);
    }

    /**
     * y[i, v] += sum_p x[i, p] W(v, p) by the blocked {@link Gemm} with B = W^T widened as it is
     * packed, in slices of W's rows, so that the packed panels stay bounded (8 MiB) however many
     * outputs (a vocabulary) W has. (Widening slices into a float copy first, then the product
     * with B transposed, as the unembedding did before, was 25-50% slower for GPT-2's prefill.)
     */
    private static void widenedProduct(float[] y, float[] x, CompactMatrix w, int rows, int in, int out) {
        long slices = ((long) out * in + BLOCK_FLOATS - 1) / BLOCK_FLOATS;
        int height = (int) ((out + slices - 1) / slices + Gemm.NR - 1) / Gemm.NR * Gemm.NR;
        for (int v0 = 0; v0 < out; v0 += height) {
            int first = v0;
            Gemm.blocked(rows, Math.min(height, out - v0), in, x, 0, in, 1,
                    (panel, po, p0, kc, j0, nj) -> w.packTransposedPanels(panel, po, p0, kc, first + j0, nj, Gemm.NR),
                    y, v0, out, true);
        }
    }

    /**
     * y[i, v] = b[v] + sum_p x[i, p] W(v, p): W's rows in order, each widened once per row of x,
     * so that the whole matrix is read front to back as one run of memory.
     */
    private static void dotRows(float[] y, float[] x, CompactMatrix w, float[] bias, int m, int k, int n) {
        Parallel.forRange(n, (long) m * k, (v0, v1) -> {
            for (int v = v0; v < v1; v++) {
                float b = bias == null ? 0f : bias[v];
                for (int i = 0; i < m; i++) {
                    float dot = w.format() == WeightFormat.BF16
                            ? CompactStream.bf16Dot(x, i * k, w.bf16(), v * k, k)
                            : CompactStream.int8Dot(x, i * k, w.int8(), v * k, k) * w.scale(v);
                    y[i * n + v] = b + dot;
                }
            }
        });
    }
}
