package org.gpt4j.finetune;

import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.ElementwiseKernels;
import org.gpt4j.tensor.Matmul;

/**
 * A task head: one linear layer over a sequence's final representation, {@code logits = h W^T (+ b)}.
 * GPT-1's has no bias and reads the extract token's final hidden state: W {@code [num_labels, n_embd]}
 * named {@code score.weight} as in Hugging Face's GPT2ForSequenceClassification. BERT's reads the
 * pooled [CLS] state and has a bias: {@code classifier.weight [num_labels, hidden]} and
 * {@code classifier.bias}, as in BertForSequenceClassification. For multiple choice W is
 * {@code [1, width]}: one score per option's sequence ({@link TaskFormat#headRows}). Its
 * {@link Parameters} sit beside the transformer's so AdamW and clipping treat the two as one model.
 */
public final class ClassificationHead {

    public static final String WEIGHT = "score.weight";
    public static final String BERT_WEIGHT = "classifier.weight";
    public static final String BERT_BIAS = "classifier.bias";

    private final int labels;
    private final int embd;
    private final Parameters parameters;
    private final String weightName;
    private final String biasName;

    private ClassificationHead(int labels, int embd, Parameters parameters, String weightName, String biasName) {
        this.labels = labels;
        this.embd = embd;
        this.parameters = parameters;
        this.weightName = weightName;
        this.biasName = biasName;
    }

    private static ParameterLayout layout(int labels, int embd, String weightName, String biasName) {
        List<ParameterSpec> specs = new java.util.ArrayList<>(List.of(new ParameterSpec(weightName, new int[] {labels, embd})));
        if (biasName != null) {
            specs.add(new ParameterSpec(biasName, new int[] {labels}));
        }
        return ParameterLayout.ofSpecs(specs);
    }

    /** A new GPT-1 head, W ~ N(0, 0.02) as GPT-2 initialises its linear layers. */
    public static ClassificationHead initialized(int labels, int embd, long seed) {
        return drawn(labels, embd, WEIGHT, null, seed);
    }

    /** A new BERT classifier, W ~ N(0, 0.02) and b = 0 as BertPreTrainedModel initialises a linear layer. */
    public static ClassificationHead bertInitialized(int labels, int hidden, long seed) {
        return drawn(labels, hidden, BERT_WEIGHT, BERT_BIAS, seed);
    }

    private static ClassificationHead drawn(int labels, int embd, String weightName, String biasName, long seed) {
        Parameters p = Parameters.zeros(layout(labels, embd, weightName, biasName));
        float[] w = p.data(weightName);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.02 * rng.nextGaussian());
        }
        return new ClassificationHead(labels, embd, p, weightName, biasName);
    }

    /** A GPT-1 head over stored weights {@code [labels, embd]}. */
    public static ClassificationHead of(int labels, int embd, float[] weight) {
        return new ClassificationHead(labels, embd, Parameters.of(layout(labels, embd, WEIGHT, null),
                java.util.Map.of(WEIGHT, weight)), WEIGHT, null);
    }

    /** A BERT classifier over stored weights {@code [labels, hidden]} and bias {@code [labels]}. */
    public static ClassificationHead bertOf(int labels, int hidden, float[] weight, float[] bias) {
        return new ClassificationHead(labels, hidden, Parameters.of(layout(labels, hidden, BERT_WEIGHT, BERT_BIAS),
                java.util.Map.of(BERT_WEIGHT, weight, BERT_BIAS, bias)), BERT_WEIGHT, BERT_BIAS);
    }

    /** The rows of W: the labels, or 1 for multiple choice. */
    public int labels() {
        return labels;
    }

    public Parameters parameters() {
        return parameters;
    }

    public float[] weight() {
        return parameters.data(weightName);
    }

    /** The bias {@code [labels]}, or null for GPT-1's head, which has none. */
    public float[] bias() {
        return biasName == null ? null : parameters.data(biasName);
    }

    /** logits {@code [rows, labels]} = x {@code [rows, embd]} W^T (+ b). */
    public void forward(float[] logits, float[] x, int rows) {
        Matmul.forwardTransposed(logits, x, weight(), rows, embd, labels);
        if (biasName != null) {
            ElementwiseKernels.addToRows(logits, bias(), rows, labels);
        }
    }

    /** dx += dlogits W (into {@code dx [rows, embd]}), dW += dlogits^T x, db += the column sums of dlogits. */
    public void backward(float[] dx, float[] dlogits, float[] x, int rows) {
        Matmul.backwardTransposed(dx, parameters.grad(weightName), dlogits, x, weight(), rows, embd, labels);
        if (biasName != null) {
            Matmul.biasBackward(parameters.grad(biasName), dlogits, rows, labels);
        }
    }
}
