package org.gpt4j.generate.batch;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.gpt4j.generate.LogitBias;

/**
 * One completion as the engine runs it: the prompt's ids and how to continue them, in OpenAI's
 * terms (vLLM's extra knobs beside them). Validated here; the engine checks the model-dependent
 * limits (vocabulary, context window, batch size) when the request is submitted.
 *
 * @param prompt            the prompt's token ids (at least one)
 * @param maxTokens         new tokens per choice at most; generation also ends at the context
 *                          window (finish reason {@code length}); 0 reads the prompt only (with
 *                          promptLogprobs: scores it, as evaluation harnesses ask with echo)
 * @param n                 choices, each its own sequence from the same prompt
 * @param temperature       0 is greedy; otherwise softmax(logits / temperature) is sampled
 * @param topP              nucleus sampling (1 = off)
 * @param topK              the k most likely tokens only (0 = off)
 * @param minP              tokens below min_p times the top probability are removed (0 = off)
 * @param repetitionPenalty CTRL's penalty over prompt and output (1 = off)
 * @param presencePenalty   OpenAI's: subtracted once from each token already generated
 * @param frequencyPenalty  OpenAI's: subtracted per time a token was generated
 * @param stop              strings that end a choice; the text returned stops before them
 * @param stopTokenIds      ids that end a choice with finish reason {@code stop}, not returned
 *                          (end of text, a chat template's end of turn)
 * @param seed              fixes every draw; choice i draws from its own stream of this seed
 * @param logprobs          alternatives per token to report: -1 none, 0 the chosen token's
 *                          log-probability only, up to 20
 * @param promptLogprobs    also report the log-probabilities of the prompt's tokens (echo)
 * @param numBeams          beam search when > 1 (greedy, n best beams; runs alone, not batched)
 * @param logitBias         OpenAI's: token id to an amount in [-100, 100] added to its score
 *                          before any other processing (empty = none)
 */
