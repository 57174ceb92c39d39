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
 * <p>C is cut into tasks of up to {@link #MC} rows (one block up to {@link #ONE_BLOCK_ROWS}) by
 * all its columns, or a share of them when the row blocks alone would leave a core idle (each
 * output written by one thread, the sum over p always in the same order). Within a task, p runs
 * in blocks of {@link #KC}: the task's block of A is copied once into micro-panels of MR rows
 * (stays in L2; one block of rows shared by several tasks is copied once for all of them, before
 * them), and a register tile of C
 * ({@link GemmShape}: 6 x 3 vectors, or 5 x 2 on 16-register machines) accumulates over each A
 * micro-panel in turn with one {@code KC x NR} micro-panel of B (stays in L1). B is packed once
 * per call: with several blocks of rows, in parallel into one contiguous copy that every task
 * reads; with one, by each task for its own columns just before use ({@link GemmPacking} makes
 * the copies). Packing B again for every
 * block of rows, as this class once did, took a fifth of the samples of a 256 x 768 x 3072
 * product on one core of an Intel Xeon (its rows read with strided, page-hopping loads).
 * With few rows (decoding) B is streamed in place ({@link GemmStreams}): every element is used once.
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
    /**
     * Most rows of A per task when there are several blocks of rows (their KC columns stay in L2);
     * blocks are evened out below this.
     */
    static final int MC = 240;
    /**
     * Up to this many rows A is one block of rows (at most 240 KB of packed A per block of p, for
     * L2), so that B is packed by each task one micro-panel at a time, into L1, instead of once
     * into a shared copy that goes out to memory and is read back: a 256 x 768 x 3072 product ran
     * 11% faster so on Zen 5 (316 against 283 GFLOP/s on 2 cores).
     */
    static final int ONE_BLOCK_ROWS = 2 * MC;
    /** Below this many rows B is not packed. */
    static final int PACK_MIN_ROWS = 8;

    /** This thread's {@code KC x NR} micro-panel of B, packed just before use. */
    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[KC * NR]);
    /** This thread's packed block of A: micro-panels of MR rows, {@code apanel[q * kc * MR + p * MR + r]}. */
    private static final ThreadLocal<float[]> A_PANEL = ThreadLocal.withInitial(() -> new float[0]);
    /** The calling thread's packed B, shared with the workers during one call. */
    private static final ThreadLocal<float[]> SHARED = ThreadLocal.withInitial(() -> new float[0]);
    /** A register tile on its way to a transposed C. */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    static float[] scratchTile() {
        return TILE.get();
    }

    /** This thread's A panel, grown to hold {@code floats}. */
    static float[] aPanel(int floats) {
        float[] panel = A_PANEL.get();
        if (panel.length < floats) {
            panel = new float[floats];
            A_PANEL.set(panel);
        }
        return panel;
    }

    private Gemm() {
    }

    /**
     * Columns per task: all of them, or a share when the row blocks alone would leave cores idle
     * (a 128-token prompt is one row block): at least two tasks per thread, and a task count that
     * the threads divide when the columns allow, so that no thread finishes a task behind the
     * others. A multiple of NR, so tasks start on a panel. Any blocking gives the same bits: each
     * C element's sum over k runs in the same order whoever computes it.
     */
    private static int columnBlock(int mBlocks, int n) {
        int threads = Parallel.threads();
        int panels = (n + NR - 1) / NR;
        int chunks = Math.max(1, (2 * threads + mBlocks - 1) / mBlocks);
        while (chunks < panels && (long) mBlocks * chunks % threads != 0) {
            chunks++;
        }
        int perChunk = (panels + chunks - 1) / Math.min(chunks, panels);
        return perChunk * NR;
    }

    /**
     * Rows per task: m split into blocks of at most MC, as even as whole register tiles allow.
     * When there are blocks enough for two per thread, their count is rounded up to a multiple of
     * the threads, so that the row blocks alone share the work out evenly and no block of A is
     * packed by two tasks: cutting the columns as well (as {@link #columnBlock} does for 13 blocks
     * on 2 threads) had every task pack its A block again for a share of the columns, a copy that
     * took 13% of a 6 / 6 / 384 training step's samples on Zen 5 (m = 3072, n = 384: 192 columns
     * per copy). Up to {@link #ONE_BLOCK_ROWS} rows are one block.
     */
    private static int rowBlock(int m) {
        if (m <= ONE_BLOCK_ROWS) {
            return (m + MR - 1) / MR * MR;
        }
        int threads = Parallel.threads();
        int blocks = (m + MC - 1) / MC;
        if (blocks >= 2 * threads) {
            blocks = (blocks + threads - 1) / threads * threads;
        }
        int rows = (m + blocks - 1) / blocks;
        return Math.min(MC, (rows + MR - 1) / MR * MR);
    }

    /** Whether all m rows are one block: then each B micro-panel is used by one task only. */
    private static boolean oneRowBlock(int m) {
        return rowBlock(m) >= m;
    }

    static void gemm(int m, int n, int k, float[] a, int ao, int ais, int aps,
                     float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate) {
        gemm(m, n, k, a, ao, ais, aps, b, bo, ldb, c, co, ldc, accumulate, null);
    }

    /**
     * As above; with a {@code bias} (n values; C not accumulated), {@code C(i, j) = bias[j] + sum_p
     * A(i, p) B(p, j)}: the blocked product starts its sums from the bias row, so that C is not
     * first filled with copies of it (a pass over C on one thread, and C's loads in the first block
     * of p: 2.7 ms of 34 for 6 / 6 / 384's four forward products at 3,072 rows on Zen 5, 3.6-5.7
     * of 71-75 with AVX2). The sums are the same: each starts from bias[j].
     */
    static void gemm(int m, int n, int k, float[] a, int ao, int ais, int aps,
                     float[] b, int bo, int ldb, float[] c, int co, int ldc, boolean accumulate, float[] bias) {
        if (accumulate && bias != null) {
            throw new IllegalArgumentException("a bias starts the sums: C cannot also be accumulated");
        }
        if (m <= 0 || n <= 0) {
            return;
        }
        boolean rowIndependent = Matmul.rowIndependent();
        if (k > 0 && m >= PACK_MIN_ROWS && !(rowIndependent && m <= GemmStreams.TILE_MAX_ROWS)) {
            blocked(m, n, k, a, ao, ais, aps,
                    (panel, po, p0, kc, j0, nj) -> GemmPacking.pack(panel, po, kc, nj, b, bo + p0 * ldb + j0, ldb),
                    c, co, ldc, accumulate, bias);
            return;
        }
        if (bias != null) {
            // The streamed products (and k = 0) start from C: the bias goes there first.
            for (int i = 0; i < m; i++) {
                System.arraycopy(bias, 0, c, co + i * ldc, n);
            }
            accumulate = true;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0f);
                }
            }
        } else if (!rowIndependent) {
            GemmStreams.rows(m, n, k, a, ao, ais, aps, b, bo, ldb, c, co, ldc, accumulate);
        } else if (m < PACK_MIN_ROWS) {
            GemmStreams.columns(m, n, k, a, ao, ais, aps, b, bo, ldb, c, co, ldc, accumulate);
        } else {
            GemmStreams.tiles(m, n, k, a, ao, ais, aps, b, bo, ldb, c, co, ldc, accumulate);
        }
    }

    /**
     * Where the blocked product gets B: packs rows [p0, p0 + kc) and columns [j0, j0 + n) of B
     * into panels of {@link #NR} columns ({@code panel[po + q * kc * NR + p * NR + jj]}),
     * zero-padded. A compact weight matrix widens itself straight into the panels.
     */
    @FunctionalInterface
    interface PanelSource {
        void pack(float[] panel, int po, int p0, int kc, int j0, int n);
    }

    /**
     * The blocked loop nest of {@link #gemm} for m >= 1 and k >= 1, with B from {@code b}. With
     * one block of rows each B micro-panel is used by one task only: the task packs it just before
     * use, into L1, and no copy of all of B is made (a batch of decoding rows with compact weights
     * reads them once, at their own width). With more, B is packed once for all of them.
     */
    static void blocked(int m, int n, int k, float[] a, int ao, int ais, int aps, PanelSource b,
                        float[] c, int co, int ldc, boolean accumulate) {
        blocked(m, n, k, a, ao, ais, aps, b, c, co, ldc, accumulate, null);
    }

    private static void blocked(int m, int n, int k, float[] a, int ao, int ais, int aps, PanelSource b,
                                float[] c, int co, int ldc, boolean accumulate, float[] bias) {
        if (oneRowBlock(m)) {
            packedProduct(m, n, k, KC, a, ao, ais, aps, b, null, 0, c, co, ldc, false, accumulate, bias);
            return;
        }
        int panels = (n + NR - 1) / NR;
        int nPad = panels * NR;
        float[] bp = sharedPanels(k * nPad);
        Parallel.forRange(panels, (long) k * NR, (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                for (int p0 = 0; p0 < k; p0 += KC) {
                    int kc = Math.min(KC, k - p0);
                    b.pack(bp, p0 * nPad + q * kc * NR, p0, kc, q * NR, Math.min(NR, n - q * NR));
                }
            }
        });
        packedProduct(m, n, k, KC, a, ao, ais, aps, null, bp, nPad, c, co, ldc, false, accumulate, bias);
    }

    /** The calling thread's scratch for packed B, grown to hold {@code floats}. */
    private static float[] sharedPanels(int floats) {
        float[] packed = SHARED.get();
        if (packed.length < floats) {
            packed = new float[floats];
            SHARED.set(packed);
        }
        return packed;
    }

    /**
     * As {@link #gemm} with B stored transposed, {@code B(p, j) = b[bo + j * ldb + p]}, and C
     * optionally too, {@code C(i, j) = c[co + j * ldc + i]}. B is packed once, in parallel, into
     * the calling thread's scratch, which every task then reads; or, with one block of rows and C
     * not transposed, by each task one micro-panel at a time, as {@link #blocked} does. For at least
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
        if (!cTransposed && oneRowBlock(m)) {
            // One block of rows: each B micro-panel is used by one task only (see blocked).
            packedProduct(m, n, k, KC, a, ao, ais, aps,
                    (panel, po, p0, kc, j0, nj) -> GemmPacking.packTransposed(panel, po, kc, nj, b, bo + j0 * ldb + p0, ldb),
                    null, 0, c, co, ldc, false, accumulate, null);
            return;
        }
        int kcMax = cTransposed ? k : KC;
        int panels = (n + NR - 1) / NR;
        int nPad = panels * NR;
        float[] bp = sharedPanels(k * nPad);
        Parallel.forRange(panels, (long) k * NR, (q0, q1) -> {
            for (int q = q0; q < q1; q++) {
                for (int p0 = 0; p0 < k; p0 += kcMax) {
                    int kc = Math.min(kcMax, k - p0);
                    GemmPacking.packTransposed(bp, p0 * nPad + q * kc * NR, kc, Math.min(NR, n - q * NR),
                            b, bo + q * NR * ldb + p0, ldb);
                }
            }
        });
        packedProduct(m, n, k, kcMax, a, ao, ais, aps, null, bp, nPad, c, co, ldc, cTransposed, accumulate, null);
    }

    /**
     * C (+)= A B with B packed: already, in {@code packed} (for each block of p of at most
     * {@code kcMax} rows, panel q of B at {@code p0 * nPad + q * kc * NR}), or by each task one
     * micro-panel at a time from {@code source}. One task per block of rows and share of the
     * columns; each task packs its block of A once per block of p, then sweeps it with every B
     * micro-panel of its columns. When one block of rows is shared by several tasks, A is packed
     * once, in parallel, before them. With C transposed, {@code kcMax} must be k, so that each C
     * element is written once. The first block of p starts from C (accumulate), the bias row (C
     * not transposed) or 0.
     */
    private static void packedProduct(int m, int n, int k, int kcMax, float[] a, int ao, int ais, int aps,
                                      PanelSource source, float[] packed, int nPad, float[] c, int co, int ldc,
                                      boolean cTransposed, boolean accumulate, float[] bias) {
        int mc = rowBlock(m);
        int mBlocks = (m + mc - 1) / mc;
        int nc = columnBlock(mBlocks, n);
        int nBlocks = (n + nc - 1) / nc;
        long work = (long) Math.min(m, mc) * Math.min(n, nc) * k;
        int mPad = (m + MR - 1) / MR * MR;
        float[] shared = mBlocks == 1 && nBlocks > 1 ? GemmPacking.packAOnce(m, k, kcMax, a, ao, ais, aps) : null;
        Parallel.forEach(mBlocks * nBlocks, work, (t0, t1) -> {
            float[] tmp = scratchTile();
            float[] ap = shared != null ? shared : aPanel(((mc + MR - 1) / MR) * MR * kcMax);
            float[] bp = source == null ? packed : PANEL.get();
            for (int t = t0; t < t1; t++) {
                int i0 = (t / nBlocks) * mc;
                int j0 = (t % nBlocks) * nc;
                int mi = Math.min(mc, m - i0);
                int nj = Math.min(nc, n - j0);
                for (int p0 = 0; p0 < k; p0 += kcMax) {
                    int kc = Math.min(kcMax, k - p0);
                    boolean load = accumulate || p0 > 0;
                    int aBase = 0;
                    if (shared == null) {
                        GemmPacking.packA(ap, mi, kc, a, ao + i0 * ais + p0 * aps, ais, aps);
                    } else {
                        aBase = p0 * mPad;
                    }
                    for (int j = 0; j < nj; j += NR) {
                        int valid = Math.min(NR, nj - j);
                        int po = 0;
                        if (source == null) {
                            po = p0 * nPad + ((j0 + j) / NR) * kc * NR;
                        } else {
                            source.pack(bp, 0, p0, kc, j0 + j, valid);
                        }
                        // Where the sums start: C's tile, the bias row (ldi 0: every row the same), or 0.
                        float[] init = load ? c : bias;
                        int ldi = load ? ldc : 0;
                        for (int i = 0; i < mi; i += MR) {
                            int rows = Math.min(MR, mi - i);
                            int aq = aBase + i * kc;
                            int ci = co + (i0 + i) * ldc + j0 + j;
                            int io = load ? ci : j0 + j;
                            if (cTransposed) {
                                GemmTiles.fullTile(kc, ap, aq, bp, po, tmp, 0, NR, null, 0, 0);
                                scatterTransposed(tmp, rows, valid, c, co + (j0 + j) * ldc + i0 + i, ldc, load);
                            } else if (rows == MR && valid == NR) {
                                GemmTiles.fullTile(kc, ap, aq, bp, po, c, ci, ldc, init, io, ldi);
                            } else {
                                GemmTiles.partialTile(rows, valid, kc, ap, aq, bp, po, c, ci, ldc, init, io, ldi, tmp);
                            }
                        }
                    }
                }
            }
        });
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

}
