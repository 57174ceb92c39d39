package org.gpt4j.model;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.gpt4j.tensor.ElementwiseKernels;
import org.gpt4j.tensor.Matmul;
import org.gpt4j.tensor.WeightFormat;

/**
 * A GPT: token embedding + positions, a stack of decoder blocks, and the head ({@link LmHead}: a
 * final LayerNorm (pre-LN) and the unembedding tied to the token embedding). The one forward pass
 * every feature calls, with its explicit backward (as in llm.c: each layer keeps what its backward
 * needs).
 *
 * <p>For inference the weight matrices (and the token embedding, which the unembedding reuses)
 * can be read from a bf16 or int8 copy ({@link WeightFormat}): the same pass with less memory
 * traffic, and no backward.
 *
 * <p>With {@link LoraAdapters} attached ({@link #withAdapters}) the same pass adds each adapted
 * layer's low-rank update, and the backward leaves every Conv1D weight and bias without a
 * gradient (the base is frozen; the adapters get theirs).
 *
 * <p>Not thread-safe: a Gpt owns the activation buffers of its last forward.
 */
public final class Gpt {

    private final GptConfig config;
    private final Parameters parameters;
    private final Embedding embedding;
    private final Block[] blocks;
    private final LmHead head;
    private final WeightFormat weightFormat;
    /** LoRA adapters on the Conv1D layers, or null. */
    private final LoraAdapters adapters;

    private boolean training;
    private long dropoutSeed;
    private long forwardCount;

    // The last forward's input and activations.
    private int[] tokens;
    private int batch;
    private int length;
    private boolean cached;
    private float[][] residual;
    private float[] embedMask;
    private float[] lastRows;
    // Backward scratch.
    private float[] dA;
    private float[] dB;

    /** A GPT over these parameters, reading its weight matrices in their {@link Parameters#weightFormat()}. */
    public Gpt(GptConfig config, Parameters parameters) {
        this(config, parameters, null);
    }

    private Gpt(GptConfig config, Parameters parameters, LoraAdapters adapters) {
        if (!parameters.layout().specs().equals(ParameterLayout.of(config).specs())) {
            throw new IllegalArgumentException("parameters do not match the config's layout");
        }
        if (adapters != null && !adapters.fits(config)) {
            throw new IllegalArgumentException("the LoRA adapters were made for a GPT of another shape");
        }
        this.adapters = adapters;
        this.config = config;
        this.parameters = parameters;
        this.weightFormat = parameters.weightFormat();
        this.embedding = new Embedding(parameters, config);
        this.blocks = new Block[config.nLayer()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(parameters, l, config, adapters);
        }
        this.head = new LmHead(parameters, config);
    }

    public GptConfig config() {
        return config;
    }

    public Parameters parameters() {
        return parameters;
    }

    /**
     * This model for inference with its weight matrices read from a bf16 or int8 copy (see
     * {@link Parameters#compacted}); LayerNorms, biases and learned positions stay f32. Returns
     * this model for its own format.
     *
     * @throws IllegalStateException when the weights are already compact in another format
     */
    public Gpt withWeightFormat(WeightFormat format) {
        return format == weightFormat ? this : new Gpt(config, parameters.compacted(format), adapters);
    }

    /**
     * This model's weights (shared, not copied) with LoRA adapters on its Conv1D layers, or
     * without any for null; a fresh model, its training state unset.
     *
     * @throws IllegalArgumentException when the adapters were made for another shape
     */
    public Gpt withAdapters(LoraAdapters adapters) {
        return new Gpt(config, parameters, adapters);
    }

    /** The LoRA adapters this model runs with, or null. */
    public LoraAdapters adapters() {
        return adapters;
    }

    /** How the weight matrices are read: f32, or a bf16 or int8 copy for inference. */
    public WeightFormat weightFormat() {
        return weightFormat;
    }

    /**
     * Training mode turns dropout on. Each forward then draws its masks from a generator seeded by
     * {@code dropoutSeed} and the number of forwards so far, so a run is reproducible.
     */
    public void setTraining(boolean training, long dropoutSeed) {
        this.training = training;
        this.dropoutSeed = dropoutSeed;
    }

