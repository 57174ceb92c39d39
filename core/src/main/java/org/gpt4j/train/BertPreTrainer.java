package org.gpt4j.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.model.ActivationFootprint;
import org.gpt4j.model.BackwardListener;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertLayout;
import org.gpt4j.model.BertOutput;
import org.gpt4j.model.Parameters;

/**
 * BERT's pre-training loop: masked-LM + next-sentence prediction (or, {@code nsp} off, the MLM
 * alone as RoBERTa does) over sentence pairs made once from the corpus' documents, with the masks
 * drawn afresh for every batch (dynamic masking). Each step's micro-batches (their pairs and masks)
 * and dropout derive from (seed, step), so a resumed run takes exactly the steps of an uninterrupted
 * one. AdamW, the warmup-cosine schedule, clipping, {@code metrics.jsonl}, the generation
 * checkpoints and {@code best/} are the GPT {@link Trainer}'s; the metrics are BERT's: MLM loss,
 * MLM accuracy and NSP accuracy on held-out documents. As one replica of a {@link ReplicaGroup}
 * ({@link #inGroup}) it computes its share of each step's micro-batches, as the GPT trainer does.
 */
public final class BertPreTrainer {

    /** The masked share of tokens, BERT's 15%. */
    public static final double MASK_PROBABILITY = 0.15;
    /** At most this many validation batches are evaluated. */
    static final int MAX_EVAL_BATCHES = 50;

    /** Progress callbacks, on the training thread. */
    public interface Listener {
        default void onStep(StepReport report) {
        }

        default void onEvaluation(EvalReport report) {
        }
    }

    public record StepReport(long step, long steps, double loss, double mlmLoss, double nspLoss, double lr, double gradNorm,
            double tokensPerSecond) {
    }

    /** @param nspAccuracy NaN without next-sentence prediction */
    public record EvalReport(long step, double mlmLoss, double mlmAccuracy, double nspAccuracy, boolean best) {
    }

    public record Summary(long steps, EvalReport last, long tokens, double tokensPerSecond, boolean stopped) {
    }

    /** The special-token ids the data needs. */
    public record Vocabulary(int clsId, int sepId, int padId, int maskId, int[] specialIds) {
    }

    private final Bert bert;
    private final AdamW adamw;
    private final List<SentencePair> trainPairs;
    private final List<SentencePair> validationPairs;
    private final Vocabulary vocab;
    private final boolean nsp;
    private final Path dir;
    private final Trainer.ModelFiles modelFiles;
    private final MlmMasker masker;
    private TrainingState state;
    private ReplicaGroup group = ReplicaGroup.SINGLE;
    private volatile boolean stopRequested;
    private long stopAfter = Long.MAX_VALUE;

    public BertPreTrainer(Bert bert, AdamW adamw, BertCorpus corpus, Vocabulary vocab, boolean nsp, Path dir, TrainingState state,
            Trainer.ModelFiles modelFiles) {
        TrainingOptions o = state.options();
        NextSentencePairs pairs = new NextSentencePairs(vocab.clsId(), vocab.sepId(), o.context());
        this.trainPairs = pairs.pairs(corpus.train(), o.seed());
        this.validationPairs = pairs.pairs(corpus.validation(), TokenDataset.mix(o.seed(), -1));
        if (trainPairs.isEmpty() || validationPairs.isEmpty()) {
            throw new IllegalArgumentException("the corpus gives no " + (trainPairs.isEmpty() ? "training" : "validation")
                    + " sentence pairs: give more text");
        }
        this.bert = bert;
        this.adamw = adamw;
        this.vocab = vocab;
        this.nsp = nsp;
        this.dir = dir;
        this.state = state;
        this.modelFiles = modelFiles;
        this.masker = new MlmMasker(vocab.maskId(), bert.config().vocabSize(), vocab.specialIds(), MASK_PROBABILITY, o.seed());
    }

    /** The pairs training draws from (made once from the training documents). */
    public int trainPairCount() {
        return trainPairs.size();
    }

    /**
     * Makes this trainer one replica of {@code g} (synchronous data parallelism, as {@link
     * Trainer#inGroup}): of a step's micro-batches 0 .. A·N − 1 it computes r·A .. (r+1)·A − 1,
     * the group sums the gradients and losses, and replica 0 alone evaluates and writes. The run
     * must have been set up for {@code g.size()} workers.
     */
    public BertPreTrainer inGroup(ReplicaGroup g) {
        if (g.size() != state.options().workers()) {
            throw new IllegalArgumentException(dir + " trains on " + state.options().workers() + " workers, not " + g.size());
        }
        this.group = g;
        return this;
    }

    /**
     * Writes the model files and the current state as the run's checkpoint without training: how
     * a run to be trained elsewhere starts, so every replica loads the same weights.
     */
    public void saveCheckpoint() throws IOException {
        Files.createDirectories(dir);
        modelFiles.writeInto(dir);
        Checkpoint.save(dir, checkpointModel(), adamw, state);
    }

    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Ends {@link #run} after step {@code step} as Ctrl-C would (a checkpoint saved, the summary
     * marked stopped) while the schedule still runs to its last step: a long run spread over
     * sessions, each continuing with --resume.
     */
    public BertPreTrainer stopAfter(long step) {
        this.stopAfter = step;
        return this;
    }

