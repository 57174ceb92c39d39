package org.gpt4j.server.studio;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.gpt4j.inspect.Inspection;
import org.gpt4j.inspect.Inspector;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.model.PositionalEncoding;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * A model the studio shows: its directory, the model, its tokenizer (or none), and the last
 * traced forward pass per input, so switching views over the same text runs no second forward.
 *
 * <p>A {@link Gpt} owns its activation buffers, so every forward here runs under this object's
 * lock. "Positions removed" is the same model read with {@link PositionalEncoding#NONE}: a second
 * {@link Gpt} over the very same weight arrays minus the position table, the same forward pass.
 */
final class LoadedModel {

    /** One traced forward over an input, with every layer's queries, keys and values copied out. */
    record Analysis(int[] tokens, Inspection inspection, float[][] queryKeyValues) {
    }

    private final Path directory;
    private final Gpt gpt;
    private final Tokenizer tokenizer;
    private Gpt withoutPositions;
    private Analysis last;
    private Analysis lastWithoutPositions;

    LoadedModel(Path directory, Gpt gpt, Tokenizer tokenizer) {
        this.directory = directory;
        this.gpt = gpt;
        this.tokenizer = tokenizer;
    }

    Path directory() {
        return directory;
    }

    Gpt gpt() {
        return gpt;
    }

    GptConfig config() {
        return gpt.config();
    }

    /** Null when the directory holds no tokenizer. */
    Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The input's ids: {@code tokens=5,17,3}, or {@code text} encoded with the tokenizer; refused
     * when longer than the context.
     */
    int[] input(Params p) {
        int[] ids = ids(p);
        int context = config().nPositions();
        if (ids.length > context) {
            throw ApiError.badRequest("the input is " + ids.length + " tokens, longer than this model's context of "
                    + context + " tokens (n_positions): shorten it");
        }
        return ids;
    }

    /** The input's ids, however many (the token counter shows a count past the context too). */
    int[] ids(Params p) {
        if (p.has("tokens")) {
            return parseIds(p.string("tokens", ""));
        }
        String text = p.string("text", "");
        if (text.isEmpty()) {
            throw ApiError.badRequest(tokenizer == null
                    ? "give token ids (tokens=5,17,3): this model has no tokenizer"
                    : "type some text (or give tokens=5,17,3)");
        }
        if (text.length() > Params.MAX_TEXT_CHARS) {
            throw new ApiError(413, "the text is " + text.length() + " characters; the studio reads at most "
                    + Params.MAX_TEXT_CHARS);
        }
        if (tokenizer == null) {
            throw ApiError.badRequest(directory + " holds no tokenizer: give token ids (tokens=5,17,3) instead of text");
        }
        int[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            throw ApiError.badRequest("the text encodes to no tokens");
        }
        return ids;
    }

    /** {@code 5,17,3} (commas and/or spaces between ids), each id inside the vocabulary. */
    private int[] parseIds(String list) {
        if (list.length() > Params.MAX_TEXT_CHARS) {
            throw new ApiError(413, "the token list is " + list.length() + " characters; the studio reads at most "
                    + Params.MAX_TEXT_CHARS);
        }
        String trimmed = list.strip().replaceAll("^[,\\s]+|[,\\s]+$", "");
        if (trimmed.isEmpty()) {
            throw ApiError.badRequest("tokens: give token ids separated by commas, like 5,17,3");
        }
        String[] parts = trimmed.split("\\s*,\\s*|\\s+");
        int[] ids = new int[parts.length];
        int v = config().vocabSize();
        for (int i = 0; i < ids.length; i++) {
            String s = parts[i];
            try {
                ids[i] = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                String shown = s.length() > 20 ? s.substring(0, 20) + "…" : s;
                throw ApiError.badRequest("tokens: '" + shown + "' (item " + (i + 1) + ") is not a token id: give integers "
                        + "0.." + (v - 1) + " separated by commas, like 5,17,3");
            }
            if (ids[i] < 0 || ids[i] >= v) {
                throw ApiError.badRequest("tokens: id " + ids[i] + " (item " + (i + 1) + ") is outside the vocabulary (0.."
                        + (v - 1) + ")");
            }
        }
        return ids;
    }

    /** A token as a person reads it: its text, or {@code #id} without a tokenizer. */
    String tokenText(int id) {
        return tokenizer == null ? "#" + id : tokenizer.tokenText(id);
    }

    /** The traced forward pass over {@code tokens} (cached for the last input). */
    synchronized Analysis analyze(int[] tokens) {
        if (last == null || !Arrays.equals(last.tokens(), tokens)) {
            last = run(gpt, tokens);
        }
        return last;
    }

    /** The same forward pass with the position signal removed. */
    synchronized Analysis analyzeWithoutPositions(int[] tokens) {
        if (withoutPositions == null) {
            withoutPositions = sameWeightsWithoutPositions(gpt);
        }
        if (lastWithoutPositions == null || !Arrays.equals(lastWithoutPositions.tokens(), tokens)) {
            lastWithoutPositions = run(withoutPositions, tokens);
        }
        return lastWithoutPositions;
    }

    /** Runs {@code body} with the model to itself (for work that calls forward, like generation). */
    synchronized <T> T exclusive(java.util.function.Function<Gpt, T> body) {
        return body.apply(gpt);
    }

    private static Analysis run(Gpt model, int[] tokens) {
        Inspection inspection = Inspector.inspect(model, tokens);
        float[][] qkv = new float[model.config().nLayer()][];
        for (int l = 0; l < qkv.length; l++) {
            qkv[l] = model.queryKeyValues(l);
        }
        return new Analysis(tokens.clone(), inspection, qkv);
    }

    private static Gpt sameWeightsWithoutPositions(Gpt gpt) {
        GptConfig none = gpt.config().withPositionalEncoding(PositionalEncoding.NONE);
        if (none.equals(gpt.config())) {
            return gpt;
        }
        ParameterLayout layout = ParameterLayout.of(none);
        Map<String, float[]> shared = new HashMap<>();
        for (ParameterSpec spec : layout.specs()) {
            shared.put(spec.name(), gpt.parameters().data(spec.name()));
        }
        return new Gpt(none, Parameters.of(layout, shared));
    }
}
