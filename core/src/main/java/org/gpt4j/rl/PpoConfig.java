package org.gpt4j.rl;

/**
 * The settings of a PPO run on a vectorised environment, with CleanRL ppo.py's defaults
 * ({@link #cleanRl}): 4 environments x 128 steps per rollout, 4 epochs of 4 minibatches, Adam
 * (eps 1e-5) at 2.5e-4 annealed linearly to 0, GAE gamma 0.99 lambda 0.95, gradient norm 0.5.
 *
 * @param totalSteps    environment steps in all (over every environment); the run makes
 *                      {@code totalSteps / (envs * rolloutSteps)} rollouts, as CleanRL
 * @param targetKl      stop an update's epochs early once approx_kl passes this (NaN: never, CleanRL's default)
 */
public record PpoConfig(long totalSteps, int envs, int rolloutSteps, int epochs, int minibatches, double learningRate,
        boolean annealLearningRate, double gamma, double gaeLambda, PpoLoss.Coefficients loss, double maxGradNorm,
        double adamEps, double targetKl, int hidden, long seed) {

    public PpoConfig {
        positive("envs", envs);
        positive("rollout steps", rolloutSteps);
        positive("epochs", epochs);
        positive("minibatches", minibatches);
        positive("hidden", hidden);
        if ((long) envs * rolloutSteps % minibatches != 0) {
            throw new IllegalArgumentException("the batch of " + envs + " x " + rolloutSteps
                    + " steps does not split into " + minibatches + " minibatches");
        }
        if (loss.normalizeAdvantages() && (long) envs * rolloutSteps / minibatches < 2) {
            throw new IllegalArgumentException("advantage normalisation needs minibatches of 2 or more rows");
        }
        if (totalSteps < (long) envs * rolloutSteps) {
            throw new IllegalArgumentException("steps must be at least one rollout (" + envs * rolloutSteps
                    + " = envs x rollout steps), got " + totalSteps);
        }
        if (!(learningRate > 0) || !(adamEps > 0)) {
            throw new IllegalArgumentException("learning rate and Adam eps must be > 0, got " + learningRate + " and "
                    + adamEps);
        }
        if (!(gamma >= 0 && gamma <= 1) || !(gaeLambda >= 0 && gaeLambda <= 1)) {
            throw new IllegalArgumentException("gamma and lambda must be in [0, 1], got " + gamma + " and " + gaeLambda);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("max gradient norm must be >= 0 (0: no clipping), got " + maxGradNorm);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /** CleanRL's ppo.py defaults for CartPole-v1 over {@code totalSteps} steps and {@code envs} environments. */
    public static PpoConfig cleanRl(long totalSteps, int envs, long seed) {
        return new PpoConfig(totalSteps, envs, 128, 4, 4, 2.5e-4, true, 0.99, 0.95, PpoLoss.Coefficients.cleanRl(), 0.5,
                1e-5, Double.NaN, ActorCritic.HIDDEN, seed);
    }

    /** Rows of one rollout: envs x rollout steps. */
    public int batchSize() {
        return envs * rolloutSteps;
    }

    public int minibatchSize() {
        return batchSize() / minibatches;
    }

    /** Rollouts (and updates) in the run. */
    public long iterations() {
        return totalSteps / batchSize();
    }
}