    public TrainingState state() {
        return state;
    }

    /**
     * What pre-training holds (see {@link Trainer.MemoryNeeds}), with the masked-LM head counted
     * at the most targets a batch is likely to draw: 15% of batch x context plus six standard
     * deviations of that binomial draw.
     */
    public Trainer.MemoryNeeds memoryNeeds() {
        TrainingOptions o = state.options();
        long rows = (long) o.batch() * o.context();
        double likely = MASK_PROBABILITY * rows + 6 * Math.sqrt(rows * MASK_PROBABILITY * (1 - MASK_PROBABILITY));
        int positions = (int) Math.min(Math.min(rows, Integer.MAX_VALUE), Math.ceil(likely));
        return new Trainer.MemoryNeeds(Trainer.MemoryNeeds.parameterState(BertLayout.parameterCount(bert.config())),
                ActivationFootprint.bertTrainingBytes(bert.config(), o.batch(), o.context(), positions));
    }

    public Summary run(Listener listener) throws IOException {
        TrainingOptions o = state.options();
        if (o.workers() != group.size()) {
            throw new IllegalArgumentException(dir + " was trained on " + o.workers() + " workers: continue it with as many");
        }
        memoryNeeds().require(o);
        boolean writer = group.rank() == 0;
        Files.createDirectories(dir);
        if (state.step() == 0 && writer) {
            modelFiles.writeInto(dir);
        }
        // One step draws micro-batches 0 .. A·N − 1; this replica's are first .. first + A − 1.
        int first = group.rank() * o.gradAccum();
        long perStep = (long) o.gradAccum() * group.size();
        LearningRateSchedule schedule = o.schedule();
        long trainNanos = 0;
        long tokens = 0;
        EvalReport last = null;
        boolean stopped = false;
        try (MetricsLog metrics = writer ? MetricsLog.open(dir, state.step()) : null) {
            for (long step = state.step() + 1; step <= o.steps(); step++) {
                double lr = schedule.at((int) (step - 1));
                long t0 = System.nanoTime();
                bert.setTraining(true, o.seed());
                bert.parameters().zeroGrad();
                float scale = 1f / perStep;
                double loss = 0;
                double mlmLoss = 0;
                double nspLoss = 0;
                long stepTokens = 0;
                for (int m = first; m < first + o.gradAccum(); m++) {
                    long micro = (step - 1) * perStep + m;
                    BertBatch batch = trainBatch(step, m, micro);
                    bert.setForwardCount(micro);
                    BertOutput out = bert.forward(batch.input(), batch.mlmLabels(), batch.nspLabels());
                    if (!Double.isFinite(out.loss())) {
                        throw diverged(step, "the loss is " + out.loss());
                    }
                    loss += out.loss() / perStep;
                    mlmLoss += (out.mlmCounted() > 0 ? out.mlmLoss() : 0) / perStep;
                    nspLoss += (nsp ? out.nspLoss() : 0) / perStep;
                    stepTokens += realTokens(batch);
                    bert.backward(scale, m == first + o.gradAccum() - 1 && group.size() > 1
                            ? specs -> group.gradientsFinished(bert.parameters(), specs) : BackwardListener.NONE);
                }
                if (group.size() > 1) {
                    loss = group.sum(bert.parameters(), loss);
                    mlmLoss = group.sum(mlmLoss);
                    nspLoss = group.sum(nspLoss);
                    stepTokens = Math.round(group.sum(stepTokens));
                }
                tokens += stepTokens;
                double norm = GradientClipping.clip(bert.parameters(), o.clip());
                if (!Double.isFinite(norm)) {
                    throw diverged(step, "the gradient norm is " + norm);
                }
                adamw.step(lr);
                trainNanos += System.nanoTime() - t0;
                double tps = tokens / (trainNanos / 1e9);
                if (!writer) {
                    // Evaluation and checkpoints are replica 0's: the others go on to the next step.
                    state = state.withStep(step);
                    continue;
                }
                ObjectNode line = MetricsLog.record("step", step);
                line.put("loss", loss).put("mlm_loss", mlmLoss).put("lr", lr).put("grad_norm", norm).put("tokens_per_second", tps);
                if (nsp) {
                    line.put("nsp_loss", nspLoss);
                }
                metrics.write(line);
                listener.onStep(new StepReport(step, o.steps(), loss, mlmLoss, nsp ? nspLoss : Double.NaN, lr, norm, tps));
                boolean evaluate = step % o.evalEvery() == 0 || step == o.steps();
                if (evaluate) {
                    last = evaluate(step);
                    state = state.withStep(step);
                    if (last.best()) {
                        BertDirectory.save(bert, dir.resolve(Checkpoint.BEST));
                        modelFiles.writeInto(dir.resolve(Checkpoint.BEST));
                        state = state.withBest(last.mlmLoss(), step);
                    }
                    Checkpoint.save(dir, checkpointModel(), adamw, state);
                    ObjectNode ev = MetricsLog.record("eval", step);
                    ev.put("val_mlm_loss", last.mlmLoss()).put("mlm_accuracy", last.mlmAccuracy()).put("best", last.best());
                    if (nsp) {
                        ev.put("nsp_accuracy", last.nspAccuracy());
                    }
                    metrics.write(ev);
                    listener.onEvaluation(last);
                }
                if ((stopRequested || step >= stopAfter) && step < o.steps()) {
                    if (!evaluate) {
                        state = state.withStep(step);
                        Checkpoint.save(dir, checkpointModel(), adamw, state);
                    }
                    stopped = true;
                    break;
                }
            }
        }
        return new Summary(state.step(), last, tokens, trainNanos == 0 ? 0 : tokens / (trainNanos / 1e9), stopped);
    }

