package org.gpt4j.server.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code /v1/completions}' answer, and (with {@code usage} left out) each chunk of its stream:
 * {@code object} is {@code text_completion} in both, as OpenAI writes it.
 */
record CompletionResponse(String id, String object, long created, String model, List<Choice> choices,
        @JsonInclude(JsonInclude.Include.NON_NULL) UsageBody usage) {

    static final String OBJECT = "text_completion";

    /** One choice: its text, its logprobs (null unless asked) and why it ended (null while it runs). */
    record Choice(int index, String text, LegacyLogprobs logprobs, String finishReason) {
    }
}
