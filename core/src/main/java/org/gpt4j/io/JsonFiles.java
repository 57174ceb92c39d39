package org.gpt4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading the small JSON files of model directories (configs, tokenizer files): capped in size,
 * strict about duplicate keys, and every failure one {@link ModelFormatException} naming the file.
 */
public final class JsonFiles {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonFiles() {
    }

    /**
     * The JSON object in {@code file}.
     *
     * @param maxBytes the largest file accepted (a bigger one is not what it claims to be)
     * @param what     the file's kind for the size error, e.g. "a tokenizer file"
     */
    public static JsonNode readObject(Path file, long maxBytes, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "not found");
        }
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new ModelFormatException(file, "is " + size + " bytes, too large for " + what);
        }
        JsonNode root;
        try {
            root = STRICT.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "must hold a JSON object");
        }
        return root;
    }
}
