package org.gpt4j.finetune.bert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.finetune.LabelMap;
import org.gpt4j.finetune.SequenceClassifier;
import org.gpt4j.finetune.SpecialTokens;
import org.gpt4j.finetune.TaskBatch;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskLoss;
import org.gpt4j.model.ActivationFootprint;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInput;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.ElementwiseKernels;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.WordPieceTokenizer;

/**
 * A BERT with a task head, fine-tuned as Devlin et al. (2018) do it: the pooled [CLS] state
 * (the pooler's {@code tanh(h_[CLS] W_p + b_p)}), dropout, then a linear classifier with bias;
 * every weight trained, no auxiliary language-modelling loss. GPT-1's input transformations are
 * written in BERT's tokens (start = [CLS], delimiter = extract = [SEP], pad = [PAD]):
 *
 * <pre>
 *   classification          [CLS] text [SEP]                  segments 0 ... 0
 *   entailment, similarity  [CLS] a [SEP] b [SEP]              segments 0 ... 0 1 ... 1
 *   multiple choice         [CLS] context [SEP] option [SEP]   one per option; classifier [1, hidden],
 *                                                             a softmax over the options (BertForMultipleChoice)
 * </pre>
 *
 * Similarity reads one order, as BERT does on STS-B and MRPC: the encoder attends both ways, so
 * GPT-1's second order (needed by a left-to-right model) is not needed. Pads are masked out of
 * attention, so a padded batch gives every sequence the logits it gets alone.
 *
 * <p>Not thread-safe: it keeps the last forward's activations, as {@link Bert} does.
 */
public final class BertTaskModel implements SequenceClassifier {

    private final Bert bert;
    private final ClassificationHead head;
    private final TaskFormat format;
    private final SpecialTokens special;
    private final LabelMap labels;
    private final TaskLoss loss = new TaskLoss();

    private boolean training;
    private long dropoutSeed;
    private long forwards;

    // The last forward.
    private TaskBatch batch;
    private float[] headInput;
    private float[] dropoutMask;
    private float[] logits;

    public BertTaskModel(Bert bert, ClassificationHead head, TaskFormat format, SpecialTokens special, LabelMap labels) {
        int hidden = bert.config().hiddenSize();
        format.requireHead(head, labels);
        if (head.bias() == null || head.weight().length != head.labels() * hidden) {
            throw new IllegalArgumentException("a BERT's classifier is classifier.weight [labels, " + hidden + "] and classifier.bias");
        }
        special.requireInside(bert.config().vocabSize());
        this.bert = bert;
        this.head = head;
        this.format = format;
        this.special = special;
        this.labels = labels;
    }

    /** BERT's tokens in the roles of GPT-1's: [CLS] starts, [SEP] delimits and ends, [PAD] pads. */
    public static SpecialTokens specialTokens(WordPieceTokenizer tokenizer) {
        return new SpecialTokens(tokenizer.clsId(), tokenizer.sepId(), tokenizer.sepId(), tokenizer.padId());
    }

    /**
     * A pre-trained BERT made ready for fine-tuning: a new classifier drawn from {@code seed}. The
     * BERT's own weights are the ones trained (not copied).
     */
    public static BertTaskModel fromBase(Bert base, TaskFormat format, LabelMap labels, SpecialTokens special, long seed) {
        ClassificationHead head = ClassificationHead.bertInitialized(format.headRows(labels.size()),
                base.config().hiddenSize(), seed);
        return new BertTaskModel(base, head, format, special, labels);
    }

    /**
     * The same classifier reading another input format: a BERT's classifier on [CLS] reads one
     * text ({@code [CLS] a [SEP]}) or a pair ({@code [CLS] a [SEP] b [SEP]}) alike, so
     * classification, entailment and similarity are one model asked differently (a classifier
     * fine-tuned elsewhere says nothing of which it was trained on). Multiple choice's one-score
     * head is not interchangeable.
     */
    public BertTaskModel withFormat(TaskFormat f) {
        if (f == format) {
            return this;
        }
        if (f.choices() || format.choices()) {
            throw new IllegalArgumentException("a BERT " + format.configName() + " model cannot read " + f.configName()
                    + " examples (multiple choice has a one-score head)");
        }
        return new BertTaskModel(bert, head, f, special, labels);
    }

    public Bert bert() {
        return bert;
    }

    public ClassificationHead head() {
        return head;
    }

    @Override
    public TaskFormat format() {
        return format;
    }

    @Override
    public LabelMap labels() {
        return labels;
    }

    @Override
    public SpecialTokens special() {
        return special;
    }

