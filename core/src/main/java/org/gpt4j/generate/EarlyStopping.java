package org.gpt4j.generate;

import java.util.Locale;

/**
 * When beam search stops, with Hugging Face's three meanings: {@code TRUE} as soon as num_beams
 * hypotheses have finished; {@code FALSE} when no running beam can still beat the worst finished
 * one, estimated at the current length (a heuristic); {@code NEVER} only when that is certain,
 * estimated at the maximum length (the canonical beam search).
 */
public enum EarlyStopping {
    TRUE, FALSE, NEVER;

    /** Parses {@code true}, {@code false} or {@code never} (any case). */
    public static EarlyStopping parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> TRUE;
            case "false" -> FALSE;
            case "never" -> NEVER;
            default -> throw new IllegalArgumentException("early_stopping must be true, false or never, got '" + text + "'");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
