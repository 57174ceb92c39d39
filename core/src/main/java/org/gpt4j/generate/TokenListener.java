package org.gpt4j.generate;

/**
 * Receives generation as it happens: each token the moment it is chosen, and (when asked for)
 * each step's candidate timeline. Sampled sequences are generated one after another, so calls
 * for sequence 0 all come before those for sequence 1.
 */
public interface TokenListener {

    /** Token {@code id} was appended to sequence {@code sequence}. */
    void onToken(int sequence, int id);

    /** A step of the timeline, before its token is announced (only with candidates > 0). */
    default void onStep(int sequence, GenerationStep step) {
    }

    /** Sequence {@code sequence} is complete. */
    default void onEnd(int sequence, FinishReason reason) {
    }

    /** Listens to nothing. */
    TokenListener NONE = (sequence, id) -> { };
}