    /** Forwards run so far (part of the state a resumed run restores). */
    public long forwardCount() {
        return forwardCount;
    }

    public void setForwardCount(long forwardCount) {
        this.forwardCount = forwardCount;
    }

    /** Logits for B sequences of T token ids (row-major {@code [B, T]}), without a loss. */
    public ForwardResult forward(int[] tokens, int b, int t) {
        return forward(tokens, null, b, t);
    }

    /**
     * Logits and, when {@code targets} is given ({@code [B, T]}, -1 = ignored), the mean
     * cross-entropy loss.
     *
     * @throws IllegalArgumentException for ids outside the vocabulary or T beyond n_positions
     */
    public ForwardResult forward(int[] tokens, int[] targets, int b, int t) {
        return forward(tokens, targets, b, t, null, false);
    }

    /**
     * Incremental decoding: the T new tokens of each of the cache's B sequences stand at
     * positions {@code cache.length() ..}, attend to everything the cache holds, and are appended
     * to it. The same layers as training run; only where keys and values live differs. A forward
     * with a cache keeps no trace and allows no backward.
     */
    public ForwardResult forward(int[] tokens, int b, int t, KvCache cache) {
        cache.prepareFor(b, t);
        return forward(tokens, null, b, t, new KvCache[] {cache}, false);
    }

    /**
     * As {@link #forward(int[], int, int, KvCache)}, but the result holds only each sequence's
     * last position ({@code [B, 1, V]}): all that generation reads. The other T - 1 positions
     * still pass through every block (their keys and values fill the cache) but skip the final
     * LayerNorm and the unembedding, a V x C product per position.
     */
    public ForwardResult forwardLast(int[] tokens, int b, int t, KvCache cache) {
        cache.prepareFor(b, t);
        return forward(tokens, null, b, t, new KvCache[] {cache}, true);
    }

    /**
     * One decoding step of B independent sequences (a server's continuous batch): token i
     * continues the sequence held by {@code caches[i]}, a cache of one sequence at its own length,
     * and is appended to it. Returns the {@code [B, 1, V]} next-token logits. Every row is
     * computed as it would be alone ({@link Matmul#rowIndependent}): a sequence's bits do not
     * depend on the batch it shares the step with.
     *
     * @throws IllegalArgumentException when the counts differ, a cache holds more than one
     *         sequence, appears twice, or is full
     */
    public ForwardResult decode(int[] tokens, KvCache[] caches) {
        int b = tokens.length;
        if (caches.length != b) {
            throw new IllegalArgumentException(b + " tokens for " + caches.length + " caches");
        }
        KvCache.prepareForStep(caches);
        return Matmul.rowIndependent(() -> forward(tokens, null, b, 1, caches, false));
    }

    /**
     * {@code caches}: null (training, scoring), one cache of all B sequences, or B caches of one
     * sequence each (a decoding step, T = 1, each at its own position).
     */
    private ForwardResult forward(int[] tokens, int[] targets, int b, int t, KvCache[] caches, boolean lastOnly) {
        TokenBatch.check(config, tokens, targets, b, t);
        int[] past = new int[b];
        for (int bi = 0; caches != null && bi < b; bi++) {
            past[bi] = caches[caches.length == 1 ? 0 : bi].length();
        }
        int rows = b * t;
        int c = config.nEmbd();
        int v = config.vocabSize();
        int n = Buffers.checkedProduct(rows, c);
        this.tokens = tokens.clone();
        this.batch = b;
        this.length = t;
        this.cached = caches != null;
        if (residual == null) {
            residual = new float[blocks.length + 1][];
        }
        for (int l = 0; l <= blocks.length; l++) {
            residual[l] = Buffers.atLeast(residual[l], n);
        }
        RandomGenerator rng = training && config.dropout() > 0
                ? new SplittableRandom(dropoutSeed * 0x9E3779B97F4A7C15L + forwardCount) : null;
        forwardCount++;

        embedding.forward(residual[0], tokens, b, t, past);
        if (rng != null) {
            embedMask = Buffers.atLeast(embedMask, n);
            ElementwiseKernels.dropoutMask(embedMask, n, (float) config.dropout(), rng);
            ElementwiseKernels.multiply(residual[0], embedMask, n);
        }
        for (int l = 0; l < blocks.length; l++) {
            blocks[l].forward(residual[l + 1], residual[l], b, t, rng, caches);
        }
        float[] top = residual[blocks.length];
        int outRows = rows;
        if (lastOnly && t > 1) {
            lastRows = Buffers.atLeast(lastRows, b * c);
            for (int bi = 0; bi < b; bi++) {
                System.arraycopy(top, ((bi + 1) * t - 1) * c, lastRows, bi * c, c);
            }
            top = lastRows;
            outRows = b;
        }
        // logits = ln_f(h) wte^T; loss = mean CE(logits, targets)
        float loss = head.forward(top, outRows, targets == null ? null : targets.clone());
        if (caches != null) {
            for (KvCache cache : caches) {
                cache.advance(t);
            }
        }
        return new ForwardResult(b, lastOnly ? 1 : t, v, head.logits(), loss, head.counted());
    }

