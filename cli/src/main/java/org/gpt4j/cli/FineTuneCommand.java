package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.FineTuneOptions;
import org.gpt4j.finetune.FineTuner;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j finetune}: GPT-1's supervised fine-tuning of a pre-trained GPT on a labelled TSV. */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a pre-trained GPT for a task as GPT-1 did: start, delimiter and extract tokens",
            "added to the vocabulary, a linear head (score.weight) on the extract token's final hidden",
            "state, and the loss L3 = L2 (task cross-entropy) + lambda * L1 (language modelling on the same",
            "inputs). classification: start text extract; entailment: start premise delim hypothesis extract.",
            "Data: TSV with a header; columns found by name (sentence/text/sentence1, sentence2, label).",
            "After each epoch the dev accuracy; the output directory holds the last epoch's model (a",
            "Hugging Face GPT2ForSequenceClassification directory), best/ the best epoch's, metrics.jsonl.",
            "instruction: JSON Lines of {\"prompt\", \"response\"} or chat {\"messages\": [{\"role\", \"content\"}]};",
            "a chat template (<|system|> <|user|> <|assistant|> <|end|> added to the vocabulary) stored in",
            "tokenizer_config.json and used by chat; the LM loss on the assistant's tokens only; after each",
            "epoch the dev loss and the dev exact match of greedy answers; best/ holds the lowest dev loss."})
final class FineTuneCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    TaskColumnOptions columns;

    @Option(names = "--task", required = true, paramLabel = "classification|entailment|instruction",
            description = "The input transformation: classification (one text), entailment (a text pair), or"
                    + " instruction (conversations in JSON Lines; --lm-weight and the column options do not apply).")
    String task;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The pre-trained model directory (with its tokenizer).")
    Path model;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training TSV; it defines the labels (instruction: JSON Lines).")
    Path train;

    @Option(names = "--dev", required = true, paramLabel = "FILE", description = "Dev TSV, scored after each epoch (instruction: JSON Lines).")
    Path dev;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
    Path out;

    @Option(names = "--lm-weight", paramLabel = "LAMBDA", defaultValue = "0.5",
            description = "Weight of the auxiliary LM loss, 0 turns it off (default ${DEFAULT-VALUE}, GPT-1's).")
    double lmWeight;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Epochs (default ${DEFAULT-VALUE}, GPT-1's).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-4",
            description = "Peak learning rate (default ${DEFAULT-VALUE}; GPT-1 used 6.25e-5 for its 117M model).")
    double lr;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "32", description = "Examples per step (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", paramLabel = "FRACTION", defaultValue = "0.02",
            description = "Share of the steps with linear warmup, then linear decay to 0 (default ${DEFAULT-VALUE}; GPT-1: 0.002).")
    double warmup;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0.01", description = "AdamW decay on matrices (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--clip", paramLabel = "N", defaultValue = "1.0", description = "Global gradient-norm limit, 0 for none (default ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "2",
            description = "Stop after N epochs without a better dev accuracy (instruction: a lower dev loss), 0 never"
                    + " (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--max-length", paramLabel = "T",
            description = "Longest sequence in tokens, special tokens included (default: the model's n_positions).")
    Integer maxLength;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the new weights and the batch order.")
    long seed;

    @Option(names = "--from-scratch", description = "Ignore the model's weights: a random GPT of the same shape (the baseline pre-training must beat).")
    boolean fromScratch;

    @Option(names = "--force", description = "Overwrite a model already in --out.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON object per epoch, then a summary as the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (InstructionFineTuning.TASK.equals(task)) {
            return new InstructionFineTuning(this).call();
        }
        PrintWriter w = spec.commandLine().getOut();
        TaskFormat format = TaskFormat.fromConfigName(task);
        if (Files.exists(out.resolve(ModelDirectory.CONFIG)) && !force) {
            throw new IllegalArgumentException(out + " already holds a model; choose another --out or add --force");
        }
        if (TaskModelDirectory.isTaskModel(model)) {
            throw new IllegalArgumentException(model + " is already fine-tuned; give the pre-trained model it came from");
        }
        Gpt base = ModelDirectory.load(model);
        if (fromScratch) {
            base = org.gpt4j.model.GptInit.randomGpt(base.config(), seed);
        }
        Tokenizer tokenizer = Tokenizers.load(model);
        int context = base.config().nPositions();
        int length = maxLength == null ? context : maxLength;
        if (length > context) {
            throw new IllegalArgumentException("--max-length " + length + " exceeds the model's context (n_positions = " + context + ")");
        }
        FineTuneOptions options = new FineTuneOptions(format, lmWeight, epochs, lr, batch, seed, warmup, weightDecay, clip,
                patience, length);
        TaskDataset trainSet = TaskDataset.readTraining(train, format, columns.columns());
        TaskDataset devSet = TaskDataset.read(dev, format, columns.columns(), trainSet.labels());
        TaskModel taskModel = TaskModel.fromBase(base, format, trainSet.labels(), seed);
        if (!json) {
            w.printf(Locale.ROOT, "%s: %,d train, %,d dev examples, labels %s; %s%s, lambda %s%n", format.configName(),
                    trainSet.size(), devSet.size(), trainSet.labels().names(), model, fromScratch ? " (from scratch)" : "",
                    lmWeight);
            w.flush();
        }
        FineTuner.Summary s;
        try (FineTuneProgress progress = new FineTuneProgress(w, spec.commandLine().getErr(), json,
                TrainProgress.isTerminal(), out)) {
            s = new FineTuner(taskModel, tokenizer, options, out).run(trainSet, devSet, progress);
        }
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("dev_accuracy", s.devAccuracy());
            n.put("dev_macro_f1", s.devMacroF1());
            n.put("best_epoch", s.bestEpoch());
            n.put("last_dev_accuracy", s.lastDevAccuracy());
            n.put("epochs", s.epochs());
            n.put("steps", s.steps());
            n.put("seconds", s.seconds());
            n.put("stopped_early", s.stoppedEarly());
            n.put("lm_weight", lmWeight);
            n.put("out", out.toString());
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "best dev accuracy %.4f at epoch %d (saved in %s); last epoch %.4f; %d steps in %.0f s%s%n",
                    s.devAccuracy(), s.bestEpoch(), out.resolve("best"), s.lastDevAccuracy(), s.steps(), s.seconds(),
                    s.stoppedEarly() ? " (stopped early)" : "");
        }
        w.flush();
        return 0;
    }
}
