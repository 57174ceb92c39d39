package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.gpt4j.finetune.FineTuner;

/**
 * How {@code finetune} shows a GPT-1 task run ({@link EpochProgress}): each step's combined loss L3
 * with its task and LM parts; after each epoch the dev accuracy and macro-F1.
 */
final class FineTuneProgress extends EpochProgress implements FineTuner.Listener {

    FineTuneProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir) {
        super("finetune", out, err, json, terminal, dir);
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
        epoch(n -> {
            n.put("epoch", r.epoch());
            n.put("train_loss", r.trainLoss());
            n.put("dev_accuracy", r.dev().accuracy());
            n.put("dev_macro_f1", r.dev().macroF1());
            n.put("best", r.best());
            n.put("seconds", r.seconds());
        }, () -> String.format(Locale.ROOT, "epoch %d: train loss %.4f, dev accuracy %.4f, macro-F1 %.4f%s",
                r.epoch(), r.trainLoss(), r.dev().accuracy(), r.dev().macroF1(),
                r.best() ? " (best so far, saved to best/)" : ""));
    }
}
