package org.gpt4j.rl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.gpt4j.train.MetricsLog;

/**
 * Writes a language-model PPO run's {@code metrics.jsonl} (training's {@link MetricsLog} file and
 * format): one {@code "type": "ppo"} line per step with the mean score, the KL to the reference,
 * beta, entropy, clip fraction, the losses, approx KL and speed, and one {@code "type": "sample"}
 * line per sample shown at an evaluation.
 */
public final class LmPpoMetricsLog implements AutoCloseable {

    /** The type of a step's line. */
    public static final String STEP = "ppo";

    private final MetricsLog log;

    private LmPpoMetricsLog(MetricsLog log) {
        this.log = log;
    }

    /** A new, empty log in {@code dir} (an earlier run's lines are dropped). */
    public static LmPpoMetricsLog create(Path dir) throws IOException {
        return new LmPpoMetricsLog(MetricsLog.open(dir, -1));
    }

    public void write(LmPpoTrainer.StepReport r) throws IOException {
        ObjectNode n = MetricsLog.record(STEP, r.step());
        n.put("score", r.meanScore());
        n.put("kl", r.kl());
        n.put("beta", r.beta());
        n.put("entropy", r.entropy());
        n.put("clip_fraction", r.clipFraction());
        n.put("value_loss", r.valueLoss());
        n.put("policy_loss", r.policyLoss());
        n.put("approx_kl", r.approxKl());
        n.put("mean_return", r.meanReturn());
        n.put("seconds", r.seconds());
        n.put("tokens_per_second", r.tokensPerSecond());
        log.write(n);
        for (LmPpoTrainer.Sample s : r.samples()) {
            ObjectNode m = MetricsLog.record("sample", r.step());
            m.put("prompt", s.prompt());
            m.put("response", s.response());
            m.put("score", s.score());
            log.write(m);
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
