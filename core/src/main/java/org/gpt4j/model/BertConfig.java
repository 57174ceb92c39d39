package org.gpt4j.model;

/**
 * The shape of a BERT, with Hugging Face's {@code BertConfig} field names in the messages.
 *
 * @param vocabSize             number of token ids (V)
 * @param hiddenSize            width of the residual stream (C)
 * @param numHiddenLayers       number of encoder blocks
 * @param numAttentionHeads     attention heads per block; must divide {@code hiddenSize}
 * @param intermediateSize      width of the feed-forward hidden layer (BERT: 4 C)
 * @param maxPositionEmbeddings the longest sequence (rows of the position embedding)
 * @param typeVocabSize         number of segment (token type) ids; 2 for sentence pairs
 * @param layerNormEps          added to the variance inside every LayerNorm
 * @param hiddenAct             the feed-forward (and MLM transform) non-linearity; BERT: exact GELU
 * @param dropout               probability of dropping an activation while training (embeddings,
 *                              attention probabilities, residual branches): Hugging Face's
 *                              hidden_dropout_prob (its attention_probs_dropout_prob is the same
 *                              0.1 in every released BERT); 0 turns it off
 */
public record BertConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        int typeVocabSize,
        double layerNormEps,
        Activation hiddenAct,
        double dropout) {

    public BertConfig {
        requirePositive("vocab_size", vocabSize);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        requirePositive("type_vocab_size", typeVocabSize);
        GptConfig.derivedWidth("hidden_size", hiddenSize, 3, "the attention's query-key-value width");
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size (" + hiddenSize + ") must be divisible by num_attention_heads ("
                    + numAttentionHeads + ")");
        }
        if (!(layerNormEps > 0) || Double.isInfinite(layerNormEps)) {
            throw new IllegalArgumentException("layer_norm_eps must be a positive number, got " + layerNormEps);
        }
        if (hiddenAct == null) {
            throw new IllegalArgumentException("hidden_act is required");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("hidden_dropout_prob must be in [0, 1), got " + dropout);
        }
    }

    /** BERT-Base's proportions at another size: 4x feed-forward, 512 positions, 2 segments, GELU, eps 1e-12, dropout 0.1. */
    public static BertConfig of(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                GptConfig.derivedWidth("hidden_size", hiddenSize, 4, "the feed-forward width"), 512, 2, 1e-12,
                Activation.GELU, 0.1);
    }

    /** Width of one attention head (C / NH). */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    public BertConfig withDropout(double d) {
        return new BertConfig(vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                maxPositionEmbeddings, typeVocabSize, layerNormEps, hiddenAct, d);
    }

    /**
     * The same stack as GPT's blocks see it: post-LayerNorm (the original Transformer's, which BERT
     * keeps), learned positions, the same widths. The blocks take this; the encoder's bidirectional
     * attention is a switch on the block, not a field of the shape.
     */
    GptConfig blockConfig() {
        return new GptConfig(numHiddenLayers, numAttentionHeads, hiddenSize, maxPositionEmbeddings, vocabSize,
                intermediateSize, layerNormEps, hiddenAct, PositionalEncoding.LEARNED, LayerNormPlacement.POST, dropout);
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }
}
