package org.gpt4j.finetune.instruct;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * The chat format of a model without a chat template (any pre-trained language model): a plain
 * transcript the model continues,
 *
 * <pre>
 * System: ...          (when there is a system message)
 * User: What is 2 + 3?
 * Assistant: 5
 * User: ...
 * Assistant:</pre>
 *
 * A reply ends at the first newline or at {@code <|endoftext|>}. This is what {@code chat} has
 * always done, and the "before instruction tuning" of an exact-match evaluation.
 */
public final class PlainTranscript implements ChatFormat {

    private static final String NEWLINE = "\n";

    private final Tokenizer tokenizer;
    private final OptionalInt endOfText;

    /**
     * @param endOfText the document separator that also ends a reply, when the model has one
     */
    public PlainTranscript(Tokenizer tokenizer, OptionalInt endOfText) {
        this.tokenizer = tokenizer;
        this.endOfText = endOfText;
    }

    @Override
    public int[] prompt(List<Message> history) {
        StringBuilder sb = new StringBuilder();
        for (Message m : history) {
            sb.append(speaker(m.role())).append(": ").append(ChatFormat.strip(m.content())).append(NEWLINE);
        }
        return tokenizer.encode(sb.append(speaker(Role.ASSISTANT)).append(':').toString());
    }

    private static String speaker(Role role) {
        return switch (role) {
            case SYSTEM -> "System";
            case USER -> "User";
            case ASSISTANT -> "Assistant";
        };
    }

    @Override
    public OptionalInt endOfTurn() {
        return endOfText;
    }

    @Override
    public List<String> stopStrings() {
        return List.of(NEWLINE);
    }

    @Override
    public String replyText(int[] generated) {
        int n = generated.length;
        if (n > 0 && endOfText.isPresent() && generated[n - 1] == endOfText.getAsInt()) {
            n--;
        }
        String text = tokenizer.decode(Arrays.copyOf(generated, n));
        int cut = text.indexOf(NEWLINE);
        return ChatFormat.strip(cut < 0 ? text : text.substring(0, cut));
    }
}
