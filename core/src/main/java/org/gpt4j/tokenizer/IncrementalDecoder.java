package org.gpt4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes ids one at a time for streaming output. A character split over several byte tokens
 * (most CJK characters and emoji under GPT-2's BPE) is held back until its last byte arrives and
 * then comes out whole, once; nothing is ever emitted twice or half.
 *
 * <p>The concatenation of everything {@link #accept} and {@link #finish} return equals
 * {@link Tokenizer#decode} of the same ids, for every sequence of ids: text is only cut where the
 * UTF-8 decoder is between characters, so invalid bytes become the same U+FFFD in both.
 *
 * <p>WordPiece tokens are words and pieces, not bytes: each comes out as its text, after a space
 * unless it is a {@code ##} piece (the first without one), as {@link WordPieceTokenizer#decode}
 * joins them.
 *
 * <p>One decoder per stream; not thread-safe.
 */
public final class IncrementalDecoder {

    private final Tokenizer tokenizer;
    private byte[] pending = new byte[16];
    private int pendingLength;
    private boolean first = true;

    IncrementalDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one token; returns the text it completes (possibly empty). */
    public String accept(int id) {
        if (tokenizer instanceof WordPieceTokenizer) {
            String text = tokenizer.tokenText(id);
            String out = first ? text : text.startsWith(WordPieceConfig.CONTINUATION)
                    ? text.substring(WordPieceConfig.CONTINUATION.length()) : " " + text;
            first = false;
            return out;
        }
        byte[] bytes = tokenizer.tokenBytes(id);
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
        int ready = Utf8.completePrefixLength(pending, pendingLength);
        if (ready == 0) {
            return "";
        }
        String text = new String(pending, 0, ready, StandardCharsets.UTF_8);
        System.arraycopy(pending, ready, pending, 0, pendingLength - ready);
        pendingLength -= ready;
        return text;
    }

    /** Ends the stream: bytes still waiting for the rest of a character come out as U+FFFD. */
    public String finish() {
        String text = new String(pending, 0, pendingLength, StandardCharsets.UTF_8);
        pendingLength = 0;
        return text;
    }

    /** True when bytes of an unfinished character are waiting. */
    public boolean hasPending() {
        return pendingLength > 0;
    }
}