    /**
     * Adds d(loss)/d(parameter) of the last forward (which must have had targets) into every
     * parameter's gradient. Call {@link Parameters#zeroGrad()} between optimisation steps.
     */
    public void backward() {
        backward(1f);
    }

    /** As {@link #backward()}, with the loss scaled (e.g. 1/accumulation steps). */
    public void backward(float lossScale) {
        backward(lossScale, BackwardListener.NONE);
    }

    /**
     * As {@link #backward(float)}, telling {@code listener} as each group of gradients becomes
     * final: the final LayerNorm's, each block's from the last to the first, then the embeddings'.
     */
    public void backward(float lossScale, BackwardListener listener) {
        head.dropTransposed();
        if (!head.hadTargets()) {
            throw new IllegalStateException("backward needs a forward with targets and without a cache");
        }
        backward(lossScale, null, null, listener);
    }

    /**
     * The final hidden states of the last forward, {@code [B, T, C]}: the output of the final
     * LayerNorm (pre-LN) or of the last block (post-LN), i.e. what the unembedding reads. The live
     * buffer (read it before the next forward): a task head reads its rows and hands its gradient
     * back through {@link #backward(float, float[])}.
     */
    public float[] finalHidden() {
        if (residual == null || cached) {
            throw new IllegalStateException("finalHidden needs a forward without a cache first");
        }
        return head.finalHidden();
    }

    /**
     * The backward of a loss that reads the final hidden states directly as well as through the
     * LM head: d(loss)/d(parameter) for {@code lossScale} times the last forward's mean LM loss
     * (when it had targets; {@code lossScale} 0 skips it) plus a head's gradient
     * {@code dFinalHidden [B, T, C]} with respect to {@link #finalHidden()} (null for none). Both
     * enter at the same point, before the final LayerNorm's backward, so a task head composes with
     * this one backward instead of a second one (GPT-1's L3 = L2 + lambda L1).
     */
    public void backward(float lossScale, float[] dFinalHidden) {
        backward(lossScale, null, dFinalHidden, BackwardListener.NONE);
    }

    /**
     * The backward of a loss that reads the last forward's logits {@code [B, T, V]} directly (a
     * policy gradient: log-probabilities and entropies of chosen tokens) and, optionally, the final
     * hidden states (a value head): {@code dLogits} and {@code dFinalHidden} (null for none) are
     * its gradients. The LM loss of a forward with targets is not included.
     */
    public void backwardLogits(float[] dLogits, float[] dFinalHidden) {
        int n = batch * length * config.vocabSize();
        if (dLogits == null || dLogits.length < n) {
            throw new IllegalArgumentException("dLogits holds " + (dLogits == null ? 0 : dLogits.length)
                    + " values, expected B*T*V = " + n);
        }
        backward(0f, dLogits, dFinalHidden, BackwardListener.NONE);
    }

