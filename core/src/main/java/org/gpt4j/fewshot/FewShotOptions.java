package org.gpt4j.fewshot;

/**
 * The settings of one few-shot run.
 *
 * @param shots demonstrations before each question (K; 0 is zero-shot)
 * @param seed draws the demonstrations ({@link Demonstrations})
 * @param separator what follows each demonstration (escapes already read), a blank line by default
 * @param calibrate whether to apply contextual calibration ({@link ContextualCalibration})
 */
public record FewShotOptions(int shots, long seed, PromptTemplate template, String separator, Scoring scoring, boolean calibrate) {

    /** A blank line between demonstrations, as in GPT-3's prompts. */
    public static final String BLANK_LINE = "\n\n";

    public FewShotOptions {
        if (shots < 0) {
            throw new IllegalArgumentException("--shots must be >= 0, got " + shots);
        }
        if (template == null || scoring == null || separator == null) {
            throw new IllegalArgumentException("template, separator and scoring are required");
        }
    }
}
