package org.gpt4j.rl;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * PPO on CartPole-v1, as CleanRL's ppo.py runs it: each iteration anneals the learning rate
 * linearly towards 0, collects a {@link Rollout} of N environments x T steps with the current
 * policy, and runs a {@link PpoUpdate} on it. One seed fixes everything — the initial weights,
 * the environments' resets, the sampled actions and the minibatch shuffles each draw from their
 * own stream split from it — and the kernels are deterministic, so a seed gives the same run bit
 * for bit. The result is the mean return of the last 100 episodes (CleanRL's figure of merit).
 */
public final class PpoTrainer {

    /** Episodes the final mean return is taken over. */
    public static final int WINDOW = 100;

    /** How a run reports its progress (every method may be left empty). */
    public interface Listener {
        default void onEpisode(long globalStep, VectorCartPole.Episode episode) {
        }

        default void onIteration(IterationReport report) {
        }
    }

    /** One iteration: its rollout's steps, the update's losses, and the episodes so far. */
    public record IterationReport(long iteration, long iterations, long globalStep, double learningRate,
            double policyLoss, double valueLoss, double entropy, double oldApproxKl, double approxKl,
            double clipFraction, double explainedVariance, long episodes, double meanReturn, double seconds) {
    }

    /** The run's outcome: the mean return of the last {@link #WINDOW} episodes (NaN when none ended). */
    public record Result(double meanReturn, long episodes, long steps, double seconds) {
    }

    private PpoTrainer() {
    }

    /** Trains a new agent with {@code config} and returns the result; the agent is discarded. */
    public static Result train(PpoConfig config, Listener listener) {
        return train(config, listener, null);
    }

    /**
     * Trains a new agent; when {@code trained} is not null it receives the final agent (for tests
     * and for evaluating the policy).
     */
    public static Result train(PpoConfig config, Listener listener, java.util.function.Consumer<ActorCritic> trained) {
        long start = System.nanoTime();
        SplittableRandom root = new SplittableRandom(config.seed());
        ActorCritic agent = ActorCritic.initialized(CartPole.OBSERVATIONS, CartPole.ACTIONS, config.hidden(),
                root.nextLong());
        VectorCartPole env = new VectorCartPole(config.envs(), root.split());
        Rollout rollout = new Rollout(env, config.rolloutSteps(), root.split());
        PpoUpdate update = new PpoUpdate(config, agent, root.split());
        ReturnWindow window = new ReturnWindow();
        long globalStep = 0;
        long iterations = config.iterations();
        for (long it = 1; it <= iterations; it++) {
            double frac = config.annealLearningRate() ? 1.0 - (it - 1.0) / iterations : 1.0;
            double lr = frac * config.learningRate();
            long base = globalStep;
            rollout.collect(agent, config.gamma(), config.gaeLambda(), episode -> {
                window.add(episode.episodeReturn());
                // CleanRL counts global_step before stepping: the step at which the episode ended.
                listener.onEpisode(base + (long) (rollout.currentStep() + 1) * config.envs(), episode);
            });
            globalStep += config.batchSize();
            PpoUpdate.Stats s = update.run(rollout, lr);
            listener.onIteration(new IterationReport(it, iterations, globalStep, lr, s.policyLoss(), s.valueLoss(),
                    s.entropy(), s.oldApproxKl(), s.approxKl(), s.clipFraction(),
                    explainedVariance(rollout.values, rollout.returns, config.batchSize()), window.episodes,
                    window.mean(), (System.nanoTime() - start) / 1e9));
        }
        if (trained != null) {
            trained.accept(agent);
        }
        return new Result(window.mean(), window.episodes, globalStep, (System.nanoTime() - start) / 1e9);
    }

    /** The returns of the last {@link #WINDOW} episodes and the count of all. */
    private static final class ReturnWindow {
        private final ArrayDeque<Double> recent = new ArrayDeque<>();
        private double sum;
        long episodes;

        void add(double episodeReturn) {
            episodes++;
            recent.addLast(episodeReturn);
            sum += episodeReturn;
            if (recent.size() > WINDOW) {
                sum -= recent.removeFirst();
            }
        }

        /** NaN before the first episode ends. */
        double mean() {
            return recent.isEmpty() ? Double.NaN : sum / recent.size();
        }
    }

    /** 1 - Var(returns - values) / Var(returns) (population variances, as numpy's var); NaN when Var(returns) is 0. */
    static double explainedVariance(float[] values, float[] returns, int n) {
        double my = 0;
        double md = 0;
        for (int i = 0; i < n; i++) {
            my += returns[i];
            md += returns[i] - values[i];
        }
        my /= n;
        md /= n;
        double vy = 0;
        double vd = 0;
        for (int i = 0; i < n; i++) {
            double y = returns[i] - my;
            double d = returns[i] - values[i] - md;
            vy += y * y;
            vd += d * d;
        }
        return vy == 0 ? Double.NaN : 1 - vd / vy;
    }
}
