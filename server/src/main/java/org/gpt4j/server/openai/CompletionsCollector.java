package org.gpt4j.server.openai;

import java.util.ArrayList;
import java.util.List;
import org.gpt4j.server.openai.Generation.Delta;
import org.gpt4j.server.openai.Generation.Event;
import org.gpt4j.server.openai.Generation.Failed;
import org.gpt4j.server.openai.Generation.Finished;
import org.gpt4j.server.openai.Generation.PromptDone;
import org.gpt4j.server.openai.Generation.PromptRead;

/**
 * Gathers a {@code /v1/completions} answer that is not streamed: each choice's text (after the
 * echoed prompt when asked), its log-probabilities and finish reason, and the usage summed over
 * the prompts.
 */
final class CompletionsCollector implements EventPump.Sink {

    private final int n;
    private final StringBuilder[] texts;
    private final LegacyLogprobs.Builder[] logprobs;
    private final String[] finish;
    private UsageBody usage = UsageBody.ZERO;
    private RuntimeException failure;

    /**
     * @param echo     prepend each prompt's text to its choices
     * @param logprobs whether the answer carries log-probabilities
     */
    CompletionsCollector(CompletionPrompts prompts, int n, boolean echo, boolean logprobs) {
        this.n = n;
        int choices = prompts.ids().size() * n;
        texts = new StringBuilder[choices];
        this.logprobs = logprobs ? new LegacyLogprobs.Builder[choices] : null;
        finish = new String[choices];
        for (int c = 0; c < choices; c++) {
            String prefix = echo ? prompts.texts().get(c / n) : "";
            texts[c] = new StringBuilder(prefix);
            if (logprobs) {
                // With echo the prompt's tokens come first (PromptRead) and offsets start at 0.
                this.logprobs[c] = new LegacyLogprobs.Builder(0);
            }
        }
    }

    @Override
    public void accept(Event event) {
        switch (event) {
            case PromptRead p -> {
                if (logprobs != null) {
                    for (int c = p.prompt() * n; c < (p.prompt() + 1) * n; c++) {
                        logprobs[c].add(p.tokens());
                    }
                }
            }
            case Delta d -> {
                texts[d.choice()].append(d.text());
                if (logprobs != null) {
                    logprobs[d.choice()].add(d.tokens());
                }
            }
            case Finished f -> finish[f.choice()] = f.reason();
            case PromptDone done -> usage = usage.plus(done.usage());
            case Failed f -> failure = failure == null ? f.error() : failure;
        }
    }

    /** The engine's error on any prompt, or null. */
    RuntimeException failure() {
        return failure;
    }

    UsageBody usage() {
        return usage;
    }

    CompletionResponse response(ResponseMeta meta) {
        List<CompletionResponse.Choice> choices = new ArrayList<>(texts.length);
        for (int c = 0; c < texts.length; c++) {
            choices.add(new CompletionResponse.Choice(c, texts[c].toString(),
                    logprobs == null ? null : logprobs[c].build(), finish[c]));
        }
        return new CompletionResponse(meta.id(), CompletionResponse.OBJECT, meta.created(), meta.model(), choices, usage);
    }
}
