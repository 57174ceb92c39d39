package org.gpt4j.finetune;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gpt4j.evaluate.ClassificationMetrics;
import org.gpt4j.model.HeapBudget;
import org.gpt4j.model.Parameters;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.train.AdamW;
import org.gpt4j.train.GradientClipping;
import org.gpt4j.train.MetricsLog;
import org.gpt4j.train.TrainingDivergedException;

/**
 * GPT-1's fine-tuning loop (BERT's too): epochs over the training examples in batches, L3 = L2 +
 * lambda L1, pre-training's AdamW (betas 0.9/0.999 as GPT-1's and BERT's Adam, decay on matrices
 * only) and global-norm clipping over the transformer and the head together, a linear warmup
 * then linear decay; after each epoch the dev accuracy, the model saved to the output directory,
 * the best epoch's also to {@code best/}, and early stopping after {@code patience} epochs
 * without a better dev accuracy.
 * What the steps update and how it is saved is a {@link TrainableWeights}: the whole model by
 * default, LoRA's adapters with org.gpt4j.finetune.lora.
 */
public final class FineTuner {

    /** Progress callbacks, on the training thread. */
    public interface Listener {
        default void onStep(StepReport r) {
        }

        default void onEpoch(EpochReport r) {
        }
    }

    public record StepReport(long step, long steps, int epoch, double loss, double taskLoss, double lmLoss, double lr,
            double gradNorm, double seconds) {
    }

    public record EpochReport(int epoch, double trainLoss, ClassificationMetrics dev, boolean best, double seconds) {
    }

    /**
     * @param devAccuracy the best epoch's dev accuracy (the model in {@code best/})
     * @param lastDevAccuracy the last epoch's (the model in the output directory itself)
     */
    public record Summary(double devAccuracy, double devMacroF1, int bestEpoch, double lastDevAccuracy, int epochs,
            long steps, double seconds, boolean stoppedEarly) {
    }

    static final String BEST = "best";

    private final SequenceClassifier model;
    private final Tokenizer tokenizer;
    private final FineTuneOptions o;
    private final Path out;
    private final TrainableWeights trainable;
    /** Each training example's group (examples of one group share a batch), or null. */
    private int[] groups;

    /** Full fine-tuning: every weight of the transformer and the head. */
    public FineTuner(SequenceClassifier model, Tokenizer tokenizer, FineTuneOptions options, Path out) {
        this(model, tokenizer, options, out, model == null ? null : TrainableWeights.all(model));
    }

