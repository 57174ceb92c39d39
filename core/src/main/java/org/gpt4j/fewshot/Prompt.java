package org.gpt4j.fewshot;

/**
 * A prompt as token ids, and what had to go for it to fit the context.
 *
 * @param demonstrations the training indices of the demonstrations it holds, in order
 * @param dropped demonstrations left out (the first ones) because the prompt was too long
 * @param cutTokens tokens cut from the start of the question itself, when even without
 *     demonstrations it was too long (0 almost always)
 */
public record Prompt(int[] ids, int[] demonstrations, int dropped, int cutTokens) {
}
