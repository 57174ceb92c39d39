package org.gpt4j.generate.batch;

import java.util.List;

/**
 * Receives a completion as it is generated, on the engine's thread: return quickly (hand the
 * data to a writer; never block on a slow client). Deltas of one choice arrive in order; the
 * choices of a request interleave. After every choice has finished, {@link #onComplete} comes
 * once; {@link #onError} instead when the engine failed.
 */
public interface CompletionListener {

    /** The prompt's tokens with their log-probabilities, once, first; only for promptLogprobs. */
    default void onPrompt(List<TokenLogprob> prompt) {
    }

    /**
     * New text of choice {@code choice} and the tokens that produced it since the last delta.
     * Text can lag its tokens: a character split over byte tokens, or text that may be the start
     * of a stop string, is held back until it is settled, so {@code text} may be empty.
     * {@code tokens} carry log-probabilities only when the request asked for them.
     */
    void onDelta(int choice, String text, List<TokenLogprob> tokens);

    /** Choice {@code choice} ended: {@code stop} (a stop string or token) or {@code length}. */
    void onFinish(int choice, String finishReason);

    /** Every choice ended. */
    void onComplete(Usage usage);

    /** The engine could not run the request (e.g. non-finite logits); no further calls follow. */
    void onError(RuntimeException error);

    /** Token counts, as OpenAI's {@code usage}: the prompt once, every choice's new tokens. */
    record Usage(int promptTokens, int completionTokens) {
        public int totalTokens() {
            return promptTokens + completionTokens;
        }
    }
}
