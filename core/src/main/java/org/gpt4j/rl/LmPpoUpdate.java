package org.gpt4j.rl;

import java.util.function.Supplier;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.GradientClipping;

/**
 * The optimisation phase of one language-model PPO step (TRL's {@code train_minibatch} loop): for
 * each epoch, each minibatch of responses is re-run through the policy, {@link PpoLoss} gives the
 * clipped objective over its response tokens (each token a row) and its gradient, which flows back
 * through the policy ({@link PolicyWithValueHead#backward}); the gradient is optionally clipped to a
 * global norm and Adam steps the GPT and the value head. Statistics are means over the minibatches.
 */
final class LmPpoUpdate {

    /** What one update did; {@code firstRatioDeviation}: max |log ratio| of the first minibatch. */
    record Stats(double policyLoss, double valueLoss, double entropy, double approxKl, double clipFraction,
            double firstRatioDeviation) {
    }

    private final LmPpoConfig config;
    private final PolicyWithValueHead policy;
    private final AdamW gptAdam;
    private final AdamW headAdam;

    LmPpoUpdate(LmPpoConfig config, PolicyWithValueHead policy, AdamW gptAdam, AdamW headAdam) {
        this.config = config;
        this.policy = policy;
        this.gptAdam = gptAdam;
        this.headAdam = headAdam;
    }

    /**
     * @param firstEpoch the minibatches of epoch 0 (those the old log-probabilities were computed in)
     * @param nextEpoch  draws the minibatches of each later epoch
     */
    Stats run(LmRollout r, int[][] firstEpoch, Supplier<int[][]> nextEpoch) {
        int n = config.minibatch() * r.r;
        float[] newLogp = new float[n];
        float[] newValues = new float[n];
        float[] entropy = new float[n];
        float[] oldLogp = new float[n];
        float[] oldValues = new float[n];
        float[] advantages = new float[n];
        float[] returns = new float[n];
        float[] gLogp = new float[n];
        float[] gValue = new float[n];
        float[] gEntropy = new float[n];
        double pg = 0;
        double vl = 0;
        double ent = 0;
        double approxKl = 0;
        double clip = 0;
        double firstDeviation = Double.NaN;
        int runs = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            int[][] minibatches = epoch == 0 ? firstEpoch : nextEpoch.get();
            for (int[] rows : minibatches) {
                LmRollout.Minibatch mb = r.minibatch(rows);
                policy.forward(mb.tokens(), mb.m(), r.length, mb.positions(), mb.actions(), newLogp, entropy, newValues);
                r.gather(oldLogp, r.oldLogp, rows);
                r.gather(oldValues, r.oldValues, rows);
                r.gather(advantages, r.advantages, rows);
                r.gather(returns, r.returns, rows);
                if (runs == 0) {
                    firstDeviation = 0;
                    for (int i = 0; i < n; i++) {
                        firstDeviation = Math.max(firstDeviation, Math.abs((double) newLogp[i] - oldLogp[i]));
                    }
                }
                PpoLoss.Result l = PpoLoss.compute(config.loss(), newLogp, oldLogp, advantages, newValues, oldValues,
                        returns, entropy, n, gLogp, gValue, gEntropy);
                pg += l.policyLoss();
                vl += l.valueLoss();
                ent += l.entropy();
                approxKl += l.approxKl();
                clip += l.clipFraction();
                runs++;
                policy.gpt().parameters().zeroGrad();
                policy.valueHead().parameters().zeroGrad();
                policy.backward(gLogp, gValue, gEntropy);
                if (config.maxGradNorm() > 0) {
                    GradientClipping.clip(config.maxGradNorm(), policy.gpt().parameters(),
                            policy.valueHead().parameters());
                }
                gptAdam.step(config.learningRate());
                headAdam.step(config.learningRate());
            }
        }
        return new Stats(pg / runs, vl / runs, ent / runs, approxKl / runs, clip / runs, firstDeviation);
    }
}
