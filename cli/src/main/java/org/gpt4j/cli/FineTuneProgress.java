package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gpt4j.finetune.FineTuner;

/**
 * How {@code finetune} shows a run, as {@link TrainProgress} does for {@code train}: a progress bar
 * on a terminal, otherwise a line every few percent; {@code --json}: one object per epoch. Redraws
 * loss.png (each step's L3) after each epoch.
 */
final class FineTuneProgress implements FineTuner.Listener, AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean terminal;
    private final Path dir;
    private final boolean pairwise;
    private ProgressBar bar;
    private long lineEvery;

    FineTuneProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir) {
        this(out, err, json, terminal, dir, false);
    }

    /**
     * {@code pairwise}: the dev accuracy is a reward model's pairwise accuracy (the gold is always
     * the chosen response, so macro-F1 says nothing and is not shown).
     */
    FineTuneProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir, boolean pairwise) {
        this.pairwise = pairwise;
        this.out = out;
        this.err = err;
        this.json = json;
        this.terminal = terminal;
        this.dir = dir;
    }

    @Override
    public void onStep(FineTuner.StepReport r) {
        if (bar == null && terminal && !json) {
            bar = new ProgressBarBuilder().setTaskName("finetune").setInitialMax(r.steps()).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).continuousUpdate().build();
        }
        lineEvery = Math.max(1, r.steps() / 20);
        if (bar != null) {
            bar.stepTo(r.step());
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d  loss %.4f", r.epoch(), r.loss()));
        } else if (!json && (r.step() % lineEvery == 0 || r.step() == r.steps())) {
            out.printf(Locale.ROOT, "step %d/%d  epoch %d  loss %.4f (task %.4f%s)  lr %.2e  grad norm %.2f  %.0f s%n",
                    r.step(), r.steps(), r.epoch(), r.loss(), r.taskLoss(),
                    Double.isNaN(r.lmLoss()) ? "" : String.format(Locale.ROOT, ", lm %.4f", r.lmLoss()), r.lr(), r.gradNorm(),
                    r.seconds());
            out.flush();
        }
    }

    @Override
    public void onEpoch(FineTuner.EpochReport r) {
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("epoch", r.epoch());
            n.put("train_loss", r.trainLoss());
            if (pairwise) {
                n.put("dev_pairwise_accuracy", r.dev().accuracy());
            } else {
                n.put("dev_accuracy", r.dev().accuracy());
                n.put("dev_macro_f1", r.dev().macroF1());
            }
            n.put("best", r.best());
            n.put("seconds", r.seconds());
            out.println(n);
        } else {
            String text = pairwise
                    ? String.format(Locale.ROOT, "epoch %d: train loss %.4f, dev pairwise accuracy %.4f%s", r.epoch(),
                            r.trainLoss(), r.dev().accuracy(), r.best() ? " (best so far, saved to best/)" : "")
                    : String.format(Locale.ROOT, "epoch %d: train loss %.4f, dev accuracy %.4f, macro-F1 %.4f%s",
                            r.epoch(), r.trainLoss(), r.dev().accuracy(), r.dev().macroF1(),
                            r.best() ? " (best so far, saved to best/)" : "");
            TrainProgress.printAboveBar(text, bar, out, err);
        }
        out.flush();
        TrainProgress.redrawLossCurve(dir, err);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
