package org.gpt4j.model;

/**
 * What one forward pass saw inside the model, copied out of the activations it keeps anyway.
 *
 * @param attentions   per layer, the attention probabilities {@code [B, NH, T, T]} (row = query)
 * @param hiddenStates n_layer + 1 tensors {@code [B, T, C]}, in Hugging Face's convention: entry i
 *                     (i < n_layer) is the input of block i, so entry 0 is the embedding; the last
 *                     is the stack's output after the final LayerNorm (pre-LN) or the last block
 *                     (post-LN)
 */
public record Trace(int batch, int length, int nHead, int nEmbd, float[][] attentions, float[][] hiddenStates) {

    /** The attention probability of query position {@code q} on key position {@code k}. */
    public float attention(int layer, int b, int head, int q, int k) {
        return attentions[layer][((b * nHead + head) * length + q) * length + k];
    }

    public float hiddenState(int index, int b, int t, int channel) {
        return hiddenStates[index][(b * length + t) * nEmbd + channel];
    }
}
