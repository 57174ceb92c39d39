package org.gpt4j.tensor;

import static org.gpt4j.tensor.Gemm.L;
import static org.gpt4j.tensor.Gemm.MR;
import static org.gpt4j.tensor.Gemm.NR;
import static org.gpt4j.tensor.Gemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * The copies behind {@link Gemm}: A into micro-panels of MR rows, p-major, and B into panels of NR
 * columns, so that the register tile ({@link GemmTiles}) reads both with constant strides,
 * whatever their layout in the caller's arrays.
 */
final class GemmPacking {

    /** The whole vectors that cover MR floats: what {@link #packA} copies per step of a transposed A. */
    private static final int COPY_WIDTH = (MR + L - 1) / L * L;

    /** The calling thread's packed A, shared with the workers during one call. */
    private static final ThreadLocal<float[]> SHARED_A = ThreadLocal.withInitial(() -> new float[0]);

    /** Micro-panels of A per item when A is packed once for all tasks. */
    private static final int A_GROUP = 8;

    /**
     * Copies rows [0, rows) x columns [0, kc) of A into micro-panels of MR rows, p-major
     * ({@code dst[q * kc * MR + p * MR + r] = A(q * MR + r, p)}), rows past the end zero: the tile
     * then reads A with constant strides, one cache line per step of k, whatever A's layout.
     */
    static void packA(float[] dst, int rows, int kc, float[] a, int ao, int ais, int aps) {
        packA(dst, 0, rows, kc, a, ao, ais, aps);
    }

    /** As above, the panels from {@code dst[offset]} on; nothing outside them is written. */
    static void packA(float[] dst, int offset, int rows, int kc, float[] a, int ao, int ais, int aps) {
        int panels = (rows + MR - 1) / MR;
        for (int q = 0; q < panels; q++) {
            int base = offset + q * kc * MR;
            int valid = Math.min(MR, rows - q * MR);
            int src = ao + q * MR * ais;
            if (aps == 1) {
                for (int r = 0; r < valid; r++) {
                    for (int p = 0, from = src + r * ais; p < kc; p++) {
                        dst[base + p * MR + r] = a[from + p];
                    }
                }
            } else if (ais == 1 && valid == MR) {
                copyRowsOfTransposed(dst, base, kc, a, src, aps);
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

    /**
     * One full micro-panel of a transposed A ({@code A(r, p) = a[src + p * aps + r]}): each step of
     * p is MR contiguous floats to MR contiguous floats, copied as whole vectors that overrun
     * into the next steps' places (written over next); the last steps, whose vectors would
     * overrun the panel, and any step whose vector would read past the end of {@code a}, are
     * copied as MR floats. A scalar loop of MR per step was 7.5% of a 6 / 6 / 384 training step's
     * samples on Zen 5 (the weight gradients, {@code x^T dy}); with the row blocks of
     * {@link Gemm}, the backward products at its shapes ran 8-18% faster.
     */
    private static void copyRowsOfTransposed(float[] dst, int base, int kc, float[] a, int src, int aps) {
        int safe = kc;
        while (safe > 0 && ((safe - 1) * MR + COPY_WIDTH > kc * MR
                || src + (safe - 1) * aps + COPY_WIDTH > a.length)) {
            safe--;
        }
        for (int p = 0; p < safe; p++) {
            int from = src + p * aps;
            int to = base + p * MR;
            for (int v = 0; v < COPY_WIDTH; v += L) {
                FloatVector.fromArray(S, a, from + v).intoArray(dst, to + v);
            }
        }
        for (int p = safe; p < kc; p++) {
            System.arraycopy(a, src + p * aps, dst, base + p * MR, MR);
        }
    }

    /**
     * All of A (m rows, k columns) packed for {@link Gemm}'s tasks to share, block of p
     * by block of p ({@code kcMax} deep): block p0 at {@code p0 * mPad}, as {@link #packA} lays it
     * out. Each of the four tasks of one block of rows packing it again for its share of the
     * columns cost the 256 x 768 x 3072 input gradient (dy W^T, its A the 3,072-wide dy) 11% on
     * AVX-512 and 19% with AVX2 on Zen 5 (236 against 265, 135 against 167 GFLOP/s).
     */
    static float[] packAOnce(int m, int k, int kcMax, float[] a, int ao, int ais, int aps) {
        int panels = (m + MR - 1) / MR;
        int mPad = panels * MR;
        float[] packed = SHARED_A.get();
        if (packed.length < mPad * k) {
            packed = new float[mPad * k];
            SHARED_A.set(packed);
        }
        float[] dst = packed;
        int kBlocks = (k + kcMax - 1) / kcMax;
        int groups = (panels + A_GROUP - 1) / A_GROUP;
        Parallel.forRange(kBlocks * groups, (long) A_GROUP * MR * kcMax, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int p0 = (t / groups) * kcMax;
                int kc = Math.min(kcMax, k - p0);
                int r0 = (t % groups) * A_GROUP * MR;
                int rows = Math.min(A_GROUP * MR, m - r0);
                packA(dst, p0 * mPad + r0 * kc, rows, kc, a, ao + r0 * ais + p0 * aps, ais, aps);
            }
        });
        return packed;
    }

    /** panel[p][jj] = b[bo + jj * ldb + p] for p < kc, jj < valid; zero for jj in [valid, NR). */
    static void packTransposed(float[] panel, int po, int kc, int valid, float[] b, int bo, int ldb) {
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

    /** Copies B's rows [0, kc) x columns [0, n) into panels of NR columns, zero-padded. */
    static void pack(float[] panel, int kc, int n, float[] b, int bo, int ldb) {
        pack(panel, 0, kc, n, b, bo, ldb);
    }

    /** As above, the panels from {@code panel[offset]} on. */
    static void pack(float[] panel, int offset, int kc, int n, float[] b, int bo, int ldb) {
        int panels = (n + NR - 1) / NR;
        for (int q = 0; q < panels; q++) {
            int j = q * NR;
            int po = offset + q * kc * NR;
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

    private GemmPacking() {
    }
}
