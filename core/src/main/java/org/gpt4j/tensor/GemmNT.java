package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C(i, j) (+)= sum_p A(i, p) B(j, p)} where rows of A and of B are both contiguous in p:
 * the product with a transposed matrix ({@code x W^T}) as a grid of dot products. A register
 * tile of 2 rows of A by 4 rows of B keeps 8 vector sums (6 loads per 8 fused multiply-adds, 14
 * registers) and reduces each to its scalar once, at the end; a last odd row of A goes alone.
 * Each sum runs over p in the same order whatever tile computes it, so a row of C has the same
 * bits however many rows A has. (A 4 x 4 tile, 21 registers, measured 3-12x slower under C2 on
 * an AVX-512 EPYC: 11.4 against 3.3 ms for 4 x 384 times 50,257 x 384.)
 *
 * <p>Parallel over tiles of C, each written by one thread with a fixed order of summation.
 */
final class GemmNT {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of A per task; with few rows, all of them. */
    private static final int MC = 64;
    /** Rows of B per task: a block that stays in L2 while every row of A passes over it. */
    private static final int NC = 32;
    /** Rows of A per register tile. */
    private static final int TILE_ROWS = 2;

    private GemmNT() {
    }

    /** A(i, p) = a[ao + i * lda + p]; B(j, p) = b[bo + j * ldb + p]; C(i, j) = c[co + i * ldc + j]. */
    static void gemm(int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                     float[] c, int co, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        int mc = m <= 2 * MC ? m : MC;
        int nc = m <= 4 ? 8 * NC : NC;
        int mBlocks = (m + mc - 1) / mc;
        int nBlocks = (n + nc - 1) / nc;
        long work = (long) Math.min(m, mc) * Math.min(n, nc) * Math.max(k, 1);
        Parallel.forEach(mBlocks * nBlocks, work, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int i0 = (t % mBlocks) * mc;
                int j0 = (t / mBlocks) * nc;
                int mi = Math.min(mc, m - i0);
                int nj = Math.min(nc, n - j0);
                tile(mi, nj, k, a, ao + i0 * lda, lda, b, bo + j0 * ldb, ldb, c, co + i0 * ldc + j0, ldc, accumulate);
            }
        });
    }

    private static void tile(int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                             float[] c, int co, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + TILE_ROWS <= m; i += TILE_ROWS) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                dot2x4(k, a, ao + i * lda, lda, b, bo + j * ldb, ldb, c, co + i * ldc + j, ldc, accumulate);
            }
            for (; j < n; j++) {
                for (int r = 0; r < TILE_ROWS; r++) {
                    put(c, co + (i + r) * ldc + j, dot(k, a, ao + (i + r) * lda, b, bo + j * ldb), accumulate);
                }
            }
        }
        for (; i < m; i++) {
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                dot1x4(k, a, ao + i * lda, b, bo + j * ldb, ldb, c, co + i * ldc + j, accumulate);
            }
            for (; j < n; j++) {
                put(c, co + i * ldc + j, dot(k, a, ao + i * lda, b, bo + j * ldb), accumulate);
            }
        }
    }

    private static void put(float[] c, int index, float value, boolean accumulate) {
        c[index] = accumulate ? c[index] + value : value;
    }

    /** Two rows of A by four of B: eight vector sums (6 loads per 8 fused multiply-adds). */
    private static void dot2x4(int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                               float[] c, int co, int ldc, boolean accumulate) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        int bound = S.loopBound(k);
        for (int p = 0; p < bound; p += L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + ldb + p);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * ldb + p);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * ldb + p);
            FloatVector x = FloatVector.fromArray(S, a, ao + p);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            s02 = x.fma(b2, s02);
            s03 = x.fma(b3, s03);
            x = FloatVector.fromArray(S, a, ao + lda + p);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            s12 = x.fma(b2, s12);
            s13 = x.fma(b3, s13);
        }
        store4(c, co, s00, s01, s02, s03, accumulate);
        store4(c, co + ldc, s10, s11, s12, s13, accumulate);
        if (bound < k) {
            // The last k % L terms, added after the vector sums (same order every call).
            for (int r = 0; r < 2; r++) {
                for (int q = 0; q < 4; q++) {
                    float tail = 0f;
                    for (int p = bound; p < k; p++) {
                        tail = Math.fma(a[ao + r * lda + p], b[bo + q * ldb + p], tail);
                    }
                    c[co + r * ldc + q] += tail;
                }
            }
        }
    }

    private static void dot1x4(int k, float[] a, int ao, float[] b, int bo, int ldb,
                               float[] c, int co, boolean accumulate) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + p);
            s0 = x.fma(FloatVector.fromArray(S, b, bo + p), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, bo + ldb + p), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, bo + 2 * ldb + p), s2);
            s3 = x.fma(FloatVector.fromArray(S, b, bo + 3 * ldb + p), s3);
        }
        store4(c, co, s0, s1, s2, s3, accumulate);
        for (int q = 0; q < 4; q++) {
            float tail = 0f;
            for (int i = p; i < k; i++) {
                tail = Math.fma(a[ao + i], b[bo + q * ldb + i], tail);
            }
            c[co + q] += tail;
        }
    }

    private static void store4(float[] c, int co, FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3,
                               boolean accumulate) {
        put(c, co, VectorMath.sum(s0), accumulate);
        put(c, co + 1, VectorMath.sum(s1), accumulate);
        put(c, co + 2, VectorMath.sum(s2), accumulate);
        put(c, co + 3, VectorMath.sum(s3), accumulate);
    }

    /** One dot product of length k. */
    static float dot(int k, float[] a, int ao, float[] b, int bo) {
        FloatVector acc = FloatVector.zero(S);
        int p = 0;
        for (int bound = S.loopBound(k); p < bound; p += L) {
            acc = FloatVector.fromArray(S, a, ao + p).fma(FloatVector.fromArray(S, b, bo + p), acc);
        }
        float sum = VectorMath.sum(acc);
        for (; p < k; p++) {
            sum = Math.fma(a[ao + p], b[bo + p], sum);
        }
        return sum;
    }
}
