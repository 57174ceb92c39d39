package org.gpt4j.finetune.instruct;

import org.gpt4j.finetune.FineTuneOptions;

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
        FineTuneOptions.checkRecipe(epochs, lr, batch, warmupFraction, weightDecay, clip, patience);
        if (maxLength < 8) {
            throw new IllegalArgumentException("--max-length must be >= 8, got " + maxLength);
        }
    }
}
