package org.gpt4j.finetune.instruct;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gpt4j.finetune.LengthGroupedBatches;
import org.gpt4j.finetune.LinearWarmupDecay;
import org.gpt4j.finetune.TaskDataException;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.GradientClipping;
import org.gpt4j.train.MetricsLog;
import org.gpt4j.train.TrainingDivergedException;

/**
 * Instruction tuning (supervised fine-tuning on conversations): epochs over the training
 * conversations rendered with the {@link ChatTemplate}, the language-modelling loss on the
 * assistant's tokens only (its end-of-turn token included, so the model learns to stop), in
 * right-padded batches of similar length; pre-training's AdamW (betas 0.9/0.999, decay on matrices
 * only), global-norm clipping, a linear warmup then linear decay, as GPT-1's fine-tuning. After
 * each epoch: the dev loss and the dev exact match ({@link InstructionEvaluator}), the model
 * saved to the output directory, and the epoch with the lowest dev loss also to {@code best/};
 * training stops early after {@code patience} epochs without a lower dev loss.
 */
public final class InstructionTuner {

    /** Progress callbacks, on the training thread. */
    public interface Listener {
        default void onStep(StepReport r) {
        }

        default void onEpoch(EpochReport r) {
        }
    }

    public record StepReport(long step, long steps, int epoch, double loss, double lr, double gradNorm, double seconds) {
    }

    public record EpochReport(int epoch, double trainLoss, double devLoss, InstructionEvaluator.ExactMatch dev,
            boolean best, double seconds) {
    }

    /**
     * @param devLoss          the best epoch's dev loss (the model in {@code best/})
     * @param devExactMatch    the best epoch's dev exact match
     * @param lastDevExactMatch the last epoch's (the model in the output directory itself)
     */
    public record Summary(double devLoss, double devExactMatch, int bestEpoch, double lastDevLoss,
            double lastDevExactMatch, int epochs, long steps, double seconds, boolean stoppedEarly) {
    }

    public static final String BEST = "best";

    private final InstructionModel model;
    private final InstructionOptions o;
    private final Path out;

    public InstructionTuner(InstructionModel model, InstructionOptions options, Path out) {
        this.model = model;
        this.o = options;
        this.out = out;
    }

    /**
     * Renders a data set with the template.
     *
     * @throws TaskDataException naming the file and line of a conversation longer than
     *         {@code maxLength} tokens or with a character the tokenizer cannot encode
     */
    public static List<ChatTemplate.Rendered> render(ChatTemplate template, Path file, List<InstructionExample> examples,
            int maxLength) throws TaskDataException {
        List<ChatTemplate.Rendered> out = new ArrayList<>(examples.size());
        for (InstructionExample e : examples) {
            ChatTemplate.Rendered r;
            try {
                r = template.render(e.messages());
            } catch (IllegalArgumentException ex) {
                throw new TaskDataException(file, e.line(), ex.getMessage());
            }
            if (r.tokens().length > maxLength) {
                throw new TaskDataException(file, e.line(), "the conversation is " + r.tokens().length
                        + " tokens with the chat template, more than the " + maxLength + " the model reads (--max-length,"
                        + " at most n_positions); shorten or remove it");
            }
            out.add(r);
        }
        return out;
    }

