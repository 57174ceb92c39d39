package org.gpt4j.finetune.instruct;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.gpt4j.tokenizer.AddedTokens;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * gpt4j's chat template: four tokens added to the vocabulary (new embedding rows, entering
 * sequences by id only, as GPT-1's start/delimiter/extract tokens do) and one fixed rendering.
 * Each message is
 *
 * <pre>  &lt;|role|&gt; "\n" content &lt;|end|&gt;      role: system, user or assistant</pre>
 *
 * with the content's surrounding whitespace trimmed, the messages back to back; the model is asked
 * for the next reply with {@code <|assistant|> "\n"} and answers with its content and
 * {@code <|end|>}. For example
 *
 * <pre>  &lt;|user|&gt;\nWhat is 2 + 3?&lt;|end|&gt;&lt;|assistant|&gt;\n5&lt;|end|&gt;</pre>
 *
 * <p>Training reads the assistant's tokens only: each assistant message's content and its
 * {@code <|end|>} are the targets (so the model learns to stop), every other position has target
 * -1. The same rendering as a Jinja template ({@link #JINJA}) is stored as {@code chat_template}
 * in the model's {@code tokenizer_config.json}, where Hugging Face's {@code apply_chat_template}
 * reads it and produces the same ids (a test checks this against transformers).
 *
 * <p>The content is encoded apart from its {@code "\n"}, so the reply starts on a token boundary:
 * exactly the tokens the model writes after the prompt. For trimmed content this is also how
 * GPT-2's pre-tokenizer splits the joined text ("\n" before a non-space is a piece of its own).
 */
public final class ChatTemplate implements ChatFormat {

    public static final String SYSTEM = "<|system|>";
    public static final String USER = "<|user|>";
    public static final String ASSISTANT = "<|assistant|>";
    public static final String END = "<|end|>";

    /** The added tokens, in the order their ids follow the base vocabulary. */
    public static final List<String> TOKENS = List.of(SYSTEM, USER, ASSISTANT, END);

    /** The rendering above as a Hugging Face chat template (Jinja). */
    public static final String JINJA = "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + "
            + "(message['content'] | trim) + '<|end|>' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

    /**
     * A rendered conversation for training.
     *
     * @param tokens  the ids
     * @param targets for each position the next id when it is an assistant token (content or
     *                {@code <|end|>}), otherwise -1; the last position's is -1
     */
    public record Rendered(int[] tokens, int[] targets) {

        /** Positions whose target counts in the loss. */
        public int trainedTokens() {
            int n = 0;
            for (int t : targets) {
                n += t >= 0 ? 1 : 0;
            }
            return n;
        }
    }

    private final Tokenizer tokenizer;
    private final int[] roleIds = new int[Role.values().length];
    private final int end;
    private final int[] newline;

    private ChatTemplate(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        var specials = tokenizer.specialTokens();
        for (String t : TOKENS) {
            if (!specials.containsKey(t)) {
                throw new IllegalArgumentException("the tokenizer has no " + t + " token (the chat template's tokens "
                        + TOKENS + " are added by instruction tuning)");
            }
        }
        roleIds[Role.SYSTEM.ordinal()] = specials.get(SYSTEM);
        roleIds[Role.USER.ordinal()] = specials.get(USER);
        roleIds[Role.ASSISTANT.ordinal()] = specials.get(ASSISTANT);
        end = specials.get(END);
        try {
            newline = tokenizer.encode("\n");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the chat template puts a newline after each role token, which the tokenizer"
                    + " cannot encode (" + e.getMessage() + ")");
        }
    }

    /** The template over a tokenizer that holds its four tokens (an instruction-tuned model's). */
    public static ChatTemplate of(Tokenizer tokenizer) {
        return new ChatTemplate(tokenizer);
    }

    /** True when the tokenizer holds the template's four tokens. */
    public static boolean isIn(Tokenizer tokenizer) {
        return tokenizer.specialTokens().keySet().containsAll(TOKENS);
    }

    /** {@code base} with the template's tokens added after its vocabulary (unchanged if it has them). */
    public static Tokenizer addTo(Tokenizer base) {
        return isIn(base) ? base : AddedTokens.of(base, TOKENS);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The id of {@code <|end|>}. */
    public int end() {
        return end;
    }

    /** The id of a role's token. */
    public int roleToken(Role role) {
        return roleIds[role.ordinal()];
    }

    @Override
    public int[] prompt(List<Message> history) {
        Ids ids = new Ids();
        for (Message m : history) {
            ids.add(roleToken(m.role()));
            ids.add(newline);
            ids.add(content(m));
            ids.add(end);
        }
        ids.add(roleToken(Role.ASSISTANT));
        ids.add(newline);
        return ids.toArray();
    }

    /**
     * The conversation's ids and its training targets (see {@link Rendered}).
     *
     * @throws IllegalArgumentException when a text holds a character the tokenizer cannot encode
     */
    public Rendered render(List<Message> conversation) {
        Ids ids = new Ids();
        Ids assistantSpans = new Ids();
        for (Message m : conversation) {
            ids.add(roleToken(m.role()));
            ids.add(newline);
            int from = ids.size();
            ids.add(content(m));
            ids.add(end);
            if (m.role() == Role.ASSISTANT) {
                assistantSpans.add(from);
                assistantSpans.add(ids.size());
            }
        }
        int[] tokens = ids.toArray();
        int[] spans = assistantSpans.toArray();
        int[] targets = new int[tokens.length];
        Arrays.fill(targets, -1);
        // Position i predicts token i + 1: the targets of an assistant span sit one to its left.
        for (int s = 0; s < spans.length; s += 2) {
            for (int i = spans[s]; i < spans[s + 1]; i++) {
                targets[i - 1] = tokens[i];
            }
        }
        return new Rendered(tokens, targets);
    }

    private int[] content(Message m) {
        return tokenizer.encode(ChatFormat.strip(m.content()));
    }

    @Override
    public OptionalInt endOfTurn() {
        return OptionalInt.of(end);
    }

    @Override
    public List<String> stopStrings() {
        return List.of();
    }

    @Override
    public String replyText(int[] generated) {
        int n = 0;
        while (n < generated.length && generated[n] != end) {
            n++;
        }
        return ChatFormat.strip(tokenizer.decode(Arrays.copyOf(generated, n)));
    }

    /** A growing int array. */
    private static final class Ids {
        private int[] data = new int[64];
        private int size;

        void add(int id) {
            add(new int[] {id});
        }

        void add(int[] ids) {
            if (size + ids.length > data.length) {
                data = Arrays.copyOf(data, Math.max(size + ids.length, 2 * data.length));
            }
            System.arraycopy(ids, 0, data, size, ids.length);
            size += ids.length;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
