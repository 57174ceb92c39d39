package org.gpt4j.train;

/**
 * nanoGPT's {@code get_lr}: a linear warmup to the peak rate, then a cosine decay to the minimum
 * at the last step. Warmup avoids large early steps while AdamW's second moments are still noisy.
 *
 * @param maxLr       the peak learning rate, reached at the end of warmup
 * @param minLr       the rate at and after {@code decaySteps}
 * @param warmupSteps steps of linear warmup (0 for none)
 * @param decaySteps  the step at which the cosine reaches {@code minLr} (the run's length)
 */
public record LearningRateSchedule(double maxLr, double minLr, int warmupSteps, int decaySteps) {

    public LearningRateSchedule {
        if (!(maxLr > 0) || Double.isInfinite(maxLr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + maxLr);
        }
        if (!(minLr >= 0) || minLr > maxLr) {
            throw new IllegalArgumentException("--min-lr must be in [0, --lr], got " + minLr);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmupSteps);
        }
        if (decaySteps < 1) {
            throw new IllegalArgumentException("--steps must be positive, got " + decaySteps);
        }
    }

    /** The rate for iteration {@code it} (0-based: the first optimiser step is iteration 0). */
    public double at(int it) {
        if (it < warmupSteps) {
            return maxLr * (it + 1) / (warmupSteps + 1);
        }
        if (it > decaySteps || decaySteps <= warmupSteps) {
            return minLr;
        }
        double ratio = (double) (it - warmupSteps) / (decaySteps - warmupSteps);
        double coeff = 0.5 * (1 + StrictMath.cos(Math.PI * ratio));
        return minLr + coeff * (maxLr - minLr);
    }
}
