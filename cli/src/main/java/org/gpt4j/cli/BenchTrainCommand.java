package org.gpt4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.model.GptConfig;
import org.gpt4j.perf.MachinePeak;
import org.gpt4j.perf.TrainingBenchmark;
import org.gpt4j.tensor.VectorIsa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j bench train}: tokens per second of full training steps, and MFU against this machine's peak. */
@Command(name = "train", header = "Time training steps of a GPT with random weights (tokens/s, MFU).",
        mixinStandardHelpOptions = true,
        description = {"Time training steps (forward, loss, backward, AdamW) on random weights and tokens,",
            "sequences of --context tokens, after warm-up steps. MFU is model FLOPs per second over the",
            "FP32 peak that 'bench peak' measures (measured first, under a second) or --peak-flops."})
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

    @Option(names = "--arch", paramLabel = "gpt|bert", defaultValue = "gpt",
            description = "gpt (default), or bert: MLM + NSP pre-training steps of a BERT of the same shape "
                + "(15%% of positions labelled; --context is the sequence length).")
    String arch;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed steps first (default: ${DEFAULT-VALUE}).",
            defaultValue = "2")
    int warmup;

    @Option(names = "--peak-flops", paramLabel = "F",
            description = "FLOP/s that MFU is relative to, e.g. 233e9 (default: this machine's FP32 peak, measured "
                + "at start as 'bench peak' does; the JSON's peak_source says which was used).")
    Double peakFlops;

    @Option(names = "--json", description = "Print {\"tokens_per_second\", \"ms_per_step\", \"mfu\", \"peak_flops\", "
        + "\"peak_source\": \"measured\"|\"given\", \"isa\", \"vector_bits\"}.")
    boolean json;

    @Override
    public Integer call() {
        if (steps <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--steps must be positive and --warmup not negative");
        }
        if (peakFlops != null && !(peakFlops > 0 && Double.isFinite(peakFlops))) {
            throw new IllegalArgumentException("--peak-flops must be a positive number, got " + peakFlops);
        }
        if (!arch.equals("gpt") && !arch.equals("bert")) {
            throw new IllegalArgumentException("--arch must be gpt or bert, got '" + arch + "'");
        }
        GptConfig config = arch.equals("gpt") ? shape.toConfig() : null;
        org.gpt4j.model.BertConfig bert = arch.equals("bert") ? shape.toBertConfig() : null;
        // Measured before the model exists, on idle cores: the training steps' threads are not yet running.
        String source = peakFlops == null ? "measured" : "given";
        double peak = peakFlops == null ? MachinePeak.peakFlops() : peakFlops;
        TrainingBenchmark.Result r = bert != null
                ? new org.gpt4j.perf.BertTrainingBenchmark(bert, batch, bert.maxPositionEmbeddings(), 1337).run(warmup, steps, peak)
                : new TrainingBenchmark(config, batch, config.nPositions(), 1337).run(warmup, steps, peak);
        VectorIsa isa = VectorIsa.CURRENT;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.printf(Locale.ROOT, "{\"tokens_per_second\": %.2f, \"ms_per_step\": %.2f, \"mfu\": %s, "
                            + "\"peak_flops\": %.4e, \"peak_source\": \"%s\", \"isa\": \"%s\", \"vector_bits\": %d}%n",
                    r.tokensPerSecond(), r.msPerStep(), r.mfu(), peak, source, isa.name(), isa.vectorBits());
        } else {
            out.printf(Locale.ROOT, "train %s%d layers, %d heads, %d wide, vocab %d, B=%d x T=%d: "
                            + "%.1f tokens/s, %.1f ms/step, MFU %.1f%% of the %s peak %.1f GFLOP/s (%s)%n",
                    bert != null ? "BERT " : "", shape.layers, shape.heads, shape.embd, shape.vocab, batch, shape.context,
                    r.tokensPerSecond(), r.msPerStep(), 100 * r.mfu(), source, peak / 1e9, isa.describe());
        }
        out.flush();
        return 0;
    }
}
