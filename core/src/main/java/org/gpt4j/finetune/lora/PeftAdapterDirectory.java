package org.gpt4j.finetune.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.finetune.LabelMap;
import org.gpt4j.finetune.SpecialTokens;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskJson;
import org.gpt4j.finetune.TaskModel;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.io.SafetensorsWriter;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.LoraAdapters;
import org.gpt4j.model.ParameterSpec;

/**
 * A LoRA adapter directory as PEFT writes and reads it ({@code save_pretrained} /
 * {@code PeftModel.from_pretrained}), for a gpt4j base model:
 *
 * <ul>
 *   <li>{@code adapter_config.json}: {@link PeftAdapterConfig};
 *   <li>{@code adapter_model.safetensors}: PEFT's names, {@code base_model.model.transformer.h.0.attn.c_attn.lora_A.weight
 *       [r, in]} and {@code ...lora_B.weight [out, r]} per adapted layer; for a task model the head
 *       {@code base_model.model.score.weight [num_labels, n_embd]} (modules_to_save) and GPT-1's
 *       added tokens {@code base_model.model.transformer.wte.token_adapter.trainable_tokens_delta [4, n_embd]};
 *   <li>{@code gpt4j_task.json} (task models): what transformers keeps in the base's config.json
 *       and gpt4j in its {@code gpt4j_task} block, the format, the added tokens' ids and
 *       {@code id2label}. PEFT ignores the file.
 * </ul>
 *
 * The base is always the model the adapter was trained on, given separately; a task adapter
 * grows its vocabulary by the added tokens first (PEFT: {@code resize_token_embeddings}).
 */
public final class PeftAdapterDirectory {

    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String TASK = "gpt4j_task.json";
    static final String MODEL = "base_model.model.";
    static final String TRANSFORMER = MODEL + "transformer.";
    static final String SCORE = MODEL + ClassificationHead.WEIGHT;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_TASK_BYTES = 1 << 20;

    private PeftAdapterDirectory() {
    }

    /** True when {@code dir} holds an adapter_config.json. */
    public static boolean isAdapter(Path dir) {
        return Files.isRegularFile(dir.resolve(PeftAdapterConfig.FILE));
    }

    /**
     * Writes a task model's adapter: its LoRA pairs, its head and its added tokens' rows.
     *
     * @param baseModel the base model as the user named it (base_model_name_or_path)
     */
    public static void saveTask(TaskModel model, TrainableTokens tokens, String baseModel, Path dir) throws IOException {
        LoraAdapters lora = requireAdapters(model.gpt());
        List<NamedTensor> tensors = loraTensors(lora);
        tensors.add(new NamedTensor(SCORE, new int[] {model.head().labels(), model.gpt().config().nEmbd()},
                model.head().weight()));
        tensors.add(tokenTensor(tokens));
        PeftAdapterConfig config = new PeftAdapterConfig(lora.config(), PeftAdapterConfig.TaskType.SEQ_CLS, baseModel,
                tokens.indices(), PeftAdapterConfig.SEQ_CLS_MODULES);
        Files.createDirectories(dir);
        SafetensorsWriter.writeF32(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
        AtomicFiles.write(dir.resolve(TASK), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(taskJson(model)));
        AtomicFiles.write(dir.resolve(PeftAdapterConfig.FILE),
                MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config.toJson()));
    }

    /** Writes a language model's adapter (CAUSAL_LM): its LoRA pairs and, when given, trained token rows. */
    public static void saveLanguageModel(Gpt gpt, TrainableTokens tokens, String baseModel, Path dir) throws IOException {
        LoraAdapters lora = requireAdapters(gpt);
        List<NamedTensor> tensors = loraTensors(lora);
        if (tokens != null) {
            tensors.add(tokenTensor(tokens));
        }
        PeftAdapterConfig config = new PeftAdapterConfig(lora.config(), PeftAdapterConfig.TaskType.CAUSAL_LM, baseModel,
                tokens == null ? new int[0] : tokens.indices(), List.of());
        Files.createDirectories(dir);
        SafetensorsWriter.writeF32(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
        AtomicFiles.write(dir.resolve(PeftAdapterConfig.FILE),
                MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config.toJson()));
    }

