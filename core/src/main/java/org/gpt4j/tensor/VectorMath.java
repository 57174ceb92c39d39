package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp over a vector of floats, in registers. {@code lanewise(EXP)} of the incubating Vector API
 * is ten times slower than this on the JDK we run (it is not compiled to a vector instruction
 * sequence), and softmax and cross-entropy are made of it.
 */
final class VectorMath {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final VectorShuffle<Float> XOR_8 = pairing(8);
    private static final VectorShuffle<Float> XOR_4 = pairing(4);
    private static final VectorShuffle<Float> XOR_2 = pairing(2);
    private static final VectorShuffle<Float> XOR_1 = pairing(1);

    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer, kept in the low bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float MAX = 88.3762626647949f;
    private static final float MIN = -87.3365447504f;

    private VectorMath() {
    }

    /**
     * e^x to within 2 ulp (Cephes' expf: x = n ln 2 + r, |r| <= ln 2 / 2, a degree-6 polynomial
     * for e^r, then 2^n by building the exponent bits). Inputs are clamped to the normal range:
     * below about -87.3 the result is ~1e-38 instead of a denormal or zero.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(MIN).min(MAX);
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(-LN2_HI, 0f).add(x);
        r = n.fma(-LN2_LO, 0f).add(r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, c(r, 8.3334519073e-3f));
        p = p.fma(r, c(r, 4.1665795894e-2f));
        p = p.fma(r, c(r, 1.6666665459e-1f));
        p = p.fma(r, c(r, 5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = (IntVector) t.reinterpretAsInts();
        FloatVector scale = bits.sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    /**
     * tanh(u) = 1 - 2 / (e^(2u) + 1), from {@link #exp}. Not {@code lanewise(TANH)}: compiled it
     * calls a vector library, interpreted it calls Math.tanh, and the two round differently — a
     * training run would then depend on when the JIT compiled GELU. Near 0 the absolute error is
     * about 1e-7, which is all GELU's 1 + tanh(u) needs.
     */
    static FloatVector tanh(FloatVector u) {
        FloatVector e = exp(u.add(u));
        return c(u, 1f).sub(c(u, 2f).div(e.add(1f)));
    }

    private static FloatVector c(FloatVector like, float value) {
        return FloatVector.broadcast(like.species(), value);
    }

    /**
     * The sum of the lanes in one fixed tree order. Not reduceLanes(ADD): its order is unspecified
     * and differs between interpreted and compiled code, so results (and a resumed run's losses)
     * would depend on when the JIT compiled this method.
     */
    static float sum(FloatVector v) {
        // Constant shuffles in their own fields (not an array) let the JIT emit plain permutes.
        if (LANES > 8) {
            v = v.add(v.rearrange(XOR_8));
        }
        if (LANES > 4) {
            v = v.add(v.rearrange(XOR_4));
        }
        if (LANES > 2) {
            v = v.add(v.rearrange(XOR_2));
        }
        if (LANES > 1) {
            v = v.add(v.rearrange(XOR_1));
        }
        return v.lane(0);
    }

    /** Lane i to lane i ^ distance (the identity when the vector has no such lanes). */
    private static VectorShuffle<Float> pairing(int distance) {
        return LANES > distance ? VectorShuffle.fromOp(SPECIES, i -> i ^ distance) : VectorShuffle.iota(SPECIES, 0, 1, false);
    }
}
