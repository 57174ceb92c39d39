package org.gpt4j.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.gpt4j.tensor.AttentionKernel;
import org.gpt4j.tensor.CrossEntropyKernel;
import org.gpt4j.tensor.ElementwiseKernels;

/**
 * BERT (Devlin et al. 2018) for pre-training: token + position + segment embeddings and their
 * LayerNorm ({@link BertEmbeddings}), the same {@link Block}s as {@link Gpt} with the causal mask
 * off and a padding mask on (post-LN, exact GELU), then the pooler on [CLS] with the
 * next-sentence head, and the masked-LM head tied to the word embedding:
 *
 * <pre>
 * h_0 = drop(LN_e(wte[x] + wpe[t] + wtt[s]));  h_l = block_l(h_{l-1}, padding)   (bidirectional)
 * mlm = LN(gelu(h_L W_t + b_t)) wte^T + b;  nsp = tanh(h_L[CLS] W_p + b_p) W_n + b_n
 * loss = mean CE(mlm at masked positions) + mean CE(nsp)
 * </pre>
 *
 * An explicit forward and backward over buffers kept between them, as in {@link Gpt}. Labels
 * follow Hugging Face: {@link #IGNORE} (-100) marks a position (or pair) that does not count.
 *
 * <p>Not thread-safe: a Bert owns the activation buffers of its last forward.
 */
public final class Bert {

    /** Hugging Face's ignore index for MLM and NSP labels. */
    public static final int IGNORE = -100;

    private final BertConfig config;
    private final Parameters parameters;
    private final BertEmbeddings embeddings;
    private final Block[] blocks;
    private final BertPooler pooler;
    private final MlmHead mlm;
    private final NspHead nsp;

    private boolean training;
    private long dropoutSeed;
    private long forwardCount;

    // The last forward's input and activations.
    private BertInput input;
    private int[] tokenTypes;
    private float[][] residual;
    private float[] keyBias;
    private float[] embedMask;
    private boolean dropping;
    // Backward scratch.
    private float[] dA;
    private float[] dB;
    private float[] dpooled;

    public Bert(BertConfig config, Parameters parameters) {
        if (!parameters.layout().specs().equals(BertLayout.of(config).specs())) {
            throw new IllegalArgumentException("parameters do not match the config's layout");
        }
        if (parameters.weightFormat() != org.gpt4j.tensor.WeightFormat.F32) {
            throw new IllegalArgumentException("a BERT reads f32 weights");
        }
        this.config = config;
        this.parameters = parameters;
        this.embeddings = new BertEmbeddings(parameters, config);
        GptConfig shape = config.blockConfig();
        this.blocks = new Block[config.numHiddenLayers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new Block(parameters, l, shape, null, false);
        }
        this.pooler = new BertPooler(parameters, config);
        this.mlm = new MlmHead(parameters, config);
        this.nsp = new NspHead(parameters, config);
    }

    public BertConfig config() {
        return config;
    }

    public Parameters parameters() {
        return parameters;
    }

    /** Training mode turns dropout on, reproducibly (as {@link Gpt#setTraining}). */
    public void setTraining(boolean training, long dropoutSeed) {
        this.training = training;
        this.dropoutSeed = dropoutSeed;
    }

    public long forwardCount() {
        return forwardCount;
    }

    public void setForwardCount(long forwardCount) {
        this.forwardCount = forwardCount;
    }

    /** MLM logits at every position and NSP logits, without a loss. */
    public BertOutput forward(BertInput in) {
        return run(in, allPositions(in), null, null);
    }

    /**
     * The encoder and the pooler without the MLM head (feature extraction): read
     * {@link #lastHiddenState()} and {@link #pooled()}; the NSP logits come along.
     */
    public BertOutput encode(BertInput in) {
        return run(in, new int[0], null, null);
    }

    /** MLM logits only at {@code positions} (row-major {@code b * T + t}: fill-mask's [MASK]s) and NSP logits. */
    public BertOutput predict(BertInput in, int[] positions) {
        for (int p : positions) {
            if (p < 0 || p >= in.tokens().length) {
                throw new IllegalArgumentException("position " + p + " is outside the " + in.batch() + " x " + in.length() + " batch");
            }
        }
        return run(in, positions.clone(), null, null);
    }

