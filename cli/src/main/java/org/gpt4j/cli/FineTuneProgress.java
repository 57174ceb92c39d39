package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.gpt4j.finetune.FineTuner;

/**
 * How {@code finetune} shows a GPT-1 task run ({@link EpochProgress}): each step's combined loss L3
 * with its task and LM parts; after each epoch the dev accuracy and macro-F1, or for a reward model
 * the pairwise accuracy.
 */
final class FineTuneProgress extends EpochProgress implements FineTuner.Listener {

    private final boolean pairwise;

    FineTuneProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir) {
        this(out, err, json, terminal, dir, false);
    }

    /**
     * {@code pairwise}: the dev accuracy is a reward model's pairwise accuracy (the gold is always
     * the chosen response, so macro-F1 says nothing and is not shown).
     */
    FineTuneProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir, boolean pairwise) {
        super("finetune", out, err, json, terminal, dir);
        this.pairwise = pairwise;
    }

    @Override
    public void onStep(FineTuner.StepReport r) {
        step(r.step(), r.steps(), r.epoch(), r.loss(), () -> String.format(Locale.ROOT,
                "step %d/%d  epoch %d  loss %.4f (task %.4f%s)  lr %.2e  grad norm %.2f  %.0f s",
                r.step(), r.steps(), r.epoch(), r.loss(), r.taskLoss(),
                Double.isNaN(r.lmLoss()) ? "" : String.format(Locale.ROOT, ", lm %.4f", r.lmLoss()), r.lr(), r.gradNorm(),
                r.seconds()));
    }

    @Override
    public void onEpoch(FineTuner.EpochReport r) {
        String saved = r.best() ? " (best so far, saved to best/)" : "";
        epoch(n -> {
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
        }, () -> pairwise
                ? String.format(Locale.ROOT, "epoch %d: train loss %.4f, dev pairwise accuracy %.4f%s", r.epoch(),
                        r.trainLoss(), r.dev().accuracy(), saved)
                : String.format(Locale.ROOT, "epoch %d: train loss %.4f, dev accuracy %.4f, macro-F1 %.4f%s",
                        r.epoch(), r.trainLoss(), r.dev().accuracy(), r.dev().macroF1(), saved));
    }
}
