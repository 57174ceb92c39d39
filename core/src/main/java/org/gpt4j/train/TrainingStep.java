package org.gpt4j.train;

import java.util.List;
import org.gpt4j.model.BackwardListener;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;

/**
 * One optimiser step: forward and backward over each micro-batch (gradients accumulate, each
 * scaled by 1/micro-batches so the sum is the mean over the whole batch), global-norm clipping,
 * then AdamW. When the loss or the gradient norm is not finite the weights are left untouched.
 * In data-parallel training the micro-batches are this replica's share, the scale is 1/(all
 * replicas' micro-batches), and the {@link ReplicaGroup} sums gradients and losses before clipping.
 */
public final class TrainingStep {

    /** What a step did: its mean loss, the gradient norm before clipping, and whether it updated. */
    public record Result(double loss, double gradNorm, boolean applied) {
    }

    private final Gpt gpt;
    private final AdamW optimizer;
    private final double clip;
    private final ReplicaGroup group;

    public TrainingStep(Gpt gpt, AdamW optimizer, double clip) {
        this(gpt, optimizer, clip, ReplicaGroup.SINGLE);
    }

    public TrainingStep(Gpt gpt, AdamW optimizer, double clip, ReplicaGroup group) {
        this.gpt = gpt;
        this.optimizer = optimizer;
        this.clip = clip;
        this.group = group;
    }

    /**
     * Runs the step. {@code firstForward} numbers the first micro-batch's forward pass: dropout
     * masks derive from it, so step s of a resumed run draws the masks of an uninterrupted one.
     */
    public Result run(List<Batch> microBatches, double lr, long firstForward) {
        gpt.parameters().zeroGrad();
        int total = microBatches.size() * group.size();
        float scale = 1f / total;
        double lossSum = 0;
        long forward = firstForward;
        for (int m = 0; m < microBatches.size(); m++) {
            Batch b = microBatches.get(m);
            gpt.setForwardCount(forward++);
            ForwardResult r = gpt.forward(b.tokens(), b.targets(), b.batch(), b.length());
            lossSum += r.loss();
            if (!Double.isFinite(r.loss())) {
                if (group.size() == 1) {
                    return new Result(r.loss(), Double.NaN, false);
                }
                // The other replicas wait for this one's sum: it carries the bad loss to all of them.
                break;
            }
            // The last backward finishes the step's gradients layer by layer: the group may sum
            // each layer's while the layers below are still being differentiated.
            gpt.backward(scale, m == microBatches.size() - 1 && group.size() > 1
                    ? specs -> group.gradientsFinished(gpt.parameters(), specs) : BackwardListener.NONE);
        }
        if (group.size() > 1) {
            lossSum = group.sum(gpt.parameters(), lossSum);
            if (!Double.isFinite(lossSum)) {
                return new Result(lossSum, Double.NaN, false);
            }
        }
        double loss = lossSum / total;
        double norm = GradientClipping.clip(gpt.parameters(), clip);
        if (!Double.isFinite(norm)) {
            return new Result(loss, norm, false);
        }
        optimizer.step(lr);
        return new Result(loss, norm, true);
    }
}
