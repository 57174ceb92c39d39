package org.gpt4j.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.model.Parameters;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * A pre-trained transformer with a task head: what {@link FineTuner} trains, {@link TaskPredictor}
 * runs and a task directory holds. Two kinds exist: GPT-1's ({@link TaskModel}: the head on the
 * extract token's final hidden state, with the auxiliary LM loss) and BERT's
 * (org.gpt4j.finetune.bert: the head on the pooled [CLS] state). Both read examples as
 * {@link TaskBatch}es of right-padded sequences made by {@link #sequences}.
 *
 * <p>Not thread-safe: an implementation keeps its last forward's activations for the backward.
 */
public interface SequenceClassifier {

    /** The losses of one forward: L2 (task), L1 (LM; NaN when lambda is 0) and L3 = L2 + lambda L1. */
    record Losses(double task, double lm, double total) {
    }

    TaskFormat format();

    /** The labels (multiple choice: the options' indices). */
    LabelMap labels();

    /** The ids the format places around the texts, and the pad. */
    SpecialTokens special();

    /** The longest sequence the model reads (its position table). */
    int context();

    /**
     * The bytes a training step keeps for {@code sequences} sequences of {@code length} tokens
     * between its forward and its backward (activations, their gradients, the logits): what
     * {@link FineTuner} checks against the heap before the first step.
     */
    long trainingActivationBytes(int sequences, int length);


    /**
     * One example's sequences, each at most {@code maxLength} tokens, from its texts' token ids
     * (the second texts: none, the pair, or the options; see {@link TaskFormat#sequences}).
     */
    int[][] sequences(int[] text, List<int[]> second, int maxLength);

    /** Training mode turns dropout on, reproducibly from the seed. */
    void setTraining(boolean training, long seed);

    /**
     * Task logits {@code [examples, K]} for the batch and, when it has labels, the losses.
     *
     * @param lmWeight lambda; 0 skips the LM loss
     */
    Losses forward(TaskBatch batch, double lmWeight);

    /** The last forward's task logits {@code [examples, K]} (the live array). */
    float[] logits();

    /** Adds d(L3)/d(parameter) of the last forward, scaled by {@code scale}, into the gradients. */
    void backward(float scale);

    /** Every weight, the transformer's and the head's, as the sets AdamW updates. */
    List<Parameters> parameters();

    /** Zeroes every gradient. */
    default void zeroGrad() {
        parameters().forEach(Parameters::zeroGrad);
    }

    /** The number of values in the transformer and the head. */
    default long parameterCount() {
        long n = 0;
        for (Parameters p : parameters()) {
            n += p.layout().totalCount();
        }
        return n;
    }

    /** Writes the model (and the tokenizer when given) as a task directory, each file replaced whole. */
    void save(Tokenizer tokenizer, Path dir) throws IOException;
}
