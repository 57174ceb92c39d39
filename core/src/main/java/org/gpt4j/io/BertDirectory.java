package org.gpt4j.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gpt4j.model.Bert;
import org.gpt4j.model.BertConfig;
import org.gpt4j.model.BertLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;

/**
 * A Hugging Face BERT directory: {@code config.json} ({@code model_type: "bert"}) and
 * {@code model.safetensors} with BertForPreTraining's tensors (see {@link BertNames}). Loads
 * checkpoints from the hub and saves ones that transformers' BertForPreTraining loads.
 */
public final class BertDirectory {

    private static final Map<String, String> SAVED_METADATA = Map.of("format", "pt");

    private BertDirectory() {
    }

    public static BertConfig readConfig(Path dir) throws IOException {
        return BertConfigJson.read(dir.resolve(ModelDirectory.CONFIG));
    }

    /**
     * Loads config.json and model.safetensors (F32, F16 or BF16 weights, read as float).
     *
     * @throws ModelFormatException naming the file and the tensor or field that is wrong
     */
    public static Bert load(Path dir) throws IOException {
        return load(dir, false);
    }

    /**
     * As {@link #load}, also for a checkpoint without the pre-training heads (a BertModel, or a
     * BertForSequenceClassification fine-tuned elsewhere): their weights are then zeros, and the
     * model serves as an encoder (fine-tuning, classification from [CLS]), not as a masked LM.
     */
    public static Bert loadEncoder(Path dir) throws IOException {
        return load(dir, true);
    }

    private static Bert load(Path dir, boolean headsOptional) throws IOException {
        BertConfig config = readConfig(dir);
        Path weights = dir.resolve(ModelDirectory.WEIGHTS);
        if (!Files.exists(weights)) {
            throw new ModelFormatException(weights, Files.exists(dir.resolve("pytorch_model.bin"))
                    ? "not found; only pytorch_model.bin is present: convert it to safetensors first" : "not found");
        }
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            // The config's sizes are checked against the header before anything is built from them:
            // the layer count first, then every name and shape; only then is the heap weighed and
            // the weights read.
            BertNames.requireLayers(file, dir.resolve(ModelDirectory.CONFIG), config.numHiddenLayers());
            Map<String, String> names = BertNames.checkNamesAndShapes(file, config, headsOptional);
            BertLayout.requireHeap(config, "loading " + dir + " as");
            Map<String, float[]> values = BertNames.readParameters(file, config, names);
            return new Bert(config, Parameters.of(BertLayout.of(config), values));
        }
    }

    /**
     * The tensors of a fine-tuned task head stored beside the BERT ({@code classifier.weight},
     * {@code classifier.bias}), each checked against {@code shapes}.
     *
     * @throws ModelFormatException naming the file and the tensor that is missing or misshapen
     */
    public static Map<String, float[]> readHead(Path dir, Map<String, int[]> shapes) throws IOException {
        Path weights = dir.resolve(ModelDirectory.WEIGHTS);
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            for (Map.Entry<String, int[]> e : shapes.entrySet()) {
                String name = e.getKey();
                if (!name.startsWith(BertNames.HEAD_PREFIX)) {
                    throw new IllegalArgumentException(name + " is not a task head's tensor (" + BertNames.HEAD_PREFIX + "*)");
                }
                if (!file.has(name)) {
                    throw new ModelFormatException(weights, "missing tensor '" + name + "' (the task head)");
                }
                if (!java.util.Arrays.equals(file.shape(name), e.getValue())) {
                    throw new ModelFormatException(weights, "tensor '" + name + "' has shape "
                            + java.util.Arrays.toString(file.shape(name)) + " but config.json implies "
                            + java.util.Arrays.toString(e.getValue()));
                }
                out.put(name, file.readFloats(name));
            }
        }
        return out;
    }

    /**
     * Writes config.json and model.safetensors (F32, BertForPreTraining's names, the tied decoder
     * left out), creating the directory if needed. Both files are complete before either replaces
     * an existing one, so a failed save leaves the old model as it was.
     */
    public static void save(Bert bert, Path dir) throws IOException {
        save(bert, dir, BertConfigJson.toJson(bert.config()), List.of());
    }

    /**
     * As {@link #save(Bert, Path)}, with {@code config} as config.json (BERT's fields and, say, a
     * fine-tuned model's labels) and {@code head}'s tensors (a task head's {@code classifier.*})
     * beside the BERT's.
     */
    public static void save(Bert bert, Path dir, ObjectNode config, List<NamedTensor> head) throws IOException {
        FileProblems.createDirectories(dir);
        Map<String, float[]> values = new java.util.LinkedHashMap<>();
        for (ParameterSpec spec : bert.parameters().specs()) {
            values.put(spec.name(), bert.parameters().data(spec.name()));
        }
        List<NamedTensor> tensors = new java.util.ArrayList<>(BertNames.toHuggingFace(bert.config(), values));
        tensors.addAll(head);
        Path weights = dir.resolve(ModelDirectory.WEIGHTS);
        Path configFile = dir.resolve(ModelDirectory.CONFIG);
        Path weightsTmp = AtomicFiles.tempBeside(weights);
        Path configTmp = null;
        try {
            configTmp = AtomicFiles.tempBeside(configFile);
            SafetensorsWriter.writeUnplaced(weightsTmp, weights, tensors, SAVED_METADATA, SafetensorsDtype.F32);
            AtomicFiles.writeDurably(configTmp, BertConfigJson.toBytes(config), configFile);
            AtomicFiles.moveIntoPlace(weightsTmp, weights);
            AtomicFiles.moveIntoPlace(configTmp, configFile);
        } finally {
            Files.deleteIfExists(weightsTmp);
            if (configTmp != null) {
                Files.deleteIfExists(configTmp);
            }
        }
    }
}
