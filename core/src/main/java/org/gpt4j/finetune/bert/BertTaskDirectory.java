package org.gpt4j.finetune.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.finetune.ClassificationHead;
import org.gpt4j.finetune.LabelMap;
import org.gpt4j.finetune.SpecialTokens;
import org.gpt4j.finetune.TaskFormat;
import org.gpt4j.finetune.TaskJson;
import org.gpt4j.finetune.TaskModelDirectory;
import org.gpt4j.io.BertConfigJson;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.model.Bert;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.WordPieceTokenizer;

/**
 * A fine-tuned BERT as a Hugging Face directory that transformers loads as
 * BertForSequenceClassification (classification, entailment, similarity) or BertForMultipleChoice,
 * and that every gpt4j BERT command reads (fill-mask, embed and inspect pass over the classifier):
 *
 * <ul>
 *   <li>{@code config.json}: BERT's fields, {@code architectures}, {@code id2label} /
 *       {@code label2id}, {@code pad_token_id}, and gpt4j's {@code gpt4j_task} block (the format and
 *       the ids of [CLS], [SEP] and [PAD] in their GPT-1 roles);
 *   <li>{@code model.safetensors}: the BERT under BertForPreTraining's names (its pre-training heads
 *       kept, so the directory is still a masked LM) and {@code classifier.weight [labels, hidden]},
 *       {@code classifier.bias [labels]} (multiple choice: one row);
 *   <li>the tokenizer's {@code vocab.txt} and {@code tokenizer_config.json}.
 * </ul>
 */
public final class BertTaskDirectory {

    private static final long MAX_CONFIG_BYTES = 1 << 20;

    private BertTaskDirectory() {
    }

    /** Writes the model (and the tokenizer when given) into {@code dir}; a failed save leaves the old model whole. */
    public static void save(BertTaskModel model, Tokenizer tokenizer, Path dir) throws IOException {
        Bert bert = model.bert();
        int rows = model.head().labels();
        int hidden = bert.config().hiddenSize();
        List<NamedTensor> head = List.of(
                new NamedTensor(ClassificationHead.BERT_WEIGHT, new int[] {rows, hidden}, model.head().weight()),
                new NamedTensor(ClassificationHead.BERT_BIAS, new int[] {rows}, model.head().bias()));
        BertDirectory.save(bert, dir, config(model), head);
        if (tokenizer != null) {
            Tokenizers.save(tokenizer, dir);
        }
    }

    static ObjectNode config(BertTaskModel model) {
        ObjectNode o = BertConfigJson.toJson(model.bert().config());
        o.putArray("architectures").add(model.format().choices() ? "BertForMultipleChoice" : "BertForSequenceClassification");
        TaskJson.putId2Label(o, model.labels());
        TaskJson.putLabel2Id(o, model.labels());
        o.put("pad_token_id", model.special().pad());
        if (!model.format().choices()) {
            o.put("problem_type", "single_label_classification");
        }
        TaskJson.putFormatAndTokens(o.putObject(TaskModelDirectory.TASK_FIELD), model.format(), model.special());
        return o;
    }

    /** transformers' single-label sequence classifier (a regression head, num_labels 1, is not one). */
    private static boolean isSequenceClassifier(JsonNode root) {
        boolean named = false;
        for (JsonNode a : root.path("architectures")) {
            named |= a.asText().equals("BertForSequenceClassification");
        }
        return named && !root.path("problem_type").asText("").equals("regression") && root.path("id2label").size() > 1;
    }

    /** [CLS], [SEP] and [PAD] of the directory's vocab.txt, in their GPT-1 roles. */
    private static SpecialTokens huggingFaceTokens(Path dir) throws IOException {
        if (!(Tokenizers.loadIfPresent(dir) instanceof WordPieceTokenizer wordPiece)) {
            throw new ModelFormatException(dir, "holds a BertForSequenceClassification but no vocab.txt: gpt4j reads"
                    + " [CLS], [SEP] and [PAD] from it");
        }
        return BertTaskModel.specialTokens(wordPiece);
    }

    /**
     * Loads a fine-tuned BERT: one gpt4j wrote, or a Hugging Face BertForSequenceClassification
     * directory from elsewhere (with its vocab.txt; read as classification, and as a pair task when
     * given pairs, see {@link BertTaskModel#withFormat}; its pre-training heads may be missing).
     *
     * @throws ModelFormatException naming the file and what is missing or wrong
     */
    public static BertTaskModel load(Path dir) throws IOException {
        Path file = dir.resolve(ModelDirectory.CONFIG);
        JsonNode root = JsonFiles.readObject(file, MAX_CONFIG_BYTES, "a config.json");
        JsonNode task = root.get(TaskModelDirectory.TASK_FIELD);
        boolean huggingFace = task == null && isSequenceClassifier(root);
        if (!huggingFace && (task == null || !task.isObject())) {
            throw new ModelFormatException(file, "is not a fine-tuned task model (no '" + TaskModelDirectory.TASK_FIELD
                    + "' block, and not a BertForSequenceClassification; make one with gpt4j finetune)");
        }
        // A classifier fine-tuned elsewhere may lack the pre-training heads; one gpt4j wrote keeps them.
        Bert bert = huggingFace ? BertDirectory.loadEncoder(dir) : BertDirectory.load(dir);
        TaskFormat format;
        SpecialTokens special;
        LabelMap labels;
        try {
            labels = TaskJson.labels(file, root.get("id2label"));
            if (huggingFace) {
                format = TaskFormat.CLASSIFICATION;
                special = huggingFaceTokens(dir);
            } else {
                format = TaskJson.format(task);
                special = TaskJson.tokens(file, task, TaskModelDirectory.TASK_FIELD + ".");
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
        int rows = format.headRows(labels.size());
        int hidden = bert.config().hiddenSize();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put(ClassificationHead.BERT_WEIGHT, new int[] {rows, hidden});
        shapes.put(ClassificationHead.BERT_BIAS, new int[] {rows});
        Map<String, float[]> head = BertDirectory.readHead(dir, shapes);
        try {
            return new BertTaskModel(bert, ClassificationHead.bertOf(rows, hidden, head.get(ClassificationHead.BERT_WEIGHT),
                    head.get(ClassificationHead.BERT_BIAS)), format, special, labels);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }
}
