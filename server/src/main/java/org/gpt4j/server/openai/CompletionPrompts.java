package org.gpt4j.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code prompt} of {@code /v1/completions} in its four forms: a string, a list of strings
 * (each a prompt of its own), a list of token ids, or a list of lists of ids. Text is encoded with
 * the model's tokenizer as ordinary text ({@code <|endoftext|>} typed in a prompt is seven tokens,
 * as tiktoken's {@code encode_ordinary}; send the id to mean the separator). An empty string is
 * the separator alone, where the model has one: OpenAI's "start of a new document".
 *
 * @param ids   each prompt's token ids
 * @param texts each prompt's text (the ids decoded, for a prompt given as ids): what echo prepends
 */
record CompletionPrompts(List<int[]> ids, List<String> texts) {

    /** The most prompts one request may hold. */
    static final int MAX_PROMPTS = 256;

    static CompletionPrompts read(RequestBody body, ServedModel model) {
        JsonNode p = body.get("prompt");
        if (p == null) {
            throw ApiException.badRequest("prompt", "'prompt' is required: a string, a list of strings, a list of token ids"
                    + " or a list of lists of token ids");
        }
        List<int[]> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (p.isTextual()) {
            addText(p.textValue(), model, ids, texts);
        } else if (p.isArray() && !p.isEmpty()) {
            if (p.size() > MAX_PROMPTS && !p.get(0).isIntegralNumber()) {
                throw ApiException.badRequest("prompt", "at most " + MAX_PROMPTS + " prompts per request, got " + p.size());
            }
            JsonNode first = p.get(0);
            if (first.isIntegralNumber()) {
                addIds(p, model, ids, texts);
            } else {
                for (JsonNode e : p) {
                    if (e.isTextual() && first.isTextual()) {
                        addText(e.textValue(), model, ids, texts);
                    } else if (e.isArray() && first.isArray()) {
                        addIds(e, model, ids, texts);
                    } else {
                        throw shape();
                    }
                }
            }
        } else {
            throw shape();
        }
        return new CompletionPrompts(List.copyOf(ids), List.copyOf(texts));
    }

    private static ApiException shape() {
        return ApiException.badRequest("prompt", "'prompt' must be a string, a list of strings, a list of token ids"
                + " or a list of lists of token ids (not empty, not mixed)");
    }

    private static void addText(String text, ServedModel model, List<int[]> ids, List<String> texts) {
        int[] encoded;
        try {
            encoded = model.tokenizer().encode(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("prompt", "the prompt cannot be encoded by this model's tokenizer: " + e.getMessage());
        }
        if (encoded.length == 0) {
            var eot = model.endOfTextIds();
            if (eot.isEmpty()) {
                throw ApiException.badRequest("prompt", "the prompt is empty and this model has no <|endoftext|> to start from");
            }
            encoded = new int[] {eot.iterator().next()};
        }
        ids.add(encoded);
        texts.add(text);
    }

    private static void addIds(JsonNode list, ServedModel model, List<int[]> ids, List<String> texts) {
        if (list.isEmpty()) {
            throw ApiException.badRequest("prompt", "a prompt of token ids is empty");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = list.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw shape();
            }
            int id = e.intValue();
            if (id < 0 || id >= model.vocabSize()) {
                throw ApiException.badRequest("prompt", "token id " + id + " is outside the vocabulary (0.."
                        + (model.vocabSize() - 1) + ")");
            }
            out[i] = id;
        }
        ids.add(out);
        texts.add(model.tokenizer().decode(out));
    }
}
