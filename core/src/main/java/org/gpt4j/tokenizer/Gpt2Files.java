package org.gpt4j.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.ModelFormatException;

/**
 * GPT-2's tokenizer files in their Hugging Face names: {@code vocab.json} (token spelling to id,
 * spelled in {@link ByteLevel}'s alphabet) and {@code merges.txt} ({@code #version} line, then one
 * merge {@code "left right"} per line, best first). {@code special_tokens_map.json}, when present,
 * names the special and unknown tokens.
 */
public final class Gpt2Files {

    public static final String VOCAB = "vocab.json";
    public static final String MERGES = "merges.txt";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";

    /** Tokenizer files of real models are a few MB; anything far larger is not one. */
    static final long MAX_BYTES = 256L << 20;

    private static final JsonFactory JSON = new JsonFactory();

    private Gpt2Files() {
    }

    /** Reads vocab.json and merges.txt (and special_tokens_map.json if present) from a directory. */
    public static BpeTokenizer read(Path dir) throws IOException {
        Path vocabFile = dir.resolve(VOCAB);
        Path mergesFile = dir.resolve(MERGES);
        if (!Files.isRegularFile(mergesFile)) {
            throw new ModelFormatException(vocabFile, "has no " + MERGES + " beside it (byte-level BPE needs its merge rules)");
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        String unknown = readSpecialTokensMap(dir.resolve(SPECIAL_TOKENS_MAP), specials);
        return read(vocabFile, readLimited(vocabFile), mergesFile, readLimited(mergesFile), specials, unknown);
    }

    /** Reads the two files from bytes; {@code vocabFile} and {@code mergesFile} only name them in errors. */
    static BpeTokenizer read(Path vocabFile, byte[] vocabJson, Path mergesFile, byte[] mergesTxt,
                             Map<String, Integer> specials, String unknown) throws IOException {
        Map<String, Integer> vocab = parseVocab(vocabFile, vocabJson);
        if (vocab.containsKey(Tokenizer.END_OF_TEXT)) {
            specials.putIfAbsent(Tokenizer.END_OF_TEXT, vocab.get(Tokenizer.END_OF_TEXT));
        }
        specials.keySet().removeIf(s -> !vocab.containsKey(s));
        specials.replaceAll((s, id) -> vocab.get(s));
        List<BpeVocabulary.MergeRule> merges = parseMerges(mergesFile, mergesTxt);
        return BpeVocabulary.build(vocabFile, vocab, mergesFile, merges, specials, unknown);
    }

    static byte[] readLimited(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "not found");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new ModelFormatException(file, "is " + size + " bytes, too large for a tokenizer file");
        }
        return Files.readAllBytes(file);
    }

    static Map<String, Integer> parseVocab(Path file, byte[] json) throws ModelFormatException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ModelFormatException(file, "must hold a JSON object of token to id");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                    throw new ModelFormatException(file, "token " + BpeVocabulary.quote(token)
                            + " must map to an integer id, got " + p.getText());
                }
                if (vocab.put(token, p.getIntValue()) != null) {
                    throw new ModelFormatException(file, "token " + BpeVocabulary.quote(token) + " appears twice");
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new ModelFormatException(file, "must hold exactly one JSON object of token to id");
            }
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "is not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
        return vocab;
    }

    static List<BpeVocabulary.MergeRule> parseMerges(Path file, byte[] text) throws ModelFormatException {
        String content;
        try {
            content = Utf8.decodeStrict(text, file.toString());
        } catch (IOException e) {
            String named = file + ": ";
            String m = e.getMessage();
            throw new ModelFormatException(file, m.startsWith(named) ? m.substring(named.length()) : m, e);
        }
        List<BpeVocabulary.MergeRule> merges = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new ModelFormatException(file, "line " + (i + 1) + " is " + BpeVocabulary.quote(line)
                        + ", expected two tokens separated by one space");
            }
            merges.add(new BpeVocabulary.MergeRule(parts[0], parts[1], "line " + (i + 1)));
        }
        return merges;
    }

    /** Adds the special tokens named in special_tokens_map.json (if it exists); returns the unknown token or null. */
    private static String readSpecialTokensMap(Path file, Map<String, Integer> specials) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(readLimited(file));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file, "is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        String unknown = null;
        if (root != null && root.isObject()) {
            for (var e : root.properties()) {
                JsonNode v = e.getValue();
                String content = v.isTextual() ? v.asText() : v.path("content").isTextual() ? v.path("content").asText() : null;
                if (content != null) {
                    specials.put(content, -1);
                    if (e.getKey().equals("unk_token")) {
                        unknown = content;
                    }
                }
            }
        }
        return unknown;
    }

    /** Writes vocab.json and merges.txt, each atomically, readable by Hugging Face's GPT2Tokenizer. */
    public static void write(BpeTokenizer tokenizer, Path dir) throws IOException {
        int n = tokenizer.vocabSize();
        String[] spelling = new String[n];
        for (int id = 0; id < n; id++) {
            spelling[id] = spell(tokenizer, id);
        }
        ByteArrayOutputStream vocab = new ByteArrayOutputStream(n * 16);
        try (JsonGenerator g = JSON.createGenerator(vocab)) {
            g.writeStartObject();
            for (int id = 0; id < n; id++) {
                g.writeNumberField(spelling[id], id);
            }
            g.writeEndObject();
        }
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (int r = 0; r < tokenizer.mergeCount(); r++) {
            int[] m = tokenizer.merge(r);
            merges.append(spelling[m[0]]).append(' ').append(spelling[m[1]]).append('\n');
        }
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(VOCAB), vocab.toByteArray());
        AtomicFiles.write(dir.resolve(MERGES), merges.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String spell(BpeTokenizer tokenizer, int id) {
        for (Map.Entry<String, Integer> e : tokenizer.specialTokens().entrySet()) {
            if (e.getValue() == id) {
                return e.getKey();
            }
        }
        return ByteLevel.encode(tokenizer.tokenBytes(id));
    }
}
