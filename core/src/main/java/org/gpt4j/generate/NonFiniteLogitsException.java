package org.gpt4j.generate;

/**
 * The model returned a NaN or infinite logit: no token can be chosen from it (greedy search would
 * take an arbitrary one, sampling none). Raised once, for greedy search, sampling and beam search
 * alike, instead of garbage text; callers that know the model's name add it to the message.
 */
public final class NonFiniteLogitsException extends IllegalStateException {

    NonFiniteLogitsException(String message) {
        super(message);
    }

    /** Throws when any of {@code logits} (rows of {@code v}) is NaN or infinite. */
    public static void check(float[] logits, int v) {
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new NonFiniteLogitsException("the model's next-token logits are not finite (" + logits[i]
                        + " for token " + i % v + "): its weights hold NaN or infinite values, or its activations overflow");
            }
        }
    }
}
