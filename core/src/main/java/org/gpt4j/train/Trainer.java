package org.gpt4j.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.gpt4j.model.ActivationFootprint;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.HeapBudget;
import org.gpt4j.model.ParameterLayout;

/**
 * The pre-training loop: each step draws its micro-batches from (seed, step), runs a
 * {@link TrainingStep} at the schedule's rate, and logs to {@code metrics.jsonl}; every
 * {@code eval-every} steps and at the end it measures train and validation loss over fixed
 * batches, prints a sample, and checkpoints (last, and best-val into {@code best/}). Stops cleanly
 * after the current step when {@link #requestStop()} is called (Ctrl-C), saving first.
 *
 * <p>As one replica of a {@link ReplicaGroup} ({@link #inGroup}) it computes its share of each
 * step's micro-batches (numbers rank·A .. (rank+1)·A − 1 of the step, with the dropout masks one
 * process would draw for them), and only replica 0 evaluates and writes metrics and checkpoints.
 */
public final class Trainer {

    /** Writes what a model directory needs beside the weights (the tokenizer). */
    @FunctionalInterface
    public interface ModelFiles {
        void writeInto(Path modelDir) throws IOException;
    }

    /** Progress callbacks, called on the training thread. */
    public interface Listener {
        default void onStep(StepReport report) {
        }

        /**
         * An evaluation begins after {@code step}: {@code batches} forward passes (train and
         * validation batches), then the sample and the checkpoint.
         */
        default void onEvaluationStart(long step, int batches) {
        }

        /** {@code done} of the evaluation's {@code batches} are evaluated. */
        default void onEvaluationProgress(int done, int batches) {
        }

        default void onEvaluation(EvalReport report) {
        }
    }

    public record StepReport(long step, long steps, double loss, double lr, double gradNorm, double tokensPerSecond,
            double seconds) {
    }

    public record EvalReport(long step, double trainLoss, double valLoss, boolean best, String sample) {
    }

    /**
     * The run's outcome. Losses are the last evaluation's (NaN if none ran); tokens per second
     * counts training steps only, seconds the whole run.
     */
    public record Summary(long steps, double trainLoss, double valLoss, double bestValLoss, long tokens,
            double tokensPerSecond, double seconds, boolean stopped) {
    }

    private static final double SAMPLE_TEMPERATURE = 0.8;
    static final int TRAIN_EVAL_BATCHES = 10;

    private final Gpt gpt;
    private final AdamW adamw;
    private final TokenDataset data;
    private final Path dir;
    private final Function<int[], String> decoder;
    private final ModelFiles modelFiles;
    private TrainingState state;
    private ReplicaGroup group = ReplicaGroup.SINGLE;
    private volatile boolean stopRequested;
    private long stopAfter = Long.MAX_VALUE;

    /**
     * @param state the state to continue from (step 0 for a fresh run); its options drive the run
     * @param decoder turns ids into text for samples
     */
    public Trainer(Gpt gpt, AdamW adamw, TokenDataset data, Path dir, TrainingState state,
            Function<int[], String> decoder, ModelFiles modelFiles) {
        this.gpt = gpt;
        this.adamw = adamw;
        this.data = data;
        this.dir = dir;
        this.state = state;
        this.decoder = decoder;
        this.modelFiles = modelFiles;
        data.requireWindows(state.options().context(), "the corpus");
    }

    /**
     * Makes this trainer one replica of {@code g}, which must be as large as the run's
     * {@code workers}; returns it.
     */
    public Trainer inGroup(ReplicaGroup g) {
        if (g.size() != state.options().workers()) {
            throw new IllegalArgumentException(dir + " trains on " + state.options().workers() + " workers, not "
                    + g.size());
        }
        this.group = g;
        return this;
    }

    /**
     * Writes the model files and the current state as the run's checkpoint without training: how
     * a run to be trained elsewhere (on a cluster) starts, so every replica loads the same weights.
     */
    public void saveCheckpoint() throws IOException {
        java.nio.file.Files.createDirectories(dir);
        modelFiles.writeInto(dir);
        Checkpoint.save(dir, gpt, adamw, state);
    }

