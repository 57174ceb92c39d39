package org.gpt4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.gpt4j.model.BertInput;

/**
 * The fixture tools/reference/bert_reference.py writes: a BERT directory, a padded batch of
 * sentence pairs with MLM and NSP labels, and PyTorch's float64 outputs.
 */
public record BertFixture(Path dir, BertInput input, int[] mlmLabels, int[] nspLabels) {

    public static BertFixture load() throws IOException {
        Path dir;
        try {
            dir = Paths.get(BertFixture.class.getClassLoader().getResource("fixtures/bert-pairs").toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: fixtures/bert-pairs", e);
        }
        JsonNode batch = new ObjectMapper().readTree(dir.resolve("batch.json").toFile());
        int b = batch.get("B").asInt();
        int t = batch.get("T").asInt();
        BertInput input = new BertInput(b, t, ints(batch.get("input_ids")), ints(batch.get("token_type_ids")),
                ints(batch.get("attention_mask")));
        return new BertFixture(dir, input, ints(batch.get("mlm_labels")), ints(batch.get("nsp_labels")));
    }

    public Path reference() {
        return dir.resolve("reference.safetensors");
    }

    /** A JSON array of ints, or of arrays of ints, flattened row by row. */
    static int[] ints(JsonNode node) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (JsonNode row : node) {
            if (row.isArray()) {
                row.forEach(v -> out.add(v.asInt()));
            } else {
                out.add(row.asInt());
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** max |actual - expected| / max |expected| over the first expected.length values. */
    public static double relativeError(float[] actual, float[] expected) {
        double maxDiff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return maxDiff / Math.max(scale, 1e-30);
    }
}