    /**
     * The task model of a SEQ_CLS adapter on {@code base} (the plain GPT it was trained on, which
     * this grows by the added tokens and leaves otherwise unchanged): LoRA attached, not merged.
     *
     * @throws ModelFormatException naming the file and the field or tensor that is wrong
     */
    public static TaskModel loadTask(Gpt base, Path dir) throws IOException {
        PeftAdapterConfig config = PeftAdapterConfig.read(dir, base.config());
        Path configFile = dir.resolve(PeftAdapterConfig.FILE);
        if (config.taskType() != PeftAdapterConfig.TaskType.SEQ_CLS) {
            throw new ModelFormatException(configFile, "'task_type' is " + config.taskType()
                    + ": a language-model adapter (use it with generate or chat), not a task model");
        }
        Task task = readTask(dir.resolve(TASK), base.config().vocabSize());
        Set<Integer> indices = new LinkedHashSet<>();
        Arrays.stream(config.tokenIndices()).forEach(indices::add);
        SpecialTokens s = task.special();
        if (!indices.containsAll(List.of(s.start(), s.delimiter(), s.extract(), s.pad()))) {
            throw new ModelFormatException(configFile, "'trainable_token_indices' " + indices + " must hold the added tokens' ids "
                    + List.of(s.start(), s.delimiter(), s.extract(), s.pad()) + " (the adapter holds their embedding rows)");
        }
        TaskModel grown = TaskModel.fromBase(base, task.format(), task.labels(), 0);
        int c = base.config().nEmbd();
        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve(WEIGHTS))) {
            Map<String, int[]> expected = new LinkedHashMap<String, int[]>();
            expected.put(SCORE, new int[] {task.labels().size(), c});
            expected.put(TRANSFORMER + TrainableTokens.VALUES, new int[] {config.tokenIndices().length, c});
            checkTensors(st, expected, config, base);
            LoraAdapters lora = LoraAdapters.of(base.config(), config.lora(), loraValues(st, config, base));
            TrainableTokens tokens = TrainableTokens.of(config.tokenIndices(), c, st.readFloats(TRANSFORMER + TrainableTokens.VALUES));
            try {
                tokens.writeInto(grown.gpt());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(configFile, "'trainable_token_indices': " + e.getMessage(), e);
            }
            ClassificationHead head = ClassificationHead.of(task.labels().size(), c, st.readFloats(SCORE));
            return new TaskModel(grown.gpt().withAdapters(lora), head, task.format(), s, task.labels());
        }
    }

    /**
     * A CAUSAL_LM adapter on {@code base}: the GPT with LoRA attached (not merged) and any trained
     * token rows written into its wte (so {@code base}'s wte changes: pass a freshly loaded one).
     *
     * @throws ModelFormatException naming the file and the field or tensor that is wrong
     */
    public static Gpt loadLanguageModel(Gpt base, Path dir) throws IOException {
        PeftAdapterConfig config = PeftAdapterConfig.read(dir, base.config());
        if (config.taskType() != PeftAdapterConfig.TaskType.CAUSAL_LM) {
            throw new ModelFormatException(dir.resolve(PeftAdapterConfig.FILE), "'task_type' is " + config.taskType()
                    + ": a task model's adapter (use it with classify or evaluate-task), not a language model");
        }
        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve(WEIGHTS))) {
            Map<String, int[]> expected = new LinkedHashMap<String, int[]>();
            int n = config.tokenIndices().length;
            if (n > 0) {
                expected.put(TRANSFORMER + TrainableTokens.VALUES, new int[] {n, base.config().nEmbd()});
            }
            checkTensors(st, expected, config, base);
            LoraAdapters lora = LoraAdapters.of(base.config(), config.lora(), loraValues(st, config, base));
            if (n > 0) {
                try {
                    TrainableTokens.of(config.tokenIndices(), base.config().nEmbd(),
                            st.readFloats(TRANSFORMER + TrainableTokens.VALUES)).writeInto(base);
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException(dir.resolve(PeftAdapterConfig.FILE), "'trainable_token_indices': "
                            + e.getMessage() + " (gpt4j does not resize the base for a language-model adapter)", e);
                }
            }
            return base.withAdapters(lora);
        }
    }

    /** The task type an adapter directory declares. */
    public static PeftAdapterConfig.TaskType taskType(Path dir, Gpt base) throws IOException {
        return PeftAdapterConfig.read(dir, base.config()).taskType();
    }

    private static LoraAdapters requireAdapters(Gpt gpt) {
        if (gpt.adapters() == null) {
            throw new IllegalArgumentException("the model runs no LoRA adapters");
        }
        return gpt.adapters();
    }

    private static List<NamedTensor> loraTensors(LoraAdapters lora) {
        List<NamedTensor> out = new ArrayList<>();
        for (ParameterSpec s : lora.parameters().specs()) {
            out.add(new NamedTensor(TRANSFORMER + s.name(), s.shape(), lora.parameters().data(s.name())));
        }
        return out;
    }

    private static NamedTensor tokenTensor(TrainableTokens tokens) {
        return new NamedTensor(TRANSFORMER + TrainableTokens.VALUES, new int[] {tokens.indices().length,
                tokens.values().length / tokens.indices().length}, tokens.values());
    }

    /**
     * Every tensor the config implies is present with its shape, and nothing else is: a rank, a
     * layer or a head that disagrees with adapter_config.json or the base is named, not guessed.
     */
    private static void checkTensors(SafetensorsFile st, Map<String, int[]> others, PeftAdapterConfig config, Gpt base)
            throws ModelFormatException {
        Map<String, int[]> expected = new LinkedHashMap<>();
        Map<String, String> why = new HashMap<>();
        int r = config.lora().rank();
        for (LoraAdapters.Module m : LoraAdapters.targeted(base.config(), config.lora())) {
            expected.put(TRANSFORMER + m.name() + LoraAdapters.A, new int[] {r, m.in()});
            why.put(TRANSFORMER + m.name() + LoraAdapters.A, "r = " + r + " in adapter_config.json and the base's "
                    + m.name() + " [in " + m.in() + ", out " + m.out() + "]");
            expected.put(TRANSFORMER + m.name() + LoraAdapters.B, new int[] {m.out(), r});
            why.put(TRANSFORMER + m.name() + LoraAdapters.B, "r = " + r + " in adapter_config.json and the base's "
                    + m.name() + " [in " + m.in() + ", out " + m.out() + "]");
        }
        expected.putAll(others);
        Path file = st.file();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            if (!st.has(e.getKey())) {
                throw new ModelFormatException(file, "missing tensor '" + e.getKey() + "' (adapter_config.json targets "
                        + config.lora().targets() + ")");
            }
            int[] shape = st.shape(e.getKey());
            if (!Arrays.equals(shape, e.getValue())) {
                throw new ModelFormatException(file, "tensor '" + e.getKey() + "' has shape " + Arrays.toString(shape)
                        + " but " + why.getOrDefault(e.getKey(), "the base and " + TASK) + " imply "
                        + Arrays.toString(e.getValue()));
            }
        }
        for (String name : st.names()) {
            if (!expected.containsKey(name)) {
                throw new ModelFormatException(file, "unexpected tensor '" + name + "': not a LoRA pair of a targeted layer"
                        + " (targets " + config.lora().targets() + "), the head or the trainable tokens");
            }
        }
    }

    private static Map<String, float[]> loraValues(SafetensorsFile st, PeftAdapterConfig config, Gpt base)
            throws ModelFormatException {
        Map<String, float[]> values = new HashMap<>();
        for (LoraAdapters.Module m : LoraAdapters.targeted(base.config(), config.lora())) {
            for (String part : new String[] {LoraAdapters.A, LoraAdapters.B}) {
                values.put(m.name() + part, st.readFloats(TRANSFORMER + m.name() + part));
            }
        }
        return values;
    }

    /** gpt4j_task.json's content: what a task model needs beyond its weights. */
    record Task(TaskFormat format, SpecialTokens special, LabelMap labels) {
    }

    static ObjectNode taskJson(TaskModel model) {
        ObjectNode o = MAPPER.createObjectNode();
        TaskJson.putFormatAndTokens(o, model.format(), model.special());
        TaskJson.putId2Label(o, model.labels());
        return o;
    }

    /** Reads gpt4j_task.json; the added tokens must follow a base vocabulary of {@code baseVocab}. */
    static Task readTask(Path file, int baseVocab) throws IOException {
        if (!Files.exists(file)) {
            throw new ModelFormatException(file, "not found: a task model's adapter needs gpt4j's task file (the format, the"
                    + " added tokens' ids and id2label), which gpt4j finetune --lora-rank writes beside adapter_config.json");
        }
        JsonNode root = JsonFiles.readObject(file, MAX_TASK_BYTES, "a gpt4j_task.json");
        try {
            TaskFormat format = TaskJson.format(root);
            SpecialTokens special = TaskJson.tokens(file, root, "");
            if (!special.equals(SpecialTokens.appendedTo(baseVocab))) {
                throw new ModelFormatException(file, "the added tokens' ids (start " + special.start() + ", delimiter "
                        + special.delimiter() + ", extract " + special.extract() + ", pad " + special.pad() + ") do not follow the base's vocabulary of "
                        + baseVocab + " (ids " + baseVocab + ".." + (baseVocab + SpecialTokens.COUNT - 1)
                        + "): the adapter was trained on another base model");
            }
            return new Task(format, special, TaskJson.labels(file, root.get("id2label")));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }
}
