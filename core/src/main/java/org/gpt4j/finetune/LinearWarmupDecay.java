package org.gpt4j.finetune;

/**
 * GPT-1's fine-tuning schedule: the rate rises linearly from 0 over the warmup steps to its peak,
 * then falls linearly to 0 at the last step (pre-training's cosine is
 * {@link org.gpt4j.train.LearningRateSchedule}).
 */
public record LinearWarmupDecay(double maxLr, int warmupSteps, int totalSteps) {

    public LinearWarmupDecay {
        if (!(maxLr > 0) || Double.isInfinite(maxLr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + maxLr);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("warmup must be >= 0 and the run at least one step");
        }
    }

    /** The rate for iteration {@code it} (0-based). */
    public double at(long it) {
        if (it < warmupSteps) {
            return maxLr * (it + 1) / (warmupSteps + 1);
        }
        double left = (double) (totalSteps - it) / Math.max(1, totalSteps - warmupSteps);
        return maxLr * Math.max(0, Math.min(1, left));
    }
}
