package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.instruct.ChatTemplate;
import org.gpt4j.finetune.instruct.InstructionEvaluator;
import org.gpt4j.finetune.instruct.InstructionExample;
import org.gpt4j.finetune.instruct.InstructionModelDirectory;
import org.gpt4j.finetune.instruct.InstructionReader;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j evaluate-instructions}: greedy exact match of a model's answers on instruction data. */
@Command(name = "evaluate-instructions", header = "Exact match of a model's greedy answers on instruction data.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Exact match of a model's answers on instruction data (the JSON Lines finetune --task",
            "instruction reads): for each conversation the model reads every message but the last and",
            "answers by greedy decoding until its end of turn; the answer counts when, trimmed, it equals",
            "the last message. A model with gpt4j's chat template (finetune --task instruction) is asked",
            "in that template; any other in a plain 'User: ... / Assistant:' transcript ending at a newline",
            "(the 'before instruction tuning' baseline)."})
final class EvaluateInstructionsCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    WeightsOption weights;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model directory with a tokenizer.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Instruction JSON Lines.")
    Path data;

    @Option(names = "--limit", paramLabel = "N", description = "Score only the first N conversations (default: all).")
    Integer limit;

    @Option(names = "--show", paramLabel = "K", defaultValue = "5",
            description = "Answers to print (text mode; default ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--json", description = "Print {\"exact_match\", \"n\", \"correct\", \"format\", \"seconds\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        }
        if (show < 0) {
            throw new IllegalArgumentException("--show must be >= 0, got " + show);
        }
        Gpt gpt = weights.load(model);
        if (!Tokenizers.isPresent(model)) {
            throw new IllegalArgumentException(model + " holds no tokenizer: evaluate-instructions reads and writes text");
        }
        Tokenizer tokenizer = Tokenizers.load(model);
        List<InstructionExample> examples = InstructionReader.read(data);
        if (limit != null && limit < examples.size()) {
            examples = examples.subList(0, limit);
        }
        var selected = InstructionModelDirectory.chatFormat(model, tokenizer, Prompts.endOfText(tokenizer, gpt));
        PrintWriter out = spec.commandLine().getOut();
        if (selected.note() != null) {
            spec.commandLine().getErr().println("note: " + selected.note());
        }
        String format = selected.format() instanceof ChatTemplate ? "chat_template" : "plain_transcript";
        long start = System.nanoTime();
        InstructionEvaluator.ExactMatch em = InstructionEvaluator.exactMatch(gpt, tokenizer, selected.format(), examples);
        double seconds = (System.nanoTime() - start) / 1e9;
        int correct = (int) em.predictions().stream().filter(InstructionEvaluator.Prediction::correct).count();
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("exact_match", em.exactMatch());
            n.put("n", em.n());
            n.put("correct", correct);
            n.put("format", format);
            n.put("seconds", seconds);
            out.println(n);
        } else {
            out.printf(Locale.ROOT, "exact match %.4f (%d of %d) with the %s, %.1f s%n", em.exactMatch(), correct, em.n(),
                    format.replace('_', ' '), seconds);
            for (InstructionEvaluator.Prediction p : em.predictions().subList(0, Math.min(show, em.n()))) {
                out.println(InstructionTuneProgress.example(p));
            }
        }
        out.flush();
        return 0;
    }
}
