package org.gpt4j.fewshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.evaluate.ClassificationMetrics;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * Zero- and few-shot prompting (GPT-2, GPT-3): no gradient step. For each question a prompt of
 * K solved training examples and the question ({@link PromptBuilder}); the answer is the
 * candidate with the highest {@link Scoring score} under the model ({@link ContinuationScorer}),
 * optionally after {@link ContextualCalibration contextual calibration}, whose content-free prompt
 * has the same demonstrations as the question's (computed once per distinct set of
 * demonstrations and answers).
 */
public final class FewShotEvaluator {

    /** Told after each question (for a progress bar). */
    public interface Listener {
        void onQuestion(int done, int total);
    }

    private final FewShotOptions options;
    private final Tokenizer tokenizer;
    private final Demonstrations demonstrations;
    private final PromptBuilder builder;
    private final ContinuationScorer scorer;
    private final Map<String, int[]> answerIds = new HashMap<>();
    private final Map<ContentFreeKey, double[]> contentFree = new HashMap<>();

    private record ContentFreeKey(List<Integer> demonstrations, List<String> answers, int cutTokens) {
    }

    public FewShotEvaluator(Gpt gpt, Tokenizer tokenizer, List<FewShotExample> train, FewShotOptions options) {
        if (tokenizer.vocabSize() > gpt.config().vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens but the model's vocabulary is "
                    + gpt.config().vocabSize());
        }
        this.options = options;
        this.tokenizer = tokenizer;
        this.demonstrations = new Demonstrations(train, options.shots(), options.seed());
        this.scorer = new ContinuationScorer(gpt);
        this.builder = new PromptBuilder(tokenizer, options.template(), options.separator(), train, scorer.context());
    }

    /** Scores one question with the demonstrations its seed draws. */
    public ExampleScore score(FewShotExample question) {
        return score(question, demonstrations.forExample(question));
    }

    /** Scores one question after the given demonstrations (training indices, in prompt order). */
    public ExampleScore score(FewShotExample question, int[] demonstrationIds) {
        List<int[]> answers = new ArrayList<>();
        int longest = 0;
        for (String a : question.continuations()) {
            int[] ids = answerIds.computeIfAbsent(a, s -> encodeAnswer(s, question));
            answers.add(ids);
            longest = Math.max(longest, ids.length);
        }
        Prompt prompt = builder.build(demonstrationIds, builder.question(question.fields()), longest, true, question.source());
        double[] ll = scorer.logLikelihoods(prompt.ids(), answers);
        int[] tokens = answers.stream().mapToInt(a -> a.length).toArray();
        double[] scores = scores(ll, tokens);
        double[] p = ContextualCalibration.probabilities(scores);
        int uncalibrated = argmax(p);
        if (!options.calibrate()) {
            return new ExampleScore(prompt, ll, tokens, scores, p, null, null, uncalibrated, uncalibrated);
        }
        ContentFreeKey key = new ContentFreeKey(Arrays.stream(prompt.demonstrations()).boxed().toList(), question.continuations(),
                prompt.cutTokens());
        double[] cfScores = contentFree.get(key);
        if (cfScores == null) {
            Prompt cf = builder.build(prompt.demonstrations(), options.template().renderContentFree(), longest, false,
                    question.source() + " (content-free prompt)");
            cfScores = scores(scorer.logLikelihoods(cf.ids(), answers), tokens);
            contentFree.put(key, cfScores);
        }
        double[] q = ContextualCalibration.calibrate(scores, cfScores);
        return new ExampleScore(prompt, ll, tokens, scores, p, ContextualCalibration.probabilities(cfScores), q, argmax(q),
                uncalibrated);
    }

    /**
     * Scores every question and measures the predictions.
     *
     * @param labels the number of labels (for macro-F1 and the confusion matrix), or 0 for multiple choice
     */
    public FewShotResult evaluate(List<FewShotExample> data, int labels, Listener listener) {
        int n = data.size();
        int[] gold = new int[n];
        int[] predicted = new int[n];
        int[] uncalibrated = new int[n];
        long dropped = 0;
        int withDrops = 0;
        int cut = 0;
        long demos = 0;
        for (int i = 0; i < n; i++) {
            FewShotExample q = data.get(i);
            ExampleScore s = score(q);
            gold[i] = q.gold();
            predicted[i] = s.predicted();
            uncalibrated[i] = s.predictedUncalibrated();
            dropped += s.prompt().dropped();
            withDrops += s.prompt().dropped() > 0 ? 1 : 0;
            cut += s.prompt().cutTokens() > 0 ? 1 : 0;
            demos += s.prompt().demonstrations().length;
            if (listener != null) {
                listener.onQuestion(i + 1, n);
            }
        }
        ClassificationMetrics m = labels > 0 ? ClassificationMetrics.of(gold, predicted, labels) : null;
        ClassificationMetrics mu = labels > 0 ? ClassificationMetrics.of(gold, uncalibrated, labels) : null;
        return new FewShotResult(n, options.shots(), accuracy(gold, predicted), accuracy(gold, uncalibrated), m, mu, predicted,
                dropped, withDrops, cut, n == 0 ? 0 : (double) demos / n, scorer.positions());
    }

    private double[] scores(double[] logLikelihoods, int[] tokens) {
        double[] s = new double[logLikelihoods.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = options.scoring().score(logLikelihoods[i], tokens[i]);
        }
        return s;
    }

    private int[] encodeAnswer(String answer, FewShotExample question) {
        int[] ids;
        try {
            ids = tokenizer.encode(answer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(question.source() + ": cannot tokenize the answer \"" + answer + "\": " + e.getMessage(), e);
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException(question.source() + ": the answer \"" + answer + "\" has no tokens");
        }
        return ids;
    }

    private static double accuracy(int[] gold, int[] predicted) {
        if (gold.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < gold.length; i++) {
            correct += gold[i] == predicted[i] ? 1 : 0;
        }
        return (double) correct / gold.length;
    }

    /** The first index of the largest value. */
    static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
