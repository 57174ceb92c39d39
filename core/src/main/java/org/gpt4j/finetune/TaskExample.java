package org.gpt4j.finetune;

/**
 * One labelled example as read from a file: its text (and second text for a pair task), the
 * label's id, and the line it came from (for error messages).
 */
public record TaskExample(String text, String pair, int label, long line) {
}
