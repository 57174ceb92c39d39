package org.gpt4j.rl;

/**
 * The settings of PPO on a language model, with TRL's {@code PPOConfig} defaults where it has
 * them ({@link #trl}): KL coefficient 0.2 adapted towards a target of 6 nats over a horizon of
 * 10,000 responses, GAE gamma 1 lambda 0.95, 4 epochs per batch, clip 0.2 for the ratio and the
 * value, value coefficient 0.1, no entropy bonus, Adam at 1.41e-5.
 *
 * @param steps          PPO steps: each samples one batch of responses and optimises on it
 * @param batch          responses per step
 * @param minibatch      responses per gradient step ({@code batch} must be a multiple)
 * @param responseTokens tokens sampled per response (all of them: an end-of-text is a token like another)
 * @param targetKl       NaN: a fixed beta
 * @param maxGradNorm    0: no clipping (TRL's default)
 * @param evalEvery      every this many steps: samples printed and the best policy considered
 */
public record LmPpoConfig(int steps, int batch, int minibatch, int epochs, int responseTokens, double learningRate,
        double klCoef, double targetKl, double klHorizon, double gamma, double lambda, PpoLoss.Coefficients loss,
        double maxGradNorm, int evalEvery, long seed) {

    public LmPpoConfig {
        positive("steps", steps);
        positive("batch", batch);
        positive("minibatch", minibatch);
        positive("epochs", epochs);
        positive("response tokens", responseTokens);
        positive("eval every", evalEvery);
        if (batch % minibatch != 0) {
            throw new IllegalArgumentException("the batch of " + batch + " responses does not split into minibatches of "
                    + minibatch);
        }
        if (batch * responseTokens < 2) {
            throw new IllegalArgumentException("advantage whitening needs 2 or more response tokens per batch");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("gamma and lambda must be in [0, 1], got " + gamma + " and " + lambda);
        }
        if (!(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("max gradient norm must be >= 0 (0: no clipping), got " + maxGradNorm);
        }
        if (loss.normalizeAdvantages()) {
            throw new IllegalArgumentException("advantages are whitened over the whole batch (TRL), not per minibatch");
        }
        // the controller checks beta, the target and the horizon
        new AdaptiveKlController(klCoef, targetKl, klHorizon);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /** TRL's objective: clip 0.2 (ratio and value), value coefficient 0.1, no entropy bonus. */
    public static PpoLoss.Coefficients trlLoss() {
        return new PpoLoss.Coefficients(0.2, 0.1, 0.0, false, true);
    }

    /** TRL's defaults for {@code steps} steps of {@code batch} responses of {@code responseTokens} tokens. */
    public static LmPpoConfig trl(int steps, int batch, int responseTokens, long seed) {
        return new LmPpoConfig(steps, batch, Math.min(batch, 16), 4, responseTokens, 1.41e-5, 0.2, 6.0, 10_000, 1.0,
                0.95, trlLoss(), 0.0, 10, seed);
    }

    public int minibatches() {
        return batch / minibatch;
    }
}
