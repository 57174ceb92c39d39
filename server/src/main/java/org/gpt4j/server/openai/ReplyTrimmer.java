package org.gpt4j.server.openai;

import org.gpt4j.finetune.instruct.ChatFormat;

/**
 * Trims a chat reply's whitespace as it streams, the way {@link ChatFormat#replyText} trims a
 * whole one: leading whitespace is dropped, and whitespace is held back until text follows it,
 * so a reply that ends in spaces or newlines ends without them. A streamed reply then joins to
 * exactly the text of the same reply answered whole.
 */
final class ReplyTrimmer {

    private final StringBuilder held = new StringBuilder();
    private boolean started;

    /** The part of {@code delta} that can be sent now. */
    String accept(String delta) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < delta.length(); i++) {
            char c = delta.charAt(i);
            if (isSpace(c)) {
                if (started) {
                    held.append(c);
                }
            } else {
                started = true;
                out.append(held).append(c);
                held.setLength(0);
            }
        }
        return out.toString();
    }

    /** Python's {@code str.isspace}, as the chat formats trim. */
    private static boolean isSpace(char c) {
        return ChatFormat.strip(String.valueOf(c)).isEmpty();
    }
}
