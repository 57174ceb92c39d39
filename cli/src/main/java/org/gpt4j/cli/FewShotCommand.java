package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.fewshot.FewShotData;
import org.gpt4j.fewshot.FewShotEvaluator;
import org.gpt4j.fewshot.FewShotOptions;
import org.gpt4j.fewshot.FewShotResult;
import org.gpt4j.fewshot.FewShotTask;
import org.gpt4j.fewshot.PromptTemplate;
import org.gpt4j.fewshot.Scoring;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gpt4j fewshot}: zero- and few-shot prompting of a pre-trained model, scored on a labelled file. */
@Command(name = "fewshot", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Zero- and few-shot prompting (GPT-2, GPT-3): a task without a gradient step.",
        description = {"For each example of --data, a prompt of --shots solved examples drawn from --train by --seed",
            "(each rendered by --template and followed by its answer, then --separator), then the example",
            "rendered by --template; the prediction is the answer the model finds most likely next (see --score).",
            "Classification and entailment: the answers are the labels' words (--labels); multiple choice: each",
            "question's options. The same --seed gives every example the same demonstrations, except that an",
            "example never sees itself (when --train and --data overlap, the next draw takes its place).",
            "Prompts longer than the model's context lose whole demonstrations first (leftmost first); the",
            "output says how many. Progress goes to stderr."})
