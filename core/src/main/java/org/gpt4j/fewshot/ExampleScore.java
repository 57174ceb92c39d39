package org.gpt4j.fewshot;

/**
 * How one question was scored.
 *
 * @param logLikelihoods log p(answer | prompt) of each candidate answer
 * @param tokens each answer's token count
 * @param scores what is compared: the log-likelihood, or its per-token mean ({@link Scoring})
 * @param probabilities softmax of the scores over the candidates
 * @param contentFree p_cf: the same for the content-free input, or null without calibration
 * @param calibrated the calibrated probabilities, or null without calibration
 * @param predicted the chosen answer: the most probable after calibration when calibrating
 * @param predictedUncalibrated the most probable before calibration
 */
public record ExampleScore(Prompt prompt, double[] logLikelihoods, int[] tokens, double[] scores, double[] probabilities,
        double[] contentFree, double[] calibrated, int predicted, int predictedUncalibrated) {
}
