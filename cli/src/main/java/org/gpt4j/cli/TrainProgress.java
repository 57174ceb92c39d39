package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gpt4j.train.Trainer;

/**
 * How {@code train} shows a run: a progress bar (step, loss, tok/s, ETA) when stderr is a terminal;
 * otherwise a line every few percent; with {@code --json} one JSON object per evaluation on stdout
 * and nothing else. Redraws loss.png after each evaluation.
 */
final class TrainProgress implements Trainer.Listener, AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final Path dir;
    private final long steps;
    private final ProgressBar bar;
    private final long lineEvery;
    private double lastTokensPerSecond;
    private double lastSeconds;

    TrainProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir, long startStep, long steps) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.dir = dir;
        this.steps = steps;
        this.lineEvery = Math.max(1, steps / 20);
        this.bar = terminal && !json
                ? new ProgressBarBuilder().setTaskName("train").setInitialMax(steps).startsFrom(startStep, Duration.ZERO)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build()
                : null;
    }

    /** True when the user watches: a terminal on both standard streams. */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public void onStep(Trainer.StepReport r) {
        lastTokensPerSecond = r.tokensPerSecond();
        lastSeconds = r.seconds();
        if (bar != null) {
            bar.stepTo(r.step());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f  %s tok/s", r.loss(), kilo(r.tokensPerSecond())));
        } else if (!json && (r.step() % lineEvery == 0 || r.step() == steps)) {
            out.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  grad norm %.2f  %s tok/s  %.0f s%n", r.step(), steps,
                    r.loss(), r.lr(), r.gradNorm(), kilo(r.tokensPerSecond()), r.seconds());
            out.flush();
        }
    }

    @Override
    public void onEvaluation(Trainer.EvalReport r) {
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("step", r.step());
            n.put("train_loss", r.trainLoss());
            n.put("val_loss", r.valLoss());
            n.put("best", r.best());
            n.put("tokens_per_second", lastTokensPerSecond);
            n.put("seconds", lastSeconds);
            n.put("sample", r.sample());
            out.println(n);
        } else {
            String text = String.format(Locale.ROOT, "step %d: train loss %.4f, val loss %.4f%s%n  sample: %s",
                    r.step(), r.trainLoss(), r.valLoss(), r.best() ? " (best so far, saved to best/)" : "",
                    r.sample().replace("\n", "\n          "));
            printAboveBar(text, bar, out, err);
        }
        out.flush();
        redrawLossCurve(dir, err);
    }

    /** An evaluation line: above a live progress bar on stderr, else on stdout. */
    static void printAboveBar(String text, ProgressBar bar, PrintWriter out, PrintWriter err) {
        if (bar != null) {
            err.print("\r\033[K");
            err.println(text);
            err.flush();
        } else {
            out.println(text);
        }
    }

    /** Redraws the run's loss.png; a failure to draw is a warning, never the end of a run. */
    static void redrawLossCurve(Path dir, PrintWriter err) {
        try {
            LossCurvePlot.write(dir);
        } catch (Exception | Error e) {
            err.println("warning: could not draw " + LossCurvePlot.FILE + ": " + UserErrorHandler.messageOf(e));
            err.flush();
        }
    }

    static String kilo(double x) {
        return x >= 1000 ? String.format(Locale.ROOT, "%.1fk", x / 1000) : String.format(Locale.ROOT, "%.0f", x);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
