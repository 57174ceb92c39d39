package org.gpt4j.server.openai;

import java.util.List;

/** {@code /v1/chat/completions}' answer (object {@code chat.completion}). */
record ChatResponse(String id, String object, long created, String model, List<Choice> choices, UsageBody usage) {

    static final String OBJECT = "chat.completion";

    /** One choice: the assistant's message, its logprobs (null unless asked), why it ended. */
    record Choice(int index, Message message, ChatLogprobs logprobs, String finishReason) {
    }

    /** A message as OpenAI returns it. */
    record Message(String role, String content) {
    }
}
