package org.gpt4j.train;

import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;

/**
 * The mean next-token cross-entropy of a model over batches, weighted by predicted tokens (so a
 * short last window counts for what it holds). Runs with dropout off; the caller turns training
 * mode back on.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /** Hears each batch as it is done (for a progress bar); called on the evaluating thread. */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} batches of this call are evaluated. */
        void batchesDone(int done);

        /** Hears nothing. */
        Progress NONE = done -> { };
    }

    /** The loss in nats per token; perplexity is its exp. */
    public static double meanLoss(Gpt gpt, Iterable<Batch> batches) {
        return meanLoss(gpt, batches, Progress.NONE);
    }

    /** As {@link #meanLoss(Gpt, Iterable)}, telling {@code progress} after each batch. */
    public static double meanLoss(Gpt gpt, Iterable<Batch> batches, Progress progress) {
        gpt.setTraining(false, 0);
        double sum = 0;
        long counted = 0;
        int done = 0;
        for (Batch b : batches) {
            ForwardResult r = gpt.forward(b.tokens(), b.targets(), b.batch(), b.length());
            if (r.counted() > 0) {
                sum += (double) r.loss() * r.counted();
                counted += r.counted();
            }
            progress.batchesDone(++done);
        }
        if (counted == 0) {
            throw new IllegalArgumentException("nothing to evaluate: the text holds fewer than 2 tokens");
        }
        return sum / counted;
    }
}
