package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.finetune.instruct.InstructionExample;
import org.gpt4j.finetune.instruct.InstructionModel;
import org.gpt4j.finetune.instruct.InstructionOptions;
import org.gpt4j.finetune.instruct.InstructionReader;
import org.gpt4j.finetune.instruct.InstructionTuner;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.ParseResult;

/**
 * {@code gpt4j finetune --task instruction}: instruction tuning with {@code finetune}'s options
 * (the data are JSON Lines conversations; there is no head, so no --lm-weight, and no columns).
 */
final class InstructionFineTuning {

    static final String TASK = "instruction";

    /** finetune's options that mean nothing for instruction data. */
    private static final List<String> NOT_FOR_INSTRUCTIONS = List.of("--lm-weight", "--text-column",
            "--text-pair-column", "--label-column");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FineTuneCommand c;

    InstructionFineTuning(FineTuneCommand command) {
        this.c = command;
    }

    int call() throws Exception {
        PrintWriter w = c.spec.commandLine().getOut();
        ParseResult parsed = c.spec.commandLine().getParseResult();
        for (String option : NOT_FOR_INSTRUCTIONS) {
            if (parsed != null && parsed.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " does not apply to --task instruction (the loss is the "
                        + "language model's own, on the assistant's tokens)");
            }
        }
        if (c.loraRank != null) {
            throw new IllegalArgumentException("--lora-rank is not supported with --task instruction yet: LoRA adapts the"
                    + " GPT-1 tasks (classification, entailment, similarity, multiple-choice)");
        }
        if (Files.exists(c.out.resolve(ModelDirectory.CONFIG)) && !c.force) {
            throw new IllegalArgumentException(c.out + " already holds a model; choose another --out or add --force");
        }
        if (TaskModelDirectory.isTaskModel(c.model)) {
            throw new IllegalArgumentException(c.model + " is fine-tuned for a classification task; give a pre-trained"
                    + " (or instruction-tuned) model");
        }
        Gpt base = ModelDirectory.load(c.model);
        if (c.fromScratch) {
            base = GptInit.randomGpt(base.config(), c.seed);
        }
        int context = base.config().nPositions();
        int length = c.maxLength == null ? context : c.maxLength;
        if (length > context) {
            throw new IllegalArgumentException("--max-length " + length + " exceeds the model's context (n_positions = "
                    + context + ")");
        }
        InstructionOptions options = new InstructionOptions(c.epochs, c.lr != null ? c.lr : FineTuneCommand.FULL_LR, c.batch, c.seed, c.warmup, c.weightDecay,
                c.clip, c.patience, length);
        List<InstructionExample> train = InstructionReader.read(c.train);
        List<InstructionExample> dev = InstructionReader.read(c.dev);
        InstructionModel model = InstructionModel.fromBase(base, Tokenizers.load(c.model), c.seed);
        if (!c.json) {
            w.printf(Locale.ROOT, "instruction: %,d train, %,d dev conversations; %s%s; vocabulary %,d -> %,d (chat"
                    + " template tokens)%n", train.size(), dev.size(), c.model, c.fromScratch ? " (from scratch)" : "",
                    base.config().vocabSize(), model.gpt().config().vocabSize());
            w.flush();
        }
        InstructionTuner.Summary s;
        try (InstructionTuneProgress progress = new InstructionTuneProgress(w, c.spec.commandLine().getErr(), c.json,
                TrainProgress.isTerminal(), c.out)) {
            s = new InstructionTuner(model, options, c.out).run(c.train, train, c.dev, dev, progress);
        }
        if (c.json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("dev_loss", s.devLoss());
            n.put("dev_exact_match", s.devExactMatch());
            n.put("best_epoch", s.bestEpoch());
            n.put("last_dev_loss", s.lastDevLoss());
            n.put("last_dev_exact_match", s.lastDevExactMatch());
            n.put("epochs", s.epochs());
            n.put("steps", s.steps());
            n.put("train_examples", train.size());
            n.put("dev_examples", dev.size());
            n.put("seconds", s.seconds());
            n.put("stopped_early", s.stoppedEarly());
            n.put("out", c.out.toString());
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "best dev loss %.4f (exact match %.4f) at epoch %d (saved in %s); last epoch: dev loss"
                    + " %.4f, exact match %.4f; %d steps in %.0f s%s%n", s.devLoss(), s.devExactMatch(), s.bestEpoch(),
                    c.out.resolve(InstructionTuner.BEST), s.lastDevLoss(), s.lastDevExactMatch(), s.steps(), s.seconds(),
                    s.stoppedEarly() ? " (stopped early)" : "");
        }
        w.flush();
        return 0;
    }
}
