package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.model.GptConfig;
import org.gpt4j.perf.DecodeBenchmark;
import org.gpt4j.perf.MachinePeak;
import org.gpt4j.tensor.VectorIsa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j bench decode}: prefill time and decoding speed with a KV cache, batch 1, and its share of memory bandwidth. */
@Command(name = "decode", header = "Time KV-cache decoding of a GPT with random weights (tokens/s).",
        mixinStandardHelpOptions = true,
        description = {"Time greedy decoding with a KV cache at batch 1 on random weights: the prefill of a",
            "random prompt, then one token per forward. Median of --repeats runs after a warm-up run.",
            "Bandwidth utilisation: the weight bytes each token reads (every block matrix and wte, as",
            "stored: f32 4 bytes a weight, bf16 2, int8 1 plus its scales) x tokens/s, over the memory",
            "bandwidth that 'bench peak' measures (measured first, 1-2 s) or --bandwidth."})
final class BenchDecodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelShapeOptions shape;

    @Mixin
    VerboseOption verbose;

    @Mixin
    WeightsOption weights;

    @Option(names = "--prompt", paramLabel = "P", description = "Prompt tokens (default: ${DEFAULT-VALUE}).",
            defaultValue = "128")
    int prompt;

    @Option(names = "--new", paramLabel = "N", description = "Tokens to generate (default: ${DEFAULT-VALUE}).",
            defaultValue = "64")
    int newTokens;

    @Option(names = "--repeats", paramLabel = "N", description = "Timed runs (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int repeats;

    @Option(names = "--bandwidth", paramLabel = "BYTES_PER_S",
            description = "Memory bandwidth that bandwidth_utilisation is relative to, e.g. 40e9 (default: this "
                + "machine's triad bandwidth, measured at start as 'bench peak' does; the JSON's "
                + "bandwidth_source says which was used).")
    Double bandwidth;

    @Option(names = "--json", description = "Print {\"prefill_ms\", \"decode_tokens_per_second\", \"weight_bytes_per_token\", "
        + "\"bandwidth_utilisation\", \"bandwidth_bytes_per_second\", \"bandwidth_source\": \"measured\"|\"given\", "
        + "\"isa\", \"vector_bits\"}.")
    boolean json;

    @Override
    public Integer call() {
        if (repeats <= 0) {
            throw new IllegalArgumentException("--repeats must be positive");
        }
        if (bandwidth != null && !(bandwidth > 0 && Double.isFinite(bandwidth))) {
            throw new IllegalArgumentException("--bandwidth must be a positive number, got " + bandwidth);
        }
        GptConfig config = shape.toConfig();
        // Measured before the model is built: its three arrays are freed before the weights take memory.
        String source = bandwidth == null ? "measured" : "given";
        double bytesPerSecond = bandwidth == null ? MachinePeak.bandwidth(MachinePeak.DEFAULT_ARRAY_BYTES) : bandwidth;
        DecodeBenchmark.Result r = new DecodeBenchmark(config, weights.format, prompt, newTokens, 1337).run(1, repeats);
        double utilisation = r.bandwidthUtilisation(bytesPerSecond);
        VectorIsa isa = VectorIsa.CURRENT;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.printf(Locale.ROOT, "{\"prefill_ms\": %.2f, \"decode_tokens_per_second\": %.2f, "
                            + "\"weight_bytes_per_token\": %d, \"bandwidth_utilisation\": %.4f, "
                            + "\"bandwidth_bytes_per_second\": %.4e, \"bandwidth_source\": \"%s\", "
                            + "\"isa\": \"%s\", \"vector_bits\": %d}%n",
                    r.prefillMs(), r.decodeTokensPerSecond(), r.weightBytesPerToken(), utilisation,
                    bytesPerSecond, source, isa.name(), isa.vectorBits());
        } else {
            out.printf(Locale.ROOT, "decode %d layers, %d heads, %d wide, vocab %d, %s weights: prefill of %d tokens %.1f ms, "
                            + "%.1f tokens/s for %d new tokens (%s)%n",
                    config.nLayer(), config.nHead(), config.nEmbd(), config.vocabSize(), weights.format.label(), prompt, r.prefillMs(),
                    r.decodeTokensPerSecond(), newTokens, isa.describe());
            out.printf(Locale.ROOT, "weights %.2f MB per token x %.1f tokens/s = %.2f GB/s, %.1f%% of the %s bandwidth %.1f GB/s%n",
                    r.weightBytesPerToken() / 1e6, r.decodeTokensPerSecond(),
                    r.weightBytesPerToken() * r.decodeTokensPerSecond() / 1e9, 100 * utilisation, source,
                    bytesPerSecond / 1e9);
        }
        out.flush();
        return 0;
    }
}
