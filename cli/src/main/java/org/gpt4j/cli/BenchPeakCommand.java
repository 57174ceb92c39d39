package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.perf.MachinePeak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j bench peak}: this machine's FP32 FMA peak and memory bandwidth, as gpt4j's kernels see them. */
@Command(name = "peak", header = "Measure this machine's FP32 peak FLOP/s and memory bandwidth.",
        mixinStandardHelpOptions = true,
        description = {"Measure this machine's ceilings with the Vector API, on every core:",
            "  peak FLOP/s: a loop of 12 independent vector fused multiply-adds held in registers",
            "    (an FMA counts 2 FLOPs per lane); what MFU in 'bench train' is relative to.",
            "  bandwidth: the STREAM triad a[i] = b[i] + s * c[i] over three arrays of --array-mb,",
            "    counted as 12 bytes per element (read b, read c, write a; the extra read of a that",
            "    write-allocate caches make is not counted, as in STREAM); what 'bench decode' is relative to.",
            "  read bandwidth: a vector sum over the same arrays, a stream that only reads, as decoding",
            "    reads its weights; on some machines well below the triad.",
            "Each is the best of a few short repetitions after a warm-up. one_core_peak_flops: the FMA loop",
            "on one thread alone; on a shared machine a peak_flops below cores x that says the cores were busy.",
            "Start the JVM with GPT4J_JAVA_OPTS=\"-XX:UseAVX=2\" or \"-XX:MaxVectorSize=16\" to measure narrower vectors."})
final class BenchPeakCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--array-mb", paramLabel = "MB",
            description = "Size of each of the triad's three arrays, in MiB; keep it far above the last-level cache "
                    + "(default: ${DEFAULT-VALUE}).",
            defaultValue = "128")
    int arrayMb;

    @Option(names = "--json", description = "Print {\"isa\": ..., \"vector_bits\": ..., \"cores\": ..., "
            + "\"peak_flops\": ..., \"one_core_peak_flops\": ..., \"bandwidth_bytes_per_second\": ..., "
            + "\"read_bandwidth_bytes_per_second\": ...}.")
    boolean json;

    @Override
    public Integer call() {
        if (arrayMb <= 0 || arrayMb > 8191) {
            throw new IllegalArgumentException("--array-mb must be in [1, 8191], got " + arrayMb);
        }
        MachinePeak.Result r = MachinePeak.measure((long) arrayMb << 20);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.printf(Locale.ROOT, "{\"isa\": \"%s\", \"vector_bits\": %d, \"registers\": %d, \"cores\": %d, "
                            + "\"peak_flops\": %.4e, \"one_core_peak_flops\": %.4e, \"bandwidth_bytes_per_second\": %.4e, "
                            + "\"read_bandwidth_bytes_per_second\": %.4e}%n",
                    r.isa().name(), r.isa().vectorBits(), r.isa().registers(), r.cores(),
                    r.peakFlops(), r.oneCorePeakFlops(), r.bandwidthBytesPerSecond(), r.readBandwidthBytesPerSecond());
        } else {
            out.printf(Locale.ROOT, "peak %.1f GFLOP/s FP32 on %d cores, %.1f on one core alone (%s)%n",
                    r.peakFlops() / 1e9, r.cores(), r.oneCorePeakFlops() / 1e9, r.isa().describe());
            out.printf(Locale.ROOT, "memory bandwidth %.1f GB/s (triad over 3 x %d MiB, 12 bytes per element), "
                            + "%.1f GB/s reading only%n",
                    r.bandwidthBytesPerSecond() / 1e9, arrayMb, r.readBandwidthBytesPerSecond() / 1e9);
        }
        out.flush();
        return 0;
    }
}
