package org.gpt4j.generate;

/** Keeps the k highest scores (and any tied with the k-th, as Hugging Face does). */
record TopK(int k) implements LogitsProcessor {

    @Override
    public String name() {
        return "top_k";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        float kth = kthLargest(scores, Math.min(k, scores.length));
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < kth) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The k-th largest score, duplicates counted (torch.topk's last value): one pass, k kept sorted. */
    static float kthLargest(float[] scores, int k) {
        float[] top = new float[k];
        int size = 0;
        for (float s : scores) {
            if (size == k && !(s > top[k - 1])) {
                continue;
            }
            int i = size == k ? k - 1 : size++;
            while (i > 0 && s > top[i - 1]) {
                top[i] = top[i - 1];
                i--;
            }
            top[i] = s;
        }
        return top[k - 1];
    }
}
