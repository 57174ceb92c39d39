package org.gpt4j.inspect;

import org.gpt4j.model.Trace;

/**
 * Everything one forward pass over a single sequence shows: the ids, the logits at every
 * position, the next-token loss, and the trace (attention probabilities, hidden states).
 *
 * @param logits {@code [T, V]} row-major
 * @param loss   mean cross-entropy of predicting tokens[1..T) from their prefixes; null when T = 1
 */
public record Inspection(int[] tokens, int vocabSize, float[] logits, Float loss, Trace trace) {

    public int length() {
        return tokens.length;
    }
}
