package org.gpt4j.perf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.gpt4j.tensor.Parallel;
import org.gpt4j.tensor.PeakKernels;
import org.gpt4j.tensor.VectorIsa;

/**
 * Measures this machine's ceilings, the denominators of the efficiency figures the benchmarks
 * report: the FP32 multiply-add peak that the Vector API reaches on every core (MFU of training
 * divides by it) and the memory bandwidth of a streaming triad on every core (bandwidth
 * utilisation of decoding divides by it). Measured rather than taken from a data sheet because
 * the clock under load, the vector width the JVM was started with ({@code -XX:UseAVX=2}) and the
 * share of the host a virtual machine gets all move them. Takes one to two seconds.
 *
 * <p>Each figure is the best of a few short repetitions after a warm-up: the JIT has to compile
 * the loops first, and on a shared machine the best run is the one least disturbed by others.
 */
public final class MachinePeak {

    /**
     * Each of the triad's three arrays: far bigger than any cache, so that memory is what is timed.
     * Allocating them is most of the measurement's second or so: the pages are faulted in.
     */
    public static final long DEFAULT_ARRAY_BYTES = 128L << 20;

    /** FMA rounds per work item: about a millisecond on any core (one round is 12 independent FMAs). */
    static final int FMA_ROUNDS_PER_ITEM = 1 << 19;

    /** Work items per thread in one repetition, so that a thread that wakes late evens out. */
    static final int ITEMS_PER_THREAD = 4;

    /** Repetitions of each measurement at least (the triad's are 10-100 ms each). */
    static final int REPEATS = 10;

    /**
     * The FMA repetitions (a few milliseconds each) go on for this long: on a shared machine the
     * best is the one that found every core free, and more tries find it more often.
     */
    static final long PEAK_NANOS = 300_000_000L;

    /** Keeps the warm-up's results alive, so that the JIT cannot drop the calls. */
    static volatile float sink;

    /**
     * Warm-up gives up waiting for compiled code after this long (and measures what it has): on
     * a busy machine the JIT's compiler threads wait for a core too.
     */
    static final long WARMUP_LIMIT_NANOS = 10_000_000_000L;

    /**
     * What was measured.
     *
     * @param isa                       the instruction set and vector width the loops ran with
     * @param cores                     threads the loops ran on, one per core ({@link Parallel#threads()})
     * @param peakFlops                 FP32 floating-point operations per second, an FMA counting two
     * @param oneCorePeakFlops          the same on one thread alone: on a machine shared with other
     *                                  processes, {@code peakFlops} below {@code cores} times this says
     *                                  that the cores were not all free
     * @param bandwidthBytesPerSecond   triad bytes per second, 12 per element (read b and c, write a)
     * @param readBandwidthBytesPerSecond bytes per second of a stream that only reads (4 per float):
     *                                  what decoding's weight reads meet; on some machines well
     *                                  below the triad (Zen 5 VM here: 38-43 against 66-76 GB/s)
     */
    public record Result(VectorIsa isa, int cores, double peakFlops, double oneCorePeakFlops,
                         double bandwidthBytesPerSecond, double readBandwidthBytesPerSecond) {
    }

    /** The triad's and the read-only stream's bytes per second, over the same arrays. */
    record Bandwidths(double triad, double read) {
    }

    private MachinePeak() {
    }

    /** Both figures, the triad over three arrays of {@link #DEFAULT_ARRAY_BYTES}. */
    public static Result measure() {
        return measure(DEFAULT_ARRAY_BYTES);
    }

    /** Both figures, the triad over three arrays of {@code arrayBytes} each. */
    public static Result measure(long arrayBytes) {
        double peak = peakFlops();
        double onePeak = oneCorePeakFlops();
        Bandwidths b = bandwidths(arrayBytes);
        return new Result(VectorIsa.CURRENT, Parallel.threads(), peak, onePeak, b.triad(), b.read());
    }

    /**
     * FP32 FLOP/s of {@link PeakKernels#fmaChains} on every core: the best of at least
     * {@link #REPEATS} repetitions and {@link #PEAK_NANOS}.
     */
    public static double peakFlops() {
        // Compiled: under a nanosecond per vector FMA on any core (12 independent chains); the
        // interpreter and C1 take 15 to 300 here, as they box every vector.
        warmUp(() -> sink = PeakKernels.fmaChains(256, 1f), 256 * PeakKernels.ACCUMULATORS * 2);
        int items = Parallel.threads() * ITEMS_PER_THREAD;
        float[] results = new float[items];
        double best = 0;
        long start = System.nanoTime();
        for (int r = 0; r < REPEATS + 1 || System.nanoTime() - start < PEAK_NANOS; r++) {
            long t0 = System.nanoTime();
            Parallel.forEach(items, Long.MAX_VALUE / items, (item, end) ->
                    results[item] = PeakKernels.fmaChains(FMA_ROUNDS_PER_ITEM, item));
            long nanos = System.nanoTime() - t0;
            // The first parallel repetition wakes the workers and finishes their compilation: untimed.
            if (r > 0) {
                best = Math.max(best, flopsPerSecond(items, FMA_ROUNDS_PER_ITEM, nanos));
            }
        }
        return best;
    }

