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
final class LoadedModel implements StudioModel {

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

    @Override
    public Path directory() {
        return directory;
    }

    Gpt gpt() {
        return gpt;
    }

    GptConfig config() {
        return gpt.config();
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int context() {
        return config().nPositions();
    }

    @Override
    public int vocabSize() {
        return config().vocabSize();
    }

    @Override
    public String arch() {
        return "gpt";
    }

    @Override
    public int[] encode(String text) {
        return tokenizer.encode(text);
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
