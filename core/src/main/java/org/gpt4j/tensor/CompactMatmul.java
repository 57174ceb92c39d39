package org.gpt4j.tensor;

/**
 * Matrix products with a {@link CompactMatrix} weight, the inference counterparts of
 * {@link Matmul#forward} and {@link Matmul#forwardTransposed}.
 *
 * <p>With few rows (decoding: one row per sequence) each weight is used once, so the product runs
 * at the speed memory delivers the weights: they are streamed in their compact form and widened
 * to floats in registers, which is where bf16 and int8 save time; an int8 column's scale is
 * applied once, to its finished sum. With many rows (a prompt, an evaluation) the
 * blocked {@link Gemm} runs as for f32 weights, widening each block of W as it packs it (the
 * transposed form widens blocks of rows into a float scratch first): the widening is one pass
 * over the weights, shared by all rows.
 */
public final class CompactMatmul {

    /** Floats of widened weights per block in the many-rows path (8 MiB). */
    private static final int BLOCK_FLOATS = 1 << 21;
    private static final ThreadLocal<float[]> BLOCK = ThreadLocal.withInitial(() -> new float[0]);

    private CompactMatmul() {
    }

    /**
     * y[r, j] = b[j] + sum_k x[r, k] W(k, j) for W {@code [in, out]} with column channels
     * (GPT-2's Conv1D); {@code bias} may be null.
     */
    public static void forward(float[] y, float[] x, CompactMatrix w, float[] bias, int rows) {
        if (w.rowChannels()) {
            throw new IllegalArgumentException("forward needs a [in, out] matrix with column channels");
        }
        int in = w.rows();
        int out = w.cols();
        for (int r = 0; r < rows; r++) {
            if (bias != null) {
                System.arraycopy(bias, 0, y, r * out, out);
            } else {
                java.util.Arrays.fill(y, r * out, (r + 1) * out, 0f);
            }
        }
        if (rows < Gemm.PACK_MIN_ROWS && !Matmul.rowIndependent()) {
            streamRows(y, x, w, rows, in, out);
            return;
        }
        // W is widened straight into the product's packed panels: a micro-panel at a time for one block of
        // rows (a decoding batch: no float copy of W), once into a shared copy for longer inputs.
        Gemm.blocked(rows, out, in, x, 0, in, 1, (panel, po, p0, kc, j0, nj) -> w.packPanels(panel, po, p0, kc, j0, nj, Gemm.NR),
                y, 0, out, true);
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
            dotRows(y, x, w, rows, in, out);
            return;
        }
        int height = Math.max(Gemm.MR, BLOCK_FLOATS / Math.max(1, in));
        for (int start = 0; start < out; start += height) {
            int v0 = start;
            int v1 = Math.min(out, v0 + height);
            float[] block = scratch(BLOCK, (v1 - v0) * in);
            Parallel.forRange(v1 - v0, in, (a, b) -> w.dequantizeRows(v0 + a, v0 + b, block, a * in));
            Gemm.gemmTransposedB(v1 - v0, rows, in, block, 0, in, 1, x, 0, in, y, v0, out, true, false);
        }
    }

    /**
     * y[i, j] += sum_p x[i, p] W(p, j) with the weights streamed: W's rows cut into
     * {@link RowRanges}, one task each reading one long run of memory into its own partial result,
     * eight rows of W at a time for all rows of x (see {@link CompactStream}); the partials are
     * added in range order at the end, where an int8 column's scale is applied once.
     */
    private static void streamRows(float[] y, float[] x, CompactMatrix w, int m, int k, int n) {
        int ranges = RowRanges.count(k);
        int size = m * n;
        float[] partial = RowRanges.partials(ranges, size);
        Parallel.forEach(ranges, (long) size * k / ranges, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int p1 = RowRanges.start(k, r + 1, ranges);
                int base = r * size;
                java.util.Arrays.fill(partial, base, base + size, 0f);
                int p = RowRanges.start(k, r, ranges);
                for (; p + 8 <= p1; p += 8) {
                    for (int i = 0; i < m; i++) {
                        if (w.format() == WeightFormat.BF16) {
                            CompactStream.bf16Axpy8(x, i * k + p, w.bf16(), p * n, n, partial, base + i * n);
                        } else {
                            CompactStream.int8Axpy8(x, i * k + p, w.int8(), p * n, n, partial, base + i * n);
                        }
                    }
                }
                for (; p < p1; p++) {
                    for (int i = 0; i < m; i++) {
                        if (w.format() == WeightFormat.BF16) {
                            CompactStream.bf16Axpy1(x[i * k + p], w.bf16(), p * n, n, partial, base + i * n);
                        } else {
                            CompactStream.int8Axpy1(x[i * k + p], w.int8(), p * n, n, partial, base + i * n);
                        }
                    }
                }
            }
        });
        float[] scales = w.format() == WeightFormat.INT8 ? w.scales() : null;
        for (int i = 0; i < m; i++) {
            RowRanges.addPartials(y, i * n, true, partial, i * n, size, ranges, scales, n);
        }
    }

    private static float[] scratch(ThreadLocal<float[]> local, int n) {
        float[] b = local.get();
        if (b.length < n) {
            b = new float[n];
            local.set(b);
        }
        return b;
    }

    /** y[i, v] = sum_p x[i, p] W(v, p): W's rows in order, each widened once per row of x. */
    private static void dotRows(float[] y, float[] x, CompactMatrix w, int m, int k, int n) {
        Parallel.forRange(n, (long) m * k, (v0, v1) -> {
            for (int v = v0; v < v1; v++) {
                for (int i = 0; i < m; i++) {
                    y[i * n + v] = w.format() == WeightFormat.BF16
                            ? CompactStream.bf16Dot(x, i * k, w.bf16(), v * k, k)
                            : CompactStream.int8Dot(x, i * k, w.int8(), v * k, k) * w.scale(v);
                }
            }
        });
    }
}
