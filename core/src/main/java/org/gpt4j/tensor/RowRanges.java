package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * How a streamed product (few rows of x times a large weight matrix: decoding) splits its work:
 * the weight matrix's rows into a fixed number of contiguous ranges, one task each, so that every
 * thread reads one long run of memory (what the hardware prefetchers stream fastest). Each range
 * sums into its own partial result; {@link #addPartials} adds them in range order. The count is a
 * constant, not the number of cores, so a product gives the same bits on any machine.
 */
final class RowRanges {

    /** Ranges per product (fewer when the matrix has fewer than 16 rows per range). */
    static final int COUNT = 8;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The calling thread's partial sums of its last streamed product. */
    private static final ThreadLocal<float[]> PARTIALS = ThreadLocal.withInitial(() -> new float[0]);

    private RowRanges() {
    }

    /** How many ranges k rows are cut into. */
    static int count(int k) {
        return Math.max(1, Math.min(COUNT, k / 16));
    }

    /** First row of range r of {@code ranges} over k rows (range r ends where r + 1 starts). */
    static int start(int k, int r, int ranges) {
        return (int) ((long) k * r / ranges);
    }

    /** The calling thread's scratch for {@code ranges} partial results of {@code size} floats each. */
    static float[] partials(int ranges, int size) {
        float[] p = PARTIALS.get();
        if (p.length < ranges * size) {
            p = new float[ranges * size];
            PARTIALS.set(p);
        }
        return p;
    }

    /**
     * c[co + j] = (accumulate ? c[co + j] : 0) + (the sum over r, in order, of
     * partial[po + r * stride + j]) for j < n.
     */
    static void addPartials(float[] c, int co, boolean accumulate, float[] partial, int po, int stride, int ranges, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) {
            FloatVector sum = FloatVector.fromArray(S, partial, po + j);
            for (int r = 1; r < ranges; r++) {
                sum = sum.add(FloatVector.fromArray(S, partial, po + r * stride + j));
            }
            FloatVector base = accumulate ? FloatVector.fromArray(S, c, co + j) : FloatVector.zero(S);
            base.add(sum).intoArray(c, co + j);
        }
        for (; j < n; j++) {
            float sum = partial[po + j];
            for (int r = 1; r < ranges; r++) {
                sum += partial[po + r * stride + j];
            }
            float base = accumulate ? c[co + j] : 0f;
            c[co + j] = base + sum;
        }
    }
}
