package org.gpt4j.rl;

import java.util.Arrays;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.model.ForwardResult;
import org.gpt4j.model.Gpt;
import org.gpt4j.tensor.CategoricalKernels;

/**
 * A GPT as a PPO policy over tokens, with TRL's value head: a scalar V = h w^T on each position's
 * final hidden state h. One forward of the GPT over {@code [B, T]} sequences gives, at selected
 * positions t, the log-probability of the token that follows (the action taken at state t), the
 * policy's entropy there and V(t); the backward takes PPO's gradients with respect to those three
 * and returns them through the categorical distribution ({@link CategoricalKernels}), the LM head
 * and the value head into the GPT's one backward ({@link Gpt#backwardLogits}).
 *
 * <pre>
 *   logp_t = log softmax(h_t wte^T)[x_{t+1}]     H_t = entropy of softmax(h_t wte^T)     V_t = h_t w^T
 * </pre>
 * Without a value head (null) it is the frozen reference: log-probabilities only, no backward.
 *
 * <p>Not thread-safe: it keeps the last forward's activations, as {@link Gpt} does.
 */
public final class PolicyWithValueHead {

    private final Gpt gpt;
    private final ClassificationHead valueHead;
    private final int c;
    private final int v;

    // The last forward.
    private int b;
    private int t;
    private int rows;
    private int[] positions;
    private int[] actions;
    private float[] logp = new float[0];
    private float[] entropy = new float[0];
    private float[] hidden = new float[0];
    // Backward scratch.
    private float[] dSelected = new float[0];
    private float[] dLogits = new float[0];
    private float[] dHiddenRows = new float[0];
    private float[] dHidden = new float[0];

    /** @param valueHead a {@code [1, n_embd]} head, or null for a reference model without values */
    public PolicyWithValueHead(Gpt gpt, ClassificationHead valueHead) {
        if (valueHead != null && (valueHead.labels() != 1 || valueHead.weight().length != gpt.config().nEmbd())) {
            throw new IllegalArgumentException("a value head is [1, n_embd = " + gpt.config().nEmbd() + "]");
        }
        this.gpt = gpt;
        this.valueHead = valueHead;
        this.c = gpt.config().nEmbd();
        this.v = gpt.config().vocabSize();
    }

    public Gpt gpt() {
        return gpt;
    }

    /** The value head, or null for a reference model. */
    public ClassificationHead valueHead() {
        return valueHead;
    }

    /**
     * Runs the GPT over {@code tokens [B, T]} and, for each selected row r (position
     * {@code positions[r]} of the flattened {@code [B, T]} grid, followed by token {@code actions[r]}),
     * writes logp[r], entropy[r] and (with a value head and {@code values} not null) V[r].
     */
    public void forward(int[] tokens, int b, int t, int[] positions, int[] actions, float[] chosenLogp,
            float[] entropyOut, float[] values) {
        int n = positions.length;
        if (actions.length != n) {
            throw new IllegalArgumentException(n + " positions but " + actions.length + " actions");
        }
        this.b = b;
        this.t = t;
        this.rows = n;
        this.positions = positions.clone();
        this.actions = actions.clone();
        gpt.setTraining(false, 0);
        ForwardResult r = gpt.forward(tokens, b, t);
        float[] logits = r.logits();
        logp = atLeast(logp, n * v);
        for (int i = 0; i < n; i++) {
            System.arraycopy(logits, positions[i] * v, logp, i * v, v);
        }
        entropy = atLeast(entropy, n);
        // in place: each row's logits become its log-probabilities
        CategoricalKernels.forward(logp, entropy, logp, n, v);
        for (int i = 0; i < n; i++) {
            chosenLogp[i] = logp[i * v + actions[i]];
            if (entropyOut != null) {
                entropyOut[i] = entropy[i];
            }
        }
        if (values != null) {
            if (valueHead == null) {
                throw new IllegalStateException("the reference model has no value head");
            }
            float[] h = gpt.finalHidden();
            hidden = atLeast(hidden, n * c);
            for (int i = 0; i < n; i++) {
                System.arraycopy(h, positions[i] * c, hidden, i * c, c);
            }
            valueHead.forward(values, hidden, n);
        }
    }

    /**
     * Adds into the GPT's and the value head's gradients those of a loss whose derivatives with
     * respect to the last forward's selected logp, V and entropy are the three arrays.
     */
    public void backward(float[] gLogp, float[] gValue, float[] gEntropy) {
        if (valueHead == null) {
            throw new IllegalStateException("the reference model is frozen");
        }
        int n = rows;
        dSelected = atLeast(dSelected, n * v);
        CategoricalKernels.backward(dSelected, logp, entropy, actions, gLogp, gEntropy, n, v);
        int all = b * t;
        dLogits = atLeast(dLogits, all * v);
        Arrays.fill(dLogits, 0, all * v, 0f);
        for (int i = 0; i < n; i++) {
            int o = positions[i] * v;
            for (int j = 0; j < v; j++) {
                dLogits[o + j] += dSelected[i * v + j];
            }
        }
        dHiddenRows = atLeast(dHiddenRows, n * c);
        Arrays.fill(dHiddenRows, 0, n * c, 0f);
        valueHead.backward(dHiddenRows, gValue, hidden, n);
        dHidden = atLeast(dHidden, all * c);
        Arrays.fill(dHidden, 0, all * c, 0f);
        for (int i = 0; i < n; i++) {
            int o = positions[i] * c;
            for (int j = 0; j < c; j++) {
                dHidden[o + j] += dHiddenRows[i * c + j];
            }
        }
        gpt.backwardLogits(dLogits, dHidden);
    }

    private static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }
}
