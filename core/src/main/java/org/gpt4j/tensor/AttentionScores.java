package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The scores of {@link AttentionKernel}: queries times keys (or, backward, dy times values) with
 * the keys copied transposed once per (sequence, head), so that a query's scores against L keys
 * are one vector of sums and no horizontal sum is needed.
 */
final class AttentionScores {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Floats that a transposed kt must hold past its last row, for {@link #scores4}'s last pass. */
    static final int KT_SLACK = 2 * L;

    /** One vector's floats, for a last partial vector of scores. */
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[L]);

    private AttentionScores() {
    }

    /** Rows of src per block of {@link #transpose}. */
    private static final int TRANSPOSE_ROWS = 8;

    /**
     * dst[d * ld + j] = src[so + j * stride + d] for j < rows, d < hs. Eight rows of src at a
     * time: each step of d reads one float of each (eight streams, each contiguous) and writes
     * eight contiguous floats of dst. Row by row (64 floats of dst each, 1 KB apart, one float per
     * cache line) it took 44 us per (sequence, head) of 256 x 64 on Zen 5, a fifth of the
     * attention forward's time there; blocked, 7 us (the Vector API's gather: 6 us, but slow or
     * not compiled where the machine has no gather, as NEON).
     */
    static void transpose(float[] dst, int ld, float[] src, int so, int stride, int rows, int hs) {
        int j = 0;
        for (; j + TRANSPOSE_ROWS <= rows; j += TRANSPOSE_ROWS) {
            int s = so + j * stride;
            for (int d = 0; d < hs; d++) {
                int o = d * ld + j;
                dst[o] = src[s + d];
                dst[o + 1] = src[s + stride + d];
                dst[o + 2] = src[s + 2 * stride + d];
                dst[o + 3] = src[s + 3 * stride + d];
                dst[o + 4] = src[s + 4 * stride + d];
                dst[o + 5] = src[s + 5 * stride + d];
                dst[o + 6] = src[s + 6 * stride + d];
                dst[o + 7] = src[s + 7 * stride + d];
            }
        }
        for (; j < rows; j++) {
            int o = so + j * stride;
            for (int d = 0; d < hs; d++) {
                dst[d * ld + j] = src[o + d];
            }
        }
    }

    /**
     * out[oo + j] = scale * sum_d q[qo + d] kt[d * ld + j] for j in [j0, keys): 16 keys per vector.
     * kt has at least L floats of slack past its last row, so a last partial vector can be read whole.
     */
    static void scores(float[] out, int oo, float[] q, int qo, float[] kt, int ld, int j0, int keys, int hs,
                               float scale) {
        int j = j0;
        for (; j + 2 * L <= keys; j += 2 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            for (int d = 0; d < hs; d++) {
                FloatVector qd = FloatVector.broadcast(S, q[qo + d]);
                a0 = FloatVector.fromArray(S, kt, d * ld + j).fma(qd, a0);
                a1 = FloatVector.fromArray(S, kt, d * ld + j + L).fma(qd, a1);
            }
            a0.mul(scale).intoArray(out, oo + j);
            a1.mul(scale).intoArray(out, oo + j + L);
        }
        for (; j < keys; j += L) {
            FloatVector a0 = FloatVector.zero(S);
            for (int d = 0; d < hs; d++) {
                a0 = FloatVector.fromArray(S, kt, d * ld + j).fma(FloatVector.broadcast(S, q[qo + d]), a0);
            }
            store(a0.mul(scale), out, oo + j, Math.min(L, keys - j));
        }
    }

    /**
     * {@link #scores} for four queries (rows {@code qs} apart in q, {@code os} apart in out) over
     * the keys [0, keys) that all four see: each vector of keys is loaded once for four rows. Two
     * vectors of keys per pass, the last pass too (its second vector, or the part of it past
     * {@code keys}, is computed and not stored): kt needs {@link #KT_SLACK} floats past its last row.
     */
    static void scores4(float[] out, int oo, int os, float[] q, int qo, int qs, float[] kt, int ld, int keys,
                                int hs, float scale) {
        // Two vectors of keys per pass: 8 accumulators, 6 loads per 8 multiply-adds (one vector
        // took 5 loads per 4, which bound it by the loads, and a last pass of one vector waited
        // on the latency of its four chains).
        for (int j = 0; j < keys; j += 2 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector b0 = a0;
            FloatVector b1 = a0;
            FloatVector b2 = a0;
            FloatVector b3 = a0;
            for (int d = 0; d < hs; d++) {
                FloatVector k = FloatVector.fromArray(S, kt, d * ld + j);
                FloatVector k2 = FloatVector.fromArray(S, kt, d * ld + j + L);
                FloatVector x = FloatVector.broadcast(S, q[qo + d]);
                a0 = k.fma(x, a0);
                b0 = k2.fma(x, b0);
                x = FloatVector.broadcast(S, q[qo + qs + d]);
                a1 = k.fma(x, a1);
                b1 = k2.fma(x, b1);
                x = FloatVector.broadcast(S, q[qo + 2 * qs + d]);
                a2 = k.fma(x, a2);
                b2 = k2.fma(x, b2);
                x = FloatVector.broadcast(S, q[qo + 3 * qs + d]);
                a3 = k.fma(x, a3);
                b3 = k2.fma(x, b3);
            }
            int n = Math.min(L, keys - j);
            store(a0.mul(scale), out, oo + j, n);
            store(a1.mul(scale), out, oo + os + j, n);
            store(a2.mul(scale), out, oo + 2 * os + j, n);
            store(a3.mul(scale), out, oo + 3 * os + j, n);
            n = Math.min(L, keys - j - L);
            if (n > 0) {
                store(b0.mul(scale), out, oo + j + L, n);
                store(b1.mul(scale), out, oo + os + j + L, n);
                store(b2.mul(scale), out, oo + 2 * os + j + L, n);
                store(b3.mul(scale), out, oo + 3 * os + j + L, n);
            }
        }
    }

    /** The first n (at most L) lanes of v into out[o ..]: whole when n = L, else through a scratch vector. */
    private static void store(FloatVector v, float[] out, int o, int n) {
        if (n == L) {
            v.intoArray(out, o);
        } else {
            float[] tail = TAIL.get();
            v.intoArray(tail, 0);
            System.arraycopy(tail, 0, out, o, n);
        }
    }
}
