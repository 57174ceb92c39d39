package org.gpt4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A fixture written by tools/reference/gpt_reference.py: a model directory, a token batch and
 * PyTorch's float64 outputs ({@code reference.safetensors}).
 */
record ReferenceFixture(String name, Path dir, int batch, int length, int[] tokens, int[] targets) {

    static ReferenceFixture load(String name) throws IOException {
        Path dir = resource("fixtures/" + name);
        JsonNode batch = new ObjectMapper().readTree(dir.resolve("batch.json").toFile());
        int b = batch.get("B").asInt();
        int t = batch.get("T").asInt();
        return new ReferenceFixture(name, dir, b, t, flatten(batch.get("tokens"), b * t), flatten(batch.get("targets"), b * t));
    }

    Path reference() {
        return dir.resolve("reference.safetensors");
    }

    static Path resource(String path) {
        try {
            return Paths.get(ReferenceFixture.class.getClassLoader().getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource missing: " + path, e);
        }
    }

    static int[] flatten(JsonNode rows, int n) {
        int[] out = new int[n];
        int i = 0;
        for (JsonNode row : rows) {
            for (JsonNode v : row) {
                out[i++] = v.asInt();
            }
        }
        if (i != n) {
            throw new IllegalStateException("expected " + n + " ids, found " + i);
        }
        return out;
    }

    /** max |actual - expected| / max |expected|: the error relative to the tensor's scale. */
    static double relativeError(float[] actual, int actualLength, float[] expected) {
        if (actualLength != expected.length) {
            throw new AssertionError("length " + actualLength + " != reference length " + expected.length);
        }
        double maxDiff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return maxDiff / Math.max(scale, 1e-30);
    }
}
