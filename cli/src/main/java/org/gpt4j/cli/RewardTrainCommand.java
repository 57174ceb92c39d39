package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.FineTuneOptions;
import org.gpt4j.finetune.FineTuner;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelNames;
import org.gpt4j.rl.PreferencePair;
import org.gpt4j.rl.PreferenceReader;
import org.gpt4j.rl.RewardModel;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j reward train}: a reward model from comparisons, through fine-tuning's loop. */
@Command(name = "train", header = "Train a reward model on comparisons (JSON Lines).",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Each line of --pairs is {\"prompt\", \"chosen\", \"rejected\"} or {\"prompt\", \"ranking\": [best, ..., worst]}",
            "(every pair of a ranking is a comparison, and a ranking's comparisons share a batch). The model is the",
            "GPT with start, delimiter and extract tokens added and a scalar head on the extract token; the loss is",
            "-log sigma(r(x, y_w) - r(x, y_l)); after each epoch the pairwise accuracy on --dev (the share of",
            "comparisons with r_w > r_l). --out holds the last epoch's model, best/ the best epoch's, metrics.jsonl",
            "and loss.png."})
final class RewardTrainCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The pre-trained model directory (with its tokenizer), or a model name.")
    Path model;

    @Option(names = "--pairs", required = true, paramLabel = "FILE", description = "Training comparisons, JSON Lines.")
    Path pairs;

    @Option(names = "--dev", required = true, paramLabel = "FILE", description = "Dev comparisons, JSON Lines, scored after each epoch.")
    Path dev;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "1",
            description = "Epochs (default ${DEFAULT-VALUE}: InstructGPT's reward model overfits after one).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-4", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "32", description = "Comparisons per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", paramLabel = "FRACTION", defaultValue = "0.02",
            description = "Share of the steps with linear warmup, then linear decay to 0 (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0.01", description = "AdamW decay on matrices (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--clip", paramLabel = "N", defaultValue = "1.0", description = "Global gradient-norm limit, 0 for none (default ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--max-length", paramLabel = "T",
            description = "Longest sequence in tokens, special tokens included (default: the model's n_positions).")
    Integer maxLength;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the head and the batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Overwrite a model already in --out.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON object per epoch, then a summary as the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        if (Files.exists(out.resolve(ModelDirectory.CONFIG)) && !force) {
            throw new IllegalArgumentException(out + " already holds a model; choose another --out or add --force");
        }
        if (TaskModelDirectory.isTaskModel(model)) {
            throw new IllegalArgumentException(model + " is already fine-tuned; give the pre-trained model it came from");
        }
        List<PreferencePair> trainPairs = PreferenceReader.read(pairs);
        List<PreferencePair> devPairs = PreferenceReader.read(dev);
        var base = ModelDirectory.load(model);
        Tokenizer tokenizer = Tokenizers.load(model);
        int context = base.config().nPositions();
        int length = maxLength == null ? context : maxLength;
        if (length > context) {
            throw new IllegalArgumentException("--max-length " + length + " exceeds the model's context (n_positions = " + context + ")");
        }
        FineTuneOptions options = new FineTuneOptions(TaskFormat.MULTIPLE_CHOICE, 0, epochs, lr, batch, seed, warmup,
                weightDecay, clip, 0, length);
        TaskModel rm = RewardModel.fromBase(base, seed);
        PrintWriter w = spec.commandLine().getOut();
        if (!json) {
            w.printf(Locale.ROOT, "reward model on %s: %,d training comparisons (%d lines), %,d dev comparisons%n", model,
                    trainPairs.size(), trainPairs.get(trainPairs.size() - 1).group() + 1, devPairs.size());
            w.flush();
        }
        FineTuner.Summary s;
        try (FineTuneProgress progress = new FineTuneProgress(w, spec.commandLine().getErr(), json,
                TrainProgress.isTerminal(), out, true)) {
            // InstructGPT: all the comparisons of one ranking in one batch.
            s = new FineTuner(rm, tokenizer, options, out)
                    .keepingGroupsTogether(trainPairs.stream().mapToInt(PreferencePair::group).toArray())
                    .run(RewardModel.comparisons(pairs, trainPairs),
                    RewardModel.comparisons(dev, devPairs), progress);
        }
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("dev_pairwise_accuracy", s.devAccuracy());
            n.put("best_epoch", s.bestEpoch());
            n.put("last_dev_pairwise_accuracy", s.lastDevAccuracy());
            n.put("train_comparisons", trainPairs.size());
            n.put("dev_comparisons", devPairs.size());
            n.put("epochs", s.epochs());
            n.put("steps", s.steps());
            n.put("seconds", s.seconds());
            n.put("out", out.toString());
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "best dev pairwise accuracy %.4f at epoch %d (saved in %s); last epoch %.4f; %d steps in %.0f s%n",
                    s.devAccuracy(), s.bestEpoch(), out.resolve("best"), s.lastDevAccuracy(), s.steps(), s.seconds());
        }
        w.flush();
        return 0;
    }
}
