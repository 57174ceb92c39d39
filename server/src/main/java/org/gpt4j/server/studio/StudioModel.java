package org.gpt4j.server.studio;

import java.nio.file.Path;
import org.gpt4j.tokenizer.Tokenizer;

/**
 * A model the studio shows: a GPT ({@link LoadedModel}) or a BERT ({@link LoadedBert}). What the
 * views share: the directory, the tokenizer, and the typed input as token ids, checked the same way.
 */
sealed interface StudioModel permits LoadedModel, LoadedBert {

    Path directory();

    /** Null when the directory holds no tokenizer. */
    Tokenizer tokenizer();

    /** The longest input the model reads (n_positions, max_position_embeddings). */
    int context();

    int vocabSize();

    /** "gpt" or "bert", as the page reads it. */
    String arch();

    /** The ids of a typed text (a BERT adds [CLS] and [SEP] around them). */
    int[] encode(String text);

    /** The input's ids, however many (the token counter shows a count past the context too). */
    default int[] ids(Params p) {
        if (p.has("tokens")) {
            return parseIds(p.string("tokens", ""));
        }
        String text = p.string("text", "");
        if (text.isEmpty()) {
            throw ApiError.badRequest(tokenizer() == null
                    ? "give token ids (tokens=5,17,3): this model has no tokenizer"
                    : "type some text (or give tokens=5,17,3)");
        }
        if (text.length() > Params.MAX_TEXT_CHARS) {
            throw new ApiError(413, "the text is " + text.length() + " characters; the studio reads at most "
                    + Params.MAX_TEXT_CHARS);
        }
        if (tokenizer() == null) {
            throw ApiError.badRequest(directory() + " holds no tokenizer: give token ids (tokens=5,17,3) instead of text");
        }
        int[] ids = encode(text);
        if (ids.length == 0) {
            throw ApiError.badRequest("the text encodes to no tokens");
        }
        return ids;
    }

    /** The input's ids ({@link #ids}), refused when longer than the context. */
    default int[] input(Params p) {
        int[] ids = ids(p);
        if (ids.length > context()) {
            throw ApiError.badRequest("the input is " + ids.length + " tokens, longer than this model's context of "
                    + context() + " tokens (" + (arch().equals("bert") ? "max_position_embeddings" : "n_positions")
                    + "): shorten it");
        }
        return ids;
    }

    /** A token as a person reads it: its text, or {@code #id} without a tokenizer. */
    default String tokenText(int id) {
        return tokenizer() == null ? "#" + id : tokenizer().tokenText(id);
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
        int v = vocabSize();
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
}
