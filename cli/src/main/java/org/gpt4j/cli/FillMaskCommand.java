package org.gpt4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.inspect.FillMask;
import org.gpt4j.inspect.TopTokens;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInput;
import org.gpt4j.tokenizer.BertEncoding;
import org.gpt4j.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j fill-mask}: the MLM head's candidates at every [MASK] of a text (Hugging Face's fill-mask pipeline). */
@Command(name = "fill-mask", header = "A BERT's most probable tokens at every [MASK] of a text.", mixinStandardHelpOptions = true,
        description = {"Encode the text as [CLS] text [SEP] (with --pair: [CLS] text [SEP] pair [SEP]),",
            "the literal [MASK] being BERT's mask token, and list the masked-LM head's top-k",
            "tokens with their softmax probabilities at each mask, as Hugging Face's fill-mask",
            "pipeline does.",
            "",
            "--json prints one object:",
            "  {\"tokens\": [ids], \"masks\": [{\"position\": p, \"candidates\":",
            "    [{\"id\": i, \"token\": \"...\", \"probability\": x}, ...]}, ...]}",
            "masks in text order, candidates most probable first."})
final class FillMaskCommand implements Callable<Integer> {

    private static final JsonFactory JSON = new JsonFactory();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A BERT directory (config.json, model.safetensors, vocab.txt).")
    Path model;

    @Option(names = "--text", paramLabel = "TEXT", required = true, description = "Text with one or more [MASK] tokens.")
    String text;

    @Option(names = "--pair", paramLabel = "TEXT", description = "A second segment (token type 1), as in BERT's sentence pairs.")
    String pair;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "5", description = "Candidates per mask (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--json", description = "Print JSON (the shape above).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
        }
        Bert bert = BertModels.load(model, "fill-mask");
        WordPieceTokenizer tok = BertModels.tokenizer(model, bert);
        int maskId = tok.maskId();
        if (maskId < 0) {
            throw new IllegalArgumentException(model.resolve("vocab.txt") + " has no [MASK] token");
        }
        BertEncoding enc = tok.assemble(tok.encodeWithSpecialTokens(text), pair == null ? null : tok.encodeWithSpecialTokens(pair));
        int[] ids = enc.ids();
        if (!contains(ids, maskId)) {
            throw new IllegalArgumentException("--text holds no [MASK] to fill (write [MASK] where the word goes)");
        }
        if (ids.length > bert.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException("the text is " + ids.length + " tokens, longer than the model's "
                    + bert.config().maxPositionEmbeddings() + " positions");
        }
        List<FillMask.MaskPrediction> predictions = FillMask.predict(bert,
                new BertInput(1, ids.length, ids, enc.tokenTypeIds(), null), maskId, topK);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            writeJson(w, ids, predictions, tok);
        } else {
            for (FillMask.MaskPrediction p : predictions) {
                w.printf(Locale.ROOT, "[MASK] at position %d:%n", p.position());
                for (TopTokens.Candidate c : p.candidates()) {
                    w.printf(Locale.ROOT, "  %8.4f%%  %6d  %s%n", 100 * c.probability(), c.id(), tok.tokenText(c.id()));
                }
            }
        }
        w.flush();
        return 0;
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }

    private static void writeJson(PrintWriter w, int[] ids, List<FillMask.MaskPrediction> predictions, WordPieceTokenizer tok)
            throws IOException {
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeArrayFieldStart("tokens");
            for (int id : ids) {
                g.writeNumber(id);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("masks");
            for (FillMask.MaskPrediction p : predictions) {
                g.writeStartObject();
                g.writeNumberField("position", p.position());
                g.writeArrayFieldStart("candidates");
                for (TopTokens.Candidate c : p.candidates()) {
                    g.writeStartObject();
                    g.writeNumberField("id", c.id());
                    g.writeStringField("token", tok.tokenText(c.id()));
                    g.writeNumberField("probability", c.probability());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        w.println();
    }
}
