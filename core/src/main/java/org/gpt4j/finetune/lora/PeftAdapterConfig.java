package org.gpt4j.finetune.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.LoraAdapters;
import org.gpt4j.model.LoraConfig;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter on GPT-2, the fields gpt4j writes and
 * reads (PEFT 0.21 writes the same keys; the ones gpt4j has no use for get PEFT's defaults).
 *
 * @param lora          r, lora_alpha, target_modules (the list form; see {@link #read} for the
 *                      string form) and use_rslora
 * @param taskType      SEQ_CLS (a task model: the head {@code score} in modules_to_save) or
 *                      CAUSAL_LM (a language model)
 * @param baseModel     base_model_name_or_path, as the user gave it (informational: gpt4j always
 *                      takes the base from {@code --model})
 * @param tokenIndices  trainable_token_indices: the rows of {@code wte} the adapter replaces
 *                      (GPT-1's added tokens), or an empty array
 * @param modulesToSave modules_to_save: modules trained whole and saved (the head)
 */
public record PeftAdapterConfig(LoraConfig lora, TaskType taskType, String baseModel, int[] tokenIndices,
        List<String> modulesToSave) {

    public static final String FILE = "adapter_config.json";

    /** PEFT's task types that gpt4j runs. */
    public enum TaskType {
        SEQ_CLS, CAUSAL_LM
    }

    /** What PEFT puts in modules_to_save for SEQ_CLS, whatever the model calls its head. */
    static final List<String> SEQ_CLS_MODULES = List.of("classifier", "score");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_BYTES = 1 << 20;
    private static final String ALL_LINEAR = "all-linear";

    public PeftAdapterConfig {
        tokenIndices = tokenIndices.clone();
        modulesToSave = List.copyOf(modulesToSave);
    }

    @Override
    public int[] tokenIndices() {
        return tokenIndices.clone();
    }

    /** The file's JSON, with PEFT 0.21's keys (its defaults where gpt4j has no setting). */
    public ObjectNode toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.putNull("alora_invocation_tokens");
        o.putObject("alpha_pattern");
        o.putNull("arrow_config");
        o.putNull("auto_mapping");
        if (baseModel == null) {
            o.putNull("base_model_name_or_path");
        } else {
            o.put("base_model_name_or_path", baseModel);
        }
        o.put("bias", "none");
        o.putNull("corda_config");
        o.put("ensure_weight_tying", false);
        o.putNull("eva_config");
        o.putNull("exclude_modules");
        // GPT-2's Conv1D stores W as [in, out]: merging transposes B A.
        o.put("fan_in_fan_out", true);
        o.put("inference_mode", true);
        o.put("init_lora_weights", true);
        o.putNull("kasa_config");
        o.putNull("layer_replication");
        o.putNull("layers_pattern");
        o.putNull("layers_to_transform");
        o.putObject("loftq_config");
        if (lora.alpha() == Math.rint(lora.alpha())) {
            o.put("lora_alpha", (long) lora.alpha());
        } else {
            o.put("lora_alpha", lora.alpha());
        }
        o.put("lora_bias", false);
        o.put("lora_dropout", 0.0);
        o.putNull("lora_ga_config");
        o.putNull("megatron_config");
        o.put("megatron_core", "megatron.core");
        if (modulesToSave.isEmpty()) {
            o.putNull("modules_to_save");
        } else {
            ArrayNode m = o.putArray("modules_to_save");
            modulesToSave.forEach(m::add);
        }
        o.putNull("monteclora_config");
        o.put("peft_type", "LORA");
        o.put("qalora_group_size", 16);
        o.put("r", lora.rank());
        o.putObject("rank_pattern");
        o.putNull("revision");
        ArrayNode t = o.putArray("target_modules");
        lora.targets().forEach(t::add);
        o.putNull("target_parameters");
        o.put("task_type", taskType.name());
        if (tokenIndices.length == 0) {
            o.putNull("trainable_token_indices");
        } else {
            ArrayNode ids = o.putArray("trainable_token_indices");
            for (int id : tokenIndices) {
                ids.add(id);
            }
        }
        o.putNull("use_bdlora");
        o.put("use_dora", false);
        o.put("use_qalora", false);
        o.put("use_rslora", lora.rsLora());
        o.putNull("velora_config");
        return o;
    }

    /**
     * Reads {@code dir/adapter_config.json}. PEFT's string form of target_modules (a regular
     * expression matched against whole module names, or "all-linear") is resolved against
     * {@code base} into the list of the modules it matches.
     *
     * @throws ModelFormatException naming the file and the field that is missing, malformed or
     *                              asks for a LoRA variant gpt4j does not run
     */
    public static PeftAdapterConfig read(Path dir, GptConfig base) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root = JsonFiles.readObject(file, MAX_BYTES, "an adapter_config.json");
        String peftType = text(file, root, "peft_type", true);
        if (!"LORA".equals(peftType)) {
            throw new ModelFormatException(file, "'peft_type' is " + peftType + "; gpt4j runs LORA adapters only");
        }
        String task = text(file, root, "task_type", false);
        TaskType taskType;
        if (task == null) {
            taskType = TaskType.CAUSAL_LM;
        } else {
            try {
                taskType = TaskType.valueOf(task);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file, "'task_type' is " + task + "; gpt4j runs SEQ_CLS and CAUSAL_LM adapters");
            }
        }
        JsonNode r = root.get("r");
        if (r == null || !r.isIntegralNumber() || !r.canConvertToInt() || r.asInt() < 1) {
            throw new ModelFormatException(file, "'r' (the LoRA rank) must be a positive integer, got " + r);
        }
        JsonNode alpha = root.get("lora_alpha");
        if (alpha == null || !alpha.isNumber() || !(alpha.asDouble() > 0) || Double.isInfinite(alpha.asDouble())) {
            throw new ModelFormatException(file, "'lora_alpha' must be a positive number, got " + alpha);
        }
        unsupported(file, root);
        boolean rsLora = flag(file, root, "use_rslora");
        List<String> targets = targets(file, root.get("target_modules"), base);
        LoraConfig lora;
        try {
            lora = new LoraConfig(r.asInt(), alpha.asDouble(), targets, rsLora);
            LoraAdapters.targeted(base, lora);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "'target_modules': " + e.getMessage(), e);
        }
        List<String> modules = strings(file, root, "modules_to_save");
        if (taskType == TaskType.SEQ_CLS && !modules.contains("score")) {
            throw new ModelFormatException(file, "'modules_to_save' must hold \"score\" (the task head) for a SEQ_CLS adapter, got "
                    + modules);
        }
        return new PeftAdapterConfig(lora, taskType, text(file, root, "base_model_name_or_path", false),
                tokenIndices(file, root.get("trainable_token_indices")), modules);
    }

    /** Settings that change what LoRA computes and that gpt4j does not implement. */
    private static void unsupported(Path file, JsonNode root) throws ModelFormatException {
        String bias = text(file, root, "bias", false);
        if (bias != null && !bias.equals("none")) {
            throw new ModelFormatException(file, "'bias' is \"" + bias + "\"; gpt4j runs LoRA with bias \"none\" only");
        }
        for (String f : new String[] {"use_dora", "lora_bias", "use_qalora"}) {
            if (flag(file, root, f)) {
                throw new ModelFormatException(file, "'" + f + "' is true; gpt4j runs plain LoRA only");
            }
        }
        for (String f : new String[] {"rank_pattern", "alpha_pattern"}) {
            JsonNode n = root.get(f);
            if (n != null && !n.isNull() && !(n.isObject() && n.isEmpty())) {
                throw new ModelFormatException(file, "'" + f + "' is not supported (one r and one lora_alpha for every layer)");
            }
        }
        for (String f : new String[] {"layers_to_transform", "layer_replication", "target_parameters", "exclude_modules"}) {
            JsonNode n = root.get(f);
            if (n != null && !n.isNull()) {
                throw new ModelFormatException(file, "'" + f + "' is not supported by gpt4j (leave it null)");
            }
        }
    }

    private static List<String> targets(Path file, JsonNode n, GptConfig base) throws ModelFormatException {
        if (n == null || n.isNull()) {
            throw new ModelFormatException(file, "missing 'target_modules' (the layers LoRA adapts, e.g. [\"c_attn\"])");
        }
        if (n.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode t : n) {
                if (!t.isTextual() || t.asText().isBlank()) {
                    throw new ModelFormatException(file, "'target_modules' must hold module names, got " + t);
                }
                out.add(t.asText());
            }
            if (out.isEmpty()) {
                throw new ModelFormatException(file, "'target_modules' is empty");
            }
            return out;
        }
        if (!n.isTextual()) {
            throw new ModelFormatException(file, "'target_modules' must be a list of names or a regular expression, got " + n);
        }
        // PEFT's string form: "all-linear", or a regular expression over whole module names.
        List<String> out = new ArrayList<>();
        Pattern p;
        try {
            p = n.asText().equals(ALL_LINEAR) ? Pattern.compile(".*") : Pattern.compile(n.asText());
        } catch (PatternSyntaxException e) {
            throw new ModelFormatException(file, "'target_modules' is not a valid regular expression: " + e.getDescription());
        }
        for (LoraAdapters.Module m : LoraAdapters.conv1dModules(base)) {
            if (p.matcher(LoraConfig.TRANSFORMER + m.name()).matches()) {
                out.add(LoraConfig.TRANSFORMER + m.name());
            }
        }
        if (out.isEmpty()) {
            throw new ModelFormatException(file, "'target_modules' \"" + n.asText() + "\" matches no Conv1D layer of the base");
        }
        return out;
    }

    private static int[] tokenIndices(Path file, JsonNode n) throws ModelFormatException {
        if (n == null || n.isNull()) {
            return new int[0];
        }
        if (n.isObject()) {
            // The dict form names the embedding: only the input embedding (wte) exists here.
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            JsonNode ids = null;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("wte") && !e.getKey().endsWith(".wte")) {
                    throw new ModelFormatException(file, "'trainable_token_indices' names '" + e.getKey()
                            + "'; a GPT-2 has trainable tokens only in wte");
                }
                ids = e.getValue();
            }
            n = ids == null ? MAPPER.createArrayNode() : ids;
        }
        if (!n.isArray()) {
            throw new ModelFormatException(file, "'trainable_token_indices' must be a list of token ids, got " + n);
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = n.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
                throw new ModelFormatException(file, "'trainable_token_indices' must hold token ids >= 0, got " + v);
            }
            out[i] = v.asInt();
        }
        return out;
    }

    private static String text(Path file, JsonNode root, String field, boolean required) throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new ModelFormatException(file, "missing '" + field + "'");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new ModelFormatException(file, "'" + field + "' must be a string, got " + n);
        }
        return n.asText();
    }

    private static boolean flag(Path file, JsonNode root, String field) throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new ModelFormatException(file, "'" + field + "' must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    private static List<String> strings(Path file, JsonNode root, String field) throws ModelFormatException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new ModelFormatException(file, "'" + field + "' must be a list of module names, got " + n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isTextual()) {
                throw new ModelFormatException(file, "'" + field + "' must hold module names, got " + v);
            }
            out.add(v.asText());
        }
        return out;
    }
}
