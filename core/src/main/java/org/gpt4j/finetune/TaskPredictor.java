package org.gpt4j.finetune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Label probabilities for many sequences: batches of similar length (sorted, so few pads), one
 * forward each without the LM loss, softmax over the head's logits. Answers in the input order.
 */
public final class TaskPredictor {

    private TaskPredictor() {
    }

    /** {@code [n][num_labels]} probabilities; the model is put in evaluation mode (no dropout). */
    public static float[][] probabilities(TaskModel model, List<int[]> sequences, int batchSize) {
        model.gpt().setTraining(false, 0);
        int n = sequences.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> sequences.get(i).length));
        int labels = model.labels().size();
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<int[]> seqs = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                seqs.add(sequences.get(order[k]));
            }
            int[] none = new int[to - from];
            Arrays.fill(none, -1);
            model.forward(TaskBatch.of(seqs, none, model.special().pad()), 0);
            float[] logits = model.logits();
            for (int k = from; k < to; k++) {
                float[] p = Arrays.copyOfRange(logits, (k - from) * labels, (k - from + 1) * labels);
                softmax(p);
                out[order[k]] = p;
            }
        }
        return out;
    }

    /** The most probable label of each row. */
    public static int[] argmax(float[][] probabilities) {
        int[] out = new int[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            float[] p = probabilities[i];
            int best = 0;
            for (int j = 1; j < p.length; j++) {
                if (p[j] > p[best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static void softmax(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] / sum);
        }
    }
}