    /**
     * Calls {@code call} until it has run 100 times in under {@code compiledNanos} (or
     * {@link #WARMUP_LIMIT_NANOS} passed): until the JIT's optimising compiler has compiled it
     * with vector instructions. A time or a count of calls alone is not enough: on a loaded
     * machine C2 can take seconds, and a timed repetition that starts in C1's boxed code runs
     * 100 times slower.
     */
    private static void warmUp(Runnable call, long compiledNanos) {
        long start = System.nanoTime();
        for (int fast = 0; fast < 100 && System.nanoTime() - start < WARMUP_LIMIT_NANOS; ) {
            long t = System.nanoTime();
            call.run();
            if (System.nanoTime() - t < compiledNanos) {
                fast++;
            }
        }
    }

    /**
     * FP32 FLOP/s of {@link PeakKernels#fmaChains} on the calling thread alone: the best of short
     * calls (a tenth of a millisecond) for {@link #PEAK_NANOS}. Short enough that some run
     * undisturbed even on a busy machine: the figure to compare {@link #peakFlops()} with.
     */
    public static double oneCorePeakFlops() {
        warmUp(() -> sink = PeakKernels.fmaChains(256, 1f), 256 * PeakKernels.ACCUMULATORS * 2);
        int rounds = FMA_ROUNDS_PER_ITEM / 16;
        long best = Long.MAX_VALUE;
        long start = System.nanoTime();
        for (int r = 0; r < REPEATS || System.nanoTime() - start < PEAK_NANOS; r++) {
            long t0 = System.nanoTime();
            sink = PeakKernels.fmaChains(rounds, r);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return flopsPerSecond(1, rounds, best);
    }

    /** FLOP/s of {@code items} calls of {@code rounds} FMA rounds each, done in {@code nanos}. */
    static double flopsPerSecond(int items, int rounds, long nanos) {
        return (double) items * PeakKernels.fmaFlops(rounds) / (nanos / 1e9);
    }

    /**
     * Bytes per second of the triad {@code a = b + s * c} over three arrays of {@code arrayBytes}
     * on every core: the best of {@link #REPEATS} passes, each counted as
     * {@link PeakKernels#TRIAD_BYTES_PER_ELEMENT} bytes per element.
     */
    public static double bandwidth(long arrayBytes) {
        return bandwidths(arrayBytes).triad();
    }

    /**
     * The triad's bytes per second as {@link #bandwidth} measures them, and then those of a
     * read-only sum over the same three arrays ({@link PeakKernels#readSum}, 4 bytes per float,
     * the best of {@link #REPEATS} passes).
     */
    static Bandwidths bandwidths(long arrayBytes) {
        long n = arrayBytes / Float.BYTES;
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("triad arrays must hold 1 to 2^31 - 1 floats, got " + arrayBytes + " bytes");
        }
        int elements = (int) n;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = arena.allocate(n * Float.BYTES, 64);
            MemorySegment b = arena.allocate(n * Float.BYTES, 64);
            MemorySegment c = arena.allocate(n * Float.BYTES, 64);
            // allocate() zeroes the memory, which also faults every page in before the timed
            // passes (in a virtual machine that costs more than the passes). Zeros are a fine
            // input: the triad's speed does not depend on the values.
            // Compiled: well under a nanosecond per element of an in-cache range; the interpreter
            // and C1 take 10 to 60 here.
            int warmLength = (int) Math.min(n, 4096);
            warmUp(() -> PeakKernels.triad(a, b, c, 3f, 0, warmLength), warmLength);
            double best = 0;
            for (int r = 0; r < REPEATS + 1; r++) {
                long t0 = System.nanoTime();
                Parallel.forRange(elements, 1 << 20, (s, e) -> PeakKernels.triad(a, b, c, 3f, s, e));
                long nanos = System.nanoTime() - t0;
                if (r > 0) {
                    best = Math.max(best, triadBytesPerSecond(n, nanos));
                }
            }
            return new Bandwidths(best, readBandwidth(new MemorySegment[] {a, b, c}, elements));
        }
    }

    /** Bytes per second of {@link PeakKernels#readSum} over every float of {@code arrays}, on every core. */
    private static double readBandwidth(MemorySegment[] arrays, int elements) {
        int warmLength = Math.min(elements, 4096);
        warmUp(() -> sink = PeakKernels.readSum(arrays[0], 0, warmLength), warmLength);
        int items = Parallel.threads() * ITEMS_PER_THREAD;
        float[] sums = new float[items];
        double best = 0;
        for (int r = 0; r < REPEATS + 1; r++) {
            long t0 = System.nanoTime();
            Parallel.forEach(items, Long.MAX_VALUE / items, (item, end) -> {
                long from = (long) elements * item / items;
                long to = (long) elements * (item + 1) / items;
                float sum = 0;
                for (MemorySegment array : arrays) {
                    sum += PeakKernels.readSum(array, from, to);
                }
                sums[item] = sum;
            });
            long nanos = System.nanoTime() - t0;
            // The first repetition wakes the workers: untimed, as for the triad.
            if (r > 0) {
                best = Math.max(best, (double) arrays.length * elements * Float.BYTES / (nanos / 1e9));
            }
        }
        sink = sums[0];
        return best;
    }

    /** Bytes per second of one triad pass over {@code elements} floats in {@code nanos}. */
    static double triadBytesPerSecond(long elements, long nanos) {
        return (double) elements * PeakKernels.TRIAD_BYTES_PER_ELEMENT / (nanos / 1e9);
    }
}
