package org.gpt4j.finetune.instruct;

import java.util.Arrays;
import java.util.List;
import org.gpt4j.tensor.CrossEntropyKernel;

/**
 * B rendered conversations as one {@code [B, T]} batch, padded on the right to the longest. Right
 * padding is exact: attention is causal, so no real position attends to a later pad, and the pads
 * carry target -1, so they add nothing to the loss or its gradient. The loss the GPT computes over
 * this batch is the mean over every assistant token of the batch (Hugging Face's convention for
 * labels of -100).
 *
 * @param tokens  {@code [B, T]} ids, pads at the right
 * @param targets {@code [B, T]} each conversation's targets ({@link ChatTemplate.Rendered}), -1 on pads
 */
public record InstructionBatch(int batch, int length, int[] tokens, int[] targets) {

    /** Pads {@code conversations} with {@code pad} (any id: pads are never read). */
    public static InstructionBatch of(List<ChatTemplate.Rendered> conversations, int pad) {
        int b = conversations.size();
        if (b == 0) {
            throw new IllegalArgumentException("a batch needs at least one conversation");
        }
        int t = 0;
        for (ChatTemplate.Rendered r : conversations) {
            t = Math.max(t, r.tokens().length);
        }
        int[] tokens = new int[b * t];
        int[] targets = new int[b * t];
        Arrays.fill(tokens, pad);
        Arrays.fill(targets, CrossEntropyKernel.IGNORE);
        for (int i = 0; i < b; i++) {
            ChatTemplate.Rendered r = conversations.get(i);
            System.arraycopy(r.tokens(), 0, tokens, i * t, r.tokens().length);
            System.arraycopy(r.targets(), 0, targets, i * t, r.targets().length);
        }
        return new InstructionBatch(b, t, tokens, targets);
    }
}
