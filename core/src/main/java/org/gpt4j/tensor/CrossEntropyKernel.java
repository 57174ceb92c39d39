package org.gpt4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax cross-entropy of logits {@code [rows, V]} against target ids, where a target of -1 is
 * ignored (padding, or a prompt whose loss does not count). The forward reads each row twice
 * (max, then the sum of exponentials); the backward, given the forward's losses, writes the
 * gradient in one pass: log-sum-exp = loss + logit of the target.
 */
public final class CrossEntropyKernel {

    /** The target id that contributes nothing to the loss. */
    public static final int IGNORE = -1;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

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
                int bound = S.loopBound(v);
                FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                int i = 0;
                for (; i < bound; i += L) {
                    mv = mv.max(FloatVector.fromArray(S, logits, o + i));
                }
                float max = mv.reduceLanes(VectorOperators.MAX);
                for (; i < v; i++) {
                    max = Math.max(max, logits[o + i]);
                }
                FloatVector sv = FloatVector.zero(S);
                for (i = 0; i < bound; i += L) {
                    sv = sv.add(VectorMath.exp(FloatVector.fromArray(S, logits, o + i).sub(max)));
                }
                double sum = VectorMath.sum(sv);
                for (; i < v; i++) {
                    sum += StrictMath.exp(logits[o + i] - max);
                }
                losses[r] = (float) (StrictMath.log(sum) - (logits[o + target] - max));
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
     * others), given the {@code losses} of {@link #forward} on the same logits. With
     * {@code scale = dLoss / counted} this is the gradient of the mean loss.
     */
    public static void backward(float[] dlogits, float[] logits, float[] losses, int[] targets, int rows, int v,
                                float scale) {
        Parallel.forRange(rows, 2L * v, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * v;
                int target = targets[r];
                if (target == IGNORE) {
                    java.util.Arrays.fill(dlogits, o, o + v, 0f);
                    continue;
                }
                float lse = losses[r] + logits[o + target];
                int i = 0;
                for (int bound = S.loopBound(v); i < bound; i += L) {
                    VectorMath.exp(FloatVector.fromArray(S, logits, o + i).sub(lse)).mul(scale).intoArray(dlogits, o + i);
                }
                for (; i < v; i++) {
                    dlogits[o + i] = (float) StrictMath.exp(logits[o + i] - lse) * scale;
                }
                dlogits[o + target] -= scale;
            }
        });
    }
}
