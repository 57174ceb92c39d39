package org.gpt4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelFormatException;

/**
 * gpt4j's small file for a {@link CharTokenizer}, {@code char_vocab.json}:
 * <pre>{"type": "char", "chars": "\n !$&',-.3:;?ABC...xyz", "unknown": null}</pre>
 * {@code chars} lists the characters in id order as one string; {@code unknown} is null (reject
 * characters outside the vocabulary) or one of those characters (encode them as it).
 */
public final class CharVocabJson {

    public static final String FILE = "char_vocab.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CharVocabJson() {
    }

    public static CharTokenizer read(Path file) throws IOException {
        JsonNode root = JsonFiles.readObject(file, Gpt2Files.MAX_BYTES, "a tokenizer file");
        if (!root.path("type").asText("").equals("char")) {
            throw new ModelFormatException(file, "field 'type' must be \"char\", got " + root.path("type"));
        }
        JsonNode chars = root.path("chars");
        if (!chars.isTextual() || chars.asText().isEmpty()) {
            throw new ModelFormatException(file, "field 'chars' must be a non-empty string of the vocabulary's characters");
        }
        JsonNode unknownNode = root.path("unknown");
        int unknown = -1;
        if (!unknownNode.isMissingNode() && !unknownNode.isNull()) {
            String u = unknownNode.asText("");
            if (!unknownNode.isTextual() || u.codePointCount(0, u.length()) != 1) {
                throw new ModelFormatException(file, "field 'unknown' must be null or a single character, got " + unknownNode);
            }
            unknown = u.codePointAt(0);
        }
        try {
            return new CharTokenizer(chars.asText().codePoints().toArray(), unknown);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }

    public static void write(CharTokenizer tokenizer, Path file) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", "char");
        StringBuilder chars = new StringBuilder();
        for (int cp : tokenizer.codePoints()) {
            chars.appendCodePoint(cp);
        }
        root.put("chars", chars.toString());
        if (tokenizer.unknownCodePoint() < 0) {
            root.putNull("unknown");
        } else {
            root.put("unknown", new String(Character.toChars(tokenizer.unknownCodePoint())));
        }
        AtomicFiles.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}
