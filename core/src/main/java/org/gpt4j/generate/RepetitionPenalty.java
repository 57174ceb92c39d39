package org.gpt4j.generate;

import java.util.BitSet;

/**
 * CTRL's repetition penalty as Hugging Face applies it: each distinct token already in the
 * sequence (prompt included) has a positive score divided by the penalty and a negative one
 * multiplied by it, so a penalty above 1 always makes repeating less likely.
 */
record RepetitionPenalty(double penalty) implements LogitsProcessor {

    @Override
    public String name() {
        return "repetition_penalty";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        BitSet seen = new BitSet(scores.length);
        for (int i = 0; i < length; i++) {
            int t = ids[i];
            if (!seen.get(t)) {
                seen.set(t);
                float s = scores[t];
                scores[t] = (float) (s < 0 ? s * penalty : s / penalty);
            }
        }
    }
}
