package org.gpt4j.fewshot;

import org.gpt4j.evaluate.ClassificationMetrics;

/**
 * The outcome of a few-shot run over a data file.
 *
 * @param accuracy of the predictions (calibrated ones when calibrating)
 * @param accuracyUncalibrated the same run's accuracy before calibration
 * @param metrics macro-F1 and the confusion matrix over the labels (calibrated when calibrating),
 *     or null for multiple choice
 * @param metricsUncalibrated the same before calibration, or null
 * @param predictions each question's chosen answer index
 * @param demonstrationsDropped demonstrations left out over all prompts, to fit the context
 * @param promptsWithDrops prompts that lost at least one demonstration
 * @param questionsCut questions whose own first tokens were cut (too long even alone)
 * @param meanDemonstrations demonstrations per prompt after dropping
 * @param positions positions run through the model (less than the prompts' total: the cached prefix)
 */
public record FewShotResult(int n, int shots, double accuracy, double accuracyUncalibrated, ClassificationMetrics metrics,
        ClassificationMetrics metricsUncalibrated, int[] predictions, long demonstrationsDropped, int promptsWithDrops,
        int questionsCut, double meanDemonstrations, long positions) {
}
