package org.gpt4j.fewshot;

/**
 * How a candidate answer's token log-probabilities become its score. {@code SUM} is the answer's
 * log-likelihood, log p(answer | prompt): the right measure for a fixed set of label words, whose
 * length differences are part of what the model knows (and which calibration divides out).
 * {@code MEAN} divides by the answer's token count, GPT-3's per-token normalisation for
 * multiple-choice options of different lengths, where a sum would favour the shortest option.
 */
public enum Scoring {
    SUM("sum"),
    MEAN("mean");

    private final String label;

    Scoring(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public double score(double logLikelihood, int tokens) {
        return this == SUM ? logLikelihood : logLikelihood / tokens;
    }

    public static Scoring fromLabel(String label) {
        for (Scoring s : values()) {
            if (s.label.equalsIgnoreCase(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scoring '" + label + "' (expected sum or mean)");
    }
}
