package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Element-wise loops of the residual stream: adds, copies and dropout masks. */
public final class ElementwiseKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private ElementwiseKernels() {
    }

    /** out = a + b over n values (out may alias a or b). */
    public static void add(float[] out, float[] a, float[] b, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /** y += x over n values. */
    public static void accumulate(float[] y, float[] x, int n) {
        add(y, y, x, n);
    }

    /**
     * Fills {@code mask} with 0 (dropped, probability p) or 1/(1-p) (kept): inverted dropout, so
     * evaluation needs no rescaling. The random source makes masks reproducible from a seed.
     */
    public static void dropoutMask(float[] mask, int n, float p, java.util.random.RandomGenerator rng) {
        float keep = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextFloat() < p ? 0f : keep;
        }
    }

    /** x *= mask over n values (forward and backward of dropout alike). */
    public static void multiply(float[] x, float[] mask, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).mul(FloatVector.fromArray(S, mask, i)).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] *= mask[i];
        }
    }
}
