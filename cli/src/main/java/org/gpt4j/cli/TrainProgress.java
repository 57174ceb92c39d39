package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gpt4j.train.Trainer;

/**
 * How {@code train} shows a run: a progress bar (step, loss, tok/s, ETA) when stderr is a terminal,
 * which says "evaluating k/n" (batches) while an evaluation runs; otherwise a line every 5% of the steps
 * and one when an evaluation starts; with {@code --json} one JSON object per evaluation on stdout
 * and nothing else. Redraws loss.png after each evaluation.
 *
 * <p>The ETA counts both kinds of work still to come: the remaining steps at the mean time of a
 * step so far, and the remaining evaluations at the time the last one took (an evaluation over the
 * whole validation split can take as long as a hundred steps).
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
    private final long evalEvery;
    private double lastTokensPerSecond;
    private double lastSeconds;
    private String lastStepMessage = "";

    // What the ETA is made of; the bar's thread reads it, so it is guarded by this.
    private long step;
    private long stepsTimed;
    private long stepNanos;
    private long lastEventNanos = System.nanoTime();
    private long evalStartNanos = -1;
    private int evalDone;
    private int evalBatches;
    private long lastEvalNanos = -1;

    TrainProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir, long startStep, long steps,
            long evalEvery) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.dir = dir;
        this.steps = steps;
        this.step = startStep;
        this.evalEvery = evalEvery;
        this.lineEvery = Math.max(1, steps / 20);
        this.bar = terminal && !json
                ? new ProgressBarBuilder().setTaskName("train").setInitialMax(steps).startsFrom(startStep, Duration.ZERO)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate()
                        .setEtaFunction(state -> eta()).build()
                : null;
    }

    /** The time still to go, once a step has been timed. */
    synchronized Optional<Duration> eta() {
        if (stepsTimed == 0) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        double nanos = (double) stepNanos / stepsTimed * (steps - step);
        long evaluations = evaluationsAfter(step);
        if (evalStartNanos >= 0) {
            long spent = now - evalStartNanos;
            // The evaluation under way: what is left of it, from its batches done so far.
            nanos += evalDone > 0 ? (double) spent * (evalBatches - evalDone) / evalDone
                    : Math.max(0, lastEvalNanos - spent);
        }
        if (lastEvalNanos > 0) {
            nanos += (double) lastEvalNanos * evaluations;
        }
        return Optional.of(Duration.ofNanos((long) nanos));
    }

    /** Evaluations still to come after {@code s}: every eval-every steps, and at the last step. */
    long evaluationsAfter(long s) {
        if (s >= steps) {
            return 0;
        }
        return steps / evalEvery - s / evalEvery + (steps % evalEvery != 0 ? 1 : 0);
    }

    /** True when the user watches: a terminal on both standard streams. */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public void onStep(Trainer.StepReport r) {
        synchronized (this) {
            long now = System.nanoTime();
            stepNanos += now - lastEventNanos;
            stepsTimed++;
            lastEventNanos = now;
            step = r.step();
        }
        lastTokensPerSecond = r.tokensPerSecond();
        lastSeconds = r.seconds();
        if (bar != null) {
            bar.stepTo(r.step());
            lastStepMessage = String.format(Locale.ROOT, " loss %.4f  %s tok/s", r.loss(), kilo(r.tokensPerSecond()));
            bar.setExtraMessage(lastStepMessage);
        } else if (!json && (r.step() % lineEvery == 0 || r.step() == steps)) {
            out.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.2e  grad norm %.2f  %s tok/s  %.0f s%s%n", r.step(), steps,
                    r.loss(), r.lr(), r.gradNorm(), kilo(r.tokensPerSecond()), r.seconds(),
                    r.step() < steps ? eta().map(d -> "  ETA " + duration(d)).orElse("") : "");
            out.flush();
        }
    }

    @Override
    public void onEvaluationStart(long atStep, int batches) {
        synchronized (this) {
            evalStartNanos = System.nanoTime();
            evalDone = 0;
            evalBatches = batches;
        }
        if (bar != null) {
            // Short: an 80-column terminal cuts the bar's message after about 20 characters.
            bar.setExtraMessage(" evaluating 0/" + batches);
        } else if (!json) {
            out.printf(Locale.ROOT, "step %d: evaluating (%d batches, then a sample and a checkpoint)...%n", atStep, batches);
            out.flush();
        }
    }

    @Override
    public void onEvaluationProgress(int done, int batches) {
        synchronized (this) {
            evalDone = done;
        }
        if (bar != null) {
            bar.setExtraMessage(" evaluating " + done + "/" + batches);
        }
    }

    @Override
    public void onEvaluation(Trainer.EvalReport r) {
        synchronized (this) {
            long now = System.nanoTime();
            if (evalStartNanos >= 0) {
                lastEvalNanos = now - evalStartNanos;
            }
            evalStartNanos = -1;
            lastEventNanos = now;
        }
        if (bar != null) {
            bar.setExtraMessage(lastStepMessage);
        }
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

    /** A line of the run's own (a BERT run's evaluation): above the bar, else on stdout. */
    void printAbove(String text) {
        printAboveBar(text, bar, out, err);
        out.flush();
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

    /** A duration as people read it: 42s, 3m05s, 1h02m. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
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

    /** A GPT run's closing line: "done: ..." (or where it stopped), or with --json the summary object. */
    static void printSummary(PrintWriter w, boolean json, Trainer.Summary s, Path dir) {
        if (json) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            putLoss(n, "val_loss", s.valLoss());
            putLoss(n, "train_loss", s.trainLoss());
            putLoss(n, "best_val_loss", s.bestValLoss());
            n.put("steps", s.steps());
            n.put("tokens", s.tokens());
            n.put("tokens_per_second", s.tokensPerSecond());
            n.put("seconds", s.seconds());
            n.put("stopped", s.stopped());
            n.put("out", dir.toString());
            w.println(n);
        } else if (s.stopped()) {
            w.printf(Locale.ROOT, "stopped after step %d; checkpoint saved in %s (continue with --resume %s)%n",
                    s.steps(), dir, dir);
        } else {
            w.printf(Locale.ROOT, "done: %d steps, val loss %.4f (best %.4f), train loss %.4f, %s tok/s, %.0f s; model in %s%n",
                    s.steps(), s.valLoss(), s.bestValLoss(), s.trainLoss(), kilo(s.tokensPerSecond()),
                    s.seconds(), dir);
        }
        w.flush();
    }

    /** A loss or accuracy as a JSON number, or null when it is not finite (not measured). */
    static void putLoss(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        } else {
            n.putNull(field);
        }
    }
}
