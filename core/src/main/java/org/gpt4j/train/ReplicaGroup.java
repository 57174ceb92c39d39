package org.gpt4j.train;

import java.util.List;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;

/**
 * The replicas of one model in synchronous data-parallel training (as torch.distributed's process
 * group): this process is replica {@code rank} of {@code size}, each computes its own micro-batches
 * of a step, and between the backward pass and the optimiser step {@link #sum} adds the gradients
 * of all replicas, so every replica clips and steps with the same numbers and the replicas stay
 * identical. {@link #SINGLE} is one process on its own (plain {@code train}).
 *
 * <p>The rule that makes a run on N replicas the run of one process with N times the gradient
 * accumulation: of a step's micro-batches 0 .. A·N − 1 (A = grad-accum), replica r computes
 * r·A .. (r+1)·A − 1, each scaled by 1/(A·N); the sum over replicas is then the mean over the
 * global batch, only summed in another order.
 */
public interface ReplicaGroup {

    /** This replica's number, 0 .. size − 1; replica 0 writes the run's metrics and checkpoints. */
    int rank();

    /** How many replicas train together. */
    int size();

    /**
     * Replaces every gradient in {@code parameters} by its sum over the replicas, bit-identical on
     * every replica, and returns the sum of {@code loss} over the replicas (in rank order).
     */
    double sum(Parameters parameters, double loss);

    /**
     * The step's last backward pass has finished these gradients (told as a
     * {@link org.gpt4j.model.BackwardListener} is): a group may start summing them now, while the
     * backward goes on through the layers below, so that the communication hides behind the
     * computation. {@link #sum(Parameters, double)} still ends the step's summing, for the
     * gradients told here and for the rest, and its result must not depend on whether or when
     * this was called (a replica whose loss was not finite skips its backward and tells nothing).
     * The default does nothing.
     */
    default void gradientsFinished(Parameters parameters, List<ParameterSpec> specs) {
    }

    /** The sum of {@code value} over the replicas (in rank order), the same double on every replica. */
    double sum(double value);

    /** One process, no one to share gradients with. */
    ReplicaGroup SINGLE = new ReplicaGroup() {
        @Override
        public int rank() {
            return 0;
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public double sum(Parameters parameters, double loss) {
            return loss;
        }

        @Override
        public double sum(double value) {
            return value;
        }
    };
}