    /**
     * The pre-training loss: {@code mlmLabels [B, T]} (a token id where the MLM predicts, -100
     * elsewhere; null for none) and {@code nspLabels [B]} (0 is-next, 1 random, -100 ignored; null
     * for no NSP loss, RoBERTa's MLM alone). MLM logits are computed at the labelled positions only.
     */
    public BertOutput forward(BertInput in, int[] mlmLabels, int[] nspLabels) {
        int n = in.tokens().length;
        int[] positions = allPositions(in);
        int[] targets = null;
        if (mlmLabels != null) {
            if (mlmLabels.length != n) {
                throw new IllegalArgumentException("expected B*T = " + n + " MLM labels, got " + mlmLabels.length);
            }
            int count = 0;
            for (int i = 0; i < n; i++) {
                int y = mlmLabels[i];
                if (y != IGNORE && (y < 0 || y >= config.vocabSize())) {
                    throw new IllegalArgumentException("MLM label " + y + " at position " + i + " is outside the vocabulary (vocab_size = "
                            + config.vocabSize() + "; -100 means not predicted)");
                }
                count += y == IGNORE ? 0 : 1;
            }
            positions = new int[count];
            targets = new int[count];
            for (int i = 0, k = 0; i < n; i++) {
                if (mlmLabels[i] != IGNORE) {
                    positions[k] = i;
                    targets[k++] = mlmLabels[i];
                }
            }
        }
        int[] nspTargets = null;
        if (nspLabels != null) {
            if (nspLabels.length != in.batch()) {
                throw new IllegalArgumentException("expected B = " + in.batch() + " next-sentence labels, got " + nspLabels.length);
            }
            nspTargets = new int[nspLabels.length];
            for (int i = 0; i < nspLabels.length; i++) {
                int y = nspLabels[i];
                if (y != IGNORE && y != 0 && y != 1) {
                    throw new IllegalArgumentException("next-sentence label " + y + " of sequence " + i
                            + " must be 0 (is next), 1 (random) or -100 (ignored)");
                }
                nspTargets[i] = y == IGNORE ? CrossEntropyKernel.IGNORE : y;
            }
        }
        return run(in, positions, targets, nspTargets);
    }

    private BertOutput run(BertInput in, int[] positions, int[] mlmTargets, int[] nspTargets) {
        validate(in);
        int b = in.batch();
        int t = in.length();
        int c = config.hiddenSize();
        int n = Buffers.checkedProduct(b, t, c);
        this.input = in;
        this.tokenTypes = in.tokenTypes() != null ? in.tokenTypes() : new int[b * t];
        if (residual == null) {
            residual = new float[blocks.length + 1][];
        }
        for (int l = 0; l <= blocks.length; l++) {
            residual[l] = Buffers.atLeast(residual[l], n);
        }
        float[] bias = null;
        if (in.attentionMask() != null && hasPadding(in.attentionMask())) {
            keyBias = Buffers.atLeast(keyBias, b * t);
            for (int i = 0; i < b * t; i++) {
                keyBias[i] = in.attentionMask()[i] == 0 ? AttentionKernel.PADDING_BIAS : 0f;
            }
            bias = keyBias;
        }
        RandomGenerator rng = training && config.dropout() > 0
                ? new SplittableRandom(dropoutSeed * 0x9E3779B97F4A7C15L + forwardCount) : null;
        forwardCount++;
        dropping = rng != null;

        embeddings.forward(residual[0], in.tokens(), tokenTypes, b, t);
        if (dropping) {
            embedMask = Buffers.atLeast(embedMask, n);
            ElementwiseKernels.dropoutMask(embedMask, n, (float) config.dropout(), rng);
            ElementwiseKernels.multiply(residual[0], embedMask, n);
        }
        for (int l = 0; l < blocks.length; l++) {
            blocks[l].forward(residual[l + 1], residual[l], b, t, rng, null, bias);
        }
        float[] top = residual[blocks.length];
        float mlmLoss = mlm.forward(top, positions, mlmTargets);
        float[] pooled = pooler.forward(top, b, t);
        float nspLoss = nsp.forward(pooled, b, nspTargets);
        boolean anyLoss = mlm.counted() > 0 || nsp.counted() > 0;
        float loss = anyLoss ? (mlm.counted() > 0 ? mlmLoss : 0f) + (nsp.counted() > 0 ? nspLoss : 0f) : Float.NaN;
        return new BertOutput(b, t, config.vocabSize(), mlm.logits(), positions, nsp.logits(), loss, mlmLoss, nspLoss,
                mlm.counted());
    }

    /**
     * Adds d(loss)/d(parameter) of the last forward (which must have had labels) into every
     * parameter's gradient. Call {@link Parameters#zeroGrad()} between optimisation steps.
     */
    public void backward() {
        backward(1f);
    }

    /** As {@link #backward()}, with the loss scaled (e.g. 1/accumulation steps). */
    public void backward(float lossScale) {
        backward(lossScale, null, BackwardListener.NONE);
    }

    /**
     * As {@link #backward(float)}, telling {@code listener} as each group of gradients becomes
     * final: the heads' and the pooler's, each block's from the last to the first, then the
     * embeddings' (the word embeddings last: the MLM decoder is tied to them).
     */
    public void backward(float lossScale, BackwardListener listener) {
        backward(lossScale, null, listener);
    }

