package org.gpt4j.server.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One event of a streamed chat completion (object {@code chat.completion.chunk}): a choice's
 * {@code delta} (its first carries the role), its last with {@code finish_reason}, and with
 * {@code stream_options.include_usage} a final chunk with no choices and the {@code usage}.
 */
record ChatChunk(String id, String object, long created, String model, List<Choice> choices,
        @JsonInclude(JsonInclude.Include.NON_NULL) UsageBody usage) {

    static final String OBJECT = "chat.completion.chunk";

    record Choice(int index, Delta delta, ChatLogprobs logprobs, String finishReason) {
    }

    /** What the choice's message gained: role first, then content; empty in the final chunk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {
    }
}
