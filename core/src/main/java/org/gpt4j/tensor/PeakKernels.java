package org.gpt4j.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops that measure what this machine can do at best, for {@code gpt4j bench peak}: a
 * register-resident chain of fused multiply-adds (the FP32 compute peak one core reaches with the
 * Vector API), the STREAM triad {@code a[i] = b[i] + s * c[i]} (the memory bandwidth) and a
 * read-only sum (the bandwidth of a stream that only reads).
 * Neither is used by a model; they set the ceiling that MFU and bandwidth utilisation divide by.
 *
 * <p>The FMA loop keeps {@link #ACCUMULATORS} independent vectors. A multiply-add's result is
 * ready only after its latency (4 cycles on Zen 4/5 and recent Intel cores, 3-4 on Arm cores),
 * and a core starts one per FMA unit per cycle (2 on most x86 and Arm server cores), so at least
 * latency x units = 8 independent chains must be in flight to keep every unit busy; 12 leave a
 * margin for 5- and 6-cycle latencies. 12 accumulators plus the two constant operands are 14
 * vector registers: they fit AVX2's 16 as well as the 32 of AVX-512 and NEON, so nothing spills.
 * (A core with 4 FMA units, such as Apple's, needs 16 chains and reads about 75% of its peak.)
 */
public final class PeakKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Independent multiply-add chains in {@link #fmaChains}. */
    public static final int ACCUMULATORS = 12;

    /**
     * Each chain runs {@code a = a * MULTIPLIER + ADDEND}: with a multiplier below 1 it converges
     * to {@code ADDEND / (1 - MULTIPLIER) = 1}, so values never overflow nor become subnormal
     * (which would slow some cores down), however long the loop runs.
     */
    static final float MULTIPLIER = 0.999f;
    static final float ADDEND = 0.001f;

    /**
     * Bytes one triad element moves as STREAM counts them: read b, read c, write a (4 bytes
     * each). The core also reads each line of a before writing it (write-allocate), a fourth
     * 4 bytes that STREAM, and this count, leave out.
     */
    public static final int TRIAD_BYTES_PER_ELEMENT = 3 * Float.BYTES;

    private PeakKernels() {
    }

    /** Floats in one vector of the loops. */
    public static int lanes() {
        return S.length();
    }

    /** Floating-point operations of {@link #fmaChains}{@code (iterations, ...)}: 2 per lane per FMA. */
    public static long fmaFlops(long iterations) {
        return iterations * ACCUMULATORS * S.length() * 2L;
    }

    /**
     * {@code iterations} rounds of {@link #ACCUMULATORS} vector FMAs, chain {@code k} starting at
     * {@code start + k}. Returns the sum of every chain's lanes so that the JIT cannot drop the work.
     */
    public static float fmaChains(int iterations, float start) {
        FloatVector m = FloatVector.broadcast(S, MULTIPLIER);
        FloatVector c = FloatVector.broadcast(S, ADDEND);
        FloatVector a0 = FloatVector.broadcast(S, start);
        FloatVector a1 = FloatVector.broadcast(S, start + 1);
        FloatVector a2 = FloatVector.broadcast(S, start + 2);
        FloatVector a3 = FloatVector.broadcast(S, start + 3);
        FloatVector a4 = FloatVector.broadcast(S, start + 4);
        FloatVector a5 = FloatVector.broadcast(S, start + 5);
        FloatVector a6 = FloatVector.broadcast(S, start + 6);
        FloatVector a7 = FloatVector.broadcast(S, start + 7);
        FloatVector a8 = FloatVector.broadcast(S, start + 8);
        FloatVector a9 = FloatVector.broadcast(S, start + 9);
        FloatVector a10 = FloatVector.broadcast(S, start + 10);
        FloatVector a11 = FloatVector.broadcast(S, start + 11);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5)
                .add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return VectorMath.sum(sum);
    }

    /**
     * The sum of floats [from, to) of a native segment, in four vector sums: a read-only stream,
     * as decoding reads its weights (the triad also writes, and the two do not reach the same
     * bandwidth on every machine). Returned so that the JIT cannot drop the reads.
     */
    public static float readSum(MemorySegment a, long from, long to) {
        ByteOrder order = ByteOrder.nativeOrder();
        long step = S.length();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        long i = from;
        for (long bound = to - (to - from) % (4 * step); i < bound; i += 4 * step) {
            long offset = i * Float.BYTES;
            s0 = s0.add(FloatVector.fromMemorySegment(S, a, offset, order));
            s1 = s1.add(FloatVector.fromMemorySegment(S, a, offset + step * Float.BYTES, order));
            s2 = s2.add(FloatVector.fromMemorySegment(S, a, offset + 2 * step * Float.BYTES, order));
            s3 = s3.add(FloatVector.fromMemorySegment(S, a, offset + 3 * step * Float.BYTES, order));
        }
        float sum = VectorMath.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < to; i++) {
            sum += a.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i * Float.BYTES);
        }
        return sum;
    }

    /**
     * {@code a[i] = b[i] + s * c[i]} for floats {@code i} in [from, to) of three native segments
     * (off the heap, so that hundreds of megabytes for one measurement leave no trace in the heap
     * the benchmark uses afterwards).
     */
    public static void triad(MemorySegment a, MemorySegment b, MemorySegment c, float s, long from, long to) {
        ByteOrder order = ByteOrder.nativeOrder();
        FloatVector vs = FloatVector.broadcast(S, s);
        long step = S.length();
        long i = from;
        for (long bound = to - (to - from) % step; i < bound; i += step) {
            long offset = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, c, offset, order)
                    .fma(vs, FloatVector.fromMemorySegment(S, b, offset, order))
                    .intoMemorySegment(a, offset, order);
        }
        for (; i < to; i++) {
            long offset = i * Float.BYTES;
            a.set(ValueLayout.JAVA_FLOAT_UNALIGNED, offset, Math.fma(c.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset), s,
                    b.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset)));
        }
    }
}
