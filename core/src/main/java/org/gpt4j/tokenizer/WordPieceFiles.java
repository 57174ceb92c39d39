package org.gpt4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelFormatException;

/**
 * BERT's tokenizer files: {@code vocab.txt} (one token a line, the line number is the id) and,
 * beside it, Hugging Face's {@code tokenizer_config.json} ({@code do_lower_case},
 * {@code strip_accents}, {@code tokenize_chinese_chars} and the special tokens). Without the
 * config, lower-casing is on, as in {@code BertTokenizer}.
 */
public final class WordPieceFiles {

    public static final String VOCAB = "vocab.txt";
    public static final String CONFIG = "tokenizer_config.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A config of a few fields; a bigger file is not one. */
    private static final long MAX_CONFIG_BYTES = 1 << 20;

    private WordPieceFiles() {
    }

    /** The WordPiece tokenizer of a directory holding vocab.txt. */
    public static WordPieceTokenizer read(Path dir) throws IOException {
        Path configFile = dir.resolve(CONFIG);
        WordPieceConfig config = Files.isRegularFile(configFile) ? readConfig(configFile) : WordPieceConfig.bert(true);
        return read(dir.resolve(VOCAB), config);
    }

    /**
     * A tokenizer from a vocab.txt and a configuration.
     *
     * @throws ModelFormatException naming the file when it is empty, not UTF-8, has an empty line or a
     *         token twice, or lacks the unknown token
     */
    public static WordPieceTokenizer read(Path vocabFile, WordPieceConfig config) throws IOException {
        byte[] bytes = Gpt2Files.readLimited(vocabFile);
        String text;
        try {
            text = Utf8.decodeStrict(bytes, vocabFile.toString());
        } catch (IOException e) {
            throw new ModelFormatException(vocabFile, e.getMessage().substring(vocabFile.toString().length() + 2), e);
        }
        List<String> tokens = parseVocab(vocabFile, text);
        if (!tokens.contains(config.unkToken())) {
            throw new ModelFormatException(vocabFile, "has no unknown token " + config.unkToken()
                    + " (WordPiece needs it for words the vocabulary cannot spell)");
        }
        return new WordPieceTokenizer(tokens, config);
    }

    private static List<String> parseVocab(Path file, String text) throws ModelFormatException {
        if (text.isEmpty()) {
            throw new ModelFormatException(file, "is empty (expected one token a line)");
        }
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            int lineEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            String token = text.substring(start, lineEnd);
            int line = tokens.size() + 1;
            if (token.isEmpty()) {
                throw new ModelFormatException(file, "line " + line + " is empty (expected one token a line)");
            }
            Integer before = lineOf.putIfAbsent(token, line);
            if (before != null) {
                throw new ModelFormatException(file, "line " + line + " repeats the token " + BpeVocabulary.quote(token)
                        + " of line " + before + " (each token must appear once: its line number is its id)");
            }
            tokens.add(token);
            start = end + 1;
        }
        return tokens;
    }

    /** Reads tokenizer_config.json's WordPiece fields; absent fields take BERT's defaults. */
    public static WordPieceConfig readConfig(Path file) throws IOException {
        JsonNode root = JsonFiles.readObject(file, MAX_CONFIG_BYTES, "a tokenizer config");
        WordPieceConfig d = WordPieceConfig.bert(true);
        JsonNode strip = root.path("strip_accents");
        Boolean stripAccents = strip.isMissingNode() || strip.isNull() ? null : bool(file, root, "strip_accents", false);
        int maxChars = d.maxInputCharsPerWord();
        JsonNode max = root.path("max_input_chars_per_word");
        if (!max.isMissingNode()) {
            if (!max.isIntegralNumber() || !max.canConvertToInt() || max.asInt() < 1) {
                throw new ModelFormatException(file, "max_input_chars_per_word must be a positive integer, got " + max);
            }
            maxChars = max.asInt();
        }
        return new WordPieceConfig(bool(file, root, "do_lower_case", true), stripAccents,
                bool(file, root, "tokenize_chinese_chars", true),
                token(file, root, "unk_token", d.unkToken()), token(file, root, "cls_token", d.clsToken()),
                token(file, root, "sep_token", d.sepToken()), token(file, root, "pad_token", d.padToken()),
                token(file, root, "mask_token", d.maskToken()), maxChars);
    }

    private static boolean bool(Path file, JsonNode root, String field, boolean absent) throws ModelFormatException {
        JsonNode v = root.path(field);
        if (v.isMissingNode()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw new ModelFormatException(file, field + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    /** A special token, written as a string or as transformers' AddedToken object {"content": ...}. */
    private static String token(Path file, JsonNode root, String field, String absent) throws ModelFormatException {
        JsonNode v = root.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return absent;
        }
        if (v.isObject()) {
            v = v.path("content");
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new ModelFormatException(file, field + " must be a non-empty string or {\"content\": ...}, got " + root.path(field));
        }
        return v.asText();
    }

    /**
     * Writes vocab.txt and tokenizer_config.json, each through a temporary file. Fields of an
     * existing config that this does not own (model_max_length, ...) are kept.
     */
    public static void write(WordPieceTokenizer tokenizer, Path dir) throws IOException {
        StringBuilder vocab = new StringBuilder(tokenizer.vocabSize() * 8);
        for (String t : tokenizer.tokens()) {
            if (t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("token " + BpeVocabulary.quote(t) + " has a line break; vocab.txt cannot hold it");
            }
            vocab.append(t).append('\n');
        }
        Path configFile = dir.resolve(CONFIG);
        ObjectNode root = MAPPER.createObjectNode();
        if (Files.isRegularFile(configFile)) {
            try {
                if (JsonFiles.readObject(configFile, MAX_CONFIG_BYTES, "a tokenizer config") instanceof ObjectNode old) {
                    root = old;
                }
            } catch (ModelFormatException e) {
                // A broken config is replaced whole.
            }
        }
        WordPieceConfig c = tokenizer.config();
        root.put("tokenizer_class", "BertTokenizer");
        root.put("do_lower_case", c.doLowerCase());
        if (c.stripAccents() == null) {
            root.putNull("strip_accents");
        } else {
            root.put("strip_accents", c.stripAccents());
        }
        root.put("tokenize_chinese_chars", c.tokenizeChineseChars());
        root.put("unk_token", c.unkToken());
        root.put("sep_token", c.sepToken());
        root.put("pad_token", c.padToken());
        root.put("cls_token", c.clsToken());
        root.put("mask_token", c.maskToken());
        if (c.maxInputCharsPerWord() != WordPieceConfig.bert(true).maxInputCharsPerWord()) {
            root.put("max_input_chars_per_word", c.maxInputCharsPerWord());
        }
        AtomicFiles.write(dir.resolve(VOCAB), vocab.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(configFile, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}
