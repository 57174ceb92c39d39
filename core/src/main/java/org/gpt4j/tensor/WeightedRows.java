package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Weighted sums of rows, the second half of attention: out = sum_j w_j m_j over head-sized rows
 * m_j (values forward; keys, queries and output gradients backward), with the running sums held
 * in registers across all j.
 */
final class WeightedRows {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Whether {@link #combine4x4}'s 16 running sums fit the vector registers. */
    private static final boolean WIDE = VectorIsa.CURRENT.registers() >= 32;

    private WeightedRows() {
    }

    /**
     * Four rows of {@link #combine} at once over j in [j0, j1): row r adds into out[oo + r * os ..]
     * with weights coef[co + r * crs + j * cs] (times the mask), so each row of m is loaded once
     * for four running sums.
     */
    static void combine4(float[] out, int oo, int os, boolean add, float[] coef, int co, int crs, int cs,
                                 float[] mask, float[] m, int mo, int ms, int j0, int j1, int hs) {
        int d = 0;
        // With 32 registers, four vectors of d per pass: each row's four weights are loaded once
        // for 16 multiply-adds instead of 8 (21 registers). A causal forward's products of
        // probabilities and values (4 x 64 per pass), one core of Zen 5: 90-104 -> 110-143
        // GFLOP/s with 512-bit vectors, 32 -> 48 with 128-bit ones; with AVX2's 16 registers it
        // spills, and was slower (67 -> 61).
        if (WIDE) {
            for (; d + 4 * L <= hs; d += 4 * L) {
                combine4x4(out, oo + d, os, add, coef, co, crs, cs, mask, m, mo + d, ms, j0, j1);
            }
        }
        // Two vectors of d per pass: eight independent sums keep both FMA units busy (four would
        // wait on the FMA latency); 8 sums + 2 rows + 1 weight fit AVX2's 16 registers.
        for (; d + 2 * L <= hs; d += 2 * L) {
            combine4x2(out, oo + d, os, add, coef, co, crs, cs, mask, m, mo + d, ms, j0, j1);
        }
        for (; d + L <= hs; d += L) {
            FloatVector a0 = add ? FloatVector.fromArray(S, out, oo + d) : FloatVector.zero(S);
            FloatVector a1 = add ? FloatVector.fromArray(S, out, oo + os + d) : FloatVector.zero(S);
            FloatVector a2 = add ? FloatVector.fromArray(S, out, oo + 2 * os + d) : FloatVector.zero(S);
            FloatVector a3 = add ? FloatVector.fromArray(S, out, oo + 3 * os + d) : FloatVector.zero(S);
            for (int j = j0; j < j1; j++) {
                FloatVector row = FloatVector.fromArray(S, m, mo + j * ms + d);
                int w = co + j * cs;
                float w0 = coef[w];
                float w1 = coef[w + crs];
                float w2 = coef[w + 2 * crs];
                float w3 = coef[w + 3 * crs];
                if (mask != null) {
                    w0 *= mask[w];
                    w1 *= mask[w + crs];
                    w2 *= mask[w + 2 * crs];
                    w3 *= mask[w + 3 * crs];
                }
                a0 = row.fma(FloatVector.broadcast(S, w0), a0);
                a1 = row.fma(FloatVector.broadcast(S, w1), a1);
                a2 = row.fma(FloatVector.broadcast(S, w2), a2);
                a3 = row.fma(FloatVector.broadcast(S, w3), a3);
            }
            a0.intoArray(out, oo + d);
            a1.intoArray(out, oo + os + d);
            a2.intoArray(out, oo + 2 * os + d);
            a3.intoArray(out, oo + 3 * os + d);
        }
        for (; d < hs; d++) {
            for (int r = 0; r < 4; r++) {
                float acc = add ? out[oo + r * os + d] : 0f;
                for (int j = j0; j < j1; j++) {
                    int w = co + r * crs + j * cs;
                    float wj = mask == null ? coef[w] : coef[w] * mask[w];
                    acc = Math.fma(wj, m[mo + j * ms + d], acc);
                }
                out[oo + r * os + d] = acc;
            }
        }
    }

