package org.gpt4j.fewshot;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Which solved training examples go before a question: the first K of one permutation of the
 * training file, drawn by the seed (Fisher-Yates over a {@link SplittableRandom}), in that order.
 * Every example of a run sees the same K, as in Zhao et al. (2021): a seed is one prompt, and the
 * spread over seeds is the spread over prompts. The one exception: a training example with the
 * same input as the question (the same file scored against itself, or a duplicate) is skipped and
 * the next one of the permutation takes its place, so a question never sees its own answer.
 */
public final class Demonstrations {

    private final List<FewShotExample> train;
    private final int shots;
    private final int[] order;

    /**
     * @throws IllegalArgumentException when {@code shots} is negative or more than the training examples
     */
    public Demonstrations(List<FewShotExample> train, int shots, long seed) {
        if (shots < 0) {
            throw new IllegalArgumentException("--shots must be >= 0, got " + shots);
        }
        if (shots > train.size()) {
            throw new IllegalArgumentException("--shots " + shots + " is more than the " + train.size()
                    + " training examples to draw demonstrations from");
        }
        this.train = List.copyOf(train);
        this.shots = shots;
        this.order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** The training indices of the demonstrations for {@code question}, in prompt order. */
    public int[] forExample(FewShotExample question) {
        int[] out = new int[shots];
        int n = 0;
        for (int i = 0; i < order.length && n < shots; i++) {
            if (!train.get(order[i]).sameInputAs(question)) {
                out[n++] = order[i];
            }
        }
        if (n < shots) {
            throw new IllegalArgumentException(question.source() + ": only " + n + " training examples differ from this example,"
                    + " fewer than --shots " + shots);
        }
        return out;
    }
}
