package org.gpt4j.model;

import org.gpt4j.tensor.CrossEntropyKernel;

/**
 * The checks a GPT forward makes of its input before touching a weight: a batch of B sequences
 * of T token ids (and, for a loss, T targets each, -1 ignored) that fits the model's context
 * window and vocabulary. One error each, naming the position, so a bad id never indexes past the
 * embedding table.
 */
final class TokenBatch {

    private TokenBatch() {
    }

    static void check(GptConfig config, int[] tokens, int[] targets, int b, int t) {
        if (b <= 0 || t <= 0) {
            throw new IllegalArgumentException("batch and sequence length must be positive, got B=" + b + ", T=" + t);
        }
        if (t > config.nPositions()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens is longer than the context window (n_positions = "
                    + config.nPositions() + ")");
        }
        if (tokens.length != b * t) {
            throw new IllegalArgumentException("expected B*T = " + (b * t) + " token ids, got " + tokens.length);
        }
        int v = config.vocabSize();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= v) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at position " + i
                        + " is outside the vocabulary (vocab_size = " + v + ")");
            }
        }
        if (targets != null) {
            if (targets.length != b * t) {
                throw new IllegalArgumentException("expected B*T = " + (b * t) + " targets, got " + targets.length);
            }
            for (int i = 0; i < targets.length; i++) {
                if (targets[i] < CrossEntropyKernel.IGNORE || targets[i] >= v) {
                    throw new IllegalArgumentException("target id " + targets[i] + " at position " + i
                            + " is outside the vocabulary (vocab_size = " + v + "; -1 means ignored)");
                }
            }
        }
    }
}
