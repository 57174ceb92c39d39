package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.model.GptConfig;
import org.gpt4j.perf.DecodeBenchmark;
import org.gpt4j.tensor.WeightFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j bench decode}: prefill time and decoding speed with a KV cache, batch 1. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Time greedy decoding with a KV cache at batch 1 on random weights: the prefill of a",
            "random prompt, then one token per forward. Median of --repeats runs after a warm-up run."})
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

    @Option(names = "--json", description = "Print {\"prefill_ms\": X, \"decode_tokens_per_second\": Y}.")
    boolean json;

    @Override
    public Integer call() {
        if (repeats <= 0) {
            throw new IllegalArgumentException("--repeats must be positive");
        }
        GptConfig config = shape.toConfig();
        DecodeBenchmark.Result r = new DecodeBenchmark(config, weights.format, prompt, newTokens, 1337).run(1, repeats);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.printf(Locale.ROOT, "{\"prefill_ms\": %.2f, \"decode_tokens_per_second\": %.2f}%n",
                    r.prefillMs(), r.decodeTokensPerSecond());
        } else {
            out.printf(Locale.ROOT, "decode %d layers, %d heads, %d wide, vocab %d, %s weights: prefill of %d tokens %.1f ms, "
                            + "%.1f tokens/s for %d new tokens%n",
                    config.nLayer(), config.nHead(), config.nEmbd(), config.vocabSize(), weights.format.label(), prompt, r.prefillMs(),
                    r.decodeTokensPerSecond(), newTokens);
        }
        out.flush();
        return 0;
    }
}
