package org.gpt4j.server.openai;

/** The bounds a completion request must keep: new tokens per choice, and room in the context window. */
final class Limits {

    private Limits() {
    }

    /** {@code max_tokens} (or {@code max_completion_tokens}) as the client gave it. */
    static void checkMaxTokens(String field, int maxTokens, ServerOptions options) {
        if (maxTokens < 1) {
            throw ApiException.badRequest(field, field + " must be at least 1, got " + maxTokens);
        }
        if (options.maxTokens() > 0 && maxTokens > options.maxTokens()) {
            throw ApiException.badRequest(field, field + " must be at most " + options.maxTokens()
                    + " on this server, got " + maxTokens);
        }
    }

    /** A prompt must leave room for at least one new token. */
    static void checkPrompt(String field, int promptTokens, ServedModel model) {
        if (promptTokens >= model.contextWindow()) {
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