    /** Asks the loop to stop after the step in progress (it saves a checkpoint first). Thread-safe. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Ends {@link #run} after step {@code step} as Ctrl-C would (a checkpoint saved, the summary
     * marked stopped) while the schedule still runs to its last step: a long run spread over
     * sessions, each continuing with --resume.
     */
    public Trainer stopAfter(long step) {
        this.stopAfter = step;
        return this;
    }

    public TrainingState state() {
        return state;
    }

    /**
     * What training holds in memory: the fp32 weights with their gradients and AdamW's two
     * moments ({@code parameterState}), and one micro-batch's activations, which grow with
     * batch x context (and with its square through attention). Bytes; saturated at 2^63.
     */
    public record MemoryNeeds(long parameterState, long activations) {

        /**
         * Refuses, before the first step, a micro-batch the heap cannot hold. The weights and
         * AdamW's moments are allocated by then; the steps add a gradient per parameter and the
         * activations. Without this a batch too large fails minutes later, in the first backward.
         */
        public void require(TrainingOptions o) {
            long gradients = parameterState / 4;
            HeapBudget.require(activations > Long.MAX_VALUE - gradients ? Long.MAX_VALUE : gradients + activations,
                    String.format(Locale.ROOT, "training at --batch %d x --context %d (the gradients and one batch's"
                            + " activations)", o.batch(), o.context()),
                    "use a smaller --batch (--grad-accum N keeps the tokens per step)");
        }

        /** Four copies of {@code parameters} f32 values: weights, gradients and two moments. */
        static long parameterState(long parameters) {
            return parameters > Long.MAX_VALUE / (4 * Float.BYTES) ? Long.MAX_VALUE : 4L * Float.BYTES * parameters;
        }
    }

    public MemoryNeeds memoryNeeds() {
        TrainingOptions o = state.options();
        return new MemoryNeeds(MemoryNeeds.parameterState(ParameterLayout.parameterCount(gpt.config())),
                ActivationFootprint.trainingBytes(gpt.config(), o.batch(), o.context()));
    }

