package org.gpt4j.finetune.instruct;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * How a conversation becomes the token ids a GPT continues with the assistant's next message,
 * and how its continuation becomes that message: the model's own chat template when it was
 * instruction-tuned ({@link ChatTemplate}), otherwise a plain "User: / Assistant:" transcript
 * ({@link PlainTranscript}) that any language model can continue.
 */
public sealed interface ChatFormat permits ChatTemplate, PlainTranscript {

    /** The ids the model continues to write the assistant's next message after {@code history}. */
    int[] prompt(List<Message> history);

    /** The token that ends a reply, when the format has one. */
    OptionalInt endOfTurn();

    /** Strings that end a reply (kept out of its text). */
    List<String> stopStrings();

    /** The reply's text from the generated ids: up to the end of the turn, whitespace trimmed. */
    String replyText(int[] generated);

    /**
     * As {@link #prompt}, but at most {@code budget} ids when it can: the oldest messages are left
     * out (a leading system message is kept) until the prompt fits, down to the last message alone.
     */
    default int[] promptWithin(List<Message> history, int budget) {
        List<Message> kept = new ArrayList<>(history);
        int[] ids = prompt(kept);
        int first = !kept.isEmpty() && kept.getFirst().role() == Role.SYSTEM ? 1 : 0;
        while (ids.length > budget && kept.size() - first > 1) {
            kept.remove(first);
            ids = prompt(kept);
        }
        return ids;
    }

    /**
     * Python's {@code str.strip()} (which Jinja's {@code trim} filter calls): leading and trailing
     * characters for which {@code str.isspace()} holds, so gpt4j trims exactly as a Hugging Face
     * template does (Java's {@code String.strip} keeps U+00A0 and U+0085, Python does not).
     */
    static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isPythonSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isPythonSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isPythonSpace(char c) {
        return (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }
}
