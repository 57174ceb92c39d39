package org.gpt4j.tensor;

import static org.gpt4j.tensor.Gemm.L;
import static org.gpt4j.tensor.Gemm.MR;
import static org.gpt4j.tensor.Gemm.NR;
import static org.gpt4j.tensor.Gemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * The products of {@link Gemm} that stream B in place instead of packing it into panels: few
 * rows of A (decoding), where each element of B is used once or a few times and copying B would
 * cost as much as the product. {@link #rows} splits B's rows into ranges (the fastest for one
 * sequence); {@link #columns} and {@link #tiles} keep each output's sum one chain over k in
 * order, as the blocked product does, so that a row gets the same bits however many rows share
 * the call ({@link Matmul#rowIndependent}).
 */
final class GemmStreams {

    private GemmStreams() {
    }

    /**
     * Few rows (decoding): every element of B is used once, so the product runs at the speed
     * memory delivers B. B's rows are cut into {@link RowRanges}, one task each reading one long
     * run of memory into its own partial C, four rows of B per pass; the partials are then added
     * in range order.
     */
    static void rows(int m, int n, int k, float[] a, int ao, int ais, int aps,
                                   float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        int ranges = RowRanges.count(k);
        int size = m * n;
        float[] part = RowRanges.partials(ranges, size);
        Parallel.forEach(ranges, (long) size * k / ranges, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int p1 = RowRanges.start(k, r + 1, ranges);
                int base = r * size;
                java.util.Arrays.fill(part, base, base + size, 0f);
                int p = RowRanges.start(k, r, ranges);
                for (; p + 4 <= p1; p += 4) {
                    for (int i = 0; i < m; i++) {
                        int ap = ao + i * ais + p * aps;
                        axpy4(a[ap], a[ap + aps], a[ap + 2 * aps], a[ap + 3 * aps], b, bo + p * ldb, ldb,
                                part, base + i * n, 0, n);
                    }
                }
                for (; p < p1; p++) {
                    for (int i = 0; i < m; i++) {
                        Matmul.axpy(a[ao + i * ais + p * aps], b, bo + p * ldb, part, base + i * n, n);
                    }
                }
            }
        });
        for (int i = 0; i < m; i++) {
            RowRanges.addPartials(c, co + i * ldc, accumulate, part, i * n, size, ranges, n);
        }
    }

    /**
     * Few rows, row-independent ({@link Matmul#rowIndependent}): each C element is one chain of
     * fused multiply-adds over p in order, from C's value (accumulate) or 0: exactly the blocked
     * product's order, so a row gets the same bits here as among eight or more rows there. B is
     * still streamed once; the tasks split C's columns instead of B's rows.
     */
    static void columns(int m, int n, int k, float[] a, int ao, int ais, int aps,
                                      float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        // Slabs of at most SLAB columns: four rows of B's slab and the rows of C's stay in cache
        // while every row of A passes over them, so B is read from memory once.
        int slabs = Math.max(Math.min(2 * Parallel.threads(), Math.max(1, n / (4 * L))), (n + SLAB - 1) / SLAB);
        Parallel.forEach(slabs, (long) m * k * n / slabs, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                // Slab edges on whole vectors, so that a column's lane does not depend on the split.
                int j0 = (int) ((long) n * s / slabs) / L * L;
                int j1 = s + 1 == slabs ? n : (int) ((long) n * (s + 1) / slabs) / L * L;
                if (!accumulate) {
                    for (int i = 0; i < m; i++) {
                        java.util.Arrays.fill(c, co + i * ldc + j0, co + i * ldc + j1, 0f);
                    }
                }
                int p = 0;
                for (; p + 4 <= k; p += 4) {
                    for (int i = 0; i < m; i++) {
                        int ap = ao + i * ais + p * aps;
                        axpy4(a[ap], a[ap + aps], a[ap + 2 * aps], a[ap + 3 * aps], b, bo + p * ldb, ldb,
                                c, co + i * ldc, j0, j1);
                    }
                }
                for (; p < k; p++) {
                    for (int i = 0; i < m; i++) {
                        float ap = a[ao + i * ais + p * aps];
                        int ci = co + i * ldc;
                        for (int j = j0; j < j1; j++) {
                            c[ci + j] = Math.fma(ap, b[bo + p * ldb + j], c[ci + j]);
                        }
                    }
                }
            }
        });
    }

    /** Columns per slab of {@link #columns}: 8 KB of a row of B. */
    private static final int SLAB = 2048;

    /** Most rows for which a row-independent product reads B in place rather than packing it. */
    static final int TILE_MAX_ROWS = 64;

    /**
     * A continuous batch's rows, row-independent: the register tile reads B where it lies (B's
     * rows {@code ldb} apart), so B is not copied into panels on every call, which for a decoding
     * step costs as much as the product (10 ms for GPT-2's 384 x 50,257 unembedding). Each C
     * element is one chain of fused multiply-adds over p from C's value or 0, as in
     * {@link #columns} and the blocked product. Tasks own panels of NR columns; the last,
     * partial one is packed (zero-padded) so that no read passes B's end.
     */
    static void tiles(int m, int n, int k, float[] a, int ao, int ais, int aps,
                                    float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        int rowPanels = (m + MR - 1) / MR;
        float[] ap = new float[rowPanels * MR * k];
        GemmPacking.packA(ap, m, k, a, ao, ais, aps);
        int panels = (n + NR - 1) / NR;
        Parallel.forRange(panels, (long) rowPanels * MR * k * NR, (q0, q1) -> {
            float[] tmp = Gemm.scratchTile();
            for (int q = q0; q < q1; q++) {
                int j = q * NR;
                int valid = Math.min(NR, n - j);
                float[] src = b;
                int so = bo + j;
                int stride = ldb;
                if (valid < NR) {
                    src = new float[k * NR];
                    GemmPacking.pack(src, k, valid, b, bo + j, ldb);
                    so = 0;
                    stride = NR;
                }
                for (int i = 0; i < m; i += MR) {
                    int rows = Math.min(MR, m - i);
                    if (rows == MR && valid == NR) {
                        GemmTiles.fullTile(k, ap, i * k, src, so, stride, c, co + i * ldc + j, ldc,
                                accumulate ? c : null, co + i * ldc + j, ldc);
                    } else {
                        GemmTiles.partialTile(rows, valid, k, ap, i * k, src, so, stride, c, co + i * ldc + j, ldc,
                                accumulate ? c : null, co + i * ldc + j, ldc, tmp);
                    }
                }
            }
        });
    }

    /** c[co + j] += a0 b[bo + j] + a1 b[bo + ldb + j] + a2 ... + a3 ..., for j in [j0, j1), in that order. */
    private static void axpy4(float a0, float a1, float a2, float a3, float[] b, int bo, int ldb,
                              float[] c, int co, int j0, int j1) {
        FloatVector v0 = FloatVector.broadcast(S, a0);
        FloatVector v1 = FloatVector.broadcast(S, a1);
        FloatVector v2 = FloatVector.broadcast(S, a2);
        FloatVector v3 = FloatVector.broadcast(S, a3);
        int j = j0;
        for (int bound = j0 + S.loopBound(j1 - j0); j < bound; j += L) {
            FloatVector acc = FloatVector.fromArray(S, c, co + j);
            acc = FloatVector.fromArray(S, b, bo + j).fma(v0, acc);
            acc = FloatVector.fromArray(S, b, bo + ldb + j).fma(v1, acc);
            acc = FloatVector.fromArray(S, b, bo + 2 * ldb + j).fma(v2, acc);
            acc = FloatVector.fromArray(S, b, bo + 3 * ldb + j).fma(v3, acc);
            acc.intoArray(c, co + j);
        }
        for (; j < j1; j++) {
            float acc = c[co + j];
            acc = Math.fma(a0, b[bo + j], acc);
            acc = Math.fma(a1, b[bo + ldb + j], acc);
            acc = Math.fma(a2, b[bo + 2 * ldb + j], acc);
            acc = Math.fma(a3, b[bo + 3 * ldb + j], acc);
            c[co + j] = acc;
        }
    }
}
