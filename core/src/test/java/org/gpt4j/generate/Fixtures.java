package org.gpt4j.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;

/** The fixture models and the outputs of tools/reference/generation_reference.py. */
final class Fixtures {

    private static final Map<String, Gpt> MODELS = new HashMap<>();

    private Fixtures() {
    }

    static Path resource(String path) {
        try {
            return Paths.get(Fixtures.class.getClassLoader().getResource("fixtures/" + path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: fixtures/" + path, e);
        }
    }

    /** A fixture model, loaded once per test run. */
    static synchronized Gpt model(String name) {
        return MODELS.computeIfAbsent(name, n -> {
            try {
                return ModelDirectory.load(resource(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static JsonNode json(String path) {
        try {
            return new ObjectMapper().readTree(resource(path).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** A config from the reference script's settings (Hugging Face's parameter names). */
    static GenerationConfig config(JsonNode s, boolean sample) {
        GenerationConfig.Builder b = GenerationConfig.builder().doSample(sample).topK(0);
        if (s.has("max_new_tokens")) b.maxNewTokens(s.get("max_new_tokens").asInt());
        if (s.has("temperature")) b.temperature(s.get("temperature").asDouble());
        if (s.has("top_k")) b.topK(s.get("top_k").asInt());
        if (s.has("top_p")) b.topP(s.get("top_p").asDouble());
        if (s.has("min_p")) b.minP(s.get("min_p").asDouble());
        if (s.has("typical_p")) b.typicalP(s.get("typical_p").asDouble());
        if (s.has("repetition_penalty")) b.repetitionPenalty(s.get("repetition_penalty").asDouble());
        if (s.has("no_repeat_ngram_size")) b.noRepeatNgramSize(s.get("no_repeat_ngram_size").asInt());
        if (s.has("num_beams")) b.numBeams(s.get("num_beams").asInt());
        if (s.has("length_penalty")) b.lengthPenalty(s.get("length_penalty").asDouble());
        if (s.has("early_stopping")) b.earlyStopping(EarlyStopping.parse(s.get("early_stopping").asText()));
        if (s.has("num_return_sequences")) b.numReturnSequences(s.get("num_return_sequences").asInt());
        JsonNode eos = s.path("eos_token_id");
        if (eos.isArray()) {
            // Hugging Face's list form: every id ends a sequence
            b.eosTokenIds(java.util.Arrays.stream(ints(eos)).boxed().toList());
        } else {
            b.eosTokenId(eos.isNumber() ? OptionalInt.of(eos.asInt()) : OptionalInt.empty());
        }
        return b.build();
    }
}
