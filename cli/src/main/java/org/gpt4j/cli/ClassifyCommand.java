package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.finetune.SequenceClassifier;
import org.gpt4j.finetune.TaskColumns;
import org.gpt4j.finetune.TaskEncoder;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskPredictor;
import org.gpt4j.finetune.bert.BertTaskModel;
import org.gpt4j.io.ModelNames;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j classify}: one example (a text, a text pair, or a context and its options) through a fine-tuned model. */
@Command(name = "classify", header = "Classify one example with a fine-tuned model.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify one example with a fine-tuned model (gpt4j finetune): prints the most probable",
            "label and its probability. Entailment and similarity models need --text-pair; a multiple-choice",
            "model takes the context as --text and two or more --choice, and prints the chosen option's index",
            "(from 0), its probability (a softmax over the options) and its text. A LoRA adapter",
            "(finetune --lora-rank) runs with --model BASE --adapter DIR."})
final class ClassifyCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A fine-tuned model directory (or a model name under models/), or with --adapter the base model the adapter was trained on.")
    Path model;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--text", required = true, paramLabel = "TEXT",
            description = "The text (entailment: the premise; similarity: the first text; multiple choice: the context).")
    String text;

    @Option(names = "--text-pair", paramLabel = "TEXT", description = "The second text (entailment: the hypothesis; similarity: the other text).")
    String pair;

    @Option(names = "--choice", paramLabel = "TEXT", description = "Multiple choice: an option; repeat for each (at least 2).")
    List<String> choices = new ArrayList<>();

    @Option(names = "--question", paramLabel = "WORD|TEXT",
            description = "Multiple choice: the question added after the context, as a data row's 'question': "
                    + "cause or effect (COPA's words, added as \"What was the cause of this?\" / \"What happened as a "
                    + "result?\") or any other text, added as written.")
    String question;

    @Option(names = "--json", description = "Print {\"label\", \"probability\", \"probabilities\": {label: p}}; "
            + "multiple choice: {\"choice\" (index), \"option\" (its text), \"probability\", \"probabilities\": [p, ...]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        SequenceClassifier m = adapter.loadTask(model);
        if (m instanceof BertTaskModel bert && m.format() == TaskFormat.CLASSIFICATION && pair != null) {
            // a BERT's [CLS] classifier reads a pair as [CLS] a [SEP] b [SEP]
            m = bert.withFormat(TaskFormat.ENTAILMENT);
        }
        TaskFormat f = m.format();
        if (!f.pair() && pair != null) {
            throw new IllegalArgumentException(model + " is a " + f.configName() + " model: it does not read --text-pair");
        }
        if (!f.choices() && (!choices.isEmpty() || question != null)) {
            throw new IllegalArgumentException(model + " is a " + f.configName() + " model: --choice and --question are for multiple choice");
        }
        TaskEncoder encoder = new TaskEncoder(Tokenizers.load(model), m, m.context());
        String first = f.choices() ? TaskColumns.automatic().context(text, question) : text;
        List<String> second = f.choices() ? choices : pair == null ? List.of() : List.of(pair);
        float[] p = TaskPredictor.probabilities(m, List.<int[][]>of(encoder.encode(first, second)), 1)[0];
        int best = TaskPredictor.argmax(new float[][] {p})[0];
        PrintWriter w = spec.commandLine().getOut();
        if (f.choices()) {
            if (json) {
                ObjectNode n = MAPPER.createObjectNode();
                n.put("choice", best);
                n.put("option", choices.get(best));
                n.put("probability", p[best]);
                ArrayNode all = n.putArray("probabilities");
                for (float v : p) {
                    all.add(v);
                }
                w.println(n);
            } else {
                w.printf(Locale.ROOT, "%d\t%.4f\t%s%n", best, p[best], choices.get(best));
            }
        } else if (json) {
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
