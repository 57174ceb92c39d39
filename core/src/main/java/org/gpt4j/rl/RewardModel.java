package org.gpt4j.rl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gpt4j.finetune.LabelMap;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskDataset;
import org.gpt4j.finetune.TaskExample;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * A reward model r(x, y) (Stiennon et al. 2020; InstructGPT): the GPT with a scalar head on the
 * final hidden state of the last token of {@code start prompt delim response extract}. It is
 * GPT-1's multiple-choice task model with two options, the chosen response first: the softmax
 * cross-entropy over the two scores with the chosen one as gold is exactly the comparison loss
 * <pre>  -log softmax(r_w, r_l)[0] = -log sigma(r(x, y_w) - r(x, y_l))</pre>
 * and the multiple-choice accuracy is the pairwise accuracy (r_w > r_l), so training, saving and
 * loading are fine-tuning's ({@link org.gpt4j.finetune.FineTuner}, {@link TaskModelDirectory}).
 *
 * <p>A fine-tuned classifier is a reward too (TRL's sentiment example): its score is the logit of
 * one label (e.g. "positive") for {@code start prompt+response extract}.
 */
public final class RewardModel {

    /** Options per comparison: the chosen response (index 0, the gold one) and the rejected. */
    static final int SIDES = 2;

    private final TaskModel model;
    private final int labelId;

    private RewardModel(TaskModel model, int labelId) {
        this.model = model;
        this.labelId = labelId;
    }

    /** A new reward model on a pre-trained GPT: its vocabulary grows by the special tokens, the head is drawn. */
    public static TaskModel fromBase(Gpt base, long seed) {
        return TaskModel.fromBase(base, TaskFormat.MULTIPLE_CHOICE, LabelMap.options(SIDES), seed);
    }

    /** The comparisons as fine-tuning examples: context = prompt, options = [chosen, rejected], gold 0. */
    public static TaskDataset comparisons(Path file, List<PreferencePair> pairs) {
        List<TaskExample> examples = new ArrayList<>(pairs.size());
        for (PreferencePair p : pairs) {
            examples.add(new TaskExample(p.prompt(), null, List.of(p.chosen(), p.rejected()), 0, p.line()));
        }
        return new TaskDataset(file, examples, LabelMap.options(SIDES));
    }

    /** A reward over a model trained as a reward model ({@link #fromBase}). */
    public static RewardModel of(TaskModel model) {
        return of(model, null);
    }

    /**
     * A reward over a trained reward model, or over a classifier's {@code label} logit.
     *
     * @throws IllegalArgumentException when the model is neither, or the label is not the classifier's
     */
    public static RewardModel of(TaskModel model, String label) {
        if (model.format() == TaskFormat.MULTIPLE_CHOICE && model.labels().size() == SIDES) {
            if (label != null) {
                throw new IllegalArgumentException("a reward model has one score; --label is for classifiers");
            }
            return new RewardModel(model, 0);
        }
        if (model.format() == TaskFormat.CLASSIFICATION) {
            if (label == null) {
                throw new IllegalArgumentException("a classifier as a reward needs --label, one of " + model.labels().names());
            }
            int id = model.labels().id(label);
            if (id < 0) {
                throw new IllegalArgumentException("label '" + label + "' is not one of the classifier's " + model.labels().names());
            }
            return new RewardModel(model, id);
        }
        throw new IllegalArgumentException("a " + model.format().configName() + " model with " + model.labels().size()
                + " labels is not a reward: train one with 'reward train', or use a classifier with --label");
    }

    /** Loads a reward model (or a classifier, with {@code label}) from its directory. */
    public static RewardModel load(Path dir, String label) throws IOException {
        return of(TaskModelDirectory.load(dir), label);
    }

    public TaskModel model() {
        return model;
    }

    /**
     * r(prompt, response) for each pair, {@code batch} at a time; sequences longer than the model's
     * context are cut as fine-tuning cuts them (the special tokens kept, the longer text first).
     */
    public float[] scores(Tokenizer tokenizer, List<String> prompts, List<String> responses, int batch) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + responses.size() + " responses");
        }
        model.gpt().setTraining(false, 0);
        int maxLength = model.gpt().config().nPositions();
        int headRows = model.head().labels();
        float[] out = new float[prompts.size()];
        for (int from = 0; from < out.length; from += batch) {
            int to = Math.min(out.length, from + batch);
            List<int[]> sequences = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                sequences.add(sequence(tokenizer, prompts.get(i), responses.get(i), maxLength));
            }
            int[] none = new int[to - from];
            Arrays.fill(none, -1);
            float[] s = model.sequenceScores(TaskBatch.of(sequences, none, model.special().pad()));
            for (int i = from; i < to; i++) {
                out[i] = s[(i - from) * headRows + labelId];
            }
        }
        return out;
    }

    /** This model as PPO's reward: {@link #scores} of each (prompt, response) text, {@code batch} at a time. */
    public ResponseReward asReward(Tokenizer tokenizer, int batch) {
        return (prompts, responses, responseTokens) -> scores(tokenizer, prompts, responses, batch);
    }

    private int[] sequence(Tokenizer tokenizer, String prompt, String response, int maxLength) {
        if (model.format() == TaskFormat.CLASSIFICATION) {
            return model.format().sequence(tokenizer.encode(prompt + response), null, model.special(), maxLength);
        }
        return model.format().sequences(tokenizer.encode(prompt), List.of(tokenizer.encode(response)), model.special(),
                maxLength)[0];
    }
}
