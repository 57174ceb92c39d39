package org.gpt4j.server.openai;

/** The bounds a completion request must keep: new tokens per choice, and room in the context window. */
final class Limits {

    private Limits() {
    }

    /**
     * {@code max_tokens} (or {@code max_completion_tokens}) as the client gave it; at least
     * {@code least}: 0 for completions (the prompt scored with echo and logprobs, as evaluation
     * harnesses ask), 1 for chat.
     */
    static void checkMaxTokens(String field, int maxTokens, int least, ServerOptions options) {
        if (maxTokens < least) {
            throw ApiException.badRequest(field, field + " must be at least " + least + ", got " + maxTokens);
        }
        if (options.maxTokens() > 0 && maxTokens > options.maxTokens()) {
            throw ApiException.badRequest(field, field + " must be at most " + options.maxTokens()
                    + " on this server, got " + maxTokens);
        }
    }

    /** A prompt must leave room for at least one new token, or fill the window when none is asked for. */
    static void checkPrompt(String field, int promptTokens, int maxTokens, ServedModel model) {
        if (promptTokens > model.contextWindow() || (promptTokens == model.contextWindow() && maxTokens > 0)) {
            throw ApiException.contextLengthExceeded(field, "This model's maximum context length is "
                    + model.contextWindow() + " tokens, but the prompt has " + promptTokens
                    + " tokens: shorten it to leave room for the completion.");
        }
    }

    /** The new tokens a chat reply may take when the client gives no bound: the rest of the window. */
    static int defaultChatTokens(int promptTokens, ServedModel model, ServerOptions options) {
        int room = model.contextWindow() - promptTokens;
        return options.maxTokens() > 0 ? Math.min(room, options.maxTokens()) : room;
    }
}
