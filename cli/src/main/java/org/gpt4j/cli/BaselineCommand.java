package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.evaluate.ClassificationMetrics;
import org.gpt4j.evaluate.NaiveBayesBaseline;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskExample;
import org.gpt4j.finetune.TaskFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j baseline}: the bag-of-words Naive Bayes score a fine-tuned GPT has to beat. */
@Command(name = "baseline", header = "Train and score the Naive Bayes baseline of a text-classification task.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train and score the classic baseline for a text-classification task: multinomial Naive",
            "Bayes over binary unigram and bigram features of the lower-cased, whitespace-split text (each CJK character a word), with",
            "add-one smoothing. A pre-trained and fine-tuned GPT that does not clearly beat it has learnt",
            "nothing useful from pre-training. Same files, columns and output as evaluate-task."})
final class BaselineCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    TaskColumnOptions columns;

    @Option(names = "--task", defaultValue = "classification", paramLabel = "classification|entailment",
            description = "classification (one text) or entailment (a text pair; the second text's words are features of their own). Default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Labelled training TSV; it defines the labels.")
    Path train;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled TSV to score (e.g. the dev set).")
    Path data;

    @Option(names = "--json", description = "Print {\"accuracy\", \"macro_f1\", \"n\", \"confusion\", \"labels\", \"features\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TaskFormat format = TaskFormat.fromConfigName(task);
        TaskDataset trainSet = TaskDataset.readTraining(train, format, columns.columns());
        TaskDataset set = TaskDataset.read(data, format, columns.columns(), trainSet.labels());
        List<TaskExample> ex = trainSet.examples();
        NaiveBayesBaseline nb = NaiveBayesBaseline.fit(ex.stream().map(TaskExample::text).toList(),
                format.pair() ? ex.stream().map(TaskExample::pair).toList() : null,
                ex.stream().mapToInt(TaskExample::label).toArray(), trainSet.labels().size());
        int[] predicted = set.examples().stream().mapToInt(e -> nb.predict(e.text(), e.pair())).toArray();
        int[] gold = set.examples().stream().mapToInt(TaskExample::label).toArray();
        ClassificationMetrics r = ClassificationMetrics.of(gold, predicted, trainSet.labels().size());
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            MetricsOutput.put(n, r, trainSet.labels().names());
            n.put("features", nb.vocabularySize());
            n.put("method", "naive-bayes");
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "Naive Bayes (binary unigrams + bigrams, add-one), %,d training examples, %,d features%n",
                    trainSet.size(), nb.vocabularySize());
            w.printf(Locale.ROOT, "%s: accuracy %.4f, macro-F1 %.4f, n %d%n", data, r.accuracy(), r.macroF1(), r.n());
        }
        w.flush();
        return 0;
    }
}
