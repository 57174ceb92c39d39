package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.gpt4j.finetune.instruct.InstructionEvaluator;
import org.gpt4j.finetune.instruct.InstructionTuner;

/**
 * How {@code finetune --task instruction} shows a run ({@link EpochProgress}): each step's loss on
 * the assistant's tokens; after each epoch the dev loss, exact match and a few dev answers.
 */
final class InstructionTuneProgress extends EpochProgress implements InstructionTuner.Listener {

    /** Dev answers shown after each epoch (text mode). */
    static final int SHOWN = 3;

    InstructionTuneProgress(PrintWriter out, PrintWriter err, boolean json, boolean terminal, Path dir) {
        super("finetune", out, err, json, terminal, dir);
    }

    @Override
    public void onStep(InstructionTuner.StepReport r) {
        step(r.step(), r.steps(), r.epoch(), r.loss(), () -> String.format(Locale.ROOT,
                "step %d/%d  epoch %d  loss %.4f  lr %.2e  grad norm %.2f  %.0f s", r.step(), r.steps(), r.epoch(),
                r.loss(), r.lr(), r.gradNorm(), r.seconds()));
    }

    @Override
    public void onEpoch(InstructionTuner.EpochReport r) {
        epoch(n -> {
            n.put("epoch", r.epoch());
            n.put("train_loss", r.trainLoss());
            n.put("dev_loss", r.devLoss());
            n.put("dev_exact_match", r.dev().exactMatch());
            n.put("best", r.best());
            n.put("seconds", r.seconds());
        }, () -> {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "epoch %d: train loss %.4f, dev loss %.4f, dev exact match %.4f (%d of %d)%s", r.epoch(), r.trainLoss(),
                    r.devLoss(), r.dev().exactMatch(), Math.round(r.dev().exactMatch() * r.dev().n()), r.dev().n(),
                    r.best() ? " (best so far, saved to best/)" : ""));
            for (InstructionEvaluator.Prediction p : r.dev().predictions().subList(0, Math.min(SHOWN, r.dev().n()))) {
                text.append('\n').append(example(p));
            }
            return text.toString();
        });
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
}