final class FewShotCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A pre-trained model directory with its tokenizer, or a model name (en-base: models/en-base).")
    Path model;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "classification",
            description = "classification (TSV, field {text}), entailment (TSV with two texts: {premise} = {text}, "
                + "{hypothesis} = {pair}) or multiple-choice (JSONL: premise, choice1..N or choices, 0-based label; "
                + "every string field is a template field) (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--train", required = true, paramLabel = "FILE",
            description = "Where demonstrations come from; for classification and entailment it also defines the labels"
                    + " and their order (a TSV with a header row, labels as names or integers).")
    Path train;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The labelled examples to score (same format).")
    Path data;

    @Option(names = "--shots", paramLabel = "K", defaultValue = "0", description = "Demonstrations per prompt (default: ${DEFAULT-VALUE}, zero-shot).")
    int shots;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Draws the demonstrations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--template", paramLabel = "TEXT",
            description = "How an example becomes text: {field} placeholders; \\n, \\t and \\\\ are a newline, a tab and a "
                + "backslash. End it without a space: the answer follows it directly. Default: classification "
                + "\"Text: {text}\\nLabel:\", entailment \"{premise}\\nHypothesis: {hypothesis}\\nLabel:\", "
                + "multiple-choice \"{premise}\".")
    String template;

    @Option(names = "--labels", paramLabel = "WORDS",
            description = "The word for each label, comma-separated, in label order (integers ascending, names sorted), "
                + "kept exactly as written: leading spaces matter (\" negative, positive\"). Default: each label's name "
                + "after a space; integer labels need this option.")
    String labels;

    @Option(names = "--separator", paramLabel = "TEXT", defaultValue = "\\n\\n",
            description = "What follows each demonstration, escapes as in --template (default: a blank line, \"\\n\\n\").")
    String separator;

    @Option(names = "--choice-prefix", paramLabel = "TEXT", defaultValue = " ",
            description = "multiple-choice: what goes between the prompt and each option (default: one space).")
    String choicePrefix;

    @Option(names = "--score", paramLabel = "sum|mean",
            description = "An answer's score: sum = its log-probability log p(answer | prompt), summed over its "
                + "tokens; mean = that sum over its token count (GPT-3's normalisation for options of different "
                + "lengths). Default: sum for classification and entailment, mean for multiple-choice.")
    String score;

    @Option(names = "--calibrate",
            description = "Contextual calibration (Zhao et al. 2021): the answers' probabilities p_cf for the content-free "
                + "input \"N/A\" (in every field, after the same demonstrations); each example's probabilities are "
                + "divided by p_cf and renormalised. The uncalibrated accuracy is reported too.")
    boolean calibrate;

    @Option(names = "--limit", paramLabel = "N", description = "Score only the first N examples of --data.")
    Integer limit;

    @Mixin
    TaskColumnOptions columns;

    @Mixin
    WeightsOption weights;

    @Option(names = "--json", description = "Print one JSON object: {\"accuracy\", \"n\", \"shots\", \"macro_f1\", \"calibrated\", "
        + "\"accuracy_uncalibrated\", \"demonstrations_dropped\", \"seconds\", ...}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = ModelNames.resolveFromEnvironment(model);
        long start = System.nanoTime();
        FewShotTask t = FewShotTask.fromLabel(task);
        PromptTemplate tpl = PromptTemplate.parse(template != null ? template : t.defaultTemplate());
        Scoring scoring = score != null ? Scoring.fromLabel(score) : t.defaultScoring();
        FewShotData d = FewShotData.read(t, train, data, columns.columns(), labels, PromptTemplate.unescape(choicePrefix));
        if (limit != null) {
            d = d.limit(limit);
        }
        d.requireFields(tpl);
        FewShotOptions options = new FewShotOptions(shots, seed, tpl, PromptTemplate.unescape(separator), scoring, calibrate);
        Gpt gpt = weights.load(model);
        Tokenizer tokenizer = Tokenizers.load(model);
        FewShotEvaluator evaluator = new FewShotEvaluator(gpt, tokenizer, d.train(), options);
        FewShotResult r;
        try (FewShotProgress progress = new FewShotProgress(spec.commandLine().getErr(), TrainProgress.isTerminal())) {
            r = evaluator.evaluate(d.data(), d.labels().size(), progress);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(json(r, t, options, d, seconds));
        } else {
            text(w, r, t, options, d, seconds);
        }
        w.flush();
        return 0;
    }

    private ObjectNode json(FewShotResult r, FewShotTask t, FewShotOptions o, FewShotData d, double seconds) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("accuracy", r.accuracy());
        n.put("n", r.n());
        n.put("shots", r.shots());
        if (r.metrics() != null) {
            n.put("macro_f1", r.metrics().macroF1());
        }
        n.put("calibrated", o.calibrate());
        if (o.calibrate()) {
            n.put("accuracy_uncalibrated", r.accuracyUncalibrated());
            if (r.metricsUncalibrated() != null) {
                n.put("macro_f1_uncalibrated", r.metricsUncalibrated().macroF1());
            }
        }
        n.put("task", t.label());
        n.put("seed", o.seed());
        n.put("score", o.scoring().label());
        n.put("template", o.template().source());
        if (!d.labels().isEmpty()) {
            MetricsOutput.putStrings(n, "labels", d.labels());
            MetricsOutput.putStrings(n, "verbalisers", d.verbalisers());
            MetricsOutput.putConfusion(n, r.metrics());
        }
        n.put("mean_demonstrations", r.meanDemonstrations());
        n.put("demonstrations_dropped", r.demonstrationsDropped());
        n.put("prompts_with_dropped_demonstrations", r.promptsWithDrops());
        n.put("examples_cut", r.questionsCut());
        n.put("positions", r.positions());
        n.put("seconds", seconds);
        return n;
    }

    private void text(PrintWriter w, FewShotResult r, FewShotTask t, FewShotOptions o, FewShotData d, double seconds) {
        w.printf(Locale.ROOT, "%s, %d-shot (seed %d), %s: accuracy %.4f%s over %d examples%s%n", t.label(), r.shots(), o.seed(),
                o.calibrate() ? "calibrated" : "uncalibrated", r.accuracy(),
                r.metrics() != null ? String.format(Locale.ROOT, ", macro-F1 %.4f", r.metrics().macroF1()) : "", r.n(),
                o.calibrate() ? String.format(Locale.ROOT, " (uncalibrated: accuracy %.4f)", r.accuracyUncalibrated()) : "");
        if (!d.labels().isEmpty()) {
            StringBuilder b = new StringBuilder("labels ");
            for (int i = 0; i < d.labels().size(); i++) {
                b.append(i == 0 ? "" : ", ").append(d.labels().get(i)).append(" = \"").append(d.verbalisers().get(i)).append('"');
            }
            w.println(b);
            MetricsOutput.printConfusion(w, "confusion (rows gold, columns predicted):", r.metrics());
        }
        if (r.demonstrationsDropped() > 0 || r.questionsCut() > 0) {
            w.printf(Locale.ROOT, "note: %d of %d prompts were too long for the context: %d demonstrations dropped (leftmost"
                    + " first), %.2f per prompt kept on average%s%n", r.promptsWithDrops(), r.n(), r.demonstrationsDropped(),
                    r.meanDemonstrations(), r.questionsCut() > 0 ? "; examples too long alone, cut at the start: " + r.questionsCut() : "");
        }
        w.printf(Locale.ROOT, "%.1f s (%,d positions through the model)%n", seconds, r.positions());
    }
}
