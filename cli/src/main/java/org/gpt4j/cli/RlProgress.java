package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gpt4j.rl.PpoTrainer;

/**
 * How {@code rl cartpole} shows a run, as {@link TrainProgress} does for {@code train}: a progress
 * bar over the PPO iterations (with the mean return of the last 100 episodes) on a terminal,
 * otherwise a line every 5% of the iterations; nothing with {@code --json}. Redraws returns.png
 * at each line.
 */
final class RlProgress implements AutoCloseable {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final Path dir;
    private final long iterations;
    private final long lineEvery;
    private final ProgressBar bar;

    RlProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir, long iterations) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.dir = dir;
        this.iterations = iterations;
        this.lineEvery = Math.max(1, iterations / 20);
        this.bar = terminal && !json
                ? new ProgressBarBuilder().setTaskName("ppo").setInitialMax(iterations).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).continuousUpdate().build()
                : null;
    }

    void onIteration(PpoTrainer.IterationReport r) {
        if (bar != null) {
            bar.stepTo(r.iteration());
            bar.setExtraMessage(String.format(Locale.ROOT, " return %.1f", r.meanReturn()));
        } else if (!json && (r.iteration() % lineEvery == 0 || r.iteration() == iterations)) {
            out.printf(Locale.ROOT, "iteration %d/%d  step %d  episodes %d  mean return %.1f  policy loss %.4f  "
                            + "value loss %.3f  entropy %.3f  approx kl %.5f  clip %.3f  %.0f s%n",
                    r.iteration(), iterations, r.globalStep(), r.episodes(), r.meanReturn(), r.policyLoss(),
                    r.valueLoss(), r.entropy(), r.approxKl(), r.clipFraction(), r.seconds());
            out.flush();
        }
        if (r.iteration() % lineEvery == 0) {
            try {
                ReturnCurvePlot.write(dir);
            } catch (Exception | Error e) {
                err.println("warning: could not draw " + ReturnCurvePlot.FILE + ": " + UserErrorHandler.messageOf(e));
                err.flush();
            }
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