    /** {@link #combine4} for the four vectors of d at {@code oo} and {@code mo}: 16 running sums. */
    private static void combine4x4(float[] out, int oo, int os, boolean add, float[] coef, int co, int crs, int cs,
                                   float[] mask, float[] m, int mo, int ms, int j0, int j1) {
        FloatVector a0 = add ? FloatVector.fromArray(S, out, oo) : FloatVector.zero(S);
        FloatVector a1 = add ? FloatVector.fromArray(S, out, oo + os) : FloatVector.zero(S);
        FloatVector a2 = add ? FloatVector.fromArray(S, out, oo + 2 * os) : FloatVector.zero(S);
        FloatVector a3 = add ? FloatVector.fromArray(S, out, oo + 3 * os) : FloatVector.zero(S);
        FloatVector b0 = add ? FloatVector.fromArray(S, out, oo + L) : FloatVector.zero(S);
        FloatVector b1 = add ? FloatVector.fromArray(S, out, oo + os + L) : FloatVector.zero(S);
        FloatVector b2 = add ? FloatVector.fromArray(S, out, oo + 2 * os + L) : FloatVector.zero(S);
        FloatVector b3 = add ? FloatVector.fromArray(S, out, oo + 3 * os + L) : FloatVector.zero(S);
        FloatVector c0 = add ? FloatVector.fromArray(S, out, oo + 2 * L) : FloatVector.zero(S);
        FloatVector c1 = add ? FloatVector.fromArray(S, out, oo + os + 2 * L) : FloatVector.zero(S);
        FloatVector c2 = add ? FloatVector.fromArray(S, out, oo + 2 * os + 2 * L) : FloatVector.zero(S);
        FloatVector c3 = add ? FloatVector.fromArray(S, out, oo + 3 * os + 2 * L) : FloatVector.zero(S);
        FloatVector e0 = add ? FloatVector.fromArray(S, out, oo + 3 * L) : FloatVector.zero(S);
        FloatVector e1 = add ? FloatVector.fromArray(S, out, oo + os + 3 * L) : FloatVector.zero(S);
        FloatVector e2 = add ? FloatVector.fromArray(S, out, oo + 2 * os + 3 * L) : FloatVector.zero(S);
        FloatVector e3 = add ? FloatVector.fromArray(S, out, oo + 3 * os + 3 * L) : FloatVector.zero(S);
        for (int j = j0; j < j1; j++) {
            int r = mo + j * ms;
            FloatVector m0 = FloatVector.fromArray(S, m, r);
            FloatVector m1 = FloatVector.fromArray(S, m, r + L);
            FloatVector m2 = FloatVector.fromArray(S, m, r + 2 * L);
            FloatVector m3 = FloatVector.fromArray(S, m, r + 3 * L);
            int w = co + j * cs;
            float w0 = coef[w];
            float w1 = coef[w + crs];
            float w2 = coef[w + 2 * crs];
            float w3 = coef[w + 3 * crs];
            if (mask != null) {
                w0 *= mask[w];
                w1 *= mask[w + crs];
                w2 *= mask[w + 2 * crs];
                w3 *= mask[w + 3 * crs];
            }
            FloatVector x = FloatVector.broadcast(S, w0);
            a0 = m0.fma(x, a0);
            b0 = m1.fma(x, b0);
            c0 = m2.fma(x, c0);
            e0 = m3.fma(x, e0);
            x = FloatVector.broadcast(S, w1);
            a1 = m0.fma(x, a1);
            b1 = m1.fma(x, b1);
            c1 = m2.fma(x, c1);
            e1 = m3.fma(x, e1);
            x = FloatVector.broadcast(S, w2);
            a2 = m0.fma(x, a2);
            b2 = m1.fma(x, b2);
            c2 = m2.fma(x, c2);
            e2 = m3.fma(x, e2);
            x = FloatVector.broadcast(S, w3);
            a3 = m0.fma(x, a3);
            b3 = m1.fma(x, b3);
            c3 = m2.fma(x, c3);
            e3 = m3.fma(x, e3);
        }
        a0.intoArray(out, oo);
        a1.intoArray(out, oo + os);
        a2.intoArray(out, oo + 2 * os);
        a3.intoArray(out, oo + 3 * os);
        b0.intoArray(out, oo + L);
        b1.intoArray(out, oo + os + L);
        b2.intoArray(out, oo + 2 * os + L);
        b3.intoArray(out, oo + 3 * os + L);
        c0.intoArray(out, oo + 2 * L);
        c1.intoArray(out, oo + os + 2 * L);
        c2.intoArray(out, oo + 2 * os + 2 * L);
        c3.intoArray(out, oo + 3 * os + 2 * L);
        e0.intoArray(out, oo + 3 * L);
        e1.intoArray(out, oo + os + 3 * L);
        e2.intoArray(out, oo + 2 * os + 3 * L);
        e3.intoArray(out, oo + 3 * os + 3 * L);
    }