    private void backward(float lossScale, float[] dLogits, float[] dFinalHidden, BackwardListener listener) {
        head.dropTransposed();
        if (cached || residual == null) {
            throw new IllegalStateException("backward needs a forward without a cache");
        }
        if (weightFormat != WeightFormat.F32) {
            throw new IllegalStateException("this model reads " + weightFormat.label()
                    + " weights for inference; training needs f32 weights");
        }
        boolean lm = head.counted() > 0 && lossScale != 0;
        if (!lm && dLogits == null && dFinalHidden == null) {
            return;
        }
        int b = batch;
        int t = length;
        int n = b * t * config.nEmbd();
        if (dFinalHidden != null && dFinalHidden.length < n) {
            throw new IllegalArgumentException("dFinalHidden holds " + dFinalHidden.length + " values, expected B*T*C = " + n);
        }
        dA = Buffers.atLeast(dA, n);
        dB = Buffers.atLeast(dB, n);
        float[] dy = dA;
        float[] dx = dB;
        head.backward(dy, lossScale, dLogits, dFinalHidden);
        listener.gradientsFinished(ParameterLayout.finalNorm(config));
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(dx, dy, residual[l], b, t);
            listener.gradientsFinished(ParameterLayout.block(config, l));
            float[] swap = dy;
            dy = dx;
            dx = swap;
        }
        if (training && config.dropout() > 0) {
            ElementwiseKernels.multiply(dy, embedMask, n);
        }
        embedding.backward(dy, tokens, b, t);
        listener.gradientsFinished(ParameterLayout.embeddings(config));
    }

    /**
     * The attention probabilities and hidden states of the last forward (copies). Costs nothing
     * until asked for: the forward keeps these activations for the backward anyway.
     */
    public Trace trace() {
        if (residual == null || cached) {
            throw new IllegalStateException("trace needs a forward without a cache first");
        }
        int n = batch * length * config.nEmbd();
        int attn = batch * config.nHead() * length * length;
        float[][] attentions = new float[blocks.length][];
        float[][] hidden = new float[blocks.length + 1][];
        for (int l = 0; l < blocks.length; l++) {
            attentions[l] = java.util.Arrays.copyOf(blocks[l].attentionProbabilities(), attn);
            hidden[l] = java.util.Arrays.copyOf(residual[l], n);
        }
        hidden[blocks.length] = java.util.Arrays.copyOf(head.finalHidden(), n);
        return new Trace(batch, length, config.nHead(), config.nEmbd(), attentions, hidden);
    }

    /**
     * The fused query, key and value projections {@code [B, T, 3C]} of block {@code layer} in the
     * last forward (a copy): row t holds q, then k, then v, each {@code C} wide, head after head.
     * With the trace's probabilities it shows attention step by step (Q K^T, scale, mask, softmax).
     */
    public float[] queryKeyValues(int layer) {
        if (residual == null || cached) {
            throw new IllegalStateException("queryKeyValues needs a forward without a cache first");
        }
        java.util.Objects.checkIndex(layer, blocks.length);
        return java.util.Arrays.copyOf(blocks[layer].queryKeyValues(), batch * length * 3 * config.nEmbd());
    }

    /**
     * The logit lens: {@code rows} residual-stream vectors {@code [rows, C]} starting at
     * {@code offset} (e.g. one position of a hidden state in the trace) read through this model's
     * own head, the final LayerNorm (pre-LN) and the tied unembedding, as if the stack ended
     * there. Returns {@code [rows, V]} logits and leaves the last forward's activations intact.
     */
    public float[] logitLens(float[] hidden, int offset, int rows) {
        return head.read(java.util.Arrays.copyOfRange(hidden, offset, offset + Buffers.checkedProduct(rows, config.nEmbd())), rows);
    }

    /**
     * The position signal (learned or sinusoidal) for at least the first {@code rows} positions,
     * row-major with n_embd columns (learned: all n_positions rows), or null without one.
     */
    public float[] positionTable(int rows) {
        if (rows < 0 || rows > config.nPositions()) {
            throw new IllegalArgumentException("rows must be in [0, n_positions = " + config.nPositions() + "], got " + rows);
        }
        return embedding.positionTable(rows);
    }
}
