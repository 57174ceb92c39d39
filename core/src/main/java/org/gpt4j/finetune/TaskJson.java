package org.gpt4j.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.gpt4j.io.ModelFormatException;

/**
 * What a task model records beside its weights, as JSON: the input format, the ids of GPT-1's
 * added tokens (start, delimiter, extract) and of the padding, and the labels as {@code id2label}.
 * One way to write and read them for a full model's config.json ({@link TaskModelDirectory}) and
 * a LoRA adapter's gpt4j_task.json.
 */
public final class TaskJson {

    private TaskJson() {
    }

    /** {@code "format"} and the four token ids. */
    public static void putFormatAndTokens(ObjectNode o, TaskFormat format, SpecialTokens s) {
        o.put("format", format.configName());
        o.put("start_token_id", s.start());
        o.put("delimiter_token_id", s.delimiter());
        o.put("extract_token_id", s.extract());
        o.put("pad_token_id", s.pad());
    }

    /** {@code "id2label"}: {@code {"0": name, "1": name, ...}}. */
    public static void putId2Label(ObjectNode o, LabelMap labels) {
        ObjectNode id2label = o.putObject("id2label");
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.name(i));
        }
    }

    /** {@code "label2id"}: {@code {name: 0, name: 1, ...}}, the inverse transformers writes beside id2label. */
    public static void putLabel2Id(ObjectNode o, LabelMap labels) {
        ObjectNode label2id = o.putObject("label2id");
        for (int i = 0; i < labels.size(); i++) {
            label2id.put(labels.name(i), i);
        }
    }

    /** @throws IllegalArgumentException for a format gpt4j does not know */
    public static TaskFormat format(JsonNode o) {
        return TaskFormat.fromConfigName(o.path("format").asText(""));
    }

    /** The four token ids of {@code o}; {@code where} prefixes a field's name in errors (e.g. "gpt4j_task."). */
    public static SpecialTokens tokens(Path file, JsonNode o, String where) throws ModelFormatException {
        return new SpecialTokens(id(file, o, where, "start_token_id"), id(file, o, where, "delimiter_token_id"),
                id(file, o, where, "extract_token_id"), id(file, o, where, "pad_token_id"));
    }

    /**
     * The labels of an {@code id2label} object.
     *
     * @throws IllegalArgumentException when the ids are not 0 .. n-1
     */
    public static LabelMap labels(Path file, JsonNode id2label) throws ModelFormatException {
        if (id2label == null || !id2label.isObject()) {
            throw new ModelFormatException(file, "missing 'id2label' (the task's labels)");
        }
        Map<Integer, String> m = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : id2label.properties()) {
            try {
                m.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            } catch (NumberFormatException ex) {
                throw new ModelFormatException(file, "id2label key '" + e.getKey() + "' is not an integer");
            }
        }
        return LabelMap.fromId2Label(m);
    }

    private static int id(Path file, JsonNode o, String where, String field) throws ModelFormatException {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new ModelFormatException(file, "'" + where + field + "' must be an integer token id");
        }
        return n.asInt();
    }
}
