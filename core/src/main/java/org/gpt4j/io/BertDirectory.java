package org.gpt4j.io;

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
            Map<String, String> names = BertNames.checkNamesAndShapes(file, config);
            BertLayout.requireHeap(config, "loading " + dir + " as");
            Map<String, float[]> values = BertNames.readParameters(file, config, names);
            return new Bert(config, Parameters.of(BertLayout.of(config), values));
        }
    }

    /**
     * Writes config.json and model.safetensors (F32, BertForPreTraining's names, the tied decoder
     * left out), creating the directory if needed. Both files are complete before either replaces
     * an existing one, so a failed save leaves the old model as it was.
     */
    public static void save(Bert bert, Path dir) throws IOException {
        FileProblems.createDirectories(dir);
        Map<String, float[]> values = new java.util.LinkedHashMap<>();
        for (ParameterSpec spec : bert.parameters().specs()) {
            values.put(spec.name(), bert.parameters().data(spec.name()));
        }
        List<NamedTensor> tensors = BertNames.toHuggingFace(bert.config(), values);
        Path weights = dir.resolve(ModelDirectory.WEIGHTS);
        Path config = dir.resolve(ModelDirectory.CONFIG);
        Path weightsTmp = AtomicFiles.tempBeside(weights);
        Path configTmp = null;
        try {
            configTmp = AtomicFiles.tempBeside(config);
            SafetensorsWriter.writeUnplaced(weightsTmp, weights, tensors, SAVED_METADATA, SafetensorsDtype.F32);
            AtomicFiles.writeDurably(configTmp, BertConfigJson.toBytes(bert.config()), config);
            AtomicFiles.moveIntoPlace(weightsTmp, weights);
            AtomicFiles.moveIntoPlace(configTmp, config);
        } finally {
            Files.deleteIfExists(weightsTmp);
            if (configTmp != null) {
                Files.deleteIfExists(configTmp);
            }
        }
    }
}
