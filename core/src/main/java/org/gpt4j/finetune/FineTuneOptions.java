package org.gpt4j.finetune;

/**
 * The fine-tuning recipe. GPT-1 (section 4.1) used lr 6.25e-5, batch 32, 3 epochs, linear warmup
 * over 0.2% of training then linear decay, lambda 0.5, weight decay 0.01: {@link #gpt1} holds
 * those. A small model fine-tunes better with a larger rate (its weights are larger relative to
 * a step), so the command's default lr is 1e-4 and its warmup 2% (see the README).
 *
 * @param lmWeight       lambda in L3 = L2 + lambda L1 (0: no auxiliary LM loss)
 * @param warmupFraction the share of all steps spent warming up
 * @param patience       stop after this many epochs without a better dev accuracy (0: never stop early)
 * @param maxLength      the longest sequence, special tokens included (at most n_positions)
 */
public record FineTuneOptions(TaskFormat format, double lmWeight, int epochs, double lr, int batch, long seed,
        double warmupFraction, double weightDecay, double clip, int patience, int maxLength) {

    public FineTuneOptions {
        if (!(lmWeight >= 0) || Double.isInfinite(lmWeight)) {
            throw new IllegalArgumentException("--lm-weight must be >= 0, got " + lmWeight);
        }
        checkRecipe(epochs, lr, batch, warmupFraction, weightDecay, clip, patience);
        if (maxLength < 4) {
            throw new IllegalArgumentException("--max-length must be >= 4, got " + maxLength);
        }
    }

    /**
     * The checks every fine-tuning recipe shares (task, instruction and reward-model tuning), each
     * failing with the message its command-line option would get.
     */
    public static void checkRecipe(int epochs, double lr, int batch, double warmupFraction, double weightDecay,
                                   double clip, int patience) {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException("--warmup must be in [0, 1), got " + warmupFraction);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be >= 0, got " + patience);
        }
        if (!(clip >= 0)) {
            throw new IllegalArgumentException("--clip must be >= 0, got " + clip);
        }
    }

    /** GPT-1's published recipe. */
    public static FineTuneOptions gpt1(TaskFormat format, int maxLength) {
        return new FineTuneOptions(format, 0.5, 3, 6.25e-5, 32, 1, 0.002, 0.01, 1.0, 0, maxLength);
    }
}
