package org.gpt4j.server.openai;

import java.util.List;
import org.gpt4j.server.openai.Generation.Delta;
import org.gpt4j.server.openai.Generation.Event;
import org.gpt4j.server.openai.Generation.Failed;
import org.gpt4j.server.openai.Generation.Finished;
import org.gpt4j.server.openai.Generation.PromptDone;
import org.gpt4j.server.openai.Generation.PromptRead;

/**
 * Streams a {@code /v1/completions} answer: a {@code text_completion} chunk per delta of a choice
 * (the echoed prompt first, when asked), a chunk with the choice's {@code finish_reason} when it
 * ends, with {@code stream_options.include_usage} a last chunk with no choices and the usage, and
 * {@code data: [DONE]}.
 */
final class CompletionsStream extends ChunkStream {

    private final CompletionPrompts prompts;
    private final int n;
    private final boolean echo;
    private final boolean logprobs;
    private final int[] offsets;

    CompletionsStream(SseStream sse, ResponseMeta meta, CompletionPrompts prompts, int n, boolean echo, boolean logprobs) {
        super(sse, meta);
        this.prompts = prompts;
        this.n = n;
        this.echo = echo;
        this.logprobs = logprobs;
        this.offsets = new int[prompts.ids().size() * n];
        if (echo && !logprobs) {
            // Without log-probabilities the engine reports nothing about the prompt: echo it now.
            for (int c = 0; c < offsets.length; c++) {
                chunk(c, prompts.texts().get(c / n), null, null);
            }
            sse.flush();
        }
    }

    @Override
    public void accept(Event event) {
        switch (event) {
            case PromptRead p -> {
                for (int c = p.prompt() * n; c < (p.prompt() + 1) * n; c++) {
                    LegacyLogprobs.Builder b = new LegacyLogprobs.Builder(offsets[c]).add(p.tokens());
                    offsets[c] = b.offset();
                    chunk(c, echo ? prompts.texts().get(p.prompt()) : "", b.build(), null);
                }
            }
            case Delta d -> {
                if (!d.text().isEmpty() || (logprobs && !d.tokens().isEmpty())) {
                    LegacyLogprobs lp = null;
                    if (logprobs) {
                        LegacyLogprobs.Builder b = new LegacyLogprobs.Builder(offsets[d.choice()]).add(d.tokens());
                        offsets[d.choice()] = b.offset();
                        lp = b.build();
                    }
                    chunk(d.choice(), d.text(), lp, null);
                }
            }
            case Finished f -> chunk(f.choice(), "", null, f.reason());
            case PromptDone _, Failed _ -> recordOutcome(event);
        }
    }

    private void chunk(int choice, String text, LegacyLogprobs lp, String finish) {
        sse.event(new CompletionResponse(meta.id(), CompletionResponse.OBJECT, meta.created(), meta.model(),
                List.of(new CompletionResponse.Choice(choice, text, lp, finish)), null));
    }

    @Override
    Object usageChunk(UsageBody usage) {
        return new CompletionResponse(meta.id(), CompletionResponse.OBJECT, meta.created(), meta.model(), List.of(),
                usage);
    }
}
