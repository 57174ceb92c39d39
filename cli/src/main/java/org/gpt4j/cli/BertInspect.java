package org.gpt4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.gpt4j.inspect.BertInspectionJson;
import org.gpt4j.inspect.TopTokens;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertInput;
import org.gpt4j.model.BertOutput;
import org.gpt4j.tokenizer.BertEncoding;
import org.gpt4j.tokenizer.WordPieceTokenizer;

/**
 * The BERT side of {@code gpt4j inspect}: builds the one-sequence input (ids or text, segment ids)
 * and prints either {@link BertInspectionJson}'s object or a short summary (shapes, the
 * next-sentence probabilities, the MLM's candidates at each [MASK]).
 */
final class BertInspect {

    private final Path model;
    private final PrintWriter out;

    BertInspect(Path model, PrintWriter out) {
        this.model = model;
        this.out = out;
    }

    int run(String text, List<String> tokenIds, String pair, List<String> tokenTypes, int top, boolean json) throws IOException {
        Bert bert = BertModels.load(model, "inspect");
        WordPieceTokenizer tok = text != null || !json ? tokenizerOrNull(bert, text != null) : null;
        int[] ids;
        int[] types;
        if (text != null) {
            BertEncoding enc = tok.assemble(tok.encodeWithSpecialTokens(text), pair == null ? null : tok.encodeWithSpecialTokens(pair));
            ids = enc.ids();
            types = enc.tokenTypeIds();
        } else {
            if (pair != null) {
                throw new IllegalArgumentException("--pair goes with --text, not --tokens (give the ids and --token-types)");
            }
            ids = InspectCommand.parseIds(tokenIds);
            types = new int[ids.length];
        }
        if (tokenTypes != null) {
            types = parseTypes(tokenTypes, ids.length);
        }
        BertInput in = new BertInput(1, ids.length, ids, types, null);
        if (json) {
            BertInspectionJson.write(bert, in, out);
            return 0;
        }
        printSummary(bert, in, tok, top);
        return 0;
    }

    private WordPieceTokenizer tokenizerOrNull(Bert bert, boolean required) throws IOException {
        try {
            return BertModels.tokenizer(model, bert);
        } catch (IOException e) {
            if (required) {
                throw e;
            }
            return null;
        }
    }

    static int[] parseTypes(List<String> values, int length) {
        if (values.size() != length) {
            throw new IllegalArgumentException("--token-types has " + values.size() + " values but the input is " + length
                    + " tokens: give one segment id per token");
        }
        int[] types = new int[length];
        for (int i = 0; i < length; i++) {
            String v = values.get(i).trim();
            try {
                types[i] = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--token-types: '" + v + "' is not a segment id (give 0 or 1 per token)");
            }
        }
        return types;
    }

    private void printSummary(Bert bert, BertInput in, WordPieceTokenizer tok, int top) {
        BertConfig c = bert.config();
        BertOutput result = bert.forward(in);
        int t = in.length();
        int v = c.vocabSize();
        out.printf(Locale.ROOT, "model      %s: BERT, %d layers x %d heads, %d wide, vocabulary %d, %d positions%n",
                model, c.numHiddenLayers(), c.numAttentionHeads(), c.hiddenSize(), v, c.maxPositionEmbeddings());
        StringBuilder tokens = new StringBuilder();
        for (int i = 0; i < t; i++) {
            tokens.append(i == 0 ? "" : " ").append(label(tok, in.tokens()[i])).append('/').append(in.tokenTypes()[i]);
        }
        out.printf(Locale.ROOT, "tokens     %d (token/segment): %s%n", t, tokens);
        out.printf(Locale.ROOT, "logits     [%d][%d] (masked-LM head)%n", t, v);
        out.printf(Locale.ROOT, "attentions [%d][%d][%d][%d] (bidirectional)%n", c.numHiddenLayers(), c.numAttentionHeads(), t, t);
        out.printf(Locale.ROOT, "hidden     [%d][%d][%d]%n", c.numHiddenLayers() + 1, t, c.hiddenSize());
        double a = result.nspLogit(0, 0);
        double b = result.nspLogit(0, 1);
        double isNext = 1 / (1 + Math.exp(b - a));
        out.printf(Locale.ROOT, "next sentence: is-next %.4f, random %.4f%n", isNext, 1 - isNext);
        int maskId = tok == null ? -1 : tok.maskId();
        for (int i = 0; i < t; i++) {
            if (maskId >= 0 && in.tokens()[i] == maskId) {
                out.printf(Locale.ROOT, "[MASK] at %d:%n", i);
                for (TopTokens.Candidate cand : TopTokens.of(result.mlmLogits(), i * v, v, Math.min(top, v))) {
                    out.printf(Locale.ROOT, "  %9.4f%%  %6d  %s%n", 100 * cand.probability(), cand.id(), label(tok, cand.id()));
                }
            }
        }
        out.flush();
    }

    private static String label(WordPieceTokenizer tok, int id) {
        return tok == null || id >= tok.vocabSize() ? "#" + id : "'" + tok.tokenText(id) + "'";
    }
}
