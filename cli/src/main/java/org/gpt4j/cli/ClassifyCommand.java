package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.TaskEncoder;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TaskPredictor;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j classify}: one text (or text pair) through a fine-tuned model. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify one text with a fine-tuned model (gpt4j finetune): prints the most probable",
            "label and its probability. An entailment model needs --text-pair (the hypothesis).",
            "A LoRA adapter (finetune --lora-rank) runs with --model BASE --adapter DIR."})
final class ClassifyCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A fine-tuned model directory, or with --adapter the base model the adapter was trained on.")
    Path model;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The text (entailment: the premise).")
    String text;

    @Option(names = "--text-pair", paramLabel = "TEXT", description = "The second text (entailment: the hypothesis).")
    String pair;

    @Option(names = "--json", description = "Print {\"label\", \"probability\", \"probabilities\": {label: p}}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TaskModel m = adapter.loadTask(model);
        if (!m.format().pair() && pair != null) {
            throw new IllegalArgumentException(model + " is a " + m.format().configName() + " model: it reads one text, not --text-pair");
        }
        TaskEncoder encoder = new TaskEncoder(Tokenizers.load(model), m.format(), m.special(), m.gpt().config().nPositions());
        float[] p = TaskPredictor.probabilities(m, List.of(encoder.encode(text, pair)), 1)[0];
        int best = TaskPredictor.argmax(new float[][] {p})[0];
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("label", m.labels().name(best));
            n.put("probability", p[best]);
            ObjectNode all = n.putObject("probabilities");
            for (int i = 0; i < p.length; i++) {
                all.put(m.labels().name(i), p[i]);
            }
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "%s\t%.4f%n", m.labels().name(best), p[best]);
        }
        w.flush();
        return 0;
    }
}
