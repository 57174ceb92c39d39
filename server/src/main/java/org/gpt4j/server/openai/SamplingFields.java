package org.gpt4j.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.gpt4j.generate.batch.CompletionRequest;

/**
 * The decoding fields that {@code /v1/completions} and {@code /v1/chat/completions} share, in
 * OpenAI's spelling and with OpenAI's defaults, plus vLLM's extra fields ({@code top_k},
 * {@code min_p}, {@code repetition_penalty}, {@code stop_token_ids}, {@code ignore_eos}) and
 * gpt4j's {@code num_beams}. Ranges are checked where the engine's request is built
 * ({@link CompletionRequest}), whose errors name the field; here only what the request record
 * cannot know: fields gpt4j does not implement are refused by name rather than ignored, since
 * a client that sends them expects them to act.
 */
record SamplingFields(
        int n,
        double temperature,
        double topP,
        int topK,
        double minP,
        double repetitionPenalty,
        double presencePenalty,
        double frequencyPenalty,
        List<String> stop,
        List<Integer> stopTokenIds,
        boolean ignoreEos,
        OptionalLong seed,
        int numBeams,
        Map<Integer, Double> logitBias,
        boolean stream,
        boolean includeUsage) {

    static SamplingFields read(RequestBody body) {
        int n = body.integer("n").orElse(1);
        if (body.has("best_of") && body.integer("best_of").getAsInt() != n) {
            throw ApiException.badRequest("best_of", "best_of must equal n (or be left out): gpt4j returns every"
                    + " choice it generates and does not rank extra ones");
        }
        if (body.has("suffix")) {
            throw ApiException.badRequest("suffix", "suffix (insertion) is not supported: GPT models only continue a prompt");
        }
        // vLLM's top_k uses -1 for "off"; the engine uses 0.
        int topK = body.integer("top_k").orElse(0);
        boolean stream = body.bool("stream").orElse(false);
        RequestBody options = body.object("stream_options");
        boolean includeUsage = options != null && options.bool("include_usage").orElse(false);
        int numBeams = body.integer("num_beams").orElse(1);
        if (numBeams > 1 && stream) {
            throw ApiException.badRequest("num_beams", "beam search returns its beams when it ends: it cannot be streamed");
        }
        return new SamplingFields(
                n,
                body.number("temperature").orElse(1),
                body.number("top_p").orElse(1),
                topK == -1 ? 0 : topK,
                body.number("min_p").orElse(0),
                body.number("repetition_penalty").orElse(1),
                body.number("presence_penalty").orElse(0),
                body.number("frequency_penalty").orElse(0),
                body.stringOrStrings("stop"),
                tokenIds(body, "stop_token_ids"),
                body.bool("ignore_eos").orElse(false),
                body.longInteger("seed"),
                numBeams,
                logitBias(body),
                stream,
                includeUsage);
    }

    /** OpenAI's {@code logit_bias}: an object of token ids (written as strings) to numbers. */
    private static Map<Integer, Double> logitBias(RequestBody body) {
        JsonNode n = body.get("logit_bias");
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw RequestBody.wrongType("logit_bias", "an object of token ids to numbers", n);
        }
        Map<Integer, Double> bias = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey().trim());
            } catch (NumberFormatException x) {
                throw ApiException.badRequest("logit_bias", "logit_bias keys are token ids, got '" + e.getKey() + "'");
            }
            if (!e.getValue().isNumber()) {
                throw ApiException.badRequest("logit_bias", "the bias of token " + id + " must be a number");
            }
            bias.put(id, e.getValue().doubleValue());
        }
        return bias;
    }

    private static List<Integer> tokenIds(RequestBody body, String field) {
        JsonNode n = body.get(field);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw RequestBody.wrongType(field, "a list of token ids", n);
        }
        List<Integer> ids = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw RequestBody.wrongType(field, "a list of token ids", n);
            }
            ids.add(e.intValue());
        }
        return ids;
    }

    /**
     * The engine's request for one prompt.
     *
     * @param extraStop    stop strings the format adds (a chat transcript's newline)
     * @param extraStopIds stop ids the model adds (end of text, a chat template's end of turn)
     */
    CompletionRequest request(int[] prompt, int maxTokens, int logprobs, boolean promptLogprobs, ServedModel model,
            List<String> extraStop, Set<Integer> extraStopIds) {
        LinkedHashSet<String> stops = new LinkedHashSet<>(stop);
        stops.addAll(extraStop);
        LinkedHashSet<Integer> ids = new LinkedHashSet<>(stopTokenIds);
        for (int id : ids) {
            if (id < 0 || id >= model.vocabSize()) {
                throw ApiException.badRequest("stop_token_ids", "stop token id " + id + " is outside the vocabulary (0.."
                        + (model.vocabSize() - 1) + ")");
            }
        }
        if (!ignoreEos) {
            ids.addAll(extraStopIds);
        }
        return CompletionRequest.builder(prompt)
                .maxTokens(maxTokens)
                .n(n)
                .temperature(temperature)
                .topP(topP)
                .topK(topK)
                .minP(minP)
                .repetitionPenalty(repetitionPenalty)
                .presencePenalty(presencePenalty)
                .frequencyPenalty(frequencyPenalty)
                .stop(List.copyOf(stops))
                .stopTokenIds(Set.copyOf(ids))
                .seed(seed)
                .logprobs(logprobs)
                .promptLogprobs(promptLogprobs)
                .numBeams(numBeams)
                .logitBias(logitBias)
                .build();
    }
}
