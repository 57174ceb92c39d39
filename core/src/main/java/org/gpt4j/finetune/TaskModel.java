package org.gpt4j.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.model.ActivationFootprint;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptInit;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.ElementwiseKernels;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * A GPT with GPT-1's task head: the one transformer forward over every sequence of the batch,
 * then the head on the final hidden state h of each sequence's extract token, combined as the
 * task's format says (GPT-1, Figure 1):
 *
 * <pre>
 *   classification, entailment   logits      = h W^T                    W [num_labels, n_embd]
 *   similarity                   logits      = (h_ab + h_ba) W^T        both orders, added
 *   multiple choice              logits[e,k] = h_(e,k) w^T              w [1, n_embd]: one score per
 *                                                                       option, a softmax over them
 * </pre>
 *
 * and GPT-1's objective (section 3.2)
 *
 * <pre>  L3 = L2 + lambda * L1</pre>
 *
 * with L2 the mean cross-entropy of the labels (multiple choice: of the gold options) over the
 * batch's examples and L1 the language-modelling loss on the same inputs (the mean over every
 * predicted token of every sequence; {@link TaskBatch} says which). The backward runs the head's
 * backward, hands its gradient at the extract positions to {@link Gpt#backward(float, float[])}
 * together with lambda, and so reaches every weight through the model's own backward.
 *
 * <p>Not thread-safe: it keeps the last forward's activations, as {@link Gpt} does.
 */
public final class TaskModel implements SequenceClassifier {

    private final Gpt gpt;
    private final ClassificationHead head;
    private final TaskFormat format;
    private final SpecialTokens special;
    private final LabelMap labels;

    // The last forward.
    private TaskBatch batch;
    private float lmWeight;
    private float[] extracted;
    private float[] headInput;
    private float[] logits;
    private final TaskLoss loss = new TaskLoss();

    public TaskModel(Gpt gpt, ClassificationHead head, TaskFormat format, SpecialTokens special, LabelMap labels) {
        format.requireHead(head, labels);
        special.requireInside(gpt.config().vocabSize());
        this.gpt = gpt;
        this.head = head;
        this.format = format;
        this.special = special;
        this.labels = labels;
    }

    /**
     * A base GPT made ready for fine-tuning: its vocabulary grows by the {@link SpecialTokens}
     * (new {@code wte} rows drawn N(0, 0.02), GPT-2's embedding initialisation; every other
     * weight copied), and a new head is drawn. The base model is left unchanged.
     */
    public static TaskModel fromBase(Gpt base, TaskFormat format, LabelMap labels, long seed) {
        int v0 = base.config().vocabSize();
        SplittableRandom rng = new SplittableRandom(seed);
        Gpt gpt = GptInit.withAddedTokens(base, SpecialTokens.COUNT, rng);
        ClassificationHead head = ClassificationHead.initialized(format.headRows(labels.size()), base.config().nEmbd(), rng.nextLong());
        return new TaskModel(gpt, head, format, SpecialTokens.appendedTo(v0), labels);
    }

    public Gpt gpt() {
        return gpt;
    }

    public ClassificationHead head() {
        return head;
    }

    @Override
    public TaskFormat format() {
        return format;
    }

    @Override
    public SpecialTokens special() {
        return special;
    }

    @Override
    public LabelMap labels() {
        return labels;
    }

    @Override
    public int context() {
        return gpt.config().nPositions();
    }

    /** The GPT's training footprint (its LM head always computes the logits) and the task head's d(hidden). */
    @Override
    public long trainingActivationBytes(int sequences, int length) {
        try {
            long dHidden = Math.multiplyExact((long) sequences * length, (long) gpt.config().nEmbd() * Float.BYTES);
            return Math.addExact(ActivationFootprint.trainingBytes(gpt.config(), sequences, length), dHidden);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }


    @Override
    public int[][] sequences(int[] text, List<int[]> second, int maxLength) {
        return format.sequences(text, second, special, maxLength);
    }

    @Override
    public void setTraining(boolean training, long seed) {
        gpt.setTraining(training, seed);
    }

    @Override
    public List<Parameters> parameters() {
        return List.of(gpt.parameters(), head.parameters());
    }

    @Override
    public void save(Tokenizer tokenizer, Path dir) throws IOException {
        TaskModelDirectory.save(this, tokenizer, dir);
    }

    /**
     * Task logits {@code [examples, K]} for the batch (K: the labels, or the options of multiple
     * choice) and, when it has labels, the losses.
     *
     * @param lmWeight lambda; 0 skips the LM loss (and its targets) entirely
     */
    @Override
    public Losses forward(TaskBatch b, double lmWeight) {
        int wanted = format.sumsSequences() ? 2 : 1;
        if (format.choices() ? b.group() < 2 : b.group() != wanted) {
            throw new IllegalArgumentException(format.configName() + " reads " + (format.choices() ? "at least 2"
                    : wanted) + " sequences per example, the batch has " + b.group());
        }
        this.batch = b;
        this.lmWeight = (float) lmWeight;
        int c = gpt.config().nEmbd();
        int examples = b.examples();
        ForwardResult r = gpt.forward(b.tokens(), lmWeight != 0 ? b.targets() : null, b.batch(), b.length());
        extracted = extractStates(b);
        int rows = b.batch();
        headInput = extracted;
        if (format.sumsSequences()) {
            // similarity: h_ab + h_ba, one row per example
            rows = examples;
            headInput = new float[examples * c];
            ElementwiseKernels.sumGroups(headInput, extracted, examples, b.group(), c);
        }
        // Multiple choice: the [B, 1] scores are, in memory, the [examples, N] logits.
        logits = new float[rows * head.labels()];
        head.forward(logits, headInput, rows);
        double task = loss.forward(logits, b.labels(), examples);
        double lm = lmWeight != 0 ? r.loss() : Double.NaN;
        return new Losses(task, lm, lmWeight != 0 ? task + lmWeight * lm : task);
    }

    /** The final hidden states {@code [B, n_embd]} at each sequence's extract position, after a forward of b. */
    private float[] extractStates(TaskBatch b) {
        int c = gpt.config().nEmbd();
        float[] hidden = gpt.finalHidden();
        float[] out = new float[b.batch() * c];
        for (int i = 0; i < b.batch(); i++) {
            System.arraycopy(hidden, (i * b.length() + b.extract()[i]) * c, out, i * c, c);
        }
        return out;
    }

    /**
     * The head's output for each sequence of {@code b} on its own, {@code [B, head rows]}, without
     * combining an example's sequences and without a loss: for a multiple-choice head, one scalar
     * score per sequence (a reward model's r(x, y)). No backward follows it.
     */
    public float[] sequenceScores(TaskBatch b) {
        this.batch = null;
        gpt.forward(b.tokens(), null, b.batch(), b.length());
        float[] scores = new float[b.batch() * head.labels()];
        head.forward(scores, extractStates(b), b.batch());
        return scores;
    }

    @Override
    public float[] logits() {
        return logits;
    }

    /**
     * Adds d(L3)/d(parameter) of the last forward into the gradients of the GPT's and the head's
     * parameters, each scaled by {@code scale} (e.g. 1/micro-batches).
     */
    @Override
    public void backward(float scale) {
        if (batch == null || !loss.counted()) {
            throw new IllegalStateException("backward needs a forward over labelled sequences");
        }
        int c = gpt.config().nEmbd();
        int b = batch.batch();
        int examples = batch.examples();
        float[] dlogits = loss.backward(logits, scale);
        float[] dExtracted = new float[b * c];
        if (format.sumsSequences()) {
            // d(h_ab) = d(h_ba) = d(h_ab + h_ba)
            float[] dSum = new float[examples * c];
            head.backward(dSum, dlogits, headInput, examples);
            ElementwiseKernels.repeatRows(dExtracted, dSum, examples, batch.group(), c);
        } else {
            head.backward(dExtracted, dlogits, extracted, b);
        }
        float[] dHidden = new float[b * batch.length() * c];
        for (int i = 0; i < b; i++) {
            System.arraycopy(dExtracted, i * c, dHidden, (i * batch.length() + batch.extract()[i]) * c, c);
        }
        gpt.backward(scale * lmWeight, dHidden);
    }

}
