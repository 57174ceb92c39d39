package org.gpt4j.model;

/**
 * The shape of a GPT, with GPT-2's field names and the variants the original papers teach.
 *
 * @param nLayer           number of decoder blocks
 * @param nHead            attention heads per block; must divide {@code nEmbd}
 * @param nEmbd            width of the residual stream (C)
 * @param nPositions       the context window: the longest sequence the model reads
 * @param vocabSize        number of token ids (V)
 * @param nInner           width of the feed-forward hidden layer (GPT-2: 4 * nEmbd)
 * @param layerNormEpsilon added to the variance inside every LayerNorm
 * @param activation       the feed-forward non-linearity
 * @param positionalEncoding learned (GPT-2), sinusoidal (the Transformer) or none
 * @param layerNorm        pre (GPT-2) or post (GPT-1, the Transformer)
 * @param dropout          probability of dropping an activation while training (embeddings,
 *                         attention probabilities, residual branches); 0 turns it off
 */
public record GptConfig(
        int nLayer,
        int nHead,
        int nEmbd,
        int nPositions,
        int vocabSize,
        int nInner,
        double layerNormEpsilon,
        Activation activation,
        PositionalEncoding positionalEncoding,
        LayerNormPlacement layerNorm,
        double dropout) {

    public GptConfig {
        requirePositive("n_layer", nLayer);
        requirePositive("n_head", nHead);
        requirePositive("n_embd", nEmbd);
        requirePositive("n_positions", nPositions);
        requirePositive("vocab_size", vocabSize);
        requirePositive("n_inner", nInner);
        // Widths derived from n_embd are tensor dimensions (ints): 3 C for the query-key-value
        // projection. Checked here, exactly, so an absurd width fails with its field's name.
        derivedWidth("n_embd", nEmbd, 3, "the attention's query-key-value width");
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_embd (" + nEmbd + ") must be divisible by n_head (" + nHead + ")");
        }
        if (!(layerNormEpsilon > 0) || Double.isInfinite(layerNormEpsilon)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be a positive number, got " + layerNormEpsilon);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation_function is required");
        }
        if (positionalEncoding == null) {
            throw new IllegalArgumentException("position_encoding is required");
        }
        if (layerNorm == null) {
            throw new IllegalArgumentException("layer_norm_placement is required");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (positionalEncoding == PositionalEncoding.SINUSOIDAL && nEmbd % 2 != 0) {
            throw new IllegalArgumentException("sinusoidal positions need an even n_embd, got " + nEmbd);
        }
    }

    /** A GPT-2 shaped config: 4x feed-forward, gelu_new, learned positions, pre-LayerNorm, no dropout. */
    public static GptConfig gpt2(int nLayer, int nHead, int nEmbd, int nPositions, int vocabSize) {
        return new GptConfig(nLayer, nHead, nEmbd, nPositions, vocabSize, defaultInner(nEmbd), 1e-5,
                Activation.GELU_NEW, PositionalEncoding.LEARNED, LayerNormPlacement.PRE, 0.0);
    }

    /**
     * GPT-2's feed-forward width, 4 n_embd, computed exactly.
     *
     * @throws IllegalArgumentException naming n_embd when 4 n_embd passes the largest int
     */
    public static int defaultInner(int nEmbd) {
        return derivedWidth("n_embd", nEmbd, 4, "the feed-forward width");
    }

    /**
     * {@code factor * value}, a tensor dimension derived from {@code field}.
     *
     * @throws IllegalArgumentException naming the field when the product is not an int
     */
    static int derivedWidth(String field, int value, int factor, String what) {
        try {
            return Math.multiplyExact(factor, value);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + " " + value + " is too large: " + what + ", " + factor + " x "
                    + field + " = " + (long) factor * value + ", exceeds " + Integer.MAX_VALUE);
        }
    }

    /** Width of one attention head (C / NH). */
    public int headSize() {
        return nEmbd / nHead;
    }

    public GptConfig withActivation(Activation a) {
        return new GptConfig(nLayer, nHead, nEmbd, nPositions, vocabSize, nInner, layerNormEpsilon, a,
                positionalEncoding, layerNorm, dropout);
    }

    public GptConfig withPositionalEncoding(PositionalEncoding p) {
        return new GptConfig(nLayer, nHead, nEmbd, nPositions, vocabSize, nInner, layerNormEpsilon, activation,
                p, layerNorm, dropout);
    }

    public GptConfig withLayerNorm(LayerNormPlacement p) {
        return new GptConfig(nLayer, nHead, nEmbd, nPositions, vocabSize, nInner, layerNormEpsilon, activation,
                positionalEncoding, p, dropout);
    }

    public GptConfig withDropout(double d) {
        return new GptConfig(nLayer, nHead, nEmbd, nPositions, vocabSize, nInner, layerNormEpsilon, activation,
                positionalEncoding, layerNorm, d);
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
