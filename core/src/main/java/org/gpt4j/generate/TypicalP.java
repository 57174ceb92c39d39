package org.gpt4j.generate;

import org.gpt4j.tensor.SoftmaxKernel;

/**
 * Locally typical sampling (Meister et al. 2022) as Hugging Face implements it: rank tokens by how
 * far their surprisal {@code -log p} lies from the distribution's entropy, and keep the most
 * typical ones until their probability reaches {@code typical_p}.
 */
record TypicalP(double mass) implements LogitsProcessor {

    @Override
    public String name() {
        return "typical_p";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        int v = scores.length;
        double[] probs = new double[v];
        double logZ = SoftmaxKernel.softmax(probs, scores, 0, v);
        double entropy = 0;
        for (int i = 0; i < v; i++) {
            if (probs[i] > 0) {
                entropy -= probs[i] * (scores[i] - logZ);
            }
        }
        float[] distance = new float[v];
        for (int i = 0; i < v; i++) {
            distance[i] = (float) Math.abs(-(scores[i] - logZ) - entropy);
        }
        int[] order = ScoreOrder.ascending(distance, scores);
        double cumulative = 0;
        int last = 0;
        while (last < order.length - 1) {
            cumulative += probs[order[last]];
            if (!(cumulative < mass)) {
                break;
            }
            last++;
        }
        float threshold = distance[order[last]];
        for (int r = 1; r < order.length; r++) {
            if (distance[order[r]] > threshold) {
                scores[order[r]] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
