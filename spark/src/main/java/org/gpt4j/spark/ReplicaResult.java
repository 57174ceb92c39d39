package org.gpt4j.spark;

import java.io.Serializable;
import org.gpt4j.train.Trainer;

/**
 * What replica 0 sends back to the driver: its run summary and what the allreduce moved
 * (serialisable, unlike the core records).
 */
record ReplicaResult(long steps, double trainLoss, double valLoss, double bestValLoss, long tokens,
        double tokensPerSecond, double seconds, long allReduces, long bytesSent, long busyNanos, long hiddenNanos,
        long waitNanos)
        implements Serializable {

    static ReplicaResult of(Trainer.Summary s, GradientReducer.Stats ring) {
        return new ReplicaResult(s.steps(), s.trainLoss(), s.valLoss(), s.bestValLoss(), s.tokens(), s.tokensPerSecond(),
                s.seconds(), ring.steps(), ring.bytesSent(), ring.busyNanos(), ring.hiddenNanos(),
                ring.waitNanos());
    }

    Trainer.Summary summary() {
        return new Trainer.Summary(steps, trainLoss, valLoss, bestValLoss, tokens, tokensPerSecond, seconds, false);
    }

    GradientReducer.Stats ring() {
        return new GradientReducer.Stats(allReduces, bytesSent, busyNanos, hiddenNanos, waitNanos);
    }
}
