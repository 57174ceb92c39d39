package org.gpt4j.model;

/**
 * B sequences of T token ids for a BERT, row-major {@code [B, T]}, with Hugging Face's companions:
 * segment ids ({@code token_type_ids}: 0 for sentence A, 1 for B) and the attention mask (1 for a
 * token, 0 for padding, which no position attends to). Validated against a model's config by
 * {@link Bert}.
 *
 * @param tokenTypes    null for all zeros
 * @param attentionMask null for no padding (all ones)
 */
public record BertInput(int batch, int length, int[] tokens, int[] tokenTypes, int[] attentionMask) {

    public BertInput {
        if (batch <= 0 || length <= 0) {
            throw new IllegalArgumentException("batch and sequence length must be positive, got B=" + batch + ", T=" + length);
        }
        long n = (long) batch * length;
        if (tokens == null || tokens.length != n) {
            throw new IllegalArgumentException("expected B*T = " + n + " token ids, got " + (tokens == null ? 0 : tokens.length));
        }
        if (tokenTypes != null && tokenTypes.length != n) {
            throw new IllegalArgumentException("expected B*T = " + n + " token type ids, got " + tokenTypes.length);
        }
        if (attentionMask != null) {
            if (attentionMask.length != n) {
                throw new IllegalArgumentException("expected B*T = " + n + " attention mask values, got " + attentionMask.length);
            }
            for (int i = 0; i < attentionMask.length; i++) {
                if (attentionMask[i] != 0 && attentionMask[i] != 1) {
                    throw new IllegalArgumentException("attention mask value " + attentionMask[i] + " at position " + i
                            + " must be 0 (padding) or 1 (token)");
                }
            }
        }
    }

    /** One segment, no padding. */
    public static BertInput of(int batch, int length, int[] tokens) {
        return new BertInput(batch, length, tokens, null, null);
    }
}
