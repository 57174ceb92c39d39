/**
 * Reinforcement learning: the CartPole-v1 environment, PPO's pieces (generalised advantage
 * estimation, the clipped objective, a categorical policy), and the PPO loop on CartPole.
 *
 * <p>PPO here is CleanRL's ppo.py, line for line in its choices, so that its published curves are
 * the reference; the loss pieces ({@link org.gpt4j.rl.Gae}, {@link org.gpt4j.rl.PpoLoss}) are
 * checked against PyTorch fixtures and are the ones language-model PPO reuses per token.
 *
 * <p>PPO on a language model ({@link org.gpt4j.rl.LmPpoTrainer}) is TRL's PPOTrainer: the GPT with
 * a value head ({@link org.gpt4j.rl.PolicyWithValueHead}), responses sampled through the KV cache,
 * a reward ({@link org.gpt4j.rl.ResponseReward}) minus a per-token KL penalty to a frozen copy of the
 * start, and each token a row of the same {@link org.gpt4j.rl.PpoLoss}. The log-probabilities of the
 * ratio are recomputed by the policy's own forward in the first epoch's minibatches, so the first
 * minibatch of every step starts at ratio exactly 1.
 *
 * <p>Determinism: one seed is split into independent streams (initial weights, environment
 * resets, action sampling, minibatch shuffles), environments are stepped in index order, and
 * every numeric loop runs in {@code tensor}'s deterministic kernels, so a seed repeats a run bit
 * for bit (on one vector width).
 */
package org.gpt4j.rl;