    @Override
    public int context() {
        return bert.config().maxPositionEmbeddings();
    }

    /** A BERT pre-training step's footprint without masked-LM targets (the pooler and a head per sequence). */
    @Override
    public long trainingActivationBytes(int sequences, int length) {
        return ActivationFootprint.bertTrainingBytes(bert.config(), sequences, length, 0);
    }


    @Override
    public int[][] sequences(int[] text, List<int[]> second, int maxLength) {
        if (format == TaskFormat.SIMILARITY) {
            return new int[][] {format.sequence(text, second.get(0), special, maxLength)};
        }
        return format.sequences(text, second, special, maxLength);
    }

    @Override
    public void setTraining(boolean training, long seed) {
        this.training = training;
        this.dropoutSeed = seed;
        bert.setTraining(training, seed);
    }

    @Override
    public Losses forward(TaskBatch b, double lmWeight) {
        if (lmWeight != 0) {
            throw new IllegalArgumentException("a BERT is fine-tuned without a language-modelling loss (lambda must be 0, got "
                    + lmWeight + ")");
        }
        if (format.choices() ? b.group() < 2 : b.group() != 1) {
            throw new IllegalArgumentException("a BERT " + format.configName() + " model reads " + (format.choices()
                    ? "at least 2 sequences" : "1 sequence") + " per example, the batch has " + b.group());
        }
        this.batch = b;
        int rows = b.batch();
        int hidden = bert.config().hiddenSize();
        bert.encode(new BertInput(rows, b.length(), b.tokens(), segments(b), attentionMask(b)));
        headInput = java.util.Arrays.copyOf(bert.pooled(), rows * hidden);
        double p = bert.config().dropout();
        dropoutMask = null;
        if (training && p > 0) {
            // BertForSequenceClassification's dropout on the pooled output, a stream of its own
            dropoutMask = new float[rows * hidden];
            ElementwiseKernels.dropoutMask(dropoutMask, dropoutMask.length, (float) p,
                    new SplittableRandom(~dropoutSeed * 0x9E3779B97F4A7C15L + forwards));
            ElementwiseKernels.multiply(headInput, dropoutMask, dropoutMask.length);
        }
        forwards++;
        // Multiple choice: the [B, 1] scores are, in memory, the [examples, N] logits.
        logits = new float[rows * head.labels()];
        head.forward(logits, headInput, rows);
        double task = loss.forward(logits, b.labels(), b.examples());
        return new Losses(task, Double.NaN, task);
    }

    @Override
    public float[] logits() {
        return logits;
    }

    @Override
    public void backward(float scale) {
        if (batch == null || !loss.counted()) {
            throw new IllegalStateException("backward needs a forward over labelled sequences");
        }
        int rows = batch.batch();
        float[] dlogits = loss.backward(logits, scale);
        float[] dPooled = new float[rows * bert.config().hiddenSize()];
        head.backward(dPooled, dlogits, headInput, rows);
        if (dropoutMask != null) {
            ElementwiseKernels.multiply(dPooled, dropoutMask, dPooled.length);
        }
        bert.backward(scale, dPooled);
    }

    @Override
    public List<Parameters> parameters() {
        return List.of(bert.parameters(), head.parameters());
    }

    @Override
    public void save(Tokenizer tokenizer, Path dir) throws IOException {
        BertTaskDirectory.save(this, tokenizer, dir);
    }

    /**
     * Segment ids {@code [B, T]}: 0 through the first [SEP], 1 after it up to the sequence's last
     * [SEP], 0 on pads (Hugging Face's token_type_ids). The texts never hold a [SEP] of their own:
     * the tokenizer reads special-token text as ordinary text, and the format adds them by id.
     */
    private int[] segments(TaskBatch b) {
        int t = b.length();
        int[] types = new int[b.batch() * t];
        for (int i = 0; i < b.batch(); i++) {
            int end = b.extract()[i];
            int j = 1;
            while (j < end && b.tokens()[i * t + j] != special.delimiter()) {
                j++;
            }
            for (int k = j + 1; k <= end; k++) {
                types[i * t + k] = 1;
            }
        }
        return types;
    }

    /** 1 up to each sequence's final [SEP], 0 on the pads after it; null when nothing is padded. */
    private static int[] attentionMask(TaskBatch b) {
        int t = b.length();
        boolean padded = false;
        int[] mask = new int[b.batch() * t];
        for (int i = 0; i < b.batch(); i++) {
            int end = b.extract()[i];
            padded |= end < t - 1;
            java.util.Arrays.fill(mask, i * t, i * t + end + 1, 1);
        }
        return padded ? mask : null;
    }
}
