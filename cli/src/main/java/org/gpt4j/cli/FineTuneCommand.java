package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.FineTuneOptions;
import org.gpt4j.finetune.FineTuner;
import org.gpt4j.finetune.SequenceClassifier;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.finetune.TrainableWeights;
import org.gpt4j.finetune.lora.LoraFineTuning;
import org.gpt4j.finetune.lora.PeftAdapterDirectory;
import org.gpt4j.io.BertConfigJson;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.LoraConfig;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j finetune}: GPT-1's supervised fine-tuning of a pre-trained GPT on a labelled TSV or JSONL file. */
@Command(name = "finetune", header = "Fine-tune a pre-trained GPT for a task as GPT-1 did (or with LoRA), or a BERT as BERT did.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a pre-trained GPT for a task as GPT-1 did: start, delimiter and extract tokens",
            "added to the vocabulary, a linear head (score.weight) on the extract token's final hidden",
            "state, and the loss L3 = L2 (task cross-entropy) + lambda * L1 (language modelling on the same",
            "inputs). classification: start text extract; entailment: start premise delim hypothesis extract;",
            "similarity: both orders start a delim b extract and start b delim a extract, the two final states",
            "added; multiple-choice: start context delim option extract per option, one score each (head",
            "[1, n_embd]), a softmax over the options.",
            "Data: TSV with a header (columns found by name: sentence/text/sentence1, sentence2, label) or,",
            "for a .jsonl file, one JSON object per line (the same names as fields; multiple choice: premise,",
            "optional question, choice1..N or a choices array, label = the gold option's index from 0).",
            "After each epoch the dev accuracy; the output directory holds the last epoch's model (a",
            "Hugging Face GPT2ForSequenceClassification directory for classification, entailment and similarity;",
            "multiple choice's one-score head is gpt4j's own), best/ the best epoch's, metrics.jsonl.",
            "--lora-rank R trains LoRA adapters instead (the base frozen) and saves PEFT adapter directories;",
            "run them with evaluate-task/classify --model BASE --adapter DIR, or fold them in with merge.",
            "A BERT --model (model_type bert, with vocab.txt) is fine-tuned as BERT was: [CLS] text [SEP], or",
            "[CLS] a [SEP] b [SEP] with segments 0 and 1 (similarity: one order), a classifier with bias on the",
            "pooled [CLS] state (multiple choice: one score per option), every weight trained, no LM loss",
            "(--lm-weight and --lora-* do not apply), default --lr 1e-4; saved as a Hugging Face",
            "BertForSequenceClassification (or BertForMultipleChoice) directory that fill-mask still reads.",
            "instruction: JSON Lines of {\"prompt\", \"response\"} or chat {\"messages\": [{\"role\", \"content\"}]};",
            "a chat template (<|system|> <|user|> <|assistant|> <|end|> added to the vocabulary) stored in",
            "tokenizer_config.json and used by chat; the LM loss on the assistant's tokens only; after each",
            "epoch the dev loss and the dev exact match of greedy answers; best/ holds the lowest dev loss."})
