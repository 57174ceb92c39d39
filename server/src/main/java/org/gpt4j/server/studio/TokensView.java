package org.gpt4j.server.studio;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** View b: the input split into tokens, with ids and bytes. */
final class TokensView {

    record Token(int position, int id, String text, String bytes) {
    }

    record Response(int count, int context, int vocabSize, boolean hasTokenizer, List<Token> tokens) {
    }

    /** The token counter beside the input: how many, and whether they fit the context. */
    record Count(int count, int context, boolean fits) {
    }

    private TokensView() {
    }

    static Response of(StudioModel model, Params p) {
        int[] ids = model.input(p);
        List<Token> tokens = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            String bytes = model.tokenizer() == null ? "" : HexFormat.ofDelimiter(" ").formatHex(model.tokenizer().tokenBytes(ids[i]));
            tokens.add(new Token(i, ids[i], model.tokenText(ids[i]), bytes));
        }
        return new Response(ids.length, model.context(), model.vocabSize(), model.tokenizer() != null, tokens);
    }

    /** {@code GET /api/count}: counts an input of any length, so the counter is right when a view refuses it. */
    static Count count(StudioModel model, Params p) {
        int n = model.ids(p).length;
        int context = model.context();
        return new Count(n, context, n <= context);
    }

    /** The tokens' texts, the labels every other view puts on its axes. */
    static List<String> labels(StudioModel model, int[] ids, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(model.tokenText(ids[i]));
        }
        return out;
    }
}
