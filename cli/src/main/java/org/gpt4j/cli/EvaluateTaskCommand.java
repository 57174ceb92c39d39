package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.evaluate.ClassificationMetrics;
import org.gpt4j.finetune.SequenceClassifier;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskEncoder;
import org.gpt4j.finetune.TaskExample;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskPredictor;
import org.gpt4j.finetune.bert.BertTaskModel;
import org.gpt4j.io.ModelNames;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j evaluate-task}: a fine-tuned model's accuracy, macro-F1 and confusion on a labelled TSV or JSONL file. */
@Command(name = "evaluate-task", header = "Score a fine-tuned model on labelled data: accuracy, macro-F1, confusions.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a fine-tuned model (gpt4j finetune) on a labelled TSV or .jsonl file: accuracy,",
            "macro-F1 (each label's F1 averaged with equal weight) and the confusion matrix (rows: gold label,",
            "columns: predicted). Labels are read against the model's id2label; for multiple choice the labels",
            "are the options' indices and the file needs the training file's number of options. A LoRA",
            "adapter (finetune --lora-rank) runs with --model BASE --adapter DIR. A BERT classifier, gpt4j's or a",
            "Hugging Face BertForSequenceClassification directory with its vocab.txt, reads one text or a pair:",
            "--task entailment (or similarity) gives it the data's pairs as [CLS] a [SEP] b [SEP]."})
final class EvaluateTaskCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    TaskColumnOptions columns;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A fine-tuned model directory (or a model name under models/), or with --adapter the base model the adapter was trained on.")
    Path model;

    @Mixin
    AdapterOption adapter;

    @Option(names = "--task", paramLabel = "classification|entailment|similarity|multiple-choice",
            description = "The task; must be the model's (default: the model's; a BERT classifier takes classification, entailment or similarity).")
    String task;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled TSV with a header row, or .jsonl (one JSON object per line).")
    Path data;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "32", description = "Examples per forward (default ${DEFAULT-VALUE}; a similarity example is 2 sequences, a multiple-choice one N).")
    int batch;

    @Option(names = "--json", description = "Print {\"accuracy\", \"macro_f1\", \"n\", \"confusion\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        SequenceClassifier m = adapter.loadTask(model);
        if (task != null && m instanceof BertTaskModel bert && !TaskFormat.fromConfigName(task).choices()
                && !m.format().choices()) {
            // a BERT's [CLS] classifier reads one text or a pair alike
            m = bert.withFormat(TaskFormat.fromConfigName(task));
        }
        if (task != null && TaskFormat.fromConfigName(task) != m.format()) {
            throw new IllegalArgumentException(model + " was fine-tuned for " + m.format().configName() + ", not " + task);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        Tokenizer tokenizer = Tokenizers.load(model);
        TaskDataset set = TaskDataset.read(data, m.format(), columns.columns(), m.labels());
        TaskEncoder encoder = new TaskEncoder(tokenizer, m, m.context());
        int[] predicted = TaskPredictor.argmax(TaskPredictor.probabilities(m, encoder.encodeAll(set), batch));
        int[] gold = set.examples().stream().mapToInt(TaskExample::label).toArray();
        ClassificationMetrics r = ClassificationMetrics.of(gold, predicted, m.labels().size());
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            MetricsOutput.put(n, r, m.labels().names());
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "%s on %s: accuracy %.4f, macro-F1 %.4f, n %d%n", model, data, r.accuracy(), r.macroF1(), r.n());
            MetricsOutput.printConfusion(w, "confusion (rows gold, columns predicted), labels " + m.labels().names() + ":", r);
        }
        w.flush();
        return 0;
    }
}