    public Summary run(Listener listener) throws IOException {
        TrainingOptions o = state.options();
        if (o.workers() != group.size()) {
            throw new IllegalArgumentException(dir + " was trained on " + o.workers() + " Spark workers: continue it with"
                    + " train --resume " + dir + " --spark MASTER --workers " + o.workers());
        }
        memoryNeeds().require(o);
        boolean writer = group.rank() == 0;
        long startNanos = System.nanoTime();
        long trainNanos = 0;
        long tokens = 0;
        double trainLoss = Double.NaN;
        double valLoss = Double.NaN;
        boolean stopped = false;
        List<Batch> valBatches = o.evalBatches() == 0
                ? TokenDataset.covering(data.validation(), o.batch(), o.context())
                : data.fixedBatches(data.validation(), o.seed(), o.evalBatches(), o.batch(), o.context());
        // The train loss only shows over-fitting, so a sample of the train split is enough: as many
        // batches as --eval-batches, or at most TRAIN_EVAL_BATCHES when the whole validation split is read.
        int trainCount = o.evalBatches() > 0 ? o.evalBatches() : Math.min(valBatches.size(), TRAIN_EVAL_BATCHES);
        List<Batch> trainBatches = data.fixedBatches(data.train(), o.seed(), trainCount, o.batch(), o.context());
        TrainingStep trainingStep = new TrainingStep(gpt, adamw, o.clip(), group);
        LearningRateSchedule schedule = o.schedule();
        java.nio.file.Files.createDirectories(dir);
        if (state.step() == 0 && writer) {
            modelFiles.writeInto(dir);
        }
        // One step draws micro-batches 0 .. A·N − 1; this replica's are first .. first + A − 1.
        int first = group.rank() * o.gradAccum();
        long perStep = (long) o.gradAccum() * group.size();
        try (MetricsLog metrics = writer ? MetricsLog.open(dir, state.step()) : null) {
            for (long step = state.step() + 1; step <= o.steps(); step++) {
                gpt.setTraining(true, o.seed());
                List<Batch> micro = new ArrayList<>(o.gradAccum());
                for (int m = first; m < first + o.gradAccum(); m++) {
                    micro.add(data.trainBatch(o.seed(), step, m, o.batch(), o.context()));
                }
                double lr = schedule.at((int) (step - 1));
                long t0 = System.nanoTime();
                TrainingStep.Result r = trainingStep.run(micro, lr, (step - 1) * perStep + first);
                trainNanos += System.nanoTime() - t0;
                if (!r.applied()) {
                    throw diverged(step, Double.isFinite(r.loss()) ? "the gradient norm is " + r.gradNorm()
                            : "the loss is " + r.loss());
                }
                tokens += o.tokensPerStep();
                double tps = tokens / (trainNanos / 1e9);
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                if (!writer) {
                    // Evaluation and checkpoints are replica 0's: the others go on to the next step.
                    state = state.withStep(step);
                    continue;
                }
                ObjectNode line = MetricsLog.record("step", step);
                line.put("loss", r.loss()).put("lr", lr).put("grad_norm", r.gradNorm()).put("tokens_per_second", tps)
                        .put("seconds", seconds);
                metrics.write(line);
                listener.onStep(new StepReport(step, o.steps(), r.loss(), lr, r.gradNorm(), tps, seconds));

                boolean evaluate = step % o.evalEvery() == 0 || step == o.steps();
                if (evaluate) {
                    int evalBatches = trainBatches.size() + valBatches.size();
                    listener.onEvaluationStart(step, evalBatches);
                    trainLoss = Evaluator.meanLoss(gpt, trainBatches, done -> listener.onEvaluationProgress(done, evalBatches));
                    valLoss = Evaluator.meanLoss(gpt, valBatches,
                            done -> listener.onEvaluationProgress(trainBatches.size() + done, evalBatches));
                    if (!Double.isFinite(valLoss) || !Double.isFinite(trainLoss)) {
                        throw diverged(step, "the evaluation loss is " + (Double.isFinite(valLoss) ? trainLoss : valLoss));
                    }
                    boolean best = !(valLoss >= state.bestValLoss());
                    String sample = sample(step);
                    state = state.withStep(step);
                    if (best) {
                        Checkpoint.saveBest(dir, gpt);
                        modelFiles.writeInto(dir.resolve(Checkpoint.BEST));
                        state = state.withBest(valLoss, step);
                    }
                    Checkpoint.save(dir, gpt, adamw, state);
                    ObjectNode ev = MetricsLog.record("eval", step);
                    ev.put("train_loss", trainLoss).put("val_loss", valLoss).put("best", best).put("sample", sample);
                    metrics.write(ev);
                    listener.onEvaluation(new EvalReport(step, trainLoss, valLoss, best, sample));
                }
                if ((stopRequested || step >= stopAfter) && step < o.steps()) {
                    if (!evaluate) {
                        state = state.withStep(step);
                        Checkpoint.save(dir, gpt, adamw, state);
                    }
                    stopped = true;
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Summary(state.step(), trainLoss, valLoss, state.bestValLoss(), tokens,
                trainNanos == 0 ? 0 : tokens / (trainNanos / 1e9), seconds, stopped);
    }

    private String sample(long step) {
        TrainingOptions o = state.options();
        if (o.sampleTokens() == 0) {
            return "";
        }
        int[] prompt = {data.validation().get(0)};
        int[] ids = Sampler.sample(gpt, prompt, o.sampleTokens(), SAMPLE_TEMPERATURE, TokenDataset.mix(o.seed(), step));
        int[] all = new int[ids.length + 1];
        all[0] = prompt[0];
        System.arraycopy(ids, 0, all, 1, ids.length);
        return decoder.apply(all);
    }

    private TrainingDivergedException diverged(long step, String what) {
        String kept = state.step() > 0
                ? "the last good checkpoint (step " + state.step() + ") is kept in " + dir
                : "no checkpoint had been written yet";
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "training diverged at step %d: %s; stopped, and %s (try a lower --lr or a longer --warmup)",
                step, what, kept));
    }
}
