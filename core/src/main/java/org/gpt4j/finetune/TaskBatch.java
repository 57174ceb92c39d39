package org.gpt4j.finetune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gpt4j.tensor.CrossEntropyKernel;

/**
 * A batch of examples as one {@code [B, T]} batch of sequences for the transformer. An example
 * owns {@code group} consecutive sequences: 1 for classification and entailment, 2 for
 * similarity (both orders), N for multiple choice (one per option); so B = examples x group.
 *
 * <p>Shorter sequences are padded on the right to the longest, T. Right padding is exact, not an
 * approximation: attention is causal, so no real position ever attends to a later pad, and the
 * hidden state at every real position is the one the sequence would get alone. The pads are then
 * simply never read: the head reads each sequence's own extract position, and the LM targets of
 * pad positions (and of the last real token, which has no next token) are ignored (-1). The
 * trainer also groups examples of similar length into a batch, so little compute goes to pads.
 *
 * @param batch   B, the number of sequences
 * @param group   sequences per example
 * @param tokens  {@code [B, T]} ids, pads at the right
 * @param targets {@code [B, T]} the next token within the sequence, -1 where there is none
 * @param extract the position of each sequence's extract token (its last real token)
 * @param labels  each example's label id (-1 when unknown, for prediction)
 */
public record TaskBatch(int batch, int group, int length, int[] tokens, int[] targets, int[] extract, int[] labels) {

    /** Examples of one sequence each (classification, entailment). */
    public static TaskBatch of(List<int[]> sequences, int[] labels, int pad) {
        List<int[][]> examples = new ArrayList<>(sequences.size());
        for (int[] s : sequences) {
            examples.add(new int[][] {s});
        }
        return ofExamples(examples, labels, pad);
    }

    /** Pads the sequences of {@code examples} (each ending with its extract token) with {@code pad}. */
    public static TaskBatch ofExamples(List<int[][]> examples, int[] labels, int pad) {
        int e = examples.size();
        if (e == 0 || labels.length != e) {
            throw new IllegalArgumentException("a batch needs one label per example and at least one example");
        }
        int group = examples.get(0).length;
        int t = 0;
        for (int[][] ex : examples) {
            if (ex.length != group || group == 0) {
                throw new IllegalArgumentException("every example of a batch needs the same number of sequences, found "
                        + group + " and " + ex.length);
            }
            for (int[] s : ex) {
                t = Math.max(t, s.length);
            }
        }
        int b = e * group;
        int[] tokens = new int[b * t];
        int[] targets = new int[b * t];
        int[] extract = new int[b];
        Arrays.fill(tokens, pad);
        Arrays.fill(targets, CrossEntropyKernel.IGNORE);
        for (int i = 0; i < b; i++) {
            int[] s = examples.get(i / group)[i % group];
            System.arraycopy(s, 0, tokens, i * t, s.length);
            System.arraycopy(s, 1, targets, i * t, s.length - 1);
            extract[i] = s.length - 1;
        }
        return new TaskBatch(b, group, t, tokens, targets, extract, labels.clone());
    }

    /** The number of examples, B / group. */
    public int examples() {
        return batch / group;
    }
}
