package org.gpt4j.finetune.instruct;

/**
 * The instruction-tuning recipe: AdamW with a linear warmup then linear decay, as GPT-1's
 * fine-tuning, over the assistant tokens of the training conversations.
 *
 * @param warmupFraction the share of all steps spent warming up
 * @param patience       stop after this many epochs without a lower dev loss (0: never stop early)
 * @param maxLength      the longest rendered conversation in tokens (at most n_positions); a longer
 *                       one is an error naming its line
 */
public record InstructionOptions(int epochs, double lr, int batch, long seed, double warmupFraction,
        double weightDecay, double clip, int patience, int maxLength) {

    public InstructionOptions {
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
        if (!(clip >= 0)) {
            throw new IllegalArgumentException("--clip must be >= 0, got " + clip);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be >= 0, got " + patience);
        }
        if (maxLength < 8) {
            throw new IllegalArgumentException("--max-length must be >= 8, got " + maxLength);
        }
    }
}
