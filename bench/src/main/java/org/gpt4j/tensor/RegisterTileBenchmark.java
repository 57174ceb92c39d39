package org.gpt4j.tensor;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matrix product's register tile alone ({@link GemmTiles#fullTile}, the shape
 * {@link GemmShape} chose for this JVM) over packed panels that stay in L1, on one thread: how
 * close the tile itself comes to the core's FMA peak ({@code gpt4j bench peak}'s
 * {@code one_core_peak_flops}), apart from packing and cache misses. It lives in the kernels'
 * package because the tile is package-private.
 *
 * <p>One operation is one tile over {@link #K} steps: {@code 2 x MR x NR x K} FLOPs (printed by
 * {@link #flopsPerCall}); GFLOP/s = that / (ns per op). Run with
 * {@code bench/run-kernel-bench.sh RegisterTileBenchmark}, and {@code JVM_ARGS=-XX:UseAVX=2} or
 * {@code JVM_ARGS=-XX:MaxVectorSize=16} for the narrower paths.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RegisterTileBenchmark {

    /** The depth of one packed block, as the GEMM uses it. */
    static final int K = Gemm.KC;

    float[] a;
    float[] b;
    float[] c;

    @Setup
    public void setUp() {
        a = new float[Gemm.MR * K];
        b = new float[Gemm.NR * K];
        c = new float[Gemm.MR * Gemm.NR];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.01f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 5) * 0.01f;
        }
        System.err.printf("# register tile %d x %d vectors (%s): %d FLOPs per call%n",
                Gemm.MR, Gemm.NV, VectorIsa.CURRENT.describe(), flopsPerCall());
    }

    /** FLOPs of one {@link #tile} call. */
    public static long flopsPerCall() {
        return 2L * Gemm.MR * Gemm.NR * K;
    }

    @Benchmark
    public float[] tile() {
        GemmTiles.fullTile(K, a, 0, b, 0, c, 0, Gemm.NR, c, 0, Gemm.NR);
        return c;
    }
}
