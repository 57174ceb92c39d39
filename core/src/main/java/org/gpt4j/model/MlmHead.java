package org.gpt4j.model;

import org.gpt4j.tensor.CrossEntropyKernel;
import org.gpt4j.tensor.ElementwiseKernels;
import org.gpt4j.tensor.Matmul;

/**
 * BERT's masked-language-model head over chosen positions:
 * {@code logits = LN(act(h W_t + b_t)) wte^T + b}, the decoder tied to the word embedding (as
 * GPT's unembedding), and {@code loss = mean CE(logits, labels)}. It runs only over the rows it
 * is given — the masked positions in training (15% of the tokens), every position or the
 * {@code [MASK]}s for inference — since the V x C decoder is the costliest product of a BERT.
 */
final class MlmHead {

    private final Parameters params;
    private final Linear dense;
    private final Activation activation;
    private final LayerNorm ln;
    private final float[] wte;
    private final float[] bias;
    private final int c;
    private final int v;

    // The last forward's rows and activations.
    private int[] rows;
    private int n;
    private float[] selected;
    private float[] pre;
    private float[] act;
    private float[] transformed;
    private float[] logits;
    private float[] losses;
    private int[] targets;
    private int counted;
    // Backward scratch.
    private float[] dlogits;
    private float[] dtransformed;
    private float[] dact;
    private float[] dpre;
    private float[] dselected;

    MlmHead(Parameters params, BertConfig config) {
        this.params = params;
        this.c = config.hiddenSize();
        this.v = config.vocabSize();
        this.dense = new Linear(params, BertLayout.MLM_DENSE, c, c, null);
        this.activation = config.hiddenAct();
        this.ln = new LayerNorm(params, BertLayout.MLM_LN, c, config.layerNormEps());
        this.wte = params.data(BertLayout.WTE);
        this.bias = params.data(BertLayout.MLM_BIAS);
    }

    /**
     * Logits {@code [rows.length, V]} (live buffer) for the rows {@code rows} of h {@code [B*T, C]};
     * with {@code targets} (one per row, -1 = ignored) the mean cross-entropy, else NaN.
     */
    float forward(float[] h, int[] rows, int[] targets) {
        this.rows = rows;
        this.n = rows.length;
        this.targets = targets;
        counted = 0;
        if (n == 0) {
            return Float.NaN;
        }
        int nc = Buffers.checkedProduct(n, c);
        selected = Buffers.atLeast(selected, nc);
        pre = Buffers.atLeast(pre, nc);
        act = Buffers.atLeast(act, nc);
        transformed = Buffers.atLeast(transformed, nc);
        logits = Buffers.atLeast(logits, Buffers.checkedProduct(n, v));
        for (int i = 0; i < n; i++) {
            System.arraycopy(h, rows[i] * c, selected, i * c, c);
        }
        // transformed = LN(act(h W_t + b_t));  logits = transformed wte^T + b
        dense.forward(pre, selected, n);
        activation.forward(act, pre, nc);
        ln.forward(transformed, act, n);
        Matmul.forwardTransposed(logits, transformed, wte, n, c, v);
        ElementwiseKernels.addToRows(logits, bias, n, v);
        if (targets == null) {
            return Float.NaN;
        }
        losses = Buffers.atLeast(losses, n);
        counted = CrossEntropyKernel.forward(losses, logits, targets, n, v);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += losses[i];
        }
        return counted == 0 ? Float.NaN : (float) (sum / counted);
    }

    float[] logits() {
        return logits == null ? new float[0] : logits;
    }

    int counted() {
        return counted;
    }

    /** dh [B*T, C] += the gradient of {@code lossScale} times the last forward's mean loss. */
    void backward(float[] dh, float lossScale) {
        if (counted == 0 || lossScale == 0) {
            return;
        }
        int nc = n * c;
        dlogits = Buffers.atLeast(dlogits, n * v);
        dtransformed = Buffers.zeroed(dtransformed, nc);
        dact = Buffers.zeroed(dact, nc);
        dpre = Buffers.zeroed(dpre, nc);
        dselected = Buffers.zeroed(dselected, nc);
        CrossEntropyKernel.backward(dlogits, logits, losses, targets, n, v, lossScale / counted);
        Matmul.biasBackward(params.grad(BertLayout.MLM_BIAS), dlogits, n, v);
        Matmul.backwardTransposed(dtransformed, params.grad(BertLayout.WTE), dlogits, transformed, wte, n, c, v);
        ln.backward(dact, dtransformed, act, n);
        activation.backward(dpre, dact, pre, nc);
        dense.backward(dselected, dpre, selected, n);
        ElementwiseKernels.scatterAddRows(dh, dselected, rows, n, c);
    }
}