    /**
     * As {@link #backward(float)}, plus {@code dPooled [B, C]}: the gradient a head outside the
     * model (a fine-tuned classifier on [CLS], BertForSequenceClassification's) sends back to the
     * pooler's output, already scaled. With it, the forward needs no labels of its own.
     */
    public void backward(float lossScale, float[] dPooled) {
        backward(lossScale, dPooled, BackwardListener.NONE);
    }

    private void backward(float lossScale, float[] dPooled, BackwardListener listener) {
        if (input == null || (mlm.counted() == 0 && nsp.counted() == 0 && dPooled == null)) {
            throw new IllegalStateException("backward needs a forward with MLM or next-sentence labels, or a pooled gradient");
        }
        if (dPooled != null && dPooled.length != input.batch() * config.hiddenSize()) {
            throw new IllegalArgumentException("expected B*C = " + input.batch() * config.hiddenSize()
                    + " pooled gradients, got " + dPooled.length);
        }
        int b = input.batch();
        int t = input.length();
        int c = config.hiddenSize();
        int n = b * t * c;
        dA = Buffers.zeroed(dA, n);
        dB = Buffers.atLeast(dB, n);
        dpooled = Buffers.zeroed(dpooled, b * c);
        float[] dy = dA;
        float[] dx = dB;
        // d h_L = mlm'(...) + pooler'(nsp'(...)): both heads read the last block's output
        mlm.backward(dy, lossScale);
        nsp.backward(dpooled, lossScale);
        if (dPooled != null) {
            ElementwiseKernels.accumulate(dpooled, dPooled, b * c);
        }
        pooler.backward(dy, dpooled, t);
        listener.gradientsFinished(BertLayout.heads(config));
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(dx, dy, residual[l], b, t);
            listener.gradientsFinished(ParameterLayout.block(config.blockConfig(), l));
            float[] swap = dy;
            dy = dx;
            dx = swap;
        }
        if (dropping) {
            ElementwiseKernels.multiply(dy, embedMask, n);
        }
        embeddings.backward(dy, input.tokens(), tokenTypes, b, t);
        listener.gradientsFinished(BertLayout.embeddings(config));
    }

    /**
     * The last block's output {@code [B, T, C]} (Hugging Face's {@code last_hidden_state}): the live
     * buffer, valid until the next forward.
     */
    public float[] lastHiddenState() {
        requireForward();
        return residual[blocks.length];
    }

    /** The pooler's output {@code [B, C]} (tanh on [CLS]): the live buffer. */
    public float[] pooled() {
        requireForward();
        return pooler.pooled();
    }

    /**
     * The attention probabilities {@code [B, NH, T, T]} (full: no causal zeros; zero on padded
     * keys) and the n_layer + 1 hidden states of the last forward (copies), in Hugging Face's
     * convention: entry 0 the embeddings' output, entry l the output of block l.
     */
    public Trace trace() {
        requireForward();
        int b = input.batch();
        int t = input.length();
        int n = b * t * config.hiddenSize();
        int attn = b * config.numAttentionHeads() * t * t;
        float[][] attentions = new float[blocks.length][];
        float[][] hidden = new float[blocks.length + 1][];
        for (int l = 0; l <= blocks.length; l++) {
            hidden[l] = Arrays.copyOf(residual[l], n);
            if (l < blocks.length) {
                attentions[l] = Arrays.copyOf(blocks[l].attentionProbabilities(), attn);
            }
        }
        return new Trace(b, t, config.numAttentionHeads(), config.hiddenSize(), attentions, hidden);
    }

    /**
     * Layer {@code layer}'s queries, keys and values of the last forward, {@code [B, T, 3C]} (a
     * copy): what the studio shows the attention's steps from.
     */
    public float[] queryKeyValues(int layer) {
        requireForward();
        return Arrays.copyOf(blocks[layer].queryKeyValues(), input.batch() * input.length() * 3 * config.hiddenSize());
    }

    private void requireForward() {
        if (input == null) {
            throw new IllegalStateException("no forward has run yet");
        }
    }

    private static boolean hasPadding(int[] attentionMask) {
        for (int m : attentionMask) {
            if (m == 0) {
                return true;
            }
        }
        return false;
    }

    private static int[] allPositions(BertInput in) {
        int[] all = new int[in.tokens().length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private void validate(BertInput in) {
        if (in.length() > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence of " + in.length() + " tokens is longer than max_position_embeddings ("
                    + config.maxPositionEmbeddings() + ")");
        }
        int[] tokens = in.tokens();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at position " + i
                        + " is outside the vocabulary (vocab_size = " + config.vocabSize() + ")");
            }
        }
        int[] types = in.tokenTypes();
        for (int i = 0; types != null && i < types.length; i++) {
            if (types[i] < 0 || types[i] >= config.typeVocabSize()) {
                throw new IllegalArgumentException("token type id " + types[i] + " at position " + i
                        + " is outside [0, type_vocab_size = " + config.typeVocabSize() + ")");
            }
        }
    }
}
