package org.gpt4j.finetune;

import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.Matmul;

/**
 * GPT-1's task head: one linear layer without bias over the extract token's final hidden state,
 * {@code logits = h_extract W^T}, with W {@code [num_labels, n_embd]} named {@code score.weight}
 * as in Hugging Face's GPT2ForSequenceClassification. For multiple choice W is {@code [1, n_embd]}:
 * one score per option's sequence ({@link TaskFormat#headRows}). Its {@link Parameters} sit beside
 * the GPT's so AdamW and clipping treat the two as one model.
 */
public final class ClassificationHead {

    public static final String WEIGHT = "score.weight";

    private final int labels;
    private final int embd;
    private final Parameters parameters;

    private ClassificationHead(int labels, int embd, Parameters parameters) {
        this.labels = labels;
        this.embd = embd;
        this.parameters = parameters;
    }

    static ParameterLayout layout(int labels, int embd) {
        return ParameterLayout.ofSpecs(List.of(new ParameterSpec(WEIGHT, new int[] {labels, embd})));
    }

    /** A new head, W ~ N(0, 0.02) as GPT-2 initialises its linear layers. */
    public static ClassificationHead initialized(int labels, int embd, long seed) {
        Parameters p = Parameters.zeros(layout(labels, embd));
        float[] w = p.data(WEIGHT);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.02 * rng.nextGaussian());
        }
        return new ClassificationHead(labels, embd, p);
    }

    /** A head over stored weights {@code [labels, embd]}. */
    public static ClassificationHead of(int labels, int embd, float[] weight) {
        return new ClassificationHead(labels, embd, Parameters.of(layout(labels, embd), java.util.Map.of(WEIGHT, weight)));
    }

    /** The rows of W: the labels, or 1 for multiple choice. */
    public int labels() {
        return labels;
    }

    public Parameters parameters() {
        return parameters;
    }

    public float[] weight() {
        return parameters.data(WEIGHT);
    }

    /** logits {@code [rows, labels]} = x {@code [rows, embd]} W^T. */
    public void forward(float[] logits, float[] x, int rows) {
        Matmul.forwardTransposed(logits, x, weight(), rows, embd, labels);
    }

    /** dx += dlogits W (into {@code dx [rows, embd]}), dW += dlogits^T x. */
    public void backward(float[] dx, float[] dlogits, float[] x, int rows) {
        Matmul.backwardTransposed(dx, parameters.grad(WEIGHT), dlogits, x, weight(), rows, embd, labels);
    }
}
