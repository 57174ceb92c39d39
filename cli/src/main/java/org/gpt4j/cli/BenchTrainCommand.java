package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.model.GptConfig;
import org.gpt4j.perf.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j bench train}: tokens per second of full training steps. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Time training steps (forward, loss, backward, AdamW) on random weights and tokens,",
            "sequences of --context tokens, after warm-up steps."})
final class BenchTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelShapeOptions shape;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--batch", paramLabel = "B", description = "Sequences per step (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int batch;

    @Option(names = "--steps", paramLabel = "N", description = "Timed steps (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed steps first (default: ${DEFAULT-VALUE}).",
            defaultValue = "2")
    int warmup;

    @Option(names = "--peak-flops", paramLabel = "F",
            description = "FLOP/s that MFU is relative to (default: ${DEFAULT-VALUE}, the reference machine's FP32 peak).",
            defaultValue = "233e9")
    double peakFlops;

    @Option(names = "--json", description = "Print {\"tokens_per_second\": X, \"ms_per_step\": Y, \"mfu\": Z}.")
    boolean json;

    @Override
    public Integer call() {
        if (steps <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--steps must be positive and --warmup not negative");
        }
        GptConfig config = shape.toConfig();
        TrainingBenchmark.Result r = new TrainingBenchmark(config, batch, config.nPositions(), 1337)
                .run(warmup, steps, peakFlops);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.printf(Locale.ROOT, "{\"tokens_per_second\": %.2f, \"ms_per_step\": %.2f, \"mfu\": %.4f}%n",
                    r.tokensPerSecond(), r.msPerStep(), r.mfu());
        } else {
            out.printf(Locale.ROOT, "train %d layers, %d heads, %d wide, vocab %d, B=%d x T=%d: "
                            + "%.1f tokens/s, %.1f ms/step, MFU %.1f%%%n",
                    config.nLayer(), config.nHead(), config.nEmbd(), config.vocabSize(), batch, config.nPositions(),
                    r.tokensPerSecond(), r.msPerStep(), 100 * r.mfu());
        }
        out.flush();
        return 0;
    }
}
