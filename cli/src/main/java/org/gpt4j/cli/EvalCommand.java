package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.tensor.WeightFormat;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.train.Batch;
import org.gpt4j.train.BigramModel;
import org.gpt4j.train.CorpusText;
import org.gpt4j.train.Evaluator;
import org.gpt4j.train.TokenDataset;
import org.gpt4j.train.TokenSequence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j eval}: a model's next-token loss and perplexity on a text (a GPT or the bigram baseline). */
@Command(name = "eval", header = "Loss (nats per token) and perplexity of a model on a text.",
        mixinStandardHelpOptions = true,
        description = {"The mean next-token cross-entropy (nats per token) and perplexity of a model on",
            "a text. A GPT reads it in consecutive windows of its context; the bigram baseline",
            "scores each pair of adjacent tokens."})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    WeightsOption weights;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A model directory with its tokenizer, or a model name (en-base: models/en-base).")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", required = true, arity = "1..*", description = "UTF-8 text files.")
    List<Path> data;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "8", description = "Windows per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Print {\"loss\", \"perplexity\", \"tokens\", \"model\", \"weights\"}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        if (batch <= 0) {
            throw new IllegalArgumentException("--batch must be positive, got " + batch);
        }
        Tokenizer tok = Tokenizers.load(model);
        StringBuilder text = new StringBuilder();
        for (Path f : data) {
            text.append(CorpusText.read(f, "evaluate on"));
        }
        TokenSequence ids = TokenSequence.of(tok.encode(text.toString()));
        double loss;
        String kind;
        if (BigramModel.isIn(model)) {
            if (weights.format != WeightFormat.F32) {
                throw new IllegalArgumentException("--weights " + weights.format.label()
                        + " applies to a GPT's weight matrices; " + model + " is a bigram model (counts)");
            }
            loss = BigramModel.load(model).meanLoss(ids);
            kind = "bigram";
        } else {
            Gpt gpt = weights.load(model);
            List<Batch> batches = TokenDataset.covering(ids, batch, gpt.config().nPositions());
            // A bar with the ETA over the batches when someone watches (a long text takes minutes).
            try (ProgressBar bar = TrainProgress.isTerminal() && !json
                    ? new ProgressBarBuilder().setTaskName("eval").setInitialMax(batches.size())
                            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
                            .setUnit(" batches", 1).clearDisplayOnFinish().build()
                    : null) {
                loss = Evaluator.meanLoss(gpt, batches, bar == null ? Evaluator.Progress.NONE : bar::stepTo);
            }
            kind = "gpt";
        }
        PrintWriter w = spec.commandLine().getOut();
        long predicted = ids.length() - 1;
        if (json) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("loss", loss);
            n.put("perplexity", Math.exp(loss));
            n.put("tokens", predicted);
            n.put("model", kind);
            n.put("weights", weights.format.label());
            w.println(n);
        } else {
            w.printf(Locale.ROOT, "loss %.4f nats/token, perplexity %.3f, over %,d predicted tokens (%s model, %s weights, "
                    + "vocabulary %,d)%n", loss, Math.exp(loss), predicted, kind, weights.format.label(), tok.vocabSize());
        }
        w.flush();
        return 0;
    }
}
