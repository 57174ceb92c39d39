package org.gpt4j.rl;

import java.util.random.RandomGenerator;
import org.gpt4j.tensor.CategoricalKernels;

/**
 * One rollout of PPO on a {@link VectorCartPole}: T steps of N environments under the current
 * policy, stored step-major ({@code [T, N]}, row {@code t * N + e}) as CleanRL's buffers, with
 * the observation, action, its log-probability, the critic's value, the reward and the done flag
 * of each row, then the GAE advantages and returns. The environments' state (the observation and
 * done flag after the last step) carries over to the next rollout.
 */
final class Rollout {

    final int steps;
    final int envs;
    final int obsDim;
    final int actionCount;
    final float[] obs;
    final int[] actions;
    final float[] logProbs;
    final float[] values;
    final float[] rewards;
    final float[] dones;
    final float[] advantages;
    final float[] returns;

    private final VectorCartPole env;
    private int current;
    private final RandomGenerator actionRng;
    private final float[] nextObs;
    private final float[] nextDones;
    private final float[] nextValues;
    private final float[] logits;
    private final float[] stepLogp;
    private final float[] stepEntropy;
    private final int[] stepActions;
    private final float[] stepRewards;
    private final boolean[] terminated;
    private final boolean[] truncated;

    Rollout(VectorCartPole env, int steps, RandomGenerator actionRng) {
        this.env = env;
        this.steps = steps;
        this.envs = env.count();
        this.obsDim = CartPole.OBSERVATIONS;
        this.actionCount = CartPole.ACTIONS;
        this.actionRng = actionRng;
        int n = steps * envs;
        obs = new float[n * obsDim];
        actions = new int[n];
        logProbs = new float[n];
        values = new float[n];
        rewards = new float[n];
        dones = new float[n];
        advantages = new float[n];
        returns = new float[n];
        nextObs = new float[envs * obsDim];
        nextDones = new float[envs];
        nextValues = new float[envs];
        logits = new float[envs * actionCount];
        stepLogp = new float[envs * actionCount];
        stepEntropy = new float[envs];
        stepActions = new int[envs];
        stepRewards = new float[envs];
        terminated = new boolean[envs];
        truncated = new boolean[envs];
        env.reset(nextObs);
    }

    /**
     * Runs T steps of every environment under {@code agent}'s policy (sampling each action), then
     * computes the advantages and returns. Finished episodes go to {@code sink}.
     */
    void collect(ActorCritic agent, double gamma, double lambda, VectorCartPole.EpisodeSink sink) {
        for (int t = 0; t < steps; t++) {
            current = t;
            int row = t * envs;
            System.arraycopy(nextObs, 0, obs, row * obsDim, envs * obsDim);
            System.arraycopy(nextDones, 0, dones, row, envs);
            agent.logits(logits, nextObs, envs);
            agent.values(nextValues, nextObs, envs);
            System.arraycopy(nextValues, 0, values, row, envs);
            CategoricalKernels.forward(stepLogp, stepEntropy, logits, envs, actionCount);
            for (int e = 0; e < envs; e++) {
                int a = sample(stepLogp, e * actionCount, actionCount, actionRng.nextDouble());
                stepActions[e] = a;
                actions[row + e] = a;
                logProbs[row + e] = stepLogp[e * actionCount + a];
            }
            env.step(stepActions, nextObs, stepRewards, terminated, truncated, sink);
            for (int e = 0; e < envs; e++) {
                rewards[row + e] = stepRewards[e];
                // CleanRL: next_done = terminated or truncated (a truncation is not bootstrapped).
                nextDones[e] = terminated[e] || truncated[e] ? 1f : 0f;
            }
        }
        agent.values(nextValues, nextObs, envs);
        Gae.compute(advantages, returns, rewards, values, dones, nextValues, nextDones, steps, envs, gamma, lambda);
    }

    /** The step of the rollout under way (while {@link #collect} runs). */
    int currentStep() {
        return current;
    }

    /** Inverse-CDF sampling: the first action whose cumulative probability exceeds u in [0, 1). */
    static int sample(float[] logp, int offset, int n, double u) {
        double cumulative = 0;
        for (int a = 0; a < n - 1; a++) {
            cumulative += StrictMath.exp(logp[offset + a]);
            if (u < cumulative) {
                return a;
            }
        }
        return n - 1;
    }
}
