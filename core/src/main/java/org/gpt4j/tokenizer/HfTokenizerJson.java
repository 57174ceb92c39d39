package org.gpt4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelFormatException;

/**
 * Hugging Face's {@code tokenizer.json}, for the GPT-2 family: a {@code BPE} model with a
 * {@code ByteLevel} pre-tokenizer, no normalizer, and {@code added_tokens} as special tokens.
 * Anything else (WordPiece, SentencePiece-style metaspace, a normalizer) is refused with a clear
 * message rather than encoded differently from the original.
 */
public final class HfTokenizerJson {

    public static final String FILE = "tokenizer.json";

    private HfTokenizerJson() {
    }

    public static BpeTokenizer read(Path file) throws IOException {
        JsonNode root = JsonFiles.readObject(file, Gpt2Files.MAX_BYTES, "a tokenizer file");
        JsonNode model = root.path("model");
        if (!model.isObject()) {
            throw new ModelFormatException(file, "has no 'model' object");
        }
        String type = model.path("type").asText("BPE");
        if (!type.equals("BPE")) {
            throw new ModelFormatException(file, "model type '" + type + "' is not supported (gpt4j reads byte-level BPE"
                    + (type.equals("WordPiece") ? "; for BERT's WordPiece put its vocab.txt beside it)" : ")"));
        }
        checkByteLevel(file, root.path("pre_tokenizer"));
        if (!root.path("normalizer").isMissingNode() && !root.path("normalizer").isNull()) {
            throw new ModelFormatException(file, "has a normalizer (" + root.path("normalizer").path("type").asText()
                    + "), which GPT-2's tokenizer does not use; not supported");
        }
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            if (!model.path(affix).asText("").isEmpty()) {
                throw new ModelFormatException(file, "model." + affix + " is set; not supported for byte-level BPE");
            }
        }
        JsonNode vocabNode = model.path("vocab");
        if (!vocabNode.isObject()) {
            throw new ModelFormatException(file, "has no model.vocab object");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (var e : vocabNode.properties()) {
            if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber()) {
                throw new ModelFormatException(file, "model.vocab: token " + BpeVocabulary.quote(e.getKey())
                        + " must map to an integer id, got " + e.getValue());
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        for (JsonNode added : root.path("added_tokens")) {
            String content = added.path("content").asText(null);
            JsonNode id = added.path("id");
            if (content == null || !id.canConvertToInt()) {
                throw new ModelFormatException(file, "added_tokens entry " + added + " needs 'id' and 'content'");
            }
            Integer existing = vocab.get(content);
            if (existing != null && existing != id.asInt()) {
                throw new ModelFormatException(file, "added token " + BpeVocabulary.quote(content) + " has id "
                        + id.asInt() + " but model.vocab gives it " + existing);
            }
            // Added tokens outside model.vocab extend it; BpeVocabulary checks the ids stay 0..n-1.
            vocab.put(content, id.asInt());
            specials.put(content, id.asInt());
        }
        JsonNode mergesNode = model.path("merges");
        if (!mergesNode.isArray()) {
            throw new ModelFormatException(file, "has no model.merges list (byte-level BPE needs its merge rules)");
        }
        List<BpeVocabulary.MergeRule> merges = new ArrayList<>(mergesNode.size());
        int index = 0;
        for (JsonNode m : mergesNode) {
            String where = "model.merges[" + index++ + "]";
            String left;
            String right;
            if (m.isTextual()) {
                String[] parts = m.asText().split(" ", -1);
                if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                    throw new ModelFormatException(file, where + " is " + m + ", expected \"left right\"");
                }
                left = parts[0];
                right = parts[1];
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                left = m.get(0).asText();
                right = m.get(1).asText();
            } else {
                throw new ModelFormatException(file, where + " is " + m + ", expected \"left right\" or [left, right]");
            }
            merges.add(new BpeVocabulary.MergeRule(left, right, where));
        }
        String unknown = model.path("unk_token").isTextual() ? model.path("unk_token").asText() : null;
        return BpeVocabulary.build(file, vocab, file, merges, specials, unknown);
    }

    private static void checkByteLevel(Path file, JsonNode pre) throws ModelFormatException {
        if (pre.path("type").asText("").equals("ByteLevel")) {
            if (pre.path("add_prefix_space").asBoolean(false)) {
                throw new ModelFormatException(file, "pre_tokenizer ByteLevel has add_prefix_space=true; not supported (GPT-2 uses false)");
            }
            if (!pre.path("use_regex").asBoolean(true)) {
                throw new ModelFormatException(file, "pre_tokenizer ByteLevel has use_regex=false; not supported");
            }
            return;
        }
        String found = pre.isMissingNode() || pre.isNull() ? "none" : pre.path("type").asText("?");
        throw new ModelFormatException(file, "pre_tokenizer is " + found + ", expected ByteLevel (GPT-2 style)");
    }
}
