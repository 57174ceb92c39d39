package org.gpt4j.generate;

import java.util.Arrays;

/** Keeps the k highest scores (and any tied with the k-th, as Hugging Face does). */
record TopK(int k) implements LogitsProcessor {

    @Override
    public String name() {
        return "top_k";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        int keep = Math.min(k, scores.length);
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        float kth = sorted[sorted.length - keep];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < kth) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