    /** {@link #combine4} for the two vectors of d at {@code oo} and {@code mo}. */
    private static void combine4x2(float[] out, int oo, int os, boolean add, float[] coef, int co, int crs, int cs,
                                   float[] mask, float[] m, int mo, int ms, int j0, int j1) {
        FloatVector a0 = add ? FloatVector.fromArray(S, out, oo) : FloatVector.zero(S);
        FloatVector a1 = add ? FloatVector.fromArray(S, out, oo + os) : FloatVector.zero(S);
        FloatVector a2 = add ? FloatVector.fromArray(S, out, oo + 2 * os) : FloatVector.zero(S);
        FloatVector a3 = add ? FloatVector.fromArray(S, out, oo + 3 * os) : FloatVector.zero(S);
        FloatVector b0 = add ? FloatVector.fromArray(S, out, oo + L) : FloatVector.zero(S);
        FloatVector b1 = add ? FloatVector.fromArray(S, out, oo + os + L) : FloatVector.zero(S);
        FloatVector b2 = add ? FloatVector.fromArray(S, out, oo + 2 * os + L) : FloatVector.zero(S);
        FloatVector b3 = add ? FloatVector.fromArray(S, out, oo + 3 * os + L) : FloatVector.zero(S);
        for (int j = j0; j < j1; j++) {
            FloatVector row = FloatVector.fromArray(S, m, mo + j * ms);
            FloatVector row2 = FloatVector.fromArray(S, m, mo + j * ms + L);
            int w = co + j * cs;
            float w0 = coef[w];
            float w1 = coef[w + crs];
            float w2 = coef[w + 2 * crs];
            float w3 = coef[w + 3 * crs];
            if (mask != null) {
                w0 *= mask[w];
                w1 *= mask[w + crs];
                w2 *= mask[w + 2 * crs];
                w3 *= mask[w + 3 * crs];
            }
            FloatVector x = FloatVector.broadcast(S, w0);
            a0 = row.fma(x, a0);
            b0 = row2.fma(x, b0);
            x = FloatVector.broadcast(S, w1);
            a1 = row.fma(x, a1);
            b1 = row2.fma(x, b1);
            x = FloatVector.broadcast(S, w2);
            a2 = row.fma(x, a2);
            b2 = row2.fma(x, b2);
            x = FloatVector.broadcast(S, w3);
            a3 = row.fma(x, a3);
            b3 = row2.fma(x, b3);
        }
        a0.intoArray(out, oo);
        a1.intoArray(out, oo + os);
        a2.intoArray(out, oo + 2 * os);
        a3.intoArray(out, oo + 3 * os);
        b0.intoArray(out, oo + L);
        b1.intoArray(out, oo + os + L);
        b2.intoArray(out, oo + 2 * os + L);
        b3.intoArray(out, oo + 3 * os + L);
    }

    /**
     * out[oo + d] (+)= sum_{j < n} w_j m[mo + j * ms + d] for d < hs, where
     * w_j = coef[co + j * cs] (times mask[co + j * cs] when a mask is given). The running sums of
     * up to two vectors of d stay in registers across all n rows.
     */
    static void combine(float[] out, int oo, boolean add, float[] coef, int co, int cs, float[] mask,
                                float[] m, int mo, int ms, int n, int hs) {
        int d = 0;
        for (; d + 2 * L <= hs; d += 2 * L) {
            FloatVector a0 = add ? FloatVector.fromArray(S, out, oo + d) : FloatVector.zero(S);
            FloatVector a1 = add ? FloatVector.fromArray(S, out, oo + d + L) : FloatVector.zero(S);
            for (int j = 0; j < n; j++) {
                float wj = mask == null ? coef[co + j * cs] : coef[co + j * cs] * mask[co + j * cs];
                FloatVector w = FloatVector.broadcast(S, wj);
                int r = mo + j * ms + d;
                a0 = FloatVector.fromArray(S, m, r).fma(w, a0);
                a1 = FloatVector.fromArray(S, m, r + L).fma(w, a1);
            }
            a0.intoArray(out, oo + d);
            a1.intoArray(out, oo + d + L);
        }
        for (; d + L <= hs; d += L) {
            FloatVector a0 = add ? FloatVector.fromArray(S, out, oo + d) : FloatVector.zero(S);
            for (int j = 0; j < n; j++) {
                float wj = mask == null ? coef[co + j * cs] : coef[co + j * cs] * mask[co + j * cs];
                a0 = FloatVector.fromArray(S, m, mo + j * ms + d).fma(FloatVector.broadcast(S, wj), a0);
            }
            a0.intoArray(out, oo + d);
        }
        for (; d < hs; d++) {
            float acc = add ? out[oo + d] : 0f;
            for (int j = 0; j < n; j++) {
                float wj = mask == null ? coef[co + j * cs] : coef[co + j * cs] * mask[co + j * cs];
                acc = Math.fma(wj, m[mo + j * ms + d], acc);
            }
            out[oo + d] = acc;
        }
    }
}
