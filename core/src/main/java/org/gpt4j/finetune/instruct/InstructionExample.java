package org.gpt4j.finetune.instruct;

import java.util.List;

/**
 * One training conversation as read from a file: its messages (a {@code prompt}/{@code response}
 * row is a user message and an assistant message) and the line it came from, for error messages.
 * The last message is the assistant's: the response that exact-match evaluation asks for.
 */
public record InstructionExample(List<Message> messages, long line) {

    public InstructionExample {
        messages = List.copyOf(messages);
        if (messages.isEmpty() || messages.getLast().role() != Role.ASSISTANT) {
            throw new IllegalArgumentException("a conversation must end with an assistant message");
        }
    }

    /** A single-turn example: the user's prompt and the assistant's response. */
    public static InstructionExample of(String prompt, String response) {
        return new InstructionExample(List.of(Message.user(prompt), Message.assistant(response)), 0);
    }

    /** Every message before the last: what the model reads before it answers. */
    public List<Message> context() {
        return messages.subList(0, messages.size() - 1);
    }

    /** The last (assistant) message's text: the expected answer. */
    public String response() {
        return messages.getLast().content();
    }
}
