package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one register-tiled, cache-blocked loop nest behind every {@link Matmul} form:
 * {@code C(i, j) (+)= sum_p A(i, p) B(p, j)} with B's rows contiguous in j.
 *
 * <ul>
 *   <li>A is read one scalar at a time through two strides, so {@code x} and {@code x^T} are the
 *       same call: {@code A(i, p) = a[ao + i * ais + p * aps]}.</li>
 *   <li>{@code B(p, j) = b[bo + p * ldb + j]}; {@code C(i, j) = c[co + i * ldc + j]}.</li>
 * </ul>
 *
 * <p>C is cut into tiles of up to {@link #MC} rows by {@link #NC} columns, one parallel task each
 * (each output written by one thread, the sum over p always in the same order). Within a task,
 * p runs in blocks of {@link #KC}; each block of B is copied into a contiguous panel (stays in
 * L2; one {@code KC x NR} micro-panel stays in L1), so is the task's block of A, in micro-panels
 * of MR rows, and a register tile of C ({@link GemmShape}: 6 x 3 vectors, or 5 x 2 on
 * 16-register machines) accumulates over them. With few rows (decoding) B is streamed in place:
 * every element is used once.
 */
final class Gemm {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** The register tile for this machine's registers. */
    static final GemmShape SHAPE = GemmShape.choose(VectorIsa.CURRENT, System.getProperty("gpt4j.gemm.tile"));
    /** Rows of the register tile. */
    static final int MR = SHAPE.rows();
    /** Vectors per row of the register tile. */
    static final int NV = SHAPE.vectors();
    /** Columns of the register tile. */
    static final int NR = NV * L;
    static final int KC = 128;
    /** Most rows of A per task (their KC columns stay in L2); blocks are evened out below this. */
    static final int MC = 240;
    static final int NC = 8 * NR;
    /** Below this many rows B is not packed. */
    static final int PACK_MIN_ROWS = 8;

    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[KC * NC]);
    /** This thread's packed block of A: micro-panels of MR rows, {@code apanel[q * kc * MR + p * MR + r]}. */
    private static final ThreadLocal<float[]> A_PANEL = ThreadLocal.withInitial(() -> new float[0]);
    /** The calling thread's packed transposed B, shared with the workers during one call. */
    private static final ThreadLocal<float[]> SHARED = ThreadLocal.withInitial(() -> new float[0]);
    /** A register tile on its way to a transposed C. */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    private static float[] scratchTile() {
        return TILE.get();
    }

    /** This thread's A panel, grown to hold {@code floats}. */
    private static float[] aPanel(int floats) {
        float[] panel = A_PANEL.get();
        if (panel.length < floats) {
            panel = new float[floats];
            A_PANEL.set(panel);
        }
        return panel;
    }

    /**
     * Copies rows [0, rows) x columns [0, kc) of A into micro-panels of MR rows, p-major
     * ({@code dst[q * kc * MR + p * MR + r] = A(q * MR + r, p)}), rows past the end zero: the tile
     * then reads A with constant strides, one cache line per step of k, whatever A's layout.
     */
    private static void packA(float[] dst, int rows, int kc, float[] a, int ao, int ais, int aps) {
        int panels = (rows + MR - 1) / MR;
        for (int q = 0; q < panels; q++) {
            int base = q * kc * MR;
            int valid = Math.min(MR, rows - q * MR);
            int src = ao + q * MR * ais;
            if (aps == 1) {
                for (int r = 0; r < valid; r++) {
                    for (int p = 0, from = src + r * ais; p < kc; p++) {
                        dst[base + p * MR + r] = a[from + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int from = src + p * aps;
                    int to = base + p * MR;
                    for (int r = 0; r < valid; r++) {
                        dst[to + r] = a[from + r * ais];
                    }
                }
            }
            if (valid < MR) {
                for (int p = 0; p < kc; p++) {
                    java.util.Arrays.fill(dst, base + p * MR + valid, base + (p + 1) * MR, 0f);
                }
            }
        }
    }

    private Gemm() {
    }

    /**
     * Columns per task: at most {@link #NC}, fewer when the row blocks alone would leave cores
     * idle (a 128-token prompt is one row block), so that there are about two tasks per thread.
     * A multiple of NR, so tasks start on a panel. Any blocking gives the same bits: each C
     * element's sum over k runs in the same order whoever computes it.
     */
    private static int columnBlock(int mBlocks, int n) {
        int wanted = Math.max(1, (2 * Parallel.threads() + mBlocks - 1) / mBlocks);
        int nc = (n + wanted - 1) / wanted;
        nc = (nc + NR - 1) / NR * NR;
        return Math.max(NR, Math.min(NC, nc));
    }

    /** Rows per task: m split into blocks of at most MC, as even as whole register tiles allow. */
    private static int rowBlock(int m) {
        int blocks = (m + MC - 1) / MC;
        int rows = (m + blocks - 1) / blocks;
        return Math.min(MC, (rows + MR - 1) / MR * MR);
    }

    static void gemm(int m, int n, int k, float[] a, int ao, int ais, int aps,
                     float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (Matmul.rowIndependent() && m < PACK_MIN_ROWS) {
            streamColumns(m, n, k, a, ao, ais, aps, b, bo, ldb, c, co, ldc, accumulate);
            return;
        }
        if (Matmul.rowIndependent() && m <= STREAM_TILE_MAX_ROWS) {
            streamTiles(m, n, k, a, ao, ais, aps, b, bo, ldb, c, co, ldc, accumulate);
            return;
        }
        if (m < PACK_MIN_ROWS) {
            streamRows(m, n, k, a, ao, ais, aps, b, bo, ldb, c, co, ldc, accumulate);
            return;
        }
        blocked(m, n, k, a, ao, ais, aps, (panel, p0, kc, j0, nj) -> pack(panel, kc, nj, b, bo + p0 * ldb + j0, ldb),
                c, co, ldc, accumulate);
    }

    /**
     * Where the blocked product gets B: packs rows [p0, p0 + kc) and columns [j0, j0 + n) of B
     * into panels of {@link #NR} columns ({@code panel[q * kc * NR + p * NR + jj]}), zero-padded.
     * A compact weight matrix widens itself straight into the panels.
     */
    @FunctionalInterface
    interface PanelSource {
        void pack(float[] panel, int p0, int kc, int j0, int n);
    }

    /** The blocked loop nest of {@link #gemm} for m >= 1 and k >= 1, with B from {@code b}. */
    static void blocked(int m, int n, int k, float[] a, int ao, int ais, int aps, PanelSource b,
                        float[] c, int co, int ldc, boolean accumulate) {
        int mc = rowBlock(m);
        int mBlocks = (m + mc - 1) / mc;
        int nc = columnBlock(mBlocks, n);
        int nBlocks = (n + nc - 1) / nc;
        long work = (long) Math.min(m, mc) * Math.min(n, nc) * k;
        Parallel.forEach(mBlocks * nBlocks, work, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int i0 = (t / nBlocks) * mc;
                int j0 = (t % nBlocks) * nc;
                int mi = Math.min(mc, m - i0);
                int nj = Math.min(nc, n - j0);
                packedTile(mi, nj, k, a, ao + i0 * ais, ais, aps, b, j0,
                        c, co + i0 * ldc + j0, ldc, accumulate);
            }
        });
    }

    /**
     * As {@link #gemm} with B stored transposed, {@code B(p, j) = b[bo + j * ldb + p]}, and C
     * optionally too, {@code C(i, j) = c[co + j * ldc + i]}. B is packed once, in parallel, into
     * the calling thread's scratch, which every task then reads. For at least
     * {@link #PACK_MIN_ROWS} rows (fewer rows want {@link GemmNT}). With C transposed, p is not
     * blocked, so that each C element is written once.
     */
    static void gemmTransposedB(int m, int n, int k, float[] a, int ao, int ais, int aps,
                                float[] b, int bo, int ldb, float[] c, int co, int ldc,
                                boolean cTransposed, boolean accumulate) {
        if (m <= 0 || n <= 0 || k <= 0) {
            gemm(cTransposed ? n : m, cTransposed ? m : n, 0, a, ao, ais, aps, b, bo, ldb, c, co, ldc, accumulate);
            return;
        }
        int kcMax = cTransposed ? k : KC;
        int panels = (n + NR - 1) / NR;
        int nPad = panels * NR;
        float[] packed = SHARED.get();
        if (packed.length < k * nPad) {
            packed = new float[k * nPad];
            SHARED.set(packed);
        }
        float[] bp = packed;
        Parallel.forRange(panels, (long) k * NR, (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                for (int p0 = 0; p0 < k; p0 += kcMax) {
                    int kc = Math.min(kcMax, k - p0);
                    packTransposed(bp, p0 * nPad + q * kc * NR, kc, Math.min(NR, n - q * NR),
                            b, bo + q * NR * ldb + p0, ldb);
                }
            }
        });
        int mc = rowBlock(m);
        int mBlocks = (m + mc - 1) / mc;
        int nc = columnBlock(mBlocks, n);
        int nBlocks = (n + nc - 1) / nc;
        long work = (long) Math.min(m, mc) * Math.min(n, nc) * k;
        Parallel.forEach(mBlocks * nBlocks, work, (t0, t1) -> {
            float[] tmp = scratchTile();
            float[] ap = aPanel(((mc + MR - 1) / MR) * MR * kcMax);
            for (int t = t0; t < t1; t++) {
                int i0 = (t / nBlocks) * mc;
                int j0 = (t % nBlocks) * nc;
                int mi = Math.min(mc, m - i0);
                int nj = Math.min(nc, n - j0);
                for (int p0 = 0; p0 < k; p0 += kcMax) {
                    int kc = Math.min(kcMax, k - p0);
                    boolean load = accumulate || p0 > 0;
                    packA(ap, mi, kc, a, ao + i0 * ais + p0 * aps, ais, aps);
                    for (int j = 0; j < nj; j += NR) {
                        int valid = Math.min(NR, nj - j);
                        int po = p0 * nPad + ((j0 + j) / NR) * kc * NR;
                        for (int i = 0; i < mi; i += MR) {
                            int rows = Math.min(MR, mi - i);
                            int aq = i * kc;
                            if (cTransposed) {
                                GemmTiles.fullTile(kc, ap, aq, bp, po, tmp, 0, NR, false);
                                scatterTransposed(tmp, rows, valid, c, co + (j0 + j) * ldc + i0 + i, ldc, load);
                            } else if (rows == MR && valid == NR) {
                                GemmTiles.fullTile(kc, ap, aq, bp, po, c, co + (i0 + i) * ldc + j0 + j, ldc, load);
                            } else {
                                GemmTiles.partialTile(rows, valid, kc, ap, aq, bp, po,
                                        c, co + (i0 + i) * ldc + j0 + j, ldc, load, tmp);
                            }
                        }
                    }
                }
            }
        });
    }

    /** panel[p][jj] = b[bo + jj * ldb + p] for p < kc, jj < valid; zero for jj in [valid, NR). */
    private static void packTransposed(float[] panel, int po, int kc, int valid, float[] b, int bo, int ldb) {
        for (int jj = 0; jj < valid; jj++) {
            int src = bo + jj * ldb;
            for (int p = 0; p < kc; p++) {
                panel[po + p * NR + jj] = b[src + p];
            }
        }
        for (int p = 0; p < kc; p++) {
            java.util.Arrays.fill(panel, po + p * NR + valid, po + (p + 1) * NR, 0f);
        }
    }

    /** c[co + j * ldc + i] (+)= tmp[i * NR + j] for i < rows, j < valid. */
    private static void scatterTransposed(float[] tmp, int rows, int valid, float[] c, int co, int ldc, boolean add) {
        for (int j = 0; j < valid; j++) {
            int o = co + j * ldc;
            for (int i = 0; i < rows; i++) {
                float v = tmp[i * NR + j];
                c[o + i] = add ? c[o + i] + v : v;
            }
        }
    }

    /** One task's tile, with A and B packed block by block into this thread's panels. */
    private static void packedTile(int m, int n, int k, float[] a, int ao, int ais, int aps,
                                   PanelSource b, int j0, float[] c, int co, int ldc, boolean accumulate) {
        float[] panel = PANEL.get();
        float[] ap = aPanel(((MC + MR - 1) / MR) * MR * KC);
        float[] tmp = scratchTile();
        int panels = (n + NR - 1) / NR;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            b.pack(panel, p0, kc, j0, n);
            packA(ap, m, kc, a, ao + p0 * aps, ais, aps);
            boolean load = accumulate || p0 > 0;
            for (int q = 0; q < panels; q++) {
                int j = q * NR;
                int valid = Math.min(NR, n - j);
                int po = q * kc * NR;
                for (int i = 0; i < m; i += MR) {
                    int rows = Math.min(MR, m - i);
                    if (rows == MR && valid == NR) {
                        GemmTiles.fullTile(kc, ap, i * kc, panel, po, c, co + i * ldc + j, ldc, load);
                    } else {
                        GemmTiles.partialTile(rows, valid, kc, ap, i * kc, panel, po, c, co + i * ldc + j, ldc,
                                load, tmp);
                    }
                }
            }
        }
    }

    /** Copies B's rows [0, kc) x columns [0, n) into panels of NR columns, zero-padded. */
    private static void pack(float[] panel, int kc, int n, float[] b, int bo, int ldb) {
        int panels = (n + NR - 1) / NR;
        for (int q = 0; q < panels; q++) {
            int j = q * NR;
            int po = q * kc * NR;
            if (j + NR <= n) {
                for (int p = 0; p < kc; p++) {
                    int src = bo + p * ldb + j;
                    int dst = po + p * NR;
                    for (int v = 0; v < NR; v += L) {
                        FloatVector.fromArray(S, b, src + v).intoArray(panel, dst + v);
                    }
                }
            } else {
                int valid = n - j;
                for (int p = 0; p < kc; p++) {
                    int src = bo + p * ldb + j;
                    int dst = po + p * NR;
                    System.arraycopy(b, src, panel, dst, valid);
                    java.util.Arrays.fill(panel, dst + valid, dst + NR, 0f);
                }
            }
        }
    }

    /**
     * Few rows (decoding): every element of B is used once, so the product runs at the speed
     * memory delivers B. B's rows are cut into {@link RowRanges}, one task each reading one long
     * run of memory into its own partial C, four rows of B per pass; the partials are then added
     * in range order.
     */
    private static void streamRows(int m, int n, int k, float[] a, int ao, int ais, int aps,
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
            RowRanges.addPartials(c, co + i * ldc, accumulate, part, i * n, size, ranges, null, n);
        }
    }

    /**
     * Few rows, row-independent ({@link Matmul#rowIndependent}): each C element is one chain of
     * fused multiply-adds over p in order, from C's value (accumulate) or 0: exactly the blocked
     * product's order, so a row gets the same bits here as among eight or more rows there. B is
     * still streamed once; the tasks split C's columns instead of B's rows.
     */
    private static void streamColumns(int m, int n, int k, float[] a, int ao, int ais, int aps,
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

    /** Columns per slab of {@link #streamColumns}: 8 KB of a row of B. */
    private static final int SLAB = 2048;

    /** Most rows for which a row-independent product reads B in place rather than packing it. */
    static final int STREAM_TILE_MAX_ROWS = 64;

    /**
     * A continuous batch's rows, row-independent: the register tile reads B where it lies (B's
     * rows {@code ldb} apart), so B is not copied into panels on every call, which for a decoding
     * step costs as much as the product (10 ms for GPT-2's 384 x 50,257 unembedding). Each C
     * element is one chain of fused multiply-adds over p from C's value or 0, as in
     * {@link #streamColumns} and the blocked product. Tasks own panels of NR columns; the last,
     * partial one is packed (zero-padded) so that no read passes B's end.
     */
    private static void streamTiles(int m, int n, int k, float[] a, int ao, int ais, int aps,
                                    float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        int rowPanels = (m + MR - 1) / MR;
        float[] ap = new float[rowPanels * MR * k];
        packA(ap, m, k, a, ao, ais, aps);
        int panels = (n + NR - 1) / NR;
        Parallel.forRange(panels, (long) rowPanels * MR * k * NR, (q0, q1) -> {
            float[] tmp = scratchTile();
            for (int q = q0; q < q1; q++) {
                int j = q * NR;
                int valid = Math.min(NR, n - j);
                float[] src = b;
                int so = bo + j;
                int stride = ldb;
                if (valid < NR) {
                    src = new float[k * NR];
                    pack(src, k, valid, b, bo + j, ldb);
                    so = 0;
                    stride = NR;
                }
                for (int i = 0; i < m; i += MR) {
                    int rows = Math.min(MR, m - i);
                    if (rows == MR && valid == NR) {
                        GemmTiles.fullTile(k, ap, i * k, src, so, stride, c, co + i * ldc + j, ldc, accumulate);
                    } else {
                        GemmTiles.partialTile(rows, valid, k, ap, i * k, src, so, stride, c, co + i * ldc + j, ldc,
                                accumulate, tmp);
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
