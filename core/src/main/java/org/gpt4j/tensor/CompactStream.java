package org.gpt4j.tensor;

import static org.gpt4j.tensor.CompactMatrix.B;
import static org.gpt4j.tensor.CompactMatrix.F;
import static org.gpt4j.tensor.CompactMatrix.H;
import static org.gpt4j.tensor.CompactMatrix.I;
import static org.gpt4j.tensor.CompactMatrix.L;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The streamed kernels of {@link CompactMatmul} (decoding: each weight is read once, so the
 * product runs as fast as compact weights can be loaded and widened to floats in registers):
 * {@code dot} takes one row of W {@code [out, in]} dot one row of x, front to back with four
 * chains of sums. int8 sums are unscaled: the caller applies a row's scale once, to its finished
 * sum.
 *
 * <p><b>The widening.</b> Each float vector of weights is widened with conversions that map one
 * source lane to one float lane, between species of the preferred float species' lane count
 * ({@link CompactMatrix#F}: 16 lanes on AVX-512, 8 on AVX2, 4 with 128-bit vectors):
 * <ul>
 *   <li>bf16: L shorts, {@code S2I} to an int vector of F's shape, a 16-bit left shift, and the
 *       bits read as floats (a bf16 value is the top half of a float);</li>
 *   <li>int8: L bytes, {@code B2F} part 0. 128-bit vectors would need a 4-byte vector, which
 *       does not exist: the load reads 8 bytes and converts the first 4, so the vector loops stop
 *       where such a load would run past the array ({@link #int8Bound}).</li>
 * </ul>
 * Every such conversion is a single C2 intrinsic on AVX-512, AVX2 and 128-bit vectors. Wider
 * sources converted in parts (a full-width byte vector's part 1..3) or a float species wider than
 * the machine's (a 256-bit species on a 128-bit machine) are not: they run the Vector API's Java
 * fallback, which allocates every intermediate vector and is 10-100x slower.
 *
 * <p>The widening is written out inside each kernel rather than in a helper: a helper that the
 * JIT compiles on its own and then declines to inline (as "already compiled into a big method")
 * returns its vector boxed, which loses the intrinsics for every caller. Each kernel is one
 * format and one form, so its compiled body stays small and every vector stays in registers.
 */
final class CompactStream {

    private CompactStream() {
    }

    /**
     * The sum over p of x[xo + p] W(v, p): one row of bf16 W {@code [*, k]} at wo = v * k, read
     * front to back with four chains of sums.
     */
    static float bf16Dot(float[] x, int xo, short[] h, int wo, int k) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int bound = F.loopBound(k);
        int p = 0;
        for (; p + 4 * L <= bound; p += 4 * L) {
            s0 = ((IntVector) ShortVector.fromArray(H, h, wo + p)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + p), s0);
            s1 = ((IntVector) ShortVector.fromArray(H, h, wo + p + L)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + p + L), s1);
            s2 = ((IntVector) ShortVector.fromArray(H, h, wo + p + 2 * L)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + p + 2 * L), s2);
            s3 = ((IntVector) ShortVector.fromArray(H, h, wo + p + 3 * L)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + p + 3 * L), s3);
        }
        for (; p < bound; p += L) {
            s0 = ((IntVector) ShortVector.fromArray(H, h, wo + p)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + p), s0);
        }
        float s = VectorMath.sum(s0.add(s1).add(s2.add(s3)));
        for (; p < k; p++) {
            s = Math.fma(x[xo + p], CompactMatrix.fromBf16(h[wo + p]), s);
        }
        return s;
    }

    /** As {@link #bf16Dot} for int8 W, unscaled. */
    static float int8Dot(float[] x, int xo, byte[] q, int wo, int k) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int bound = int8Bound(q, wo, k);
        int p = 0;
        for (; p + 4 * L <= bound; p += 4 * L) {
            s0 = ((FloatVector) ByteVector.fromArray(B, q, wo + p).convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, xo + p), s0);
            s1 = ((FloatVector) ByteVector.fromArray(B, q, wo + p + L).convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, xo + p + L), s1);
            s2 = ((FloatVector) ByteVector.fromArray(B, q, wo + p + 2 * L).convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, xo + p + 2 * L), s2);
            s3 = ((FloatVector) ByteVector.fromArray(B, q, wo + p + 3 * L).convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, xo + p + 3 * L), s3);
        }
        for (; p < bound; p += L) {
            s0 = ((FloatVector) ByteVector.fromArray(B, q, wo + p).convertShape(VectorOperators.B2F, F, 0)).fma(FloatVector.fromArray(F, x, xo + p), s0);
        }
        float s = VectorMath.sum(s0.add(s1).add(s2.add(s3)));
        for (; p < k; p++) {
            s = Math.fma(x[xo + p], q[wo + p], s);
        }
        return s;
    }

    /**
     * Where the vector loop over a run of n int8 weights stops: {@code F.loopBound(n)}, less where
     * a load of B's lanes at the last run (starting at {@code lastRun}) would pass the array's end.
     */
    static int int8Bound(byte[] q, int lastRun, int n) {
        return F.loopBound(Math.min(n, q.length - lastRun - (B.length() - L)));
    }
}
