package org.gpt4j.tensor;

import static org.gpt4j.tensor.Gemm.MR;
import static org.gpt4j.tensor.Gemm.NR;
import static org.gpt4j.tensor.Gemm.NV;

/**
 * The register tile of {@link Gemm}, of the shape chosen for this machine ({@link GemmShape}),
 * over packed micro-panels: C[MR, NR] (+)= A[MR, k] B[k, NR] with
 * {@code A(r, p) = a[ao + p * MR + r]} and {@code B(p, j) = b[bo + p * NR + j]}. {@code NV} is a
 * constant, so the JIT keeps one branch of each test.
 */
final class GemmTiles {

    private GemmTiles() {
    }

    /**
     * MR rows of C by NR columns, C's rows {@code ldc} apart, the sums starting from {@code init}'s
     * rows ({@code ldi} apart from {@code io}; null: from 0). C itself when C accumulates; a bias
     * row with {@code ldi} 0, so that a product with a bias needs no pass that copies it into C.
     */
    static void fullTile(int k, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc,
                         float[] init, int io, int ldi) {
        if (NV == 3) {
            ThreeVectorTiles.packed(k, a, ao, b, bo, c, co, ldc, init, io, ldi);
        } else {
            TwoVectorTiles.tile(k, a, ao, b, bo, NR, c, co, ldc, init, io, ldi);
        }
    }

    /** As above with B's rows {@code ldb} apart: a packed panel (NR), or B read where it lies. */
    static void fullTile(int k, float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                         float[] init, int io, int ldi) {
        if (NV == 3) {
            ThreeVectorTiles.tile(k, a, ao, b, bo, ldb, c, co, ldc, init, io, ldi);
        } else {
            TwoVectorTiles.tile(k, a, ao, b, bo, ldb, c, co, ldc, init, io, ldi);
        }
    }

    /**
     * A tile of which only {@code rows} rows and {@code valid} columns fall inside C: it runs on
     * a copy in {@code tmp} ({@code MR x NR}) and only that part is copied back. The A panel's
     * rows past {@code rows} are zero, so the extra rows cost time but change nothing. The sums
     * start from {@code init} as in {@link #fullTile}.
     */
    static void partialTile(int rows, int valid, int k, float[] a, int ao, float[] b, int bo,
                            float[] c, int co, int ldc, float[] init, int io, int ldi, float[] tmp) {
        partialTile(rows, valid, k, a, ao, b, bo, NR, c, co, ldc, init, io, ldi, tmp);
    }

    /** As above with B's rows {@code ldb} apart (all NR columns of B must be readable). */
    static void partialTile(int rows, int valid, int k, float[] a, int ao, float[] b, int bo, int ldb,
                            float[] c, int co, int ldc, float[] init, int io, int ldi, float[] tmp) {
        java.util.Arrays.fill(tmp, 0, MR * NR, 0f);
        if (init != null) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(init, io + r * ldi, tmp, r * NR, valid);
            }
        }
        float[] start = init == null ? null : tmp;
        if (ldb == NR) {
            fullTile(k, a, ao, b, bo, tmp, 0, NR, start, 0, NR);
        } else {
            fullTile(k, a, ao, b, bo, ldb, tmp, 0, NR, start, 0, NR);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tmp, r * NR, c, co + r * ldc, valid);
        }
    }
}