    public Summary run(Path trainFile, List<InstructionExample> train, Path devFile, List<InstructionExample> dev,
            Listener listener) throws IOException {
        long start = System.nanoTime();
        Gpt gpt = model.gpt();
        ChatTemplate template = model.template();
        List<ChatTemplate.Rendered> trainSeqs = render(template, trainFile, train, o.maxLength());
        List<ChatTemplate.Rendered> devSeqs = render(template, devFile, dev, o.maxLength());
        int[] lengths = trainSeqs.stream().mapToInt(r -> r.tokens().length).toArray();
        int perEpoch = (trainSeqs.size() + o.batch() - 1) / o.batch();
        long total = (long) perEpoch * o.epochs();
        LinearWarmupDecay schedule = new LinearWarmupDecay(o.lr(), (int) Math.round(o.warmupFraction() * total), (int) total);
        AdamW optimizer = new AdamW(gpt.parameters(), 0.9, 0.999, AdamW.DEFAULT_EPS, o.weightDecay());
        double bestLoss = Double.POSITIVE_INFINITY;
        double bestExact = Double.NaN;
        double lastLoss = Double.NaN;
        double lastExact = Double.NaN;
        int bestEpoch = 0;
        int epochsRun = 0;
        boolean stoppedEarly = false;
        long step = 0;
        try (MetricsLog metrics = MetricsLog.open(Files.createDirectories(out), 0)) {
            for (int epoch = 1; epoch <= o.epochs(); epoch++) {
                double lossSum = 0;
                long lossCount = 0;
                for (int[] idx : LengthGroupedBatches.of(lengths, o.batch(), o.seed(), epoch)) {
                    List<ChatTemplate.Rendered> seqs = new ArrayList<>(idx.length);
                    for (int i : idx) {
                        seqs.add(trainSeqs.get(i));
                    }
                    InstructionBatch b = InstructionBatch.of(seqs, template.end());
                    double lr = schedule.at(step);
                    step++;
                    gpt.setTraining(true, o.seed());
                    gpt.parameters().zeroGrad();
                    ForwardResult r = gpt.forward(b.tokens(), b.targets(), b.batch(), b.length());
                    if (!Double.isFinite(r.loss())) {
                        throw diverged(step, "the loss is " + r.loss());
                    }
                    gpt.backward();
                    double norm = GradientClipping.clip(o.clip(), gpt.parameters());
                    if (!Double.isFinite(norm)) {
                        throw diverged(step, "the gradient norm is " + norm);
                    }
                    optimizer.step(lr);
                    // The epoch's train loss weighs every assistant token alike, as the dev loss does.
                    lossSum += (double) r.loss() * r.counted();
                    lossCount += r.counted();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    ObjectNode line = MetricsLog.record("step", step);
                    line.put("epoch", epoch).put("loss", r.loss()).put("lr", lr).put("grad_norm", norm)
                            .put("response_tokens", r.counted()).put("seconds", seconds);
                    metrics.write(line);
                    listener.onStep(new StepReport(step, total, epoch, r.loss(), lr, norm, seconds));
                }
                epochsRun = epoch;
                double devLoss = InstructionEvaluator.loss(gpt, devSeqs, o.batch(), template.end());
                InstructionEvaluator.ExactMatch em = InstructionEvaluator.exactMatch(gpt, template.tokenizer(), template, dev);
                lastLoss = devLoss;
                lastExact = em.exactMatch();
                boolean best = devLoss < bestLoss;
                InstructionModelDirectory.save(model, out);
                if (best) {
                    bestLoss = devLoss;
                    bestExact = em.exactMatch();
                    bestEpoch = epoch;
                    InstructionModelDirectory.save(model, out.resolve(BEST));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double trainLoss = lossSum / lossCount;
                ObjectNode ev = MetricsLog.record("eval", step);
                // val_loss repeats dev_loss under the name loss.png and the studio read from pre-training.
                ev.put("epoch", epoch).put("train_loss", trainLoss).put("dev_loss", devLoss).put("val_loss", devLoss)
                        .put("dev_exact_match", em.exactMatch()).put("best", best).put("seconds", seconds);
                metrics.write(ev);
                listener.onEpoch(new EpochReport(epoch, trainLoss, devLoss, em, best, seconds));
                if (o.patience() > 0 && epoch - bestEpoch >= o.patience() && epoch < o.epochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        return new Summary(bestLoss, bestExact, bestEpoch, lastLoss, lastExact, epochsRun, step,
                (System.nanoTime() - start) / 1e9, stoppedEarly);
    }

    private static TrainingDivergedException diverged(long step, String what) {
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "instruction tuning diverged at step %d: %s; stopped (try a lower --lr)", step, what));
    }
}
