package org.gpt4j.rl;

/**
 * One human comparison for a reward model: for {@code prompt}, the response {@code chosen} was
 * preferred to {@code rejected}. {@code line} is where it was read (for messages); {@code group}
 * numbers the line's comparisons, which share a prompt (a ranking of K responses gives K(K-1)/2).
 */
public record PreferencePair(String prompt, String chosen, String rejected, long line, int group) {
}
