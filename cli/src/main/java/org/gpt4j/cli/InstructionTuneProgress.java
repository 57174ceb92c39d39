package org.gpt4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.gpt4j.finetune.instruct.InstructionEvaluator;
import org.gpt4j.finetune.instruct.InstructionTuner;

/**
 * How {@code finetune --task instruction} shows a run, as {@link FineTuneProgress} does for the
 * GPT-1 tasks: a progress bar on a terminal, otherwise a line every few percent; after each epoch
 * the dev loss, exact match and a few dev answers; {@code --json}: one object per epoch. Redraws
 * loss.png after each epoch.
 */
final class InstructionTuneProgress implements InstructionTuner.Listener, AutoCloseable {

    /** Dev answers shown after each epoch (text mode). */
    static final int SHOWN = 3;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean terminal;
    private final Path dir;
    private ProgressBar bar;

    InstructionTuneProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.terminal = terminal;
        this.dir = dir;
    }

    @Override
    public void onStep(InstructionTuner.StepReport r) {
        if (bar == null && terminal && !json) {
            bar = new ProgressBarBuilder().setTaskName("finetune").setInitialMax(r.steps()).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).continuousUpdate().build();
        }
        long lineEvery = Math.max(1, r.steps() / 20);
        if (bar != null) {
            bar.stepTo(r.step());
            bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d  loss %.4f", r.epoch(), r.loss()));
        } else if (!json && (r.step() % lineEvery == 0 || r.step() == r.steps())) {
            out.printf(Locale.ROOT, "step %d/%d  epoch %d  loss %.4f  lr %.2e  grad norm %.2f  %.0f s%n", r.step(),
                    r.steps(), r.epoch(), r.loss(), r.lr(), r.gradNorm(), r.seconds());
            out.flush();
        }
    }

    @Override
    public void onEpoch(InstructionTuner.EpochReport r) {
        if (json) {
            ObjectNode n = MAPPER.createObjectNode();
            n.put("epoch", r.epoch());
            n.put("train_loss", r.trainLoss());
            n.put("dev_loss", r.devLoss());
            n.put("dev_exact_match", r.dev().exactMatch());
            n.put("best", r.best());
            n.put("seconds", r.seconds());
            out.println(n);
        } else {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "epoch %d: train loss %.4f, dev loss %.4f, dev exact match %.4f (%d of %d)%s", r.epoch(), r.trainLoss(),
                    r.devLoss(), r.dev().exactMatch(), Math.round(r.dev().exactMatch() * r.dev().n()), r.dev().n(),
                    r.best() ? " (best so far, saved to best/)" : ""));
            for (InstructionEvaluator.Prediction p : r.dev().predictions().subList(0, Math.min(SHOWN, r.dev().n()))) {
                text.append('\n').append(example(p));
            }
            TrainProgress.printAboveBar(text.toString(), bar, out, err);
        }
        out.flush();
        TrainProgress.redrawLossCurve(dir, err);
    }

    /** One dev answer on one line: the last user message, the reply, and the expected answer when wrong. */
    static String example(InstructionEvaluator.Prediction p) {
        String asked = p.context().isEmpty() ? "" : p.context().getLast().content();
        return String.format(Locale.ROOT, "  %s %s -> %s%s", p.correct() ? "ok " : "bad", oneLine(asked),
                oneLine(p.generated()), p.correct() ? "" : "  (expected " + oneLine(p.expected()) + ")");
    }

    private static String oneLine(String s) {
        return '"' + s.replace("\n", "\\n") + '"';
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
