package org.gpt4j.model;

import org.gpt4j.tensor.CompactMatmul;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.CrossEntropyKernel;
import org.gpt4j.tensor.ElementwiseKernels;
import org.gpt4j.tensor.Matmul;

/**
 * The output end of the decoder stack, the counterpart of {@link Embedding}: the final LayerNorm
 * ({@code ln_f}, pre-LN only), the unembedding tied to the token embedding and the next-token
 * cross-entropy, {@code logits = ln_f(h) wte^T}, {@code loss = mean CE(logits, targets)}. A
 * forward/backward pair like every layer; its backward is where a task head's gradient joins the
 * language-modelling one (GPT-1's L3 = L2 + lambda L1).
 */
final class LmHead {

    private final Parameters parameters;
    private final int c;
    private final int v;
    /** Null for post-LN, which ends with the last block's own LayerNorm. */
    private final LayerNorm lnF;
    private final float[] wte;
    /** The token embedding when held compact (then {@link #wte} is null). */
    private final CompactMatrix compactWte;

    // The last forward's input and activations.
    private float[] hidden;
    private int rows;
    private float[] normed;
    private float[] logits;
    private float[] losses;
    private int[] targets;
    private int counted;
    // Backward scratch.
    private float[] dlogits;
    private float[] dnormed;

    LmHead(Parameters parameters, GptConfig config) {
        this.parameters = parameters;
        this.c = config.nEmbd();
        this.v = config.vocabSize();
        this.lnF = config.layerNorm() == LayerNormPlacement.PRE
                ? new LayerNorm(parameters, "ln_f", c, config.layerNormEpsilon()) : null;
        this.compactWte = parameters.compactData("wte.weight");
        this.wte = compactWte == null ? parameters.data("wte.weight") : null;
    }

    /**
     * Logits {@code [rows, V]} (the live buffer) for the hidden states {@code h [rows, C]}, which
     * must stay unchanged until the backward; with {@code targets} ({@code [rows]}, -1 = ignored)
     * the mean cross-entropy, else NaN.
     */
    /** wte^T for decoding steps, or null; see {@link #transposedWte}. */
    private float[] wteTransposed;

    float forward(float[] h, int rows, int[] targets) {
        this.hidden = h;
        this.rows = rows;
        this.targets = targets;
        float[] top = h;
        if (lnF != null) {
            normed = Buffers.atLeast(normed, rows * c);
            lnF.forward(normed, h, rows);
            top = normed;
        }
        logits = Buffers.atLeast(logits, Buffers.checkedProduct(rows, v));
        unembed(logits, top, rows);
        counted = 0;
        if (targets == null) {
            return Float.NaN;
        }
        losses = Buffers.atLeast(losses, rows);
        counted = CrossEntropyKernel.forward(losses, logits, targets, rows, v);
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += losses[r];
        }
        return counted == 0 ? Float.NaN : (float) (sum / counted);
    }

    float[] logits() {
        return logits;
    }

    /** How many targets the last forward's loss counted (0 without targets). */
    int counted() {
        return counted;
    }

    boolean hadTargets() {
        return targets != null;
    }

    /** What the unembedding read in the last forward: ln_f's output (pre-LN) or the head's input (post-LN). */
    float[] finalHidden() {
        return lnF != null ? normed : hidden;
    }

    /**
     * dh = d(loss)/d(h) for the h of the last forward (overwritten, {@code [rows, C]}), where the
     * loss is {@code lossScale} times the mean cross-entropy (0: none) plus a head's gradient
     * {@code dFinalHidden} with respect to {@link #finalHidden()} (null: none). Adds the
     * unembedding's gradient into wte's and ln_f's into its own.
     */
    void backward(float[] dh, float lossScale, float[] dFinalHidden) {
        backward(dh, lossScale, null, dFinalHidden);
    }

    /**
     * As {@link #backward(float[], float, float[])}, plus a gradient {@code dLogits [rows, V]}
     * with respect to the logits themselves (null: none), for a loss that reads them directly (PPO).
     */
    void backward(float[] dh, float lossScale, float[] dLogits, float[] dFinalHidden) {
        int n = rows * c;
        // ln_f's backward adds into dh; without ln_f the gradients add into dh directly
        java.util.Arrays.fill(dh, 0, n, 0f);
        float[] dtop = dh;
        if (lnF != null) {
            dnormed = Buffers.zeroed(dnormed, n);
            dtop = dnormed;
        }
        if (lossScale != 0 && counted > 0) {
            dlogits = Buffers.atLeast(dlogits, rows * v);
            CrossEntropyKernel.backward(dlogits, logits, losses, targets, rows, v, lossScale / counted);
            Matmul.backwardTransposed(dtop, parameters.grad("wte.weight"), dlogits, finalHidden(), wte, rows, c, v);
        }
        if (dLogits != null) {
            Matmul.backwardTransposed(dtop, parameters.grad("wte.weight"), dLogits, finalHidden(), wte, rows, c, v);
        }
        if (dFinalHidden != null) {
            ElementwiseKernels.accumulate(dtop, dFinalHidden, n);
        }
        if (lnF != null) {
            lnF.backward(dh, dtop, hidden, rows);
        }
    }

    /**
     * The head applied to {@code rows} vectors {@code x [rows, C]} as if the stack ended there (the
     * logit lens): {@code [rows, V]} logits, the last forward's activations untouched.
     */
    float[] read(float[] x, int rows) {
        if (lnF != null) {
            float[] y = new float[x.length];
            lnF.apply(y, x, rows);
            x = y;
        }
        float[] out = new float[Buffers.checkedProduct(rows, v)];
        unembed(out, x, rows);
        return out;
    }

    /** y = x wte^T over {@code rows} rows, in the model's weight format. */
    private void unembed(float[] y, float[] x, int rows) {
        if (compactWte != null) {
            CompactMatmul.forwardTransposed(y, x, compactWte, rows);
        } else if (Matmul.rowIndependent()) {
            // A decoding step of a continuous batch: x (wte^T) as a plain product, whose kernels
            // read the weights in place for any number of rows (no per-call packing of wte).
            Matmul.forward(y, x, transposedWte(), null, rows, c, v);
        } else {
            Matmul.forwardTransposed(y, x, wte, rows, c, v);
        }
    }

    /**
     * wte^T {@code [C, V]}, made at the first decoding step. Decoding serves weights that no longer
     * change; a backward ({@link #dropTransposed}) forgets the copy, so training in between is safe.
     */
    private float[] transposedWte() {
        if (wteTransposed == null) {
            HeapBudget.require((long) v * c * Float.BYTES, "the transposed unembedding of a decoding step");
            wteTransposed = new float[v * c];
            ElementwiseKernels.transpose(wteTransposed, wte, v, c);
        }
        return wteTransposed;
    }

    /** Forgets the transposed copy of wte (its weights are about to change). */
    void dropTransposed() {
        wteTransposed = null;
    }
}