    public FineTuner(SequenceClassifier model, Tokenizer tokenizer, FineTuneOptions options, Path out, TrainableWeights trainable) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.o = options;
        this.out = out;
        this.trainable = trainable;
    }

    /**
     * Keeps the training examples of each group in one batch (a reward model's comparisons from one
     * ranking, as InstructGPT batches them); {@code groups[i]} is example i's group. Without this,
     * examples are batched one by one.
     */
    public FineTuner keepingGroupsTogether(int[] groups) {
        this.groups = groups.clone();
        return this;
    }

    public Summary run(TaskDataset train, TaskDataset dev, Listener listener) throws IOException {
        long start = System.nanoTime();
        TaskEncoder encoder = new TaskEncoder(tokenizer, model, o.maxLength());
        List<int[][]> trainSeqs = encoder.encodeAll(train);
        List<int[][]> devSeqs = encoder.encodeAll(dev);
        int[] trainLengths = trainSeqs.stream().mapToInt(TaskPredictor::longest).toArray();
        int[] devGold = dev.examples().stream().mapToInt(TaskExample::label).toArray();
        requireMemory(trainSeqs, trainLengths);
        int perEpoch = (trainSeqs.size() + o.batch() - 1) / o.batch();
        long total = (long) perEpoch * o.epochs();
        LinearWarmupDecay schedule = new LinearWarmupDecay(o.lr(), (int) Math.round(o.warmupFraction() * total),
                (int) total);
        List<Parameters> trained = trainable.parameters();
        List<AdamW> optimizers = new ArrayList<>();
        for (Parameters p : trained) {
            optimizers.add(new AdamW(p, 0.9, 0.999, AdamW.DEFAULT_EPS, o.weightDecay()));
        }
        double bestAcc = -1;
        double bestF1 = Double.NaN;
        double lastAcc = Double.NaN;
        int bestEpoch = 0;
        int epochsRun = 0;
        boolean stoppedEarly = false;
        long step = 0;
        try (MetricsLog metrics = MetricsLog.open(java.nio.file.Files.createDirectories(out), 0)) {
            for (int epoch = 1; epoch <= o.epochs(); epoch++) {
                double lossSum = 0;
                int lossCount = 0;
                for (int[] idx : batches(trainLengths, epoch)) {
                    List<int[][]> seqs = new ArrayList<>(idx.length);
                    int[] labels = new int[idx.length];
                    for (int k = 0; k < idx.length; k++) {
                        seqs.add(trainSeqs.get(idx[k]));
                        labels[k] = train.examples().get(idx[k]).label();
                    }
                    double lr = schedule.at(step);
                    step++;
                    model.setTraining(true, o.seed());
                    model.zeroGrad();
                    trained.forEach(Parameters::zeroGrad);
                    SequenceClassifier.Losses l = model.forward(TaskBatch.ofExamples(seqs, labels, model.special().pad()), o.lmWeight());
                    if (!Double.isFinite(l.total())) {
                        throw diverged(step, "the loss is " + l.total());
                    }
                    model.backward(1f);
                    trainable.afterBackward();
                    double norm = GradientClipping.clip(o.clip(), trained.toArray(Parameters[]::new));
                    if (!Double.isFinite(norm)) {
                        throw diverged(step, "the gradient norm is " + norm);
                    }
                    for (AdamW opt : optimizers) {
                        opt.step(lr);
                    }
                    trainable.afterStep();
                    lossSum += l.total();
                    lossCount++;
                    double seconds = (System.nanoTime() - start) / 1e9;
                    ObjectNode line = MetricsLog.record("step", step);
                    line.put("epoch", epoch).put("loss", l.total()).put("task_loss", l.task()).put("lr", lr)
                            .put("grad_norm", norm).put("seconds", seconds);
                    if (o.lmWeight() != 0) {
                        line.put("lm_loss", l.lm());
                    }
                    metrics.write(line);
                    listener.onStep(new StepReport(step, total, epoch, l.total(), l.task(), l.lm(), lr, norm, seconds));
                }
                epochsRun = epoch;
                int[] predicted = TaskPredictor.argmax(TaskPredictor.probabilities(model, devSeqs, o.batch()));
                ClassificationMetrics m = ClassificationMetrics.of(devGold, predicted, model.labels().size());
                lastAcc = m.accuracy();
                boolean best = m.accuracy() > bestAcc;
                trainable.save(tokenizer, out);
                if (best) {
                    bestAcc = m.accuracy();
                    bestF1 = m.macroF1();
                    bestEpoch = epoch;
                    trainable.save(tokenizer, out.resolve(BEST));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                ObjectNode ev = MetricsLog.record("eval", step);
                ev.put("epoch", epoch).put("train_loss", lossSum / lossCount).put("dev_accuracy", m.accuracy())
                        .put("dev_macro_f1", m.macroF1()).put("best", best).put("seconds", seconds);
                metrics.write(ev);
                listener.onEpoch(new EpochReport(epoch, lossSum / lossCount, m, best, seconds));
                if (o.patience() > 0 && epoch - bestEpoch >= o.patience() && epoch < o.epochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        return new Summary(bestAcc, bestF1, bestEpoch, lastAcc, epochsRun, step, (System.nanoTime() - start) / 1e9,
                stoppedEarly);
    }

    /**
     * Refuses, before the first step and before anything is written, a batch the heap cannot hold:
     * {@code --batch} examples (more where a group kept together is larger) of the most sequences
     * any example has (multiple choice: one per option; similarity: both orders), all as long as
     * the longest (batches are grouped by length, so one of them comes close), with a gradient for
     * every trainable weight. Without this a batch too large fails minutes later, in its first
     * backward.
     */
    private void requireMemory(List<int[][]> seqs, int[] lengths) {
        int perExample = seqs.stream().mapToInt(s -> s.length).max().orElse(1);
        int longest = java.util.Arrays.stream(lengths).max().orElse(1);
        int examples = Math.max(Math.min(o.batch(), Math.max(1, seqs.size())),
                batches(lengths, 1).stream().mapToInt(b -> b.length).max().orElse(1));
        int sequences = (int) Math.min(Integer.MAX_VALUE, (long) examples * perExample);
        long activations = model.trainingActivationBytes(sequences, Math.max(1, longest));
        long gradients = trainable.count() * Float.BYTES;
        HeapBudget.require(activations > Long.MAX_VALUE - gradients ? Long.MAX_VALUE : activations + gradients,
                String.format(Locale.ROOT, "fine-tuning at --batch %d (%d sequences of up to %d tokens, their"
                        + " activations and the gradients)", o.batch(), sequences, longest),
                "use a smaller --batch or --max-length");
    }

    /**
     * One epoch's batches of example indices, examples grouped by length (an example's longest
     * sequence); see {@link LengthGroupedBatches}.
     */
    List<int[]> batches(int[] lengths, int epoch) {
        if (groups != null) {
            if (groups.length != lengths.length) {
                throw new IllegalArgumentException(groups.length + " groups for " + lengths.length + " training examples");
            }
            return LengthGroupedBatches.ofGroups(lengths, groups, o.batch(), o.seed(), epoch);
        }
        return LengthGroupedBatches.of(lengths, o.batch(), o.seed(), epoch);
    }

    private TrainingDivergedException diverged(long step, String what) {
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "fine-tuning diverged at step %d: %s; stopped (try a lower --lr)", step, what));
    }
}
