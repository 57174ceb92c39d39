package org.gpt4j.finetune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.gpt4j.tensor.SoftmaxKernel;

/**
 * Label (or option) probabilities for many examples: batches of similar length (sorted, so few
 * pads), one forward each without the LM loss, a softmax over each example's logits. Answers in
 * the input order.
 */
public final class TaskPredictor {

    private TaskPredictor() {
    }

    /**
     * {@code [n][K]} probabilities (K: the labels, or the options of multiple choice) of examples
     * given as their sequences ({@link TaskEncoder#encodeAll}), {@code batchSize} examples per
     * forward; the model is put in evaluation mode (no dropout).
     */
    public static float[][] probabilities(SequenceClassifier model, List<int[][]> examples, int batchSize) {
        model.setTraining(false, 0);
        int n = examples.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> longest(examples.get(i))));
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<int[][]> batch = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                batch.add(examples.get(order[k]));
            }
            int[] none = new int[to - from];
            Arrays.fill(none, -1);
            model.forward(TaskBatch.ofExamples(batch, none, model.special().pad()), 0);
            float[] logits = model.logits();
            int classes = logits.length / (to - from);
            double[] p = new double[classes];
            for (int k = from; k < to; k++) {
                SoftmaxKernel.softmax(p, logits, (k - from) * classes, classes);
                float[] row = new float[classes];
                for (int j = 0; j < classes; j++) {
                    row[j] = (float) p[j];
                }
                out[order[k]] = row;
            }
        }
        return out;
    }

    /** The most probable label of each row. */
    public static int[] argmax(float[][] probabilities) {
        int[] out = new int[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = SoftmaxKernel.argmax(probabilities[i], 0, probabilities[i].length);
        }
        return out;
    }

    /** An example's longest sequence: what it costs in a padded batch. */
    static int longest(int[][] sequences) {
        int max = 0;
        for (int[] s : sequences) {
            max = Math.max(max, s.length);
        }
        return max;
    }
}
