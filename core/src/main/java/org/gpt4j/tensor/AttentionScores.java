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

    /** One vector's floats, for a last partial vector of scores. */
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[L]);

    private AttentionScores() {
    }

    /** dst[d * ld + j] = src[so + j * stride + d] for j < rows, d < hs. */
    static void transpose(float[] dst, int ld, float[] src, int so, int stride, int rows, int hs) {
        for (int j = 0; j < rows; j++) {
            int o = so + j * stride;
            for (int d = 0; d < hs; d++) {
                dst[d * ld + j] = src[o + d];
            }
        }
    }

    /**
     * out[oo + j] = scale * sum_d q[qo + d] kt[d * ld + j] for j in [j0, keys): 16 keys per vector.
     * kt has L floats of slack past its last row, so a last partial vector can be read whole.
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
     * the keys [0, keys) that all four see: each vector of keys is loaded once for four rows.
     */
    static void scores4(float[] out, int oo, int os, float[] q, int qo, int qs, float[] kt, int ld, int keys,
                                int hs, float scale) {
        int j = 0;
        // Two vectors of keys per pass: 8 accumulators, 6 loads per 8 multiply-adds (one vector
        // took 5 loads per 4, which bound it by the loads).
        for (; j + 2 * L <= keys; j += 2 * L) {
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
            a0.mul(scale).intoArray(out, oo + j);
            b0.mul(scale).intoArray(out, oo + j + L);
            a1.mul(scale).intoArray(out, oo + os + j);
            b1.mul(scale).intoArray(out, oo + os + j + L);
            a2.mul(scale).intoArray(out, oo + 2 * os + j);
            b2.mul(scale).intoArray(out, oo + 2 * os + j + L);
            a3.mul(scale).intoArray(out, oo + 3 * os + j);
            b3.mul(scale).intoArray(out, oo + 3 * os + j + L);
        }
        for (; j < keys; j += L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int d = 0; d < hs; d++) {
                FloatVector k = FloatVector.fromArray(S, kt, d * ld + j);
                a0 = k.fma(FloatVector.broadcast(S, q[qo + d]), a0);
                a1 = k.fma(FloatVector.broadcast(S, q[qo + qs + d]), a1);
                a2 = k.fma(FloatVector.broadcast(S, q[qo + 2 * qs + d]), a2);
                a3 = k.fma(FloatVector.broadcast(S, q[qo + 3 * qs + d]), a3);
            }
            int n = Math.min(L, keys - j);
            store(a0.mul(scale), out, oo + j, n);
            store(a1.mul(scale), out, oo + os + j, n);
            store(a2.mul(scale), out, oo + 2 * os + j, n);
            store(a3.mul(scale), out, oo + 3 * os + j, n);
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
