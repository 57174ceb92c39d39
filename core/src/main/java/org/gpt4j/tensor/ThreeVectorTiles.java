package org.gpt4j.tensor;

import static org.gpt4j.tensor.Gemm.L;
import static org.gpt4j.tensor.Gemm.MR;
import static org.gpt4j.tensor.Gemm.NR;
import static org.gpt4j.tensor.Gemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * The register tile three vectors wide, for machines with 32 vector registers (AVX-512, NEON,
 * SVE): C[6, 3L] (+)= A[6, k] B[k, 3L] from packed panels, 18 accumulators; see {@link GemmShape}.
 */
final class ThreeVectorTiles {

    private ThreeVectorTiles() {
    }

    /**
     * C[6 rows, 3L columns] (+)= A B over packed micro-panels: {@code A(r, p) = a[ao + p * MR + r]},
     * {@code B(p, j) = b[bo + p * NR + j]}, C's rows {@code ldc} apart. One k step per iteration,
     * every index linear in p with a constant stride: so C2 proves each load in bounds once, before
     * the loop, and the loop body is the loads and the 18 fused multiply-adds and little else. On
     * Intel cores scalar work competes with the FMAs for the same two ports, and this loop ran the
     * tile 12-14% faster than {@link #tile}'s unrolled one with its per-load bounds checks
     * (Sapphire Rapids, AVX-512, one core; see GemmShape). Unrolling it by hand or by C2 brings the
     * checks (or spills) back. The accumulators start from {@code init}'s rows ({@code ldi} apart
     * from {@code io}: C itself, or one bias row repeated with {@code ldi} 0), or from 0 when
     * {@code init} is null.
     */
    static void packed(int k, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc,
                       float[] init, int io, int ldi) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22,
                c30, c31, c32, c40, c41, c42, c50, c51, c52;
        if (init != null) {
            c00 = FloatVector.fromArray(S, init, io);
            c01 = FloatVector.fromArray(S, init, io + L);
            c02 = FloatVector.fromArray(S, init, io + 2 * L);
            c10 = FloatVector.fromArray(S, init, io + ldi);
            c11 = FloatVector.fromArray(S, init, io + ldi + L);
            c12 = FloatVector.fromArray(S, init, io + ldi + 2 * L);
            c20 = FloatVector.fromArray(S, init, io + 2 * ldi);
            c21 = FloatVector.fromArray(S, init, io + 2 * ldi + L);
            c22 = FloatVector.fromArray(S, init, io + 2 * ldi + 2 * L);
            c30 = FloatVector.fromArray(S, init, io + 3 * ldi);
            c31 = FloatVector.fromArray(S, init, io + 3 * ldi + L);
            c32 = FloatVector.fromArray(S, init, io + 3 * ldi + 2 * L);
            c40 = FloatVector.fromArray(S, init, io + 4 * ldi);
            c41 = FloatVector.fromArray(S, init, io + 4 * ldi + L);
            c42 = FloatVector.fromArray(S, init, io + 4 * ldi + 2 * L);
            c50 = FloatVector.fromArray(S, init, io + 5 * ldi);
            c51 = FloatVector.fromArray(S, init, io + 5 * ldi + L);
            c52 = FloatVector.fromArray(S, init, io + 5 * ldi + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = FloatVector.zero(S);
        }
        for (int p = 0; p < k; p++) {
            int ap = ao + p * MR;
            int bp = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c32.intoArray(c, co + 3 * ldc + 2 * L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c42.intoArray(c, co + 4 * ldc + 2 * L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c52.intoArray(c, co + 5 * ldc + 2 * L);
    }

    /**
     * C[6 rows, 3L columns] (+)= A B: {@code A(r, p) = a[ao + p * MR + r]} (an A micro-panel),
     * {@code B(p, j) = b[bo + p * ldb + j]} (a B micro-panel, ldb = NR, or B in place), C's rows {@code ldc} apart. Each
     * accumulator still sums over p in order, one fused multiply-add at a time.
     * Full width only: a mask anywhere in this method makes C2 box the accumulators. B read in
     * place (any {@code ldb}) comes here; a packed panel goes to {@link #packed}, which with a
     * variable stride would keep its bounds checks (and then ran slower than this loop). The
     * accumulators start from {@code init} as in {@link #packed}.
     */
    static void tile(int k, float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                       float[] init, int io, int ldi) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22,
                c30, c31, c32, c40, c41, c42, c50, c51, c52;
        if (init != null) {
            c00 = FloatVector.fromArray(S, init, io);
            c01 = FloatVector.fromArray(S, init, io + L);
            c02 = FloatVector.fromArray(S, init, io + 2 * L);
            c10 = FloatVector.fromArray(S, init, io + ldi);
            c11 = FloatVector.fromArray(S, init, io + ldi + L);
            c12 = FloatVector.fromArray(S, init, io + ldi + 2 * L);
            c20 = FloatVector.fromArray(S, init, io + 2 * ldi);
            c21 = FloatVector.fromArray(S, init, io + 2 * ldi + L);
            c22 = FloatVector.fromArray(S, init, io + 2 * ldi + 2 * L);
            c30 = FloatVector.fromArray(S, init, io + 3 * ldi);
            c31 = FloatVector.fromArray(S, init, io + 3 * ldi + L);
            c32 = FloatVector.fromArray(S, init, io + 3 * ldi + 2 * L);
            c40 = FloatVector.fromArray(S, init, io + 4 * ldi);
            c41 = FloatVector.fromArray(S, init, io + 4 * ldi + L);
            c42 = FloatVector.fromArray(S, init, io + 4 * ldi + 2 * L);
            c50 = FloatVector.fromArray(S, init, io + 5 * ldi);
            c51 = FloatVector.fromArray(S, init, io + 5 * ldi + L);
            c52 = FloatVector.fromArray(S, init, io + 5 * ldi + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = FloatVector.zero(S);
        }
        int p = 0;
        // Unrolled 2 times by hand: the loop body is past the size C2 unrolls by itself.
        for (; p + 2 <= k; p += 2) {
            {
                int ap = ao + (p) * MR;
                int bp = bo + (p) * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[ap]);
                c00 = b0.fma(x, c00);
                c01 = b1.fma(x, c01);
                c02 = b2.fma(x, c02);
                x = FloatVector.broadcast(S, a[ap + 1]);
                c10 = b0.fma(x, c10);
                c11 = b1.fma(x, c11);
                c12 = b2.fma(x, c12);
                x = FloatVector.broadcast(S, a[ap + 2]);
                c20 = b0.fma(x, c20);
                c21 = b1.fma(x, c21);
                c22 = b2.fma(x, c22);
                x = FloatVector.broadcast(S, a[ap + 3]);
                c30 = b0.fma(x, c30);
                c31 = b1.fma(x, c31);
                c32 = b2.fma(x, c32);
                x = FloatVector.broadcast(S, a[ap + 4]);
                c40 = b0.fma(x, c40);
                c41 = b1.fma(x, c41);
                c42 = b2.fma(x, c42);
                x = FloatVector.broadcast(S, a[ap + 5]);
                c50 = b0.fma(x, c50);
                c51 = b1.fma(x, c51);
                c52 = b2.fma(x, c52);
            }
            {
                int ap = ao + (p + 1) * MR;
                int bp = bo + (p + 1) * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
                FloatVector x = FloatVector.broadcast(S, a[ap]);
                c00 = b0.fma(x, c00);
                c01 = b1.fma(x, c01);
                c02 = b2.fma(x, c02);
                x = FloatVector.broadcast(S, a[ap + 1]);
                c10 = b0.fma(x, c10);
                c11 = b1.fma(x, c11);
                c12 = b2.fma(x, c12);
                x = FloatVector.broadcast(S, a[ap + 2]);
                c20 = b0.fma(x, c20);
                c21 = b1.fma(x, c21);
                c22 = b2.fma(x, c22);
                x = FloatVector.broadcast(S, a[ap + 3]);
                c30 = b0.fma(x, c30);
                c31 = b1.fma(x, c31);
                c32 = b2.fma(x, c32);
                x = FloatVector.broadcast(S, a[ap + 4]);
                c40 = b0.fma(x, c40);
                c41 = b1.fma(x, c41);
                c42 = b2.fma(x, c42);
                x = FloatVector.broadcast(S, a[ap + 5]);
                c50 = b0.fma(x, c50);
                c51 = b1.fma(x, c51);
                c52 = b2.fma(x, c52);
            }
        }
        for (; p < k; p++) {
            int ap = ao + (p) * MR;
            int bp = bo + (p) * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c32.intoArray(c, co + 3 * ldc + 2 * L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
        c42.intoArray(c, co + 4 * ldc + 2 * L);
        c50.intoArray(c, co + 5 * ldc);
        c51.intoArray(c, co + 5 * ldc + L);
        c52.intoArray(c, co + 5 * ldc + 2 * L);
    }
}
