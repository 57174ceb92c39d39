package org.gpt4j.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;

/**
 * A short sample shown at each evaluation so a user sees what the model has learnt: temperature
 * sampling, one full forward over the (cropped) sequence per token. Deliberately simple; the
 * generation package provides the real generator (KV cache, every decoding strategy).
 */
public final class Sampler {

    private Sampler() {
    }

    /**
     * {@code count} new ids after {@code prompt}, drawn at {@code temperature} (0: greedy) from a
     * generator seeded by {@code seed}. The model is left in evaluation mode.
     */
    public static int[] sample(Gpt gpt, int[] prompt, int count, double temperature, long seed) {
        gpt.setTraining(false, 0);
        int context = gpt.config().nPositions();
        int v = gpt.config().vocabSize();
        int[] seq = Arrays.copyOf(prompt, prompt.length + count);
        int len = prompt.length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] p = new double[v];
        for (int k = 0; k < count; k++) {
            int from = Math.max(0, len - context);
            int t = len - from;
            ForwardResult r = gpt.forward(Arrays.copyOfRange(seq, from, len), 1, t);
            int row = (t - 1) * v;
            seq[len++] = temperature <= 0 ? argmax(r.logits(), row, v) : draw(r.logits(), row, v, temperature, p, rng);
        }
        return Arrays.copyOfRange(seq, prompt.length, len);
    }

    private static int argmax(float[] logits, int row, int v) {
        int best = 0;
        for (int i = 1; i < v; i++) {
            if (logits[row + i] > logits[row + best]) {
                best = i;
            }
        }
        return best;
    }

    private static int draw(float[] logits, int row, int v, double temperature, double[] p, SplittableRandom rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, logits[row + i]);
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = StrictMath.exp((logits[row + i] - max) / temperature);
            sum += p[i];
        }
        double u = rng.nextDouble() * sum;
        for (int i = 0; i < v; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return v - 1;
    }
}
