package org.gpt4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelFormatException;

/**
 * A base tokenizer with tokens added after its vocabulary, as Hugging Face's "added tokens"
 * ({@code added_tokens.json}: text to id): fine-tuning grows the embedding by new rows (GPT-1's
 * start / delimiter / extract tokens, a chat template's role and end-of-turn markers) and this
 * is the tokenizer that knows their ids.
 *
 * <p>The added tokens are special tokens: {@link #encode} never produces them (their spelling in
 * text stays ordinary text, so a user cannot forge a turn boundary), {@link #encodeWithSpecialTokens}
 * does, and each decodes to its own spelling. Their ids are exactly {@code base.vocabSize() ..
 * base.vocabSize() + n - 1}, so the tokenizer and the grown embedding agree row for row.
 */
public final class AddedTokens implements Tokenizer {

    /** Hugging Face's file name. */
    public static final String FILE = "added_tokens.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A handful of tokens; a bigger file is not an added-tokens file. */
    private static final long MAX_BYTES = 1 << 20;

    private final Tokenizer base;
    private final Map<String, Integer> added;
    private final byte[][] addedBytes;
    private final Map<String, Integer> specials;

    private AddedTokens(Tokenizer base, List<String> texts) {
        this.base = base;
        Map<String, Integer> a = new LinkedHashMap<>();
        addedBytes = new byte[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t.isEmpty()) {
                throw new IllegalArgumentException("an added token cannot be empty");
            }
            if (base.specialTokens().containsKey(t)) {
                throw new IllegalArgumentException("token " + BpeVocabulary.quote(t) + " is already a special token of the"
                        + " base tokenizer");
            }
            if (a.put(t, base.vocabSize() + i) != null) {
                throw new IllegalArgumentException("token " + BpeVocabulary.quote(t) + " is added twice");
            }
            addedBytes[i] = t.getBytes(StandardCharsets.UTF_8);
        }
        this.added = Collections.unmodifiableMap(a);
        Map<String, Integer> s = new LinkedHashMap<>(base.specialTokens());
        s.putAll(a);
        this.specials = Collections.unmodifiableMap(s);
    }

    /**
     * {@code base} with {@code texts} added as ids {@code base.vocabSize()}, ... in order; tokens
     * the base already added (when it is itself an AddedTokens) keep their ids.
     */
    public static AddedTokens of(Tokenizer base, List<String> texts) {
        if (base instanceof AddedTokens a) {
            List<String> all = new ArrayList<>(a.added.keySet());
            all.addAll(texts);
            return new AddedTokens(a.base, all);
        }
        return new AddedTokens(base, texts);
    }

    /** The tokenizer the tokens were added to. */
    public Tokenizer base() {
        return base;
    }

    /** The added tokens, text to id, in id order. */
    public Map<String, Integer> added() {
        return added;
    }

    @Override
    public int[] encode(String text) {
        return base.encode(text);
    }

    @Override
    public int vocabSize() {
        return base.vocabSize() + addedBytes.length;
    }

    @Override
    public byte[] tokenBytes(int id) {
        Tokenizer.checkId(id, vocabSize());
        return id < base.vocabSize() ? base.tokenBytes(id) : addedBytes[id - base.vocabSize()].clone();
    }

    @Override
    public String decode(int[] ids) {
        if (base instanceof WordPieceTokenizer) {
            // WordPiece joins token texts with spaces rather than concatenating bytes.
            List<String> texts = new ArrayList<>(ids.length);
            for (int id : ids) {
                texts.add(tokenText(id));
            }
            return WordPieceTokenizer.joinTokens(texts);
        }
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        if (base instanceof WordPieceTokenizer) {
            return decode(ids).getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            Tokenizer.checkId(id, vocabSize());
            out.writeBytes(id < base.vocabSize() ? base.tokenBytes(id) : addedBytes[id - base.vocabSize()]);
        }
        return out.toByteArray();
    }

    @Override
    public String tokenText(int id) {
        Tokenizer.checkId(id, vocabSize());
        return id < base.vocabSize() ? base.tokenText(id) : new String(addedBytes[id - base.vocabSize()], StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    @Override
    public String toString() {
        return base + " + " + added.size() + " added tokens";
    }

    /** Writes {@code added_tokens.json} (text to id, pretty-printed as transformers writes it). */
    public void write(Path file) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        added.forEach(root::put);
        AtomicFiles.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    /**
     * {@code base} with the tokens of an {@code added_tokens.json}.
     *
     * @throws ModelFormatException naming the file when an id is not an integer, or the ids are
     *         not exactly the ones after the base vocabulary
     */
    public static AddedTokens read(Tokenizer base, Path file) throws IOException {
        JsonNode root = JsonFiles.readObject(file, MAX_BYTES, "an added-tokens file");
        int n = root.size();
        String[] byId = new String[n];
        for (var e : root.properties()) {
            JsonNode id = e.getValue();
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw new ModelFormatException(file, "token " + BpeVocabulary.quote(e.getKey()) + " must map to an integer id, got " + id);
            }
            int slot = id.asInt() - base.vocabSize();
            if (slot < 0 || slot >= n || byId[slot] != null) {
                throw new ModelFormatException(file, "token " + BpeVocabulary.quote(e.getKey()) + " has id " + id.asInt()
                        + "; the " + n + " added tokens must have the ids " + base.vocabSize() + ".."
                        + (base.vocabSize() + n - 1) + ", after the tokenizer's " + base.vocabSize() + " tokens");
            }
            byId[slot] = e.getKey();
        }
        try {
            return new AddedTokens(base, List.of(byId));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }
}
