package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What every fine-tuning command shows of a run in epochs, as {@link TrainProgress} does for
 * {@code train}: a progress bar on a terminal, otherwise a line every 5% of the steps;
 * {@code --json}: one object per epoch and no step lines. After each epoch the run's loss.png is
 * redrawn. Subclasses say what a step's line and an epoch's report hold.
 */
abstract class EpochProgress implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String task;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean terminal;
    private final Path dir;
    private ProgressBar bar;

    EpochProgress(String task, PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir) {
        this.task = task;
        this.out = out;
        this.err = err;
        this.json = json;
        this.terminal = terminal;
        this.dir = dir;
    }

    /** Step {@code step} of {@code steps} done: the bar moves, or every 5% {@code line} is printed. */
    final void step(long step, long steps, int epoch, double loss, Supplier<String> line) {
        if (bar == null && terminal && !json) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).continuousUpdate().build();
        }
        long lineEvery = Math.max(1, steps / 20);
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d  loss %.4f", epoch, loss));
        } else if (!json && (step % lineEvery == 0 || step == steps)) {
            out.println(line.get());
            out.flush();
        }
    }

    /** An epoch's report: {@code fields} filled into a JSON object with {@code --json}, else {@code text}. */
    final void epoch(Consumer<ObjectNode> fields, Supplier<String> text) {
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            fields.accept(n);
            out.println(n);
        } else {
            TrainProgress.printAboveBar(text.get(), bar, out, err);
        }
        out.flush();
        TrainProgress.redrawLossCurve(dir, err);
    }

    @Override
    public final void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
