package org.gpt4j.server.openai;

import java.util.List;
import org.gpt4j.server.openai.Generation.Delta;
import org.gpt4j.server.openai.Generation.Event;
import org.gpt4j.server.openai.Generation.Failed;
import org.gpt4j.server.openai.Generation.Finished;
import org.gpt4j.server.openai.Generation.PromptDone;
import org.gpt4j.server.openai.Generation.PromptRead;

/**
 * Streams a {@code /v1/chat/completions} answer as OpenAI does: for each choice a first chunk whose
 * delta carries the role, then a chunk per piece of content, then a chunk with an empty delta and
 * the {@code finish_reason}; with {@code stream_options.include_usage} a last chunk with no choices
 * and the usage; then {@code data: [DONE]}.
 */
final class ChatStream extends ChunkStream {

    private final boolean logprobs;
    private final ReplyTrimmer[] trimmers;

    ChatStream(SseStream sse, ResponseMeta meta, int choices, boolean logprobs) {
        super(sse, meta);
        this.logprobs = logprobs;
        this.trimmers = new ReplyTrimmer[choices];
        for (int c = 0; c < choices; c++) {
            trimmers[c] = new ReplyTrimmer();
            chunk(c, new ChatChunk.Delta("assistant", ""), null, null);
        }
        sse.flush();
    }

    @Override
    public void accept(Event event) {
        switch (event) {
            case Delta d -> {
                String text = trimmers[d.choice()].accept(d.text());
                boolean withTokens = logprobs && !d.tokens().isEmpty();
                if (!text.isEmpty() || withTokens) {
                    chunk(d.choice(), new ChatChunk.Delta(null, text), withTokens ? ChatLogprobs.of(d.tokens()) : null, null);
                }
            }
            case Finished f -> chunk(f.choice(), new ChatChunk.Delta(null, null), null, f.reason());
            case PromptDone _, Failed _ -> recordOutcome(event);
            case PromptRead _ -> {
                // Chat requests never ask for the prompt's log-probabilities.
            }
        }
    }

    private void chunk(int choice, ChatChunk.Delta delta, ChatLogprobs lp, String finish) {
        sse.event(new ChatChunk(meta.id(), ChatChunk.OBJECT, meta.created(), meta.model(),
                List.of(new ChatChunk.Choice(choice, delta, lp, finish)), null));
    }

    @Override
    Object usageChunk(UsageBody usage) {
        return new ChatChunk(meta.id(), ChatChunk.OBJECT, meta.created(), meta.model(), List.of(), usage);
    }
}
