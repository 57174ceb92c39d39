package org.gpt4j.generate;

import org.gpt4j.tensor.SoftmaxKernel;

/** Removes tokens less likely than {@code min_p} times the most likely one (which always stays). */
record MinP(double minP) implements LogitsProcessor {

    @Override
    public String name() {
        return "min_p";
    }

    @Override
    public void process(int[] ids, int length, float[] scores) {
        int v = scores.length;
        double[] probs = new double[v];
        SoftmaxKernel.softmax(probs, scores, 0, v);
        int top = SoftmaxKernel.argmax(scores, 0, v);
        double threshold = minP * probs[top];
        for (int i = 0; i < v; i++) {
            if (i != top && probs[i] < threshold) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
