package org.gpt4j.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * vLLM's {@code POST /tokenize} and {@code POST /detokenize}: a prompt (or chat {@code messages},
 * through the model's chat format) to the ids the model would read, with their count and the
 * context window; and ids back to text.
 */
final class TokenizeEndpoint {

    record Tokenized(List<Integer> tokens, int count, int maxModelLen) {
    }

    record Detokenized(String prompt) {
    }

    private final ServedModels models;

    TokenizeEndpoint(ServedModels models) {
        this.models = models;
    }

    void tokenize(Context ctx, RequestBody body) {
        ServedModel model = models.of(body);
        int[] ids;
        if (body.has("messages")) {
            try {
                ids = model.chatFormat().prompt(ChatMessages.read(body));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("messages", "the messages cannot be encoded by this model's tokenizer: "
                        + e.getMessage());
            }
        } else {
            String prompt = body.string("prompt").orElseThrow(() -> ApiException.badRequest("prompt",
                    "'prompt' (a string) or 'messages' is required"));
            try {
                ids = model.tokenizer().encode(prompt);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("prompt", "the prompt cannot be encoded by this model's tokenizer: "
                        + e.getMessage());
            }
        }
        List<Integer> list = new ArrayList<>(ids.length);
        for (int id : ids) {
            list.add(id);
        }
        Answers.json(ctx, 200, new Tokenized(list, ids.length, model.contextWindow()));
    }

    void detokenize(Context ctx, RequestBody body) {
        ServedModel model = models.of(body);
        JsonNode tokens = body.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw ApiException.badRequest("tokens", "'tokens' is required: a list of token ids");
        }
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = tokens.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt()) {
                throw ApiException.badRequest("tokens", "'tokens' must be a list of token ids, got " + RequestBody.kind(t)
                        + " at " + i);
            }
            ids[i] = t.intValue();
            if (ids[i] < 0 || ids[i] >= model.vocabSize()) {
                throw ApiException.badRequest("tokens", "token id " + ids[i] + " is outside the vocabulary (0.."
                        + (model.vocabSize() - 1) + ")");
            }
        }
        Answers.json(ctx, 200, new Detokenized(model.tokenizer().decode(ids)));
    }
}
