package org.gpt4j.server.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.generate.batch.TokenLogprob;

/**
 * The {@code logprobs} object of {@code /v1/completions} (OpenAI's legacy shape): for each token
 * its text, its log-probability, its top alternatives as {@code {token: logprob}}, and the
 * character offset of its text in the choice's text (echoed prompt included). A prompt's first
 * token has no log-probability: {@code null} in both lists, as OpenAI writes it.
 */
record LegacyLogprobs(List<String> tokens, List<Float> tokenLogprobs, List<Map<String, Float>> topLogprobs,
        List<Integer> textOffset) {

    /** Accumulates one choice's tokens (a stream's chunk, or the whole choice). */
    static final class Builder {
        private final List<String> tokens = new ArrayList<>();
        private final List<Float> logprobs = new ArrayList<>();
        private final List<Map<String, Float>> top = new ArrayList<>();
        private final List<Integer> offsets = new ArrayList<>();
        private int offset;

        /** @param offset the text offset of the first token to be added */
        Builder(int offset) {
            this.offset = offset;
        }

        Builder add(List<TokenLogprob> list) {
            list.forEach(this::add);
            return this;
        }

        Builder add(TokenLogprob t) {
            tokens.add(t.token());
            boolean none = Float.isNaN(t.logprob());
            logprobs.add(none ? null : finite(t.logprob()));
            if (none) {
                top.add(null);
            } else {
                Map<String, Float> alternatives = new LinkedHashMap<>();
                for (TokenLogprob.Alternative a : t.top()) {
                    alternatives.putIfAbsent(a.token(), finite(a.logprob()));
                }
                top.add(alternatives);
            }
            offsets.add(offset);
            offset += t.token().length();
            return this;
        }

        /** The offset the next token's text starts at. */
        int offset() {
            return offset;
        }

        boolean isEmpty() {
            return tokens.isEmpty();
        }

        LegacyLogprobs build() {
            return new LegacyLogprobs(List.copyOf(tokens), nullable(logprobs), nullable(top), List.copyOf(offsets));
        }

        /** A copy that keeps nulls (List.copyOf refuses them). */
        private static <T> List<T> nullable(List<T> list) {
            return java.util.Collections.unmodifiableList(new ArrayList<>(list));
        }
    }

    /**
     * A log-probability JSON can carry: -infinity (a token the model rules out entirely) becomes
     * -9999, as OpenAI writes it; JSON has no infinities.
     */
    static float finite(float logprob) {
        return logprob == Float.NEGATIVE_INFINITY ? -9999f : logprob;
    }
}
