package org.gpt4j.tensor;

/**
 * Softmax cross-entropy of logits {@code [rows, V]} against target ids, where a target of -1 is
 * ignored (padding, or a prompt whose loss does not count).
 */
public final class CrossEntropyKernel {

    /** The target id that contributes nothing to the loss. */
    public static final int IGNORE = -1;

    private CrossEntropyKernel() {
    }

    /**
     * Writes each row's loss -log p(target) into {@code losses} (0 for ignored rows) and returns the
     * number of rows that count.
     */
    public static int forward(float[] losses, float[] logits, int[] targets, int rows, int v) {
        Parallel.forRange(rows, 3L * v, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int target = targets[r];
                if (target == IGNORE) {
                    losses[r] = 0f;
                    continue;
                }
                int o = r * v;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < v; i++) {
                    max = Math.max(max, logits[o + i]);
                }
                double sum = 0;
                for (int i = 0; i < v; i++) {
                    sum += Math.exp(logits[o + i] - max);
                }
                losses[r] = (float) (Math.log(sum) - (logits[o + target] - max));
            }
        });
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] != IGNORE) {
                counted++;
            }
        }
        return counted;
    }

    /**
     * dlogits = (softmax(logits) - onehot(target)) * scale, for the rows that count (0 for the
     * others). With {@code scale = dLoss / counted} this is the gradient of the mean loss.
     */
    public static void backward(float[] dlogits, float[] logits, int[] targets, int rows, int v, float scale) {
        Parallel.forRange(rows, 3L * v, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * v;
                int target = targets[r];
                if (target == IGNORE) {
                    java.util.Arrays.fill(dlogits, o, o + v, 0f);
                    continue;
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < v; i++) {
                    max = Math.max(max, logits[o + i]);
                }
                double sum = 0;
                for (int i = 0; i < v; i++) {
                    sum += Math.exp(logits[o + i] - max);
                }
                float inv = (float) (1.0 / sum);
                for (int i = 0; i < v; i++) {
                    dlogits[o + i] = (float) Math.exp(logits[o + i] - max) * inv * scale;
                }
                dlogits[o + target] -= scale;
            }
        });
    }
}
