package org.gpt4j.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.GptConfigJson;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.io.SafetensorsWriter;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;

/**
 * A fine-tuned model as a Hugging Face GPT2ForSequenceClassification directory, which is also a
 * gpt4j model directory every command loads (the GPT reader passes over {@code score.weight}).
 * A similarity model is one too (transformers scores one order; the two orders' logits added are
 * gpt4j's, the head being linear). A multiple-choice model's head is {@code score.weight [1, n_embd]}
 * and its {@code id2label} the options' indices; its config names GPT2LMHeadModel (what transformers
 * can load of it: the transformer, with the added tokens), not a sequence classifier.
 *
 * <ul>
 *   <li>{@code config.json}: GPT-2's fields, {@code architectures: [GPT2ForSequenceClassification]},
 *       {@code id2label} / {@code label2id}, {@code pad_token_id}, and gpt4j's {@code gpt4j_task}
 *       block (the format and the ids of the added tokens) that every loader reads;
 *   <li>{@code model.safetensors}: the transformer as {@code transformer.*} (its {@code wte}
 *       holding the added rows) and the head as {@code score.weight [num_labels, n_embd]}, the
 *       names transformers writes for that class;
 *   <li>the base tokenizer's files and {@code added_tokens.json} (text to id of the added tokens,
 *       as Hugging Face's tokenizers read it).
 * </ul>
 */
public final class TaskModelDirectory {

    public static final String TASK_FIELD = "gpt4j_task";
    public static final String ADDED_TOKENS = "added_tokens.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_CONFIG_BYTES = 1 << 20;

    private TaskModelDirectory() {
    }

    /** Writes the model (and the tokenizer when given) into {@code dir}, each file replaced whole. */
    public static void save(TaskModel model, Tokenizer tokenizer, Path dir) throws IOException {
        Files.createDirectories(dir);
        Gpt gpt = model.gpt();
        List<NamedTensor> tensors = new ArrayList<>();
        for (ParameterSpec s : gpt.parameters().specs()) {
            tensors.add(new NamedTensor("transformer." + s.name(), s.shape(), gpt.parameters().data(s.name())));
        }
        tensors.add(new NamedTensor(ClassificationHead.WEIGHT, new int[] {model.head().labels(), gpt.config().nEmbd()},
                model.head().weight()));
        if (tokenizer != null) {
            Tokenizers.save(tokenizer, dir);
        }
        AtomicFiles.write(dir.resolve(ADDED_TOKENS), MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(model.special().byText()));
        SafetensorsWriter.writeF32(dir.resolve(ModelDirectory.WEIGHTS), tensors, Map.of("format", "pt"));
        AtomicFiles.write(dir.resolve(ModelDirectory.CONFIG),
                MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config(model, tokenizer)));
    }

    static ObjectNode config(TaskModel model, Tokenizer tokenizer) {
        ObjectNode o = GptConfigJson.toJson(model.gpt().config());
        // transformers assumes GPT-2's 50256 when these are absent, outside a smaller vocabulary.
        var eos = tokenizer == null ? java.util.OptionalInt.empty() : tokenizer.endOfTextId();
        if (eos.isPresent()) {
            o.put("bos_token_id", eos.getAsInt());
            o.put("eos_token_id", eos.getAsInt());
        } else {
            o.putNull("bos_token_id");
            o.putNull("eos_token_id");
        }
        if (!model.format().choices()) {
            // Multiple choice's [1, n_embd] head is not a sequence classifier's: transformers loads
            // such a directory as the language model GptConfigJson names.
            o.putArray("architectures").add("GPT2ForSequenceClassification");
        }
        LabelMap labels = model.labels();
        TaskJson.putId2Label(o, labels);
        TaskJson.putLabel2Id(o, labels);
        o.put("pad_token_id", model.special().pad());
        if (!model.format().choices()) {
            o.put("problem_type", "single_label_classification");
        }
        TaskJson.putFormatAndTokens(o.putObject(TASK_FIELD), model.format(), model.special());
        return o;
    }

    /** True when {@code dir}'s config.json describes a fine-tuned task model. */
    public static boolean isTaskModel(Path dir) throws IOException {
        Path file = dir.resolve(ModelDirectory.CONFIG);
        return Files.isRegularFile(file)
                && JsonFiles.readObject(file, MAX_CONFIG_BYTES, "a config.json").has(TASK_FIELD);
    }

    /**
     * Loads a fine-tuned model.
     *
     * @throws ModelFormatException naming the file and what is missing or wrong
     */
    public static TaskModel load(Path dir) throws IOException {
        Path file = dir.resolve(ModelDirectory.CONFIG);
        Gpt gpt = ModelDirectory.load(dir);
        JsonNode root = JsonFiles.readObject(file, MAX_CONFIG_BYTES, "a config.json");
        JsonNode task = root.get(TASK_FIELD);
        if (task == null || !task.isObject()) {
            throw new ModelFormatException(file, "is not a fine-tuned task model (no '" + TASK_FIELD
                    + "' block; make one with gpt4j finetune)");
        }
        TaskFormat format;
        SpecialTokens special;
        LabelMap labels;
        try {
            format = TaskJson.format(task);
            special = TaskJson.tokens(file, task, TASK_FIELD + ".");
            labels = TaskJson.labels(file, root.get("id2label"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
        Path weights = dir.resolve(ModelDirectory.WEIGHTS);
        try (SafetensorsFile st = SafetensorsFile.open(weights)) {
            if (!st.has(ClassificationHead.WEIGHT)) {
                throw new ModelFormatException(weights, "missing tensor '" + ClassificationHead.WEIGHT + "' (the task head)");
            }
            int rows = format.headRows(labels.size());
            int[] expected = {rows, gpt.config().nEmbd()};
            if (!Arrays.equals(st.shape(ClassificationHead.WEIGHT), expected)) {
                throw new ModelFormatException(weights, "tensor '" + ClassificationHead.WEIGHT + "' has shape "
                        + Arrays.toString(st.shape(ClassificationHead.WEIGHT)) + " but config.json implies "
                        + Arrays.toString(expected) + (format.choices() ? " (1 x n_embd: one score per option)" : " (num_labels x n_embd)"));
            }
            ClassificationHead head = ClassificationHead.of(rows, gpt.config().nEmbd(),
                    st.readFloats(ClassificationHead.WEIGHT));
            try {
                return new TaskModel(gpt, head, format, special, labels);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file, e.getMessage(), e);
            }
        }
    }
}
