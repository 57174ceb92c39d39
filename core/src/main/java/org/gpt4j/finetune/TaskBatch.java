package org.gpt4j.finetune;

import java.util.Arrays;
import java.util.List;
import org.gpt4j.tensor.CrossEntropyKernel;

/**
 * B task sequences of different lengths as one {@code [B, T]} batch for the transformer.
 *
 * <p>Shorter sequences are padded on the right to the longest, T. Right padding is exact, not an
 * approximation: attention is causal, so no real position ever attends to a later pad, and the
 * hidden state at every real position is the one the sequence would get alone. The pads are then
 * simply never read: the head reads each sequence's own extract position, and the LM targets of
 * pad positions (and of the last real token, which has no next token) are ignored (-1). The
 * trainer also groups examples of similar length into a batch, so little compute goes to pads.
 *
 * @param tokens  {@code [B, T]} ids, pads at the right
 * @param targets {@code [B, T]} the next token within the sequence, -1 where there is none
 * @param extract the position of each sequence's extract token (its last real token)
 * @param labels  each sequence's label id (-1 when unknown, for prediction)
 */
public record TaskBatch(int batch, int length, int[] tokens, int[] targets, int[] extract, int[] labels) {

    /** Pads {@code sequences} (each ending with its extract token) with {@code pad}. */
    public static TaskBatch of(List<int[]> sequences, int[] labels, int pad) {
        int b = sequences.size();
        if (b == 0 || labels.length != b) {
            throw new IllegalArgumentException("a batch needs one label per sequence and at least one sequence");
        }
        int t = 0;
        for (int[] s : sequences) {
            t = Math.max(t, s.length);
        }
        int[] tokens = new int[b * t];
        int[] targets = new int[b * t];
        int[] extract = new int[b];
        Arrays.fill(tokens, pad);
        Arrays.fill(targets, CrossEntropyKernel.IGNORE);
        for (int i = 0; i < b; i++) {
            int[] s = sequences.get(i);
            System.arraycopy(s, 0, tokens, i * t, s.length);
            System.arraycopy(s, 1, targets, i * t, s.length - 1);
            extract[i] = s.length - 1;
        }
        return new TaskBatch(b, t, tokens, targets, extract, labels.clone());
    }
}
