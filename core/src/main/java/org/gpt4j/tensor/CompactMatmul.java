package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;

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

    private static final int L = CompactMatrix.L;
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
        if (rows < Gemm.PACK_MIN_ROWS) {
            streamRows(y, x, w, rows, in, out);
            return;
        }
        // Each block of W is widened straight into the product's packed panels: no float copy of W.
        Gemm.blocked(rows, out, in, x, 0, in, 1, (panel, p0, kc, j0, nj) -> w.packPanels(panel, p0, kc, j0, nj, Gemm.NR),
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
        if (rows < Gemm.PACK_MIN_ROWS) {
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
     * four rows of W at a time for all rows of x; the partials are added in range order at the
     * end, where an int8 column's scale is applied once.
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
                for (; p + 4 <= p1; p += 4) {
                    for (int i = 0; i < m; i++) {
                        if (w.format() == WeightFormat.BF16) {
                            bf16Axpy4(x, i * k + p, w.bf16(), p * n, n, partial, base + i * n);
                        } else {
                            int8Axpy4(x, i * k + p, w.int8(), p * n, n, partial, base + i * n);
                        }
                    }
                }
                for (; p < p1; p++) {
                    for (int i = 0; i < m; i++) {
                        float a = x[i * k + p];
                        for (int j = 0; j < n; j++) {
                            partial[base + i * n + j] = Math.fma(a, raw(w, p, j), partial[base + i * n + j]);
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

    /** acc[ao + j] += x0 W(p, j) + x1 W(p+1, j) + x2 W(p+2, j) + x3 W(p+3, j) for every column j, bf16 W. */
    private static void bf16Axpy4(float[] x, int xo, short[] h, int ho, int n, float[] acc, int ao) {
        FloatVector a0 = FloatVector.broadcast(CompactMatrix.F, x[xo]);
        FloatVector a1 = FloatVector.broadcast(CompactMatrix.F, x[xo + 1]);
        FloatVector a2 = FloatVector.broadcast(CompactMatrix.F, x[xo + 2]);
        FloatVector a3 = FloatVector.broadcast(CompactMatrix.F, x[xo + 3]);
        int j = 0;
        for (int bound = CompactMatrix.F.loopBound(n); j < bound; j += L) {
            FloatVector s = FloatVector.fromArray(CompactMatrix.F, acc, ao + j);
            s = CompactMatrix.bf16Vector(h, ho + j).fma(a0, s);
            s = CompactMatrix.bf16Vector(h, ho + n + j).fma(a1, s);
            s = CompactMatrix.bf16Vector(h, ho + 2 * n + j).fma(a2, s);
            s = CompactMatrix.bf16Vector(h, ho + 3 * n + j).fma(a3, s);
            s.intoArray(acc, ao + j);
        }
        for (; j < n; j++) {
            float s = acc[ao + j];
            for (int r = 0; r < 4; r++) {
                s = Math.fma(x[xo + r], CompactMatrix.fromBf16(h[ho + r * n + j]), s);
            }
            acc[ao + j] = s;
        }
    }

    /** As {@link #bf16Axpy4} for int8 W, unscaled (the caller applies each column's scale). */
    private static void int8Axpy4(float[] x, int xo, byte[] q, int qo, int n, float[] acc, int ao) {
        FloatVector a0 = FloatVector.broadcast(CompactMatrix.F, x[xo]);
        FloatVector a1 = FloatVector.broadcast(CompactMatrix.F, x[xo + 1]);
        FloatVector a2 = FloatVector.broadcast(CompactMatrix.F, x[xo + 2]);
        FloatVector a3 = FloatVector.broadcast(CompactMatrix.F, x[xo + 3]);
        int j = 0;
        for (int bound = CompactMatrix.F.loopBound(n); j < bound; j += L) {
            FloatVector s = FloatVector.fromArray(CompactMatrix.F, acc, ao + j);
            s = CompactMatrix.int8Vector(q, qo + j).fma(a0, s);
            s = CompactMatrix.int8Vector(q, qo + n + j).fma(a1, s);
            s = CompactMatrix.int8Vector(q, qo + 2 * n + j).fma(a2, s);
            s = CompactMatrix.int8Vector(q, qo + 3 * n + j).fma(a3, s);
            s.intoArray(acc, ao + j);
        }
        for (; j < n; j++) {
            float s = acc[ao + j];
            for (int r = 0; r < 4; r++) {
                s = Math.fma(x[xo + r], q[qo + r * n + j], s);
            }
            acc[ao + j] = s;
        }
    }

    /** y[i, v] = sum_p x[i, p] W(v, p): four rows of W at a time, each widened once per row of x. */
    private static void dotRows(float[] y, float[] x, CompactMatrix w, int m, int k, int n) {
        int blocks = (n + 3) / 4;
        Parallel.forRange(blocks, (long) m * 4 * k, (b0, b1) -> {
            for (int blk = b0; blk < b1; blk++) {
                int v0 = blk * 4;
                int count = Math.min(4, n - v0);
                for (int i = 0; i < m; i++) {
                    if (count == 4) {
                        dot1x4(x, i * k, w, v0, k, y, i * n + v0);
                    } else {
                        for (int v = v0; v < v0 + count; v++) {
                            y[i * n + v] = dot(x, i * k, w, v, k);
                        }
                    }
                }
            }
        });
    }

    private static void dot1x4(float[] x, int xo, CompactMatrix w, int v0, int k, float[] y, int yo) {
        FloatVector s0 = FloatVector.zero(CompactMatrix.F), s1 = s0, s2 = s0, s3 = s0;
        int wo = v0 * k;
        int p = 0;
        int bound = CompactMatrix.F.loopBound(k);
        if (w.format() == WeightFormat.BF16) {
            short[] h = w.bf16();
            for (; p < bound; p += L) {
                FloatVector a = FloatVector.fromArray(CompactMatrix.F, x, xo + p);
                s0 = CompactMatrix.bf16Vector(h, wo + p).fma(a, s0);
                s1 = CompactMatrix.bf16Vector(h, wo + k + p).fma(a, s1);
                s2 = CompactMatrix.bf16Vector(h, wo + 2 * k + p).fma(a, s2);
                s3 = CompactMatrix.bf16Vector(h, wo + 3 * k + p).fma(a, s3);
            }
        } else {
            byte[] q = w.int8();
            for (; p < bound; p += L) {
                FloatVector a = FloatVector.fromArray(CompactMatrix.F, x, xo + p);
                s0 = CompactMatrix.int8Vector(q, wo + p).fma(a, s0);
                s1 = CompactMatrix.int8Vector(q, wo + k + p).fma(a, s1);
                s2 = CompactMatrix.int8Vector(q, wo + 2 * k + p).fma(a, s2);
                s3 = CompactMatrix.int8Vector(q, wo + 3 * k + p).fma(a, s3);
            }
        }
        y[yo] = finish(s0, x, xo, w, v0, p, k);
        y[yo + 1] = finish(s1, x, xo, w, v0 + 1, p, k);
        y[yo + 2] = finish(s2, x, xo, w, v0 + 2, p, k);
        y[yo + 3] = finish(s3, x, xo, w, v0 + 3, p, k);
    }

    /** A row's vector sum reduced, its last k - p terms added, its int8 scale applied. */
    private static float finish(FloatVector sum, float[] x, int xo, CompactMatrix w, int v, int p, int k) {
        float s = laneSum(sum);
        for (int i = p; i < k; i++) {
            s = Math.fma(x[xo + i], raw(w, v, i), s);
        }
        return scaled(w, v, s);
    }

    /** VectorMath's fixed-order sum; lane by lane where the kernels' species is not the preferred one. */
    private static float laneSum(FloatVector v) {
        if (v.species() == FloatVector.SPECIES_PREFERRED) {
            return VectorMath.sum(v);
        }
        float s = 0f;
        for (int i = 0; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    private static float dot(float[] x, int xo, CompactMatrix w, int v, int k) {
        float s = 0f;
        for (int i = 0; i < k; i++) {
            s = Math.fma(x[xo + i], raw(w, v, i), s);
        }
        return scaled(w, v, s);
    }

    /** A weight before its int8 scale (the bf16 value, or the int8 code). */
    private static float raw(CompactMatrix w, int r, int c) {
        return w.format() == WeightFormat.BF16 ? CompactMatrix.fromBf16(w.bf16()[r * w.cols() + c])
                : w.int8()[r * w.cols() + c];
    }

    private static float scaled(CompactMatrix w, int row, float sum) {
        return w.format() == WeightFormat.INT8 ? sum * w.scale(row) : sum;
    }
}
