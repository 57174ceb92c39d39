package org.gpt4j.tensor;

import static org.gpt4j.tensor.Gemm.L;
import static org.gpt4j.tensor.Gemm.MR;
import static org.gpt4j.tensor.Gemm.NR;
import static org.gpt4j.tensor.Gemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * The register tiles of {@link Gemm}: C[rows, NR] (+)= A[rows, k] B[k, NR] with B's rows
 * {@code bs} apart and A read one scalar at a time through two strides. Every accumulator stays
 * in a vector register for the whole k loop.
 */
final class GemmTiles {

    private GemmTiles() {
    }

    /** {@code rows} (1 to MR) rows of C by NR full columns, in the largest register tiles that fit. */
    static void tileRows(int rows, int k, float[] a, int ao, int ais, int aps, float[] b, int bo, int bs,
                                 float[] c, int co, int ldc, boolean load) {
        int r = 0;
        if (rows == MR) {
            tile6(k, a, ao, ais, aps, b, bo, bs, c, co, ldc, load);
            r = MR;
        } else if (rows >= 4) {
            tile4(k, a, ao, ais, aps, b, bo, bs, c, co, ldc, load);
            r = 4;
        }
        for (; r < rows; r++) {
            tile1(k, a, ao + r * ais, aps, b, bo, bs, c, co + r * ldc, load);
        }
    }

    /**
     * A register tile of {@code rows} (1 to MR) rows whose columns [valid, NR) fall outside C: it
     * runs on a copy in {@code tmp} and only the valid columns are copied back.
     */
    static void partialTile(int rows, int k, float[] a, int ao, int ais, int aps, float[] b, int bo, int bs,
                                    float[] c, int co, int ldc, int valid, boolean load, float[] tmp) {
        for (int r = 0; r < rows; r++) {
            if (load) {
                System.arraycopy(c, co + r * ldc, tmp, r * NR, valid);
            }
            java.util.Arrays.fill(tmp, r * NR + valid, (r + 1) * NR, 0f);
        }
        tileRows(rows, k, a, ao, ais, aps, b, bo, bs, tmp, 0, NR, load);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tmp, r * NR, c, co + r * ldc, valid);
        }
    }

    /**
     * C[4 rows, NR columns] (+)= A[4, k] B[k, NR], B rows {@code bs} apart. Full width only: a
     * mask anywhere in this method makes C2 box the accumulators.
     */
    private static void tile4(int k, float[] a, int ao, int ais, int aps, float[] b, int bo, int bs,
                              float[] c, int co, int ldc, boolean load) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        if (load) {
            c00 = FloatVector.fromArray(S, c, co + 0);
            c01 = FloatVector.fromArray(S, c, co + L);
            c02 = FloatVector.fromArray(S, c, co + 2 * L);
            c10 = FloatVector.fromArray(S, c, co + ldc + 0);
            c11 = FloatVector.fromArray(S, c, co + ldc + L);
            c12 = FloatVector.fromArray(S, c, co + ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, co + 2 * ldc + 0);
            c21 = FloatVector.fromArray(S, c, co + 2 * ldc + L);
            c22 = FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, co + 3 * ldc + 0);
            c31 = FloatVector.fromArray(S, c, co + 3 * ldc + L);
            c32 = FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = FloatVector.zero(S);
        }
        int a1 = ais;
        int a2 = 2 * ais;
        int a3 = 3 * ais;
        for (int p = 0; p < k; p++) {
            int bp = bo + p * bs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            int ap = ao + p * aps;
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[ap + a1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[ap + a2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[ap + a3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
        }
        c00.intoArray(c, co + 0);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, co + ldc + 0);
        c11.intoArray(c, co + ldc + L);
        c12.intoArray(c, co + ldc + 2 * L);
        c20.intoArray(c, co + 2 * ldc + 0);
        c21.intoArray(c, co + 2 * ldc + L);
        c22.intoArray(c, co + 2 * ldc + 2 * L);
        c30.intoArray(c, co + 3 * ldc + 0);
        c31.intoArray(c, co + 3 * ldc + L);
        c32.intoArray(c, co + 3 * ldc + 2 * L);
    }

    /** 6 rows of C by NR columns (+)= A[6, k] B[k, NR]; see {@link #tile4}. */
    static void tile6(int k, float[] a, int ao, int ais, int aps, float[] b, int bo, int bs,
                              float[] c, int co, int ldc, boolean load) {
        FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52;
        if (load) {
            c00 = FloatVector.fromArray(S, c, co);
            c01 = FloatVector.fromArray(S, c, co + L);
            c02 = FloatVector.fromArray(S, c, co + 2 * L);
            c10 = FloatVector.fromArray(S, c, co + ldc);
            c11 = FloatVector.fromArray(S, c, co + ldc + L);
            c12 = FloatVector.fromArray(S, c, co + ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, co + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, co + 2 * ldc + L);
            c22 = FloatVector.fromArray(S, c, co + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, co + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, co + 3 * ldc + L);
            c32 = FloatVector.fromArray(S, c, co + 3 * ldc + 2 * L);
            c40 = FloatVector.fromArray(S, c, co + 4 * ldc);
            c41 = FloatVector.fromArray(S, c, co + 4 * ldc + L);
            c42 = FloatVector.fromArray(S, c, co + 4 * ldc + 2 * L);
            c50 = FloatVector.fromArray(S, c, co + 5 * ldc);
            c51 = FloatVector.fromArray(S, c, co + 5 * ldc + L);
            c52 = FloatVector.fromArray(S, c, co + 5 * ldc + 2 * L);
        } else {
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = FloatVector.zero(S);
        }
        for (int p = 0; p < k; p++) {
            int bp = bo + p * bs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            int ap = ao + p * aps;
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[ap + ais]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[ap + 2 * ais]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[ap + 3 * ais]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, a[ap + 4 * ais]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, a[ap + 5 * ais]);
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

    /** One row of {@link #tile4}. */
    private static void tile1(int k, float[] a, int ao, int aps, float[] b, int bo, int bs,
                              float[] c, int co, boolean load) {
        FloatVector c0, c1, c2;
        if (load) {
            c0 = FloatVector.fromArray(S, c, co + 0);
            c1 = FloatVector.fromArray(S, c, co + L);
            c2 = FloatVector.fromArray(S, c, co + 2 * L);
        } else {
            c0 = c1 = c2 = FloatVector.zero(S);
        }
        for (int p = 0; p < k; p++) {
            int bp = bo + p * bs;
            FloatVector x = FloatVector.broadcast(S, a[ao + p * aps]);
            c0 = FloatVector.fromArray(S, b, bp).fma(x, c0);
            c1 = FloatVector.fromArray(S, b, bp + L).fma(x, c1);
            c2 = FloatVector.fromArray(S, b, bp + 2 * L).fma(x, c2);
        }
        c0.intoArray(c, co + 0);
        c1.intoArray(c, co + L);
        c2.intoArray(c, co + 2 * L);
    }
}
