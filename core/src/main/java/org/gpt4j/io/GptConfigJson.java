package org.gpt4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.model.Activation;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.LayerNormPlacement;
import org.gpt4j.model.PositionalEncoding;

/**
 * {@code config.json} in Hugging Face GPT-2's field names, with gpt4j's variants as extra
 * fields ({@code position_encoding}, {@code layer_norm_placement}) that transformers ignores.
 */
public final class GptConfigJson {

    /** config.json is small; anything larger is not a config. */
    private static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GptConfigJson() {
    }

    public static GptConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "not found (a model directory holds config.json and model.safetensors)");
        }
        return fromJson(file, JsonFiles.readObject(file, MAX_BYTES, "a config.json"));
    }

    static GptConfig fromJson(Path file, JsonNode root) throws ModelFormatException {
        String modelType = optionalText(file, root, "model_type", "gpt2");
        if (!modelType.equals("gpt2")) {
            throw new ModelFormatException(file, "model_type '" + modelType + "' is not supported (expected gpt2)");
        }
        int nLayer = requiredInt(file, root, "n_layer");
        int nHead = requiredInt(file, root, "n_head");
        int nEmbd = requiredInt(file, root, "n_embd");
        int nPositions = root.has("n_positions") ? requiredInt(file, root, "n_positions") : requiredInt(file, root, "n_ctx");
        int vocab = requiredInt(file, root, "vocab_size");
        JsonNode innerNode = root.get("n_inner");
        double eps = optionalDouble(file, root, "layer_norm_epsilon", 1e-5);
        double dropout = optionalDouble(file, root, "resid_pdrop", 0.0);
        try {
            int nInner = innerNode == null || innerNode.isNull() ? GptConfig.defaultInner(nEmbd) : requiredInt(file, root, "n_inner");
            return new GptConfig(nLayer, nHead, nEmbd, nPositions, vocab, nInner, eps,
                    Activation.fromConfigName(optionalText(file, root, "activation_function", "gelu_new")),
                    PositionalEncoding.fromConfigName(optionalText(file, root, "position_encoding", "learned")),
                    LayerNormPlacement.fromConfigName(optionalText(file, root, "layer_norm_placement", "pre")),
                    dropout);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }

    /** The JSON object written to config.json, loadable by Hugging Face transformers as GPT2LMHeadModel. */
    public static ObjectNode toJson(GptConfig c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.putArray("architectures").add("GPT2LMHeadModel");
        o.put("model_type", "gpt2");
        o.put("n_layer", c.nLayer());
        o.put("n_head", c.nHead());
        o.put("n_embd", c.nEmbd());
        o.put("n_positions", c.nPositions());
        o.put("n_ctx", c.nPositions());
        o.put("vocab_size", c.vocabSize());
        if (c.nInner() == 4L * c.nEmbd()) {
            o.putNull("n_inner");
        } else {
            o.put("n_inner", c.nInner());
        }
        o.put("layer_norm_epsilon", c.layerNormEpsilon());
        o.put("activation_function", c.activation().configName());
        o.put("resid_pdrop", c.dropout());
        o.put("embd_pdrop", c.dropout());
        o.put("attn_pdrop", c.dropout());
        o.put("initializer_range", 0.02);
        o.put("tie_word_embeddings", true);
        o.put("scale_attn_weights", true);
        o.put("position_encoding", c.positionalEncoding().configName());
        o.put("layer_norm_placement", c.layerNorm().configName());
        o.put("torch_dtype", "float32");
        return o;
    }

    public static void write(GptConfig c, Path file) throws IOException {
        AtomicFiles.write(file, toBytes(c));
    }

    /** The bytes of config.json: {@link #toJson}, pretty-printed as transformers writes it. */
    static byte[] toBytes(GptConfig c) throws IOException {
        return toBytes(c, "float32");
    }

    /** As {@link #toBytes(GptConfig)} with the {@code torch_dtype} the weights file holds. */
    static byte[] toBytes(GptConfig c, String torchDtype) throws IOException {
        ObjectNode o = toJson(c);
        o.put("torch_dtype", torchDtype);
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    }

    private static int requiredInt(Path file, JsonNode root, String field) throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new ModelFormatException(file, "missing field '" + field + "'");
        }
        if (!n.canConvertToExactIntegral() || !n.canConvertToInt()) {
            throw new ModelFormatException(file, "field '" + field + "' must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static double optionalDouble(Path file, JsonNode root, String field, double fallback)
            throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw new ModelFormatException(file, "field '" + field + "' must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static String optionalText(Path file, JsonNode root, String field, String fallback)
            throws ModelFormatException {
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
