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
 * {@code axpy4} adds four rows of W, scaled by four values of x, into a row of sums (Conv1D
 * layers, W {@code [in, out]}); {@code dot4} takes four rows of W dot one row of x (the tied
 * unembedding, W {@code [V, C]}). int8 sums are unscaled: the caller applies a channel's scale
 * once, to its finished sum.
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

    /** acc[ao + j] += x0 W(p, j) + x1 W(p+1, j) + x2 W(p+2, j) + x3 W(p+3, j), bf16 W at ho = p * n. */
    static void bf16Axpy4(float[] x, int xo, short[] h, int ho, int n, float[] acc, int ao) {
        FloatVector a0 = FloatVector.broadcast(F, x[xo]);
        FloatVector a1 = FloatVector.broadcast(F, x[xo + 1]);
        FloatVector a2 = FloatVector.broadcast(F, x[xo + 2]);
        FloatVector a3 = FloatVector.broadcast(F, x[xo + 3]);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            FloatVector w0 = ((IntVector) ShortVector.fromArray(H, h, ho + j)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w1 = ((IntVector) ShortVector.fromArray(H, h, ho + n + j)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w2 = ((IntVector) ShortVector.fromArray(H, h, ho + 2 * n + j)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w3 = ((IntVector) ShortVector.fromArray(H, h, ho + 3 * n + j)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector s = FloatVector.fromArray(F, acc, ao + j);
            s = w0.fma(a0, s);
            s = w1.fma(a1, s);
            s = w2.fma(a2, s);
            s = w3.fma(a3, s);
            s.intoArray(acc, ao + j);
        }
        for (; j < n; j++) {
            float s = acc[ao + j];
            for (int r = 0; r < 4; r++) {
                s = Math.fma(x[xo + r], CompactMatrix.fromBf16(h[ho + r * n + j]), s);
            }
            acc[ao + j] = s;
        }
    }

    /** As {@link #bf16Axpy4} for int8 W, unscaled. */
    static void int8Axpy4(float[] x, int xo, byte[] q, int qo, int n, float[] acc, int ao) {
        FloatVector a0 = FloatVector.broadcast(F, x[xo]);
        FloatVector a1 = FloatVector.broadcast(F, x[xo + 1]);
        FloatVector a2 = FloatVector.broadcast(F, x[xo + 2]);
        FloatVector a3 = FloatVector.broadcast(F, x[xo + 3]);
        int j = 0;
        for (int bound = int8Bound(q, qo + 3 * n, n); j < bound; j += L) {
            FloatVector w0 = (FloatVector) ByteVector.fromArray(B, q, qo + j).convertShape(VectorOperators.B2F, F, 0);
            FloatVector w1 = (FloatVector) ByteVector.fromArray(B, q, qo + n + j).convertShape(VectorOperators.B2F, F, 0);
            FloatVector w2 = (FloatVector) ByteVector.fromArray(B, q, qo + 2 * n + j).convertShape(VectorOperators.B2F, F, 0);
            FloatVector w3 = (FloatVector) ByteVector.fromArray(B, q, qo + 3 * n + j).convertShape(VectorOperators.B2F, F, 0);
            FloatVector s = FloatVector.fromArray(F, acc, ao + j);
            s = w0.fma(a0, s);
            s = w1.fma(a1, s);
            s = w2.fma(a2, s);
            s = w3.fma(a3, s);
            s.intoArray(acc, ao + j);
        }
        for (; j < n; j++) {
            float s = acc[ao + j];
            for (int r = 0; r < 4; r++) {
                s = Math.fma(x[xo + r], q[qo + r * n + j], s);
            }
            acc[ao + j] = s;
        }
    }

    /** y[yo + r] = sum_p x[xo + p] W(v0 + r, p) for r < 4, bf16 W {@code [*, k]} at wo = v0 * k. */
    static void bf16Dot4(float[] x, int xo, short[] h, int wo, int k, float[] y, int yo) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (int bound = F.loopBound(k); p < bound; p += L) {
            FloatVector a = FloatVector.fromArray(F, x, xo + p);
            FloatVector w0 = ((IntVector) ShortVector.fromArray(H, h, wo + p)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w1 = ((IntVector) ShortVector.fromArray(H, h, wo + k + p)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w2 = ((IntVector) ShortVector.fromArray(H, h, wo + 2 * k + p)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector w3 = ((IntVector) ShortVector.fromArray(H, h, wo + 3 * k + p)
                    .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            s0 = w0.fma(a, s0);
            s1 = w1.fma(a, s1);
            s2 = w2.fma(a, s2);
            s3 = w3.fma(a, s3);
        }
        y[yo] = VectorMath.sum(s0);
        y[yo + 1] = VectorMath.sum(s1);
        y[yo + 2] = VectorMath.sum(s2);
        y[yo + 3] = VectorMath.sum(s3);
        for (int r = 0; r < 4; r++) {
            float s = y[yo + r];
            for (int i = p; i < k; i++) {
                s = Math.fma(x[xo + i], CompactMatrix.fromBf16(h[wo + r * k + i]), s);
            }
            y[yo + r] = s;
        }
    }

    /** As {@link #bf16Dot4} for int8 W, unscaled. */
    static void int8Dot4(float[] x, int xo, byte[] q, int wo, int k, float[] y, int yo) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int p = 0;
        for (int bound = int8Bound(q, wo + 3 * k, k); p < bound; p += L) {
            FloatVector a = FloatVector.fromArray(F, x, xo + p);
            FloatVector w0 = (FloatVector) ByteVector.fromArray(B, q, wo + p).convertShape(VectorOperators.B2F, F, 0);
            FloatVector w1 = (FloatVector) ByteVector.fromArray(B, q, wo + k + p).convertShape(VectorOperators.B2F, F, 0);
            FloatVector w2 = (FloatVector) ByteVector.fromArray(B, q, wo + 2 * k + p).convertShape(VectorOperators.B2F, F, 0);
            FloatVector w3 = (FloatVector) ByteVector.fromArray(B, q, wo + 3 * k + p).convertShape(VectorOperators.B2F, F, 0);
            s0 = w0.fma(a, s0);
            s1 = w1.fma(a, s1);
            s2 = w2.fma(a, s2);
            s3 = w3.fma(a, s3);
        }
        y[yo] = VectorMath.sum(s0);
        y[yo + 1] = VectorMath.sum(s1);
        y[yo + 2] = VectorMath.sum(s2);
        y[yo + 3] = VectorMath.sum(s3);
        for (int r = 0; r < 4; r++) {
            float s = y[yo + r];
            for (int i = p; i < k; i++) {
                s = Math.fma(x[xo + i], q[wo + r * k + i], s);
            }
            y[yo + r] = s;
        }
    }

    /**
     * Where the vector loop over a run of n int8 weights stops: {@code F.loopBound(n)}, less where
     * a load of B's lanes at the last run (starting at {@code lastRun}) would pass the array's end.
     */
    static int int8Bound(byte[] q, int lastRun, int n) {
        return F.loopBound(Math.min(n, q.length - lastRun - (B.length() - L)));
    }
}
