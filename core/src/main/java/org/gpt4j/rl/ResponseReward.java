package org.gpt4j.rl;

import java.util.List;

/**
 * What PPO for a language model maximises: one scalar per (prompt, response), higher is better.
 * A reward model or a classifier's label logit ({@link RewardModel#asReward}) is one; a test can
 * supply a simple deterministic rule. Called once per rollout batch, from one thread.
 */
@FunctionalInterface
public interface ResponseReward {

    /**
     * The scores of {@code prompts.size()} responses.
     *
     * @param prompts        the prompts' text
     * @param responses      the responses' text (decoded from {@code responseTokens})
     * @param responseTokens the responses' token ids, as the policy sampled them
     */
    float[] score(List<String> prompts, List<String> responses, List<int[]> responseTokens);
}
