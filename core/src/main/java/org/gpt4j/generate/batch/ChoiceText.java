package org.gpt4j.generate.batch;

import java.util.List;
import org.gpt4j.tokenizer.IncrementalDecoder;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * The text of one choice as it streams, with OpenAI's stop strings: the text returned ends
 * before the first stop string, and nothing that might be the start of one is sent until the
 * next tokens settle it (so a client never sees half of a stop string it asked to cut). A
 * character split over byte tokens comes out whole ({@link IncrementalDecoder}).
 */
final class ChoiceText {

    private final IncrementalDecoder decoder;
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int sent;
    private boolean stopped;

    ChoiceText(Tokenizer tokenizer, List<String> stops) {
        this.decoder = tokenizer.newIncrementalDecoder();
        this.stops = stops;
    }

    /** Adds a token; returns the text now settled (possibly empty). */
    String accept(int id) {
        text.append(decoder.accept(id));
        return settle(false);
    }

    /** Ends the choice: returns the rest (bytes of an unfinished character become U+FFFD). */
    String finish() {
        if (!stopped) {
            text.append(decoder.finish());
        }
        return settle(true);
    }

    /** True once the text came to contain a stop string. */
    boolean stopped() {
        return stopped;
    }

    private String settle(boolean last) {
        if (stopped) {
            return "";
        }
        int end = text.length();
        int stopAt = firstStop();
        if (stopAt >= 0) {
            stopped = true;
            end = stopAt;
        } else if (!last) {
            end -= heldBack();
        }
        String out = text.substring(sent, end);
        sent = end;
        return out;
    }

    /** Where the earliest stop string starts in the unsent text, or -1. */
    private int firstStop() {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, sent);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** Length of the longest unsent suffix that is the beginning of a stop string. */
    private int heldBack() {
        int unsent = text.length() - sent;
        int held = 0;
        for (String stop : stops) {
            for (int k = Math.min(stop.length() - 1, unsent); k > held; k--) {
                if (endsWith(stop, k)) {
                    held = k;
                    break;
                }
            }
        }
        return held;
    }

    /** True when the text ends with the first k characters of {@code stop}. */
    private boolean endsWith(String stop, int k) {
        int from = text.length() - k;
        for (int i = 0; i < k; i++) {
            if (text.charAt(from + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
