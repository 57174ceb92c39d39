package org.gpt4j.server.openai;

import org.gpt4j.generate.batch.CompletionListener;

/** OpenAI's {@code usage}: the prompts' tokens, every choice's new tokens, and their sum. */
record UsageBody(int promptTokens, int completionTokens, int totalTokens) {

    static UsageBody of(int promptTokens, int completionTokens) {
        return new UsageBody(promptTokens, completionTokens, promptTokens + completionTokens);
    }

    UsageBody plus(CompletionListener.Usage u) {
        return of(promptTokens + u.promptTokens(), completionTokens + u.completionTokens());
    }

    static final UsageBody ZERO = of(0, 0);
}
