package org.gpt4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.model.Activation;
import org.gpt4j.model.BertConfig;

/**
 * {@code config.json} of a Hugging Face BERT ({@code model_type: "bert"}): read with
 * transformers' defaults for absent fields, written so that transformers loads it as
 * BertForPreTraining.
 */
public final class BertConfigJson {

    /** config.json is small; anything larger is not a config. */
    private static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BertConfigJson() {
    }

    /** Whether {@code dir}'s config.json declares {@code model_type: "bert"} (false when unreadable). */
    public static boolean isBert(Path dir) {
        Path file = dir.resolve(ModelDirectory.CONFIG);
        try {
            JsonNode type = JsonFiles.readObject(file, MAX_BYTES, "a config.json").get("model_type");
            return type != null && "bert".equals(type.asText());
        } catch (IOException e) {
            return false;
        }
    }

    public static BertConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "not found (a BERT directory holds config.json and model.safetensors)");
        }
        return fromJson(file, JsonFiles.readObject(file, MAX_BYTES, "a config.json"));
    }

    static BertConfig fromJson(Path file, JsonNode root) throws ModelFormatException {
        String modelType = text(file, root, "model_type", null);
        if (!"bert".equals(modelType)) {
            throw new ModelFormatException(file, "model_type is " + (modelType == null ? "missing" : "'" + modelType + "'")
                    + ", expected 'bert'");
        }
        String positions = text(file, root, "position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw new ModelFormatException(file, "position_embedding_type '" + positions + "' is not supported (only absolute)");
        }
        if (root.path("is_decoder").asBoolean(false) || root.path("add_cross_attention").asBoolean(false)) {
            throw new ModelFormatException(file, "a BERT decoder (is_decoder, add_cross_attention) is not supported");
        }
        double dropout = number(file, root, "hidden_dropout_prob", 0.1);
        number(file, root, "attention_probs_dropout_prob", dropout);
        try {
            return new BertConfig(
                    integer(file, root, "vocab_size", null),
                    integer(file, root, "hidden_size", 768),
                    integer(file, root, "num_hidden_layers", 12),
                    integer(file, root, "num_attention_heads", 12),
                    integer(file, root, "intermediate_size", 3072),
                    integer(file, root, "max_position_embeddings", 512),
                    integer(file, root, "type_vocab_size", 2),
                    number(file, root, "layer_norm_eps", 1e-12),
                    activation(file, text(file, root, "hidden_act", "gelu")),
                    dropout);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }

    /** BERT's hidden_act: Hugging Face's "gelu" is the exact (erf) GELU; "gelu_new" the tanh one. */
    private static Activation activation(Path file, String name) throws ModelFormatException {
        try {
            return Activation.fromConfigName(name);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "hidden_act '" + name + "' is not supported (expected gelu, gelu_new or relu)");
        }
    }

    /** The JSON object written to config.json, loadable by transformers as BertForPreTraining. */
    public static ObjectNode toJson(BertConfig c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.putArray("architectures").add("BertForPreTraining");
        o.put("model_type", "bert");
        o.put("vocab_size", c.vocabSize());
        o.put("hidden_size", c.hiddenSize());
        o.put("num_hidden_layers", c.numHiddenLayers());
        o.put("num_attention_heads", c.numAttentionHeads());
        o.put("intermediate_size", c.intermediateSize());
        o.put("max_position_embeddings", c.maxPositionEmbeddings());
        o.put("type_vocab_size", c.typeVocabSize());
        o.put("layer_norm_eps", c.layerNormEps());
        o.put("hidden_act", c.hiddenAct().configName());
        o.put("hidden_dropout_prob", c.dropout());
        o.put("attention_probs_dropout_prob", c.dropout());
        o.put("initializer_range", 0.02);
        o.put("pad_token_id", 0);
        o.put("position_embedding_type", "absolute");
        o.put("tie_word_embeddings", true);
        o.put("torch_dtype", "float32");
        return o;
    }

    /** The bytes of config.json, pretty-printed as transformers writes it. */
    static byte[] toBytes(ObjectNode config) throws IOException {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config);
    }

    private static int integer(Path file, JsonNode root, String field, Integer fallback) throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (fallback == null) {
                throw new ModelFormatException(file, "missing field '" + field + "'");
            }
            return fallback;
        }
        if (!n.canConvertToExactIntegral() || !n.canConvertToInt()) {
            throw new ModelFormatException(file, "field '" + field + "' must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static double number(Path file, JsonNode root, String field, double fallback) throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw new ModelFormatException(file, "field '" + field + "' must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static String text(Path file, JsonNode root, String field, String fallback) throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new ModelFormatException(file, "field '" + field + "' must be a string, got " + n);
        }
        return n.asText();
    }
}
