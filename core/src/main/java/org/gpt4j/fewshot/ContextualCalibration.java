package org.gpt4j.fewshot;

/**
 * Contextual calibration (Zhao et al. 2021, "Calibrate Before Use"): the model's label
 * probabilities for a content-free input ("N/A" in every field, after the same demonstrations),
 * p_cf, measure the prompt's bias towards each label; the calibrated probabilities are
 * {@code q = softmax-normalise(W p)} with {@code W = diag(p_cf)^-1} and {@code b = 0}, i.e.
 * {@code q_i = (p_i / p_cf_i) / sum_j (p_j / p_cf_j)}. With uniform p_cf nothing changes.
 */
public final class ContextualCalibration {

    private ContextualCalibration() {
    }

    /** softmax(scores): the label probabilities from their log-scores. */
    public static double[] probabilities(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(scores[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * q_i = (p_i / p_cf_i) / sum_j (p_j / p_cf_j), computed from the log-scores (so that a label the
     * content-free input finds very unlikely cannot overflow): q = softmax(score - score_cf).
     */
    public static double[] calibrate(double[] scores, double[] contentFreeScores) {
        if (scores.length != contentFreeScores.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + contentFreeScores.length + " content-free scores");
        }
        // p_i / p_cf_i = exp(s_i - s_cf_i) * (Z_cf / Z): the normalisers are common to every label and cancel.
        double[] d = new double[scores.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = scores[i] - contentFreeScores[i];
        }
        return probabilities(d);
    }
}