public record CompletionRequest(
        int[] prompt,
        int maxTokens,
        int n,
        double temperature,
        double topP,
        int topK,
        double minP,
        double repetitionPenalty,
        double presencePenalty,
        double frequencyPenalty,
        List<String> stop,
        Set<Integer> stopTokenIds,
        OptionalLong seed,
        int logprobs,
        boolean promptLogprobs,
        int numBeams,
        Map<Integer, Double> logitBias) {

    /** The most alternatives per token a request may ask for (OpenAI's limit). */
    public static final int MAX_LOGPROBS = 20;
    /** The most stop strings (OpenAI allows 4; a few more do no harm). */
    public static final int MAX_STOP = 16;
    /** The most biased tokens (OpenAI allows 300). */
    public static final int MAX_LOGIT_BIAS = 300;

    public CompletionRequest {
        prompt = prompt.clone();
        stop = List.copyOf(stop);
        stopTokenIds = Set.copyOf(stopTokenIds);
        logitBias = Map.copyOf(logitBias);
        require(prompt.length > 0, "prompt", "the prompt is empty: give at least one token");
        require(maxTokens >= 0, "max_tokens", "max_tokens must be at least 0, got " + maxTokens);
        require(n >= 1, "n", "n must be at least 1, got " + n);
        require(temperature >= 0 && temperature <= 100, "temperature",
                "temperature must be in [0, 100], got " + temperature);
        require(topP > 0 && topP <= 1, "top_p", "top_p must be in (0, 1], got " + topP);
        require(topK >= 0, "top_k", "top_k must be >= 0 (0 = off), got " + topK);
        require(minP >= 0 && minP <= 1, "min_p", "min_p must be in [0, 1], got " + minP);
        require(repetitionPenalty > 0 && repetitionPenalty <= 100, "repetition_penalty",
                "repetition_penalty must be in (0, 100], got " + repetitionPenalty);
        require(presencePenalty >= -2 && presencePenalty <= 2, "presence_penalty",
                "presence_penalty must be in [-2, 2], got " + presencePenalty);
        require(frequencyPenalty >= -2 && frequencyPenalty <= 2, "frequency_penalty",
                "frequency_penalty must be in [-2, 2], got " + frequencyPenalty);
        require(stop.size() <= MAX_STOP, "stop", "at most " + MAX_STOP + " stop strings, got " + stop.size());
        for (String s : stop) {
            require(!s.isEmpty(), "stop", "a stop string is empty");
        }
        require(logprobs >= -1 && logprobs <= MAX_LOGPROBS, "logprobs",
                "logprobs must be in [0, " + MAX_LOGPROBS + "], got " + logprobs);
        require(numBeams >= 1, "num_beams", "num_beams must be at least 1, got " + numBeams);
        require(logitBias.size() <= MAX_LOGIT_BIAS, "logit_bias",
                "at most " + MAX_LOGIT_BIAS + " tokens in logit_bias, got " + logitBias.size());
        for (Map.Entry<Integer, Double> e : logitBias.entrySet()) {
            double b = e.getValue();
            require(b >= -LogitBias.LIMIT && b <= LogitBias.LIMIT, "logit_bias",
                    "the bias of token " + e.getKey() + " must be in [-100, 100], got " + b);
        }
        require(numBeams == 1 || logitBias.isEmpty(), "logit_bias", "logit_bias applies to sampling and greedy "
                + "search, not to beam search (num_beams " + numBeams + ")");
        require(numBeams == 1 || n <= numBeams, "n", "n (" + n + ") cannot exceed num_beams (" + numBeams + ")");
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidRequestException(field, message);
        }
    }

    /** True when every choice takes the most likely token (temperature 0). */
    public boolean greedy() {
        return temperature == 0;
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    int promptLength() {
        return prompt.length;
    }

    int promptToken(int i) {
        return prompt[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompletionRequest r && Arrays.equals(prompt, r.prompt) && maxTokens == r.maxTokens
                && n == r.n && temperature == r.temperature && topP == r.topP && topK == r.topK && minP == r.minP
                && repetitionPenalty == r.repetitionPenalty && presencePenalty == r.presencePenalty
                && frequencyPenalty == r.frequencyPenalty && stop.equals(r.stop) && stopTokenIds.equals(r.stopTokenIds)
                && seed.equals(r.seed) && logprobs == r.logprobs && promptLogprobs == r.promptLogprobs
                && numBeams == r.numBeams && logitBias.equals(r.logitBias);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prompt) + java.util.Objects.hash(maxTokens, n, temperature, topP, topK, minP,
                repetitionPenalty, presencePenalty, frequencyPenalty, stop, stopTokenIds, seed, logprobs,
                promptLogprobs, numBeams, logitBias);
    }

    @Override
    public String toString() {
        return "CompletionRequest[prompt=" + prompt.length + " tokens, max_tokens=" + maxTokens + ", n=" + n
                + ", temperature=" + temperature + ", seed=" + seed + "]";
    }

    /** A builder with OpenAI's defaults: max_tokens 16, n 1, temperature 1, top_p 1, no penalties. */
    public static Builder builder(int[] prompt) {
        return new Builder(prompt);
    }

    /** Builds a {@link CompletionRequest}; unset fields keep OpenAI's defaults. */
    public static final class Builder {
        private final int[] prompt;
        private int maxTokens = 16;
        private int n = 1;
        private double temperature = 1;
        private double topP = 1;
        private int topK = 0;
        private double minP = 0;
        private double repetitionPenalty = 1;
        private double presencePenalty = 0;
        private double frequencyPenalty = 0;
        private List<String> stop = List.of();
        private Set<Integer> stopTokenIds = Set.of();
        private OptionalLong seed = OptionalLong.empty();
        private int logprobs = -1;
        private boolean promptLogprobs;
        private int numBeams = 1;
        private Map<Integer, Double> logitBias = Map.of();

        private Builder(int[] prompt) {
            this.prompt = prompt;
        }

        public Builder maxTokens(int v) { maxTokens = v; return this; }
        public Builder n(int v) { n = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder topP(double v) { topP = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder minP(double v) { minP = v; return this; }
        public Builder repetitionPenalty(double v) { repetitionPenalty = v; return this; }
        public Builder presencePenalty(double v) { presencePenalty = v; return this; }
        public Builder frequencyPenalty(double v) { frequencyPenalty = v; return this; }
        public Builder stop(List<String> v) { stop = v; return this; }
        public Builder stopTokenIds(Set<Integer> v) { stopTokenIds = v; return this; }
        public Builder seed(long v) { seed = OptionalLong.of(v); return this; }
        public Builder seed(OptionalLong v) { seed = v; return this; }
        public Builder logprobs(int v) { logprobs = v; return this; }
        public Builder promptLogprobs(boolean v) { promptLogprobs = v; return this; }
        public Builder numBeams(int v) { numBeams = v; return this; }
        public Builder logitBias(Map<Integer, Double> v) { logitBias = v; return this; }

        public CompletionRequest build() {
            return new CompletionRequest(prompt, maxTokens, n, temperature, topP, topK, minP, repetitionPenalty,
                    presencePenalty, frequencyPenalty, stop, stopTokenIds, seed, logprobs, promptLogprobs, numBeams,
                    logitBias);
        }
    }
}
