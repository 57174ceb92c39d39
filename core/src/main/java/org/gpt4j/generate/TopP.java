package org.gpt4j.generate;

import org.gpt4j.tensor.SoftmaxKernel;

/**
 * Nucleus sampling's filter, as Hugging Face computes it: walking the tokens from least to most
 * likely, remove each one while the probability of it and everything below stays at or under
 * {@code 1 - top_p}; the most likely token always stays. What remains is the smallest set of most
 * likely tokens whose probability reaches top_p.
 */
record TopP(double p) implements LogitsProcessor {

    @Override
    public String name() {
        return "top_p";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        int v = scores.length;
        double[] probs = new double[v];
        SoftmaxKernel.softmax(probs, scores, 0, v);
        int[] order = ScoreOrder.ascending(scores);
        double cumulative = 0;
        for (int r = 0; r < order.length - 1; r++) {
            cumulative += probs[order[r]];
            if (cumulative > 1 - p) {
                break;
            }
            scores[order[r]] = Float.NEGATIVE_INFINITY;
        }
    }
}
