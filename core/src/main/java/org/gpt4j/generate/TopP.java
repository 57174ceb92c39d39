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
        // Only the top of the distribution needs sorting: the tokens of the lowest binades of
        // probability whose total stays at or under 1 - top_p are removed whatever their order
        // (they form the start of the ascending walk). One pass sums each binade's mass.
        double[] binadeMass = new double[BINADES];
        for (int i = 0; i < v; i++) {
            if (scores[i] != Float.NEGATIVE_INFINITY) {
                binadeMass[binade(probs[i])] += probs[i];
            }
        }
        double removed = 0;
        int keepFrom = 0;
        while (keepFrom < BINADES - 1 && removed + binadeMass[keepFrom] <= 1 - p) {
            removed += binadeMass[keepFrom++];
        }
        int[] candidates = new int[v];
        int n = 0;
        for (int i = 0; i < v; i++) {
            if (scores[i] != Float.NEGATIVE_INFINITY) {
                if (binade(probs[i]) < keepFrom) {
                    scores[i] = Float.NEGATIVE_INFINITY;
                } else {
                    candidates[n++] = i;
                }
            }
        }
        int[] order = ScoreOrder.ascending(scores, candidates, n);
        double cumulative = removed;
        for (int r = 0; r < order.length - 1; r++) {
            cumulative += probs[order[r]];
            if (cumulative > 1 - p) {
                break;
            }
            scores[order[r]] = Float.NEGATIVE_INFINITY;
        }
    }

    /** Probability binades, lowest first: [0, 2^-62), [2^-62, 2^-61), ..., [2^-1, 1]. */
    private static final int BINADES = 64;

    private static int binade(double probability) {
        if (!(probability >= 0x1p-62)) {
            return 0;
        }
        return Math.min(BINADES - 1, Math.getExponent(probability) + BINADES - 1);
    }
}
