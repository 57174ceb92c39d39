package org.gpt4j.generate.batch;

import java.util.List;

/**
 * One token with its log-probability under the model (log-softmax of the raw logits, before
 * temperature and the other processors, as vLLM reports them) and, when asked, the most likely
 * alternatives at that position, best first.
 *
 * @param id      the token id
 * @param token   its text ({@code \xE4} for a byte that is part of a character)
 * @param bytes   its raw UTF-8 bytes
 * @param logprob its log-probability; {@link Float#NaN} for a prompt's first token, which has none
 * @param top     the alternatives (empty when not asked)
 */
public record TokenLogprob(int id, String token, byte[] bytes, float logprob, List<Alternative> top) {

    public TokenLogprob {
        top = List.copyOf(top);
    }

    /** A candidate token at a position and its log-probability. */
    public record Alternative(int id, String token, byte[] bytes, float logprob) {
    }
}