    /** Micro-batch {@code m} of {@code step}: B pairs drawn from (seed, step, m), masked for micro-batch number {@code micro}. */
    BertBatch trainBatch(long step, int m, long micro) {
        TrainingOptions o = state.options();
        SplittableRandom rng = new SplittableRandom(TokenDataset.mix(o.seed(), step, m));
        List<SentencePair> chosen = new ArrayList<>(o.batch());
        for (int i = 0; i < o.batch(); i++) {
            chosen.add(trainPairs.get(rng.nextInt(trainPairs.size())));
        }
        return BertBatch.of(chosen, longest(chosen), vocab.padId(), masker, micro, nsp);
    }

    /**
     * MLM loss (mean over masked tokens), MLM accuracy (argmax = the original token) and NSP
     * accuracy over fixed batches of the validation pairs, masked the same way at every evaluation.
     */
    EvalReport evaluate(long step) {
        TrainingOptions o = state.options();
        bert.setTraining(false, o.seed());
        double lossSum = 0;
        long masked = 0;
        long correct = 0;
        long nspCorrect = 0;
        long pairs = 0;
        int batches = o.evalBatches() > 0 ? o.evalBatches() : MAX_EVAL_BATCHES;
        for (int k = 0; k < batches && k * o.batch() < validationPairs.size(); k++) {
            List<SentencePair> chunk = validationPairs.subList(k * o.batch(), Math.min(validationPairs.size(), (k + 1) * o.batch()));
            MlmMasker fixed = new MlmMasker(vocab.maskId(), bert.config().vocabSize(), vocab.specialIds(), MASK_PROBABILITY,
                    TokenDataset.mix(o.seed(), -2));
            BertBatch batch = BertBatch.of(chunk, longest(chunk), vocab.padId(), fixed, k, nsp);
            BertOutput out = bert.forward(batch.input(), batch.mlmLabels(), batch.nspLabels());
            int v = out.vocabSize();
            int[] positions = out.mlmPositions();
            for (int i = 0; i < positions.length; i++) {
                correct += argmax(out.mlmLogits(), i * v, v) == batch.mlmLabels()[positions[i]] ? 1 : 0;
            }
            if (out.mlmCounted() > 0) {
                lossSum += (double) out.mlmLoss() * out.mlmCounted();
                masked += out.mlmCounted();
            }
            if (nsp) {
                for (int b = 0; b < chunk.size(); b++) {
                    nspCorrect += argmax(out.nspLogits(), 2 * b, 2) == batch.nspLabels()[b] ? 1 : 0;
                }
            }
            pairs += chunk.size();
        }
        double mlmLoss = masked == 0 ? Double.NaN : lossSum / masked;
        if (masked > 0 && !Double.isFinite(mlmLoss)) {
            throw diverged(step, "the validation MLM loss is " + mlmLoss);
        }
        double accuracy = masked == 0 ? Double.NaN : (double) correct / masked;
        boolean best = !(mlmLoss >= state.bestValLoss());
        return new EvalReport(step, mlmLoss, accuracy, nsp ? (double) nspCorrect / pairs : Double.NaN, best);
    }

    private Checkpoint.Model checkpointModel() {
        return new Checkpoint.Model() {
            @Override
            public Parameters parameters() {
                return bert.parameters();
            }

            @Override
            public void saveTo(Path d) throws IOException {
                BertDirectory.save(bert, d);
            }
        };
    }

    private static int longest(List<SentencePair> pairs) {
        int t = 1;
        for (SentencePair p : pairs) {
            t = Math.max(t, p.tokens().length);
        }
        return t;
    }

    private static long realTokens(BertBatch batch) {
        long n = 0;
        for (int m : batch.input().attentionMask()) {
            n += m;
        }
        return n;
    }

    private static int argmax(float[] x, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[offset + i] > x[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    private TrainingDivergedException diverged(long step, String what) {
        String kept = state.step() > 0 ? "the last good checkpoint (step " + state.step() + ") is kept in " + dir
                : "no checkpoint had been written yet";
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "training diverged at step %d: %s; stopped, and %s (try a lower --lr or a longer --warmup)", step, what, kept));
    }
}
