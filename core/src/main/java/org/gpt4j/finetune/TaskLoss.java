package org.gpt4j.finetune;

import org.gpt4j.tensor.CrossEntropyKernel;

/**
 * L2, the task's loss: the mean cross-entropy of each example's gold label (multiple choice: its
 * gold option) over the labelled examples of a batch, and its gradient at the logits. Shared by
 * every {@link SequenceClassifier}, whichever transformer made the logits.
 */
public final class TaskLoss {

    private float[] losses;
    private int[] labels;
    private int examples;
    private int classes;
    private int counted;

    /** The mean loss of {@code logits [examples, K]} (NaN when no example has a label). */
    public double forward(float[] logits, int[] labels, int examples) {
        this.labels = labels;
        this.examples = examples;
        this.classes = logits.length / examples;
        losses = new float[examples];
        counted = CrossEntropyKernel.forward(losses, logits, labels, examples, classes);
        double sum = 0;
        for (float l : losses) {
            sum += l;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** Whether the last forward had a label to learn from. */
    public boolean counted() {
        return counted > 0;
    }

    /** d(mean loss)/d(logits), times {@code scale}, of the last forward. */
    public float[] backward(float[] logits, float scale) {
        if (counted == 0) {
            throw new IllegalStateException("backward needs a forward over labelled sequences");
        }
        float[] dlogits = new float[logits.length];
        CrossEntropyKernel.backward(dlogits, logits, losses, labels, examples, classes, scale / counted);
        return dlogits;
    }
}
