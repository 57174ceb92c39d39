package org.gpt4j.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the JSON fixtures under {@code fixtures/rl/} (written by tools/reference/*_reference.py). */
final class RlFixtures {

    private RlFixtures() {
    }

    static JsonNode read(String name) {
        try (InputStream in = RlFixtures.class.getResourceAsStream("/fixtures/rl/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture fixtures/rl/" + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array (nested arrays flattened, row-major) as floats. */
    static float[] floats(JsonNode n) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        flatten(n, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    static int[] ints(JsonNode n) {
        float[] f = floats(n);
        int[] a = new int[f.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (int) f[i];
        }
        return a;
    }

    private static void flatten(JsonNode n, java.util.List<Float> out) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, out));
        } else {
            out.add((float) n.asDouble());
        }
    }
}
