package org.gpt4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.gpt4j.train.MetricsLog;
import org.gpt4j.train.Trainer;

/**
 * Shows on the driver what replica 0 writes on an executor: polls the run's {@code metrics.jsonl}
 * and replays each new step and evaluation line to a {@link Trainer.Listener} (the same progress
 * lines and loss curve {@code train} prints). A resumed attempt rewrites the file from its
 * checkpoint's step; lines already shown are not shown again.
 */
final class MetricsFollower implements AutoCloseable {

    private static final long POLL_MILLIS = 250;

    private final Path file;
    private final Trainer.Listener listener;
    private final Thread thread;
    private final long steps;
    private long lastStep;
    private long lastEval;
    private volatile boolean running = true;

    MetricsFollower(Path dir, long fromStep, long steps, Trainer.Listener listener) {
        this.file = dir.resolve(MetricsLog.FILE);
        this.steps = steps;
        this.listener = listener;
        this.lastStep = fromStep;
        this.lastEval = fromStep;
        this.thread = new Thread(this::follow, "gpt4j-metrics-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        while (running) {
            poll();
            // Parked, not asleep: close() wakes it with unpark, never with an interrupt, which
            // would break the loss curve being written at that moment (an interrupted file channel
            // closes itself) and leave the run without its loss.png.
            LockSupport.parkNanos(POLL_MILLIS * 1_000_000L);
        }
    }

    /** Replays the lines past those shown; a file being rewritten is read at the next poll. */
    private synchronized void poll() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            for (JsonNode n : MetricsLog.read(file)) {
                long step = n.path("step").asLong();
                String type = n.path("type").asText();
                if (type.equals("step") && step > lastStep) {
                    lastStep = step;
                    listener.onStep(new Trainer.StepReport(step, steps, n.path("loss").asDouble(),
                            n.path("lr").asDouble(), n.path("grad_norm").asDouble(), n.path("tokens_per_second").asDouble(),
                            n.path("seconds").asDouble()));
                } else if (type.equals("eval") && step > lastEval && step <= lastStep) {
                    lastEval = step;
                    listener.onEvaluation(new Trainer.EvalReport(step, n.path("train_loss").asDouble(),
                            n.path("val_loss").asDouble(), n.path("best").asBoolean(), n.path("sample").asText()));
                }
            }
        } catch (IOException e) {
            // replaced under us (a resumed attempt rewrites it): read again at the next poll
        }
    }

    /** Stops following after showing every line written so far. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join();
        poll();
    }
}
