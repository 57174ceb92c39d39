package org.gpt4j.rl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.gpt4j.train.MetricsLog;

/**
 * Writes a PPO run's {@code metrics.jsonl} (the same file and format as training's
 * {@link MetricsLog}): {@code "type": "episode"} with its return and length at the global step it
 * ended, and {@code "type": "iteration"} with the update's losses, KL estimates, clip fraction and
 * explained variance and the mean return of the last 100 episodes.
 */
public final class PpoMetricsLog implements PpoTrainer.Listener, AutoCloseable {

    private final MetricsLog log;

    private PpoMetricsLog(MetricsLog log) {
        this.log = log;
    }

    /** A new, empty log in {@code dir} (an earlier run's lines are dropped). */
    public static PpoMetricsLog create(Path dir) throws IOException {
        return new PpoMetricsLog(MetricsLog.open(dir, -1));
    }

    @Override
    public void onEpisode(long globalStep, VectorCartPole.Episode episode) {
        ObjectNode n = MetricsLog.record("episode", globalStep);
        n.put("return", episode.episodeReturn());
        n.put("length", episode.length());
        write(n);
    }

    @Override
    public void onIteration(PpoTrainer.IterationReport r) {
        ObjectNode n = MetricsLog.record("iteration", r.globalStep());
        n.put("iteration", r.iteration());
        n.put("learning_rate", r.learningRate());
        n.put("policy_loss", r.policyLoss());
        n.put("value_loss", r.valueLoss());
        n.put("entropy", r.entropy());
        n.put("old_approx_kl", r.oldApproxKl());
        n.put("approx_kl", r.approxKl());
        n.put("clip_fraction", r.clipFraction());
        n.put("explained_variance", r.explainedVariance());
        n.put("episodes", r.episodes());
        n.put("mean_return", r.meanReturn());
        n.put("seconds", r.seconds());
        write(n);
    }

    private void write(ObjectNode n) {
        try {
            log.write(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
