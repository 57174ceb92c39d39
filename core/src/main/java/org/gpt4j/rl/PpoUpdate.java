package org.gpt4j.rl;

import java.util.random.RandomGenerator;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.CategoricalKernels;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.GradientClipping;

/**
 * The optimisation phase of one PPO iteration, as CleanRL's ppo.py: for each epoch the rollout's
 * rows are shuffled and cut into minibatches; on each, the actor and critic are re-run on the
 * stored observations, {@link PpoLoss} gives the loss and its gradient, the gradient flows back
 * through the categorical policy ({@link CategoricalKernels}) and both MLPs, is clipped to a
 * global norm, and Adam takes a step. The reported statistics are those of the last minibatch
 * (clip fraction: the mean over all), as CleanRL logs them.
 */
final class PpoUpdate {

    /** What one update did. */
    record Stats(double policyLoss, double valueLoss, double entropy, double oldApproxKl, double approxKl,
            double clipFraction, int minibatchesRun) {
    }

    private final PpoConfig config;
    private final ActorCritic agent;
    private final AdamW adam;
    private final RandomGenerator shuffleRng;
    private final int[] order;
    private final int m;
    private final int obsDim;
    private final int actionCount;
    private final float[] mbObs;
    private final int[] mbActions;
    private final float[] mbOldLogp;
    private final float[] mbAdvantages;
    private final float[] mbOldValues;
    private final float[] mbReturns;
    private final float[] logits;
    private final float[] logp;
    private final float[] entropy;
    private final float[] newLogp;
    private final float[] newValues;
    private final float[] gLogp;
    private final float[] gValue;
    private final float[] gEntropy;
    private final float[] dLogits;

    PpoUpdate(PpoConfig config, ActorCritic agent, RandomGenerator shuffleRng) {
        this.config = config;
        this.agent = agent;
        // torch.optim.Adam(eps=1e-5) is AdamW with no weight decay.
        this.adam = new AdamW(agent.parameters(), 0.9, 0.999, config.adamEps(), 0.0);
        this.shuffleRng = shuffleRng;
        this.order = new int[config.batchSize()];
        this.m = config.minibatchSize();
        this.obsDim = agent.observations();
        this.actionCount = agent.actions();
        mbObs = new float[m * obsDim];
        mbActions = new int[m];
        mbOldLogp = new float[m];
        mbAdvantages = new float[m];
        mbOldValues = new float[m];
        mbReturns = new float[m];
        logits = new float[m * actionCount];
        logp = new float[m * actionCount];
        entropy = new float[m];
        newLogp = new float[m];
        newValues = new float[m];
        gLogp = new float[m];
        gValue = new float[m];
        gEntropy = new float[m];
        dLogits = new float[m * actionCount];
    }

    /** Runs the epochs over {@code r} at learning rate {@code lr}. */
    Stats run(Rollout r, double lr) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Parameters params = agent.parameters();
        PpoLoss.Result last = null;
        double clipSum = 0;
        int runs = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            shuffle();
            for (int start = 0; start < order.length; start += m) {
                gather(r, start);
                agent.logits(logits, mbObs, m);
                CategoricalKernels.forward(logp, entropy, logits, m, actionCount);
                for (int i = 0; i < m; i++) {
                    newLogp[i] = logp[i * actionCount + mbActions[i]];
                }
                agent.values(newValues, mbObs, m);
                last = PpoLoss.compute(config.loss(), newLogp, mbOldLogp, mbAdvantages, newValues, mbOldValues,
                        mbReturns, entropy, m, gLogp, gValue, gEntropy);
                clipSum += last.clipFraction();
                runs++;
                params.zeroGrad();
                CategoricalKernels.backward(dLogits, logp, entropy, mbActions, gLogp, gEntropy, m, actionCount);
                agent.backwardLogits(dLogits, mbObs, m);
                agent.backwardValues(gValue, mbObs, m);
                GradientClipping.clip(params, config.maxGradNorm());
                adam.step(lr);
            }
            if (!Double.isNaN(config.targetKl()) && last.approxKl() > config.targetKl()) {
                break;
            }
        }
        return new Stats(last.policyLoss(), last.valueLoss(), last.entropy(), last.oldApproxKl(), last.approxKl(),
                clipSum / runs, runs);
    }

    /** Fisher-Yates over the row indices (numpy's shuffle is the same algorithm, with another generator). */
    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = shuffleRng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Copies the minibatch's rows (indices order[start .. start + m)) out of the rollout. */
    private void gather(Rollout r, int start) {
        for (int i = 0; i < m; i++) {
            int row = order[start + i];
            System.arraycopy(r.obs, row * obsDim, mbObs, i * obsDim, obsDim);
            mbActions[i] = r.actions[row];
            mbOldLogp[i] = r.logProbs[row];
            mbAdvantages[i] = r.advantages[row];
            mbOldValues[i] = r.values[row];
            mbReturns[i] = r.returns[row];
        }
    }
}
