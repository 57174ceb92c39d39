package org.gpt4j.rl;

import java.util.random.RandomGenerator;

/**
 * N CartPole-v1 environments stepped together, as Gymnasium 0.29's {@code SyncVectorEnv} over
 * {@code TimeLimit(CartPole, 500)} and {@code RecordEpisodeStatistics} (the set-up CleanRL's
 * ppo.py ran): an environment whose episode ends (terminated, or truncated at 500 steps) is reset
 * in the same step, so the observation returned for it is the first of its next episode, and the
 * finished episode's return and length are reported. Resets draw from one random source, in
 * environment order, so a seed fixes every episode.
 */
public final class VectorCartPole {

    /** CartPole-v1's time limit. */
    public static final int MAX_EPISODE_STEPS = 500;

    /** One finished episode: which environment, its return (the sum of rewards) and its length. */
    public record Episode(int env, double episodeReturn, int length) {
    }

    /** Receives the episodes that end during a {@link #step}. */
    @FunctionalInterface
    public interface EpisodeSink {
        void accept(Episode episode);
    }

    private final CartPole[] envs;
    private final int[] elapsed;
    private final double[] returns;
    private final RandomGenerator rng;

    public VectorCartPole(int count, RandomGenerator rng) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of environments must be >= 1, got " + count);
        }
        this.envs = new CartPole[count];
        this.elapsed = new int[count];
        this.returns = new double[count];
        this.rng = rng;
        for (int i = 0; i < count; i++) {
            envs[i] = new CartPole();
        }
    }

    public int count() {
        return envs.length;
    }

    /** Starts a new episode in every environment and writes the observations {@code [N, 4]}. */
    public void reset(float[] obs) {
        for (int i = 0; i < envs.length; i++) {
            envs[i].reset(rng);
            elapsed[i] = 0;
            returns[i] = 0;
            envs[i].observe(obs, i * CartPole.OBSERVATIONS);
        }
    }

    /**
     * Steps every environment with its action, writing the next observations {@code [N, 4]}, the
     * rewards, and whether each episode terminated or was truncated; an ended episode goes to
     * {@code sink} and its environment is reset (the observation is then the new episode's first).
     */
    public void step(int[] actions, float[] obs, float[] rewards, boolean[] terminated, boolean[] truncated,
            EpisodeSink sink) {
        for (int i = 0; i < envs.length; i++) {
            boolean term = envs[i].step(actions[i]);
            elapsed[i]++;
            rewards[i] = 1f;
            returns[i] += 1.0;
            terminated[i] = term;
            truncated[i] = elapsed[i] >= MAX_EPISODE_STEPS;
            if (term || truncated[i]) {
                sink.accept(new Episode(i, returns[i], elapsed[i]));
                envs[i].reset(rng);
                elapsed[i] = 0;
                returns[i] = 0;
            }
            envs[i].observe(obs, i * CartPole.OBSERVATIONS);
        }
    }
}
