package org.gpt4j.tensor;

import static org.gpt4j.tensor.Gemm.L;
import static org.gpt4j.tensor.Gemm.MR;
import static org.gpt4j.tensor.Gemm.NR;
import static org.gpt4j.tensor.Gemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * The register tile two vectors wide, for machines with 16 vector registers (AVX2, AVX, SSE):
 * C[5, 2L] (+)= A[5, k] B[k, 2L] from packed panels. Ten accumulators, two B vectors and one
 * broadcast take 13 of the 16 registers; see {@link GemmShape} for why not six rows.
 */
final class TwoVectorTiles {

    private TwoVectorTiles() {
    }

    /**
     * C[5 rows, 2L columns] (+)= A B: {@code A(r, p) = a[ao + p * MR + r]} (an A micro-panel),
     * {@code B(p, j) = b[bo + p * ldb + j]} (a B micro-panel, ldb = NR, or B in place), C's rows {@code ldc} apart. Each
     * accumulator still sums over p in order, one fused multiply-add at a time.
     * Full width only: a mask anywhere in this method makes C2 box the accumulators. The
     * accumulators start from {@code init}'s rows ({@code ldi} apart from {@code io}: C itself, or
     * one bias row repeated with {@code ldi} 0), or from 0 when {@code init} is null.
     */
    static void tile(int k, float[] a, int ao, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                       float[] init, int io, int ldi) {
        FloatVector c00, c01, c10, c11, c20, c21,
                c30, c31, c40, c41;
        if (init != null) {
            c00 = FloatVector.fromArray(S, init, io);
            c01 = FloatVector.fromArray(S, init, io + L);
            c10 = FloatVector.fromArray(S, init, io + ldi);
            c11 = FloatVector.fromArray(S, init, io + ldi + L);
            c20 = FloatVector.fromArray(S, init, io + 2 * ldi);
            c21 = FloatVector.fromArray(S, init, io + 2 * ldi + L);
            c30 = FloatVector.fromArray(S, init, io + 3 * ldi);
            c31 = FloatVector.fromArray(S, init, io + 3 * ldi + L);
            c40 = FloatVector.fromArray(S, init, io + 4 * ldi);
            c41 = FloatVector.fromArray(S, init, io + 4 * ldi + L);
        } else {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = FloatVector.zero(S);
        }
        int p = 0;
        // Unrolled 2 times by hand: the loop body is past the size C2 unrolls by itself.
        for (; p + 2 <= k; p += 2) {
            {
                int ap = ao + (p) * MR;
                int bp = bo + (p) * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[ap]);
                c00 = b0.fma(x, c00);
                c01 = b1.fma(x, c01);
                x = FloatVector.broadcast(S, a[ap + 1]);
                c10 = b0.fma(x, c10);
                c11 = b1.fma(x, c11);
                x = FloatVector.broadcast(S, a[ap + 2]);
                c20 = b0.fma(x, c20);
                c21 = b1.fma(x, c21);
                x = FloatVector.broadcast(S, a[ap + 3]);
                c30 = b0.fma(x, c30);
                c31 = b1.fma(x, c31);
                x = FloatVector.broadcast(S, a[ap + 4]);
                c40 = b0.fma(x, c40);
                c41 = b1.fma(x, c41);
            }
            {
                int ap = ao + (p + 1) * MR;
                int bp = bo + (p + 1) * ldb;
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[ap]);
                c00 = b0.fma(x, c00);
                c01 = b1.fma(x, c01);
                x = FloatVector.broadcast(S, a[ap + 1]);
                c10 = b0.fma(x, c10);
                c11 = b1.fma(x, c11);
                x = FloatVector.broadcast(S, a[ap + 2]);
                c20 = b0.fma(x, c20);
                c21 = b1.fma(x, c21);
                x = FloatVector.broadcast(S, a[ap + 3]);
                c30 = b0.fma(x, c30);
                c31 = b1.fma(x, c31);
                x = FloatVector.broadcast(S, a[ap + 4]);
                c40 = b0.fma(x, c40);
                c41 = b1.fma(x, c41);
            }
        }
        for (; p < k; p++) {
            int ap = ao + (p) * MR;
            int bp = bo + (p) * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
    }
}
