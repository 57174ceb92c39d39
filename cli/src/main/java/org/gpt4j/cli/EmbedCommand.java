package org.gpt4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.inspect.SentenceEmbeddings;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertInput;
import org.gpt4j.tokenizer.BertEncoding;
import org.gpt4j.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j embed}: sentence vectors from a BERT (feature extraction), one per --text. */
@Command(name = "embed", header = "Sentence vectors from a BERT, one per --text.", mixinStandardHelpOptions = true,
        description = {"Encode each text as [CLS] text [SEP] (padded to the longest, padding masked",
            "out) and pool the last hidden states into one vector: the [CLS] state (cls), or",
            "the mean over the text's tokens (mean, sentence-transformers' pooling).",
            "",
            "--json prints one object:",
            "  {\"pooling\": \"cls\"|\"mean\", \"dimension\": C,",
            "   \"embeddings\": [{\"text\": \"...\", \"tokens\": n, \"vector\": [C floats]}, ...]}",
            "in the order of the --text options."})
final class EmbedCommand implements Callable<Integer> {

    private static final JsonFactory JSON = new JsonFactory();

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A BERT directory (config.json, model.safetensors, vocab.txt).")
    Path model;

    @Option(names = "--text", paramLabel = "TEXT", required = true, description = "A text to embed; repeat for several.")
    List<String> texts;

    @Option(names = "--pooling", paramLabel = "cls|mean", defaultValue = "cls", description = "cls or mean (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--json", description = "Print JSON (the shape above) rather than a summary with cosine similarities.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SentenceEmbeddings.Pooling how = SentenceEmbeddings.Pooling.fromName(pooling);
        // sentence vectors need the encoder and the pooler only: a BertModel checkpoint without heads will do
        Bert bert = BertModels.loadEncoder(model, "embed");
        WordPieceTokenizer tok = BertModels.tokenizer(model, bert);
        int b = texts.size();
        int[][] ids = new int[b][];
        int t = 1;
        for (int i = 0; i < b; i++) {
            BertEncoding enc = tok.encodePair(texts.get(i), null);
            ids[i] = enc.ids();
            if (ids[i].length > bert.config().maxPositionEmbeddings()) {
                throw new IllegalArgumentException("--text " + (i + 1) + " is " + ids[i].length + " tokens, longer than the model's "
                        + bert.config().maxPositionEmbeddings() + " positions");
            }
            t = Math.max(t, ids[i].length);
        }
        int pad = Math.max(tok.padId(), 0);
        int[] tokens = new int[b * t];
        int[] mask = new int[b * t];
        java.util.Arrays.fill(tokens, pad);
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids[i], 0, tokens, i * t, ids[i].length);
            java.util.Arrays.fill(mask, i * t, i * t + ids[i].length, 1);
        }
        float[][] vectors = SentenceEmbeddings.embed(bert, new BertInput(b, t, tokens, null, mask), how);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            try (JsonGenerator g = JSON.createGenerator(w)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeStringField("pooling", pooling);
                g.writeNumberField("dimension", bert.config().hiddenSize());
                g.writeArrayFieldStart("embeddings");
                for (int i = 0; i < b; i++) {
                    g.writeStartObject();
                    g.writeStringField("text", texts.get(i));
                    g.writeNumberField("tokens", ids[i].length);
                    g.writeArrayFieldStart("vector");
                    for (float x : vectors[i]) {
                        g.writeNumber(x);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            w.println();
        } else {
            w.printf(Locale.ROOT, "%d vectors of %d (%s pooling)%n", b, bert.config().hiddenSize(), pooling);
            for (int i = 0; i < b; i++) {
                w.printf(Locale.ROOT, "%3d  norm %.4f  %s%n", i, Math.sqrt(dot(vectors[i], vectors[i])), texts.get(i));
            }
            if (b > 1) {
                w.println("cosine similarity:");
                for (int i = 0; i < b; i++) {
                    StringBuilder row = new StringBuilder();
                    for (int j = 0; j < b; j++) {
                        double cos = dot(vectors[i], vectors[j]) / Math.sqrt(dot(vectors[i], vectors[i]) * dot(vectors[j], vectors[j]));
                        row.append(String.format(Locale.ROOT, " %7.4f", cos));
                    }
                    w.printf(Locale.ROOT, "%3d %s%n", i, row);
                }
            }
        }
        w.flush();
        return 0;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