final class FineTuneCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * The default peak rates, measured on SST-2 with en-base (see the README): full fine-tuning 3e-4
     * (1e-4: 80.2%, 3e-4: 82.0%, 5e-4: 79.5%), and LoRA 1e-3 (at 1e-4 it barely moves).
     */
    static final double FULL_LR = 3e-4;
    static final double LORA_LR = 1e-3;

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    TaskColumnOptions columns;

    @Option(names = "--task", required = true, paramLabel = "classification|entailment|similarity|multiple-choice|instruction",
            description = "The input transformation: classification (one text), entailment (an ordered pair), "
                    + "similarity (an unordered pair: both orders), multiple-choice (a context and N options, .jsonl) or"
                    + " instruction (conversations in JSON Lines; --lm-weight and the column options do not apply).")
    String task;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The pre-trained model directory (with its tokenizer; a GPT-2 or a BERT directory), or a model name (en-base: models/en-base).")
    Path model;

    @Option(names = "--train", required = true, paramLabel = "FILE",
            description = "Training TSV or .jsonl; it defines the labels (multiple choice: the number of options; instruction: JSON Lines).")
    Path train;

    @Option(names = "--dev", required = true, paramLabel = "FILE", description = "Dev TSV or .jsonl, scored after each epoch (instruction: JSON Lines).")
    Path dev;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
    Path out;

    @Option(names = "--lm-weight", paramLabel = "LAMBDA", defaultValue = "0.5",
            description = "Weight of the auxiliary LM loss, 0 turns it off (default ${DEFAULT-VALUE}, GPT-1's).")
    double lmWeight;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Epochs (default ${DEFAULT-VALUE}, GPT-1's).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Peak learning rate (default 3e-4, or 1e-3 with --lora-rank: the adapters start at 0 and move "
                    + "few weights; GPT-1 used 6.25e-5 for its 117M model, small models take more; a BERT: 1e-4).")
    Double lr;

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

    @Option(names = "--dropout", paramLabel = "P",
            description = "Dropout while fine-tuning, on the embeddings, the attention probabilities and each sub-layer's"
                    + " output (default: the model's own resid_pdrop; en-base's is 0, GPT-2's 0.1). On SST-2 with en-base,"
                    + " GPT-1's 0.1 gave 80.8%% against 81.8%% without. Saved in config.json as resid_pdrop, embd_pdrop and"
                    + " attn_pdrop.")
    Double dropout;

    @Option(names = "--max-length", paramLabel = "T",
            description = "Longest sequence in tokens, special tokens included (default: the model's n_positions).")
    Integer maxLength;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the new weights and the batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--from-scratch", description = "Ignore the model's weights: a random GPT of the same shape (the baseline pre-training must beat).")
    boolean fromScratch;

    @Option(names = "--lora-rank", paramLabel = "R",
            description = "Train LoRA adapters of rank R (Hu et al. 2021) instead of every weight: the base frozen; trained "
                    + "are W0 + (alpha/R) B A on the --lora-targets layers (A kaiming-uniform, B = 0, as PEFT), the head "
                    + "and the added tokens' embedding rows. Saved as PEFT adapter directories (default: full fine-tuning).")
    Integer loraRank;

    @Option(names = "--lora-alpha", paramLabel = "A",
            description = "LoRA's alpha: the update is scaled by A/R (default: 2R, a scale of 2 at every rank).")
    Double loraAlpha;

    @Option(names = "--lora-targets", paramLabel = "NAMES", split = ",", defaultValue = "c_attn",
            description = "Layers LoRA adapts, PEFT's target_modules: c_attn, c_proj (attn.c_proj and mlp.c_proj), c_fc, "
                    + "attn.c_proj, mlp.c_proj, or one layer as h.0.attn.c_attn (default: ${DEFAULT-VALUE}, the fused query, key "
                    + "and value projection; the LoRA paper adapted query and value).")
    List<String> loraTargets;

    @Option(names = "--force", description = "Overwrite a model already in --out.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON object per epoch, then a summary as the last line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        if (InstructionFineTuning.TASK.equals(task)) {
            if (BertConfigJson.isBert(model)) {
                throw new IllegalArgumentException(model + " is a BERT: instruction tuning teaches a GPT to answer, and a BERT"
                        + " does not generate (its tasks: classification, entailment, similarity, multiple-choice)");
            }
            return new InstructionFineTuning(this).call();
        }
        PrintWriter w = spec.commandLine().getOut();
        TaskFormat format = TaskFormat.fromConfigName(task);
        if ((Files.exists(out.resolve(ModelDirectory.CONFIG)) || PeftAdapterDirectory.isAdapter(out)) && !force) {
            throw new IllegalArgumentException(out + " already holds a model; choose another --out or add --force");
        }
        if (TaskModelDirectory.isTaskModel(model)) {
            throw new IllegalArgumentException(model + " is already fine-tuned; give the pre-trained model it came from");
        }
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        if (BertConfigJson.isBert(model)) {
            return new BertFineTuning(this).call();
        }
        Gpt base = ModelDirectory.load(model);
        if (dropout != null) {
            base = new Gpt(base.config().withDropout(dropout), base.parameters());
        }
        if (fromScratch) {
            base = org.gpt4j.model.GptInit.randomGpt(base.config(), seed);
        }
        Tokenizer tokenizer = Tokenizers.load(model);
        int context = base.config().nPositions();
        int length = maxLength == null ? context : maxLength;
        if (length > context) {
            throw new IllegalArgumentException("--max-length " + length + " exceeds the model's context (n_positions = " + context + ")");
        }
        double peak = lr != null ? lr : loraRank != null ? LORA_LR : FULL_LR;
        FineTuneOptions options = new FineTuneOptions(format, lmWeight, epochs, peak, batch, seed, warmup, weightDecay, clip,
                patience, length);
        TaskDataset trainSet = TaskDataset.readTraining(train, format, columns.columns());
        TaskDataset devSet = TaskDataset.read(dev, format, columns.columns(), trainSet.labels());
        TaskModel taskModel = TaskModel.fromBase(base, format, trainSet.labels(), seed);
        long total = taskModel.parameterCount();
        TrainableWeights trainable = TrainableWeights.all(taskModel);
        if (loraRank != null) {
            if (fromScratch) {
                throw new IllegalArgumentException("--lora-rank adapts a pre-trained base; --from-scratch trains every weight");
            }
            LoraFineTuning lora = LoraFineTuning.attach(taskModel, new LoraConfig(loraRank,
                    loraAlpha == null ? 2.0 * loraRank : loraAlpha, loraTargets, false), seed, model.toString());
            taskModel = lora.model();
            trainable = lora;
            total += lora.adapters().parameters().layout().totalCount();
        } else if (loraAlpha != null || spec.commandLine().getParseResult().hasMatchedOption("--lora-targets")) {
            throw new IllegalArgumentException((loraAlpha != null ? "--lora-alpha" : "--lora-targets") + " needs --lora-rank");
        }
        if (!json) {
            w.printf(Locale.ROOT, "%s: %,d train, %,d dev examples, %s; %s%s, lambda %s%n", format.configName(),
                    trainSet.size(), devSet.size(), format.choices() ? trainSet.labels().size() + " options each"
                            : "labels " + trainSet.labels().names(), model, fromScratch ? " (from scratch)" : "",
                    lmWeight);
            w.printf(Locale.ROOT, "trainable parameters: %,d of %,d (%.2f%%)%s%n", trainable.count(), total,
                    100.0 * trainable.count() / total, loraRank == null ? "" : String.format(Locale.ROOT,
                            " - LoRA r %d, alpha %s on %s", loraRank, loraAlpha == null ? 2.0 * loraRank : loraAlpha, loraTargets));
            w.flush();
        }
        return train(taskModel, tokenizer, options, trainable, trainSet, devSet, total);
    }

    /** Runs the fine-tuning with progress, then prints the summary (a JSON line with --json). */
    int train(SequenceClassifier taskModel, Tokenizer tokenizer, FineTuneOptions options, TrainableWeights trainable,
            TaskDataset trainSet, TaskDataset devSet, long total) throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        FineTuner.Summary s;
        try (FineTuneProgress progress = new FineTuneProgress(w, spec.commandLine().getErr(), json,
                TrainProgress.isTerminal(), out)) {
            s = new FineTuner(taskModel, tokenizer, options, out, trainable).run(trainSet, devSet, progress);
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
            n.put("lm_weight", options.lmWeight());
            n.put("trainable_parameters", trainable.count());
            n.put("parameters", total);
            if (loraRank != null) {
                n.put("lora_rank", loraRank);
            }
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
