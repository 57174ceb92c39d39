package org.gpt4j.generate;

import java.util.random.RandomGenerator;
import org.gpt4j.tensor.SoftmaxKernel;

/** Chooses the next token from processed scores: the most likely one, or a draw from the softmax. */
public interface Sampler {

    int choose(float[] scores);

    /** The highest score (the first on ties). */
    static Sampler greedy() {
        return scores -> SoftmaxKernel.argmax(scores, 0, scores.length);
    }

    /** A draw from softmax(scores): tokens at {@code -inf} are never drawn. */
    static Sampler categorical(RandomGenerator random) {
        return scores -> {
            double[] probs = new double[scores.length];
            SoftmaxKernel.softmax(probs, scores, 0, scores.length);
            double u = random.nextDouble();
            double cumulative = 0;
            int last = -1;
            for (int i = 0; i < probs.length; i++) {
                if (probs[i] > 0) {
                    cumulative += probs[i];
                    last = i;
                    if (u < cumulative) {
                        return i;
                    }
                }
            }
            return last; // u fell in the rounding gap above the cumulative sum
        };
    }
}
