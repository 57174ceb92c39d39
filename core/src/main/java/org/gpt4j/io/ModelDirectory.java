package org.gpt4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;
import org.gpt4j.model.HeapBudget;
import org.gpt4j.model.ParameterLayout;
import org.gpt4j.model.ParameterSpec;
import org.gpt4j.model.Parameters;
import org.gpt4j.tensor.CompactMatrix;
import org.gpt4j.tensor.WeightFormat;

/**
 * A Hugging Face style GPT-2 model directory: {@code config.json}, {@code model.safetensors}
 * and, when present, the tokenizer files. Loads checkpoints from the hub (names with or
 * without {@code transformer.}) and saves ones that transformers' GPT2LMHeadModel loads.
 */
public final class ModelDirectory {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";

    private static final Map<String, String> SAVED_METADATA = Map.of("format", "pt");

    private ModelDirectory() {
    }

    /** Reads only the config, without touching the weights. */
    public static GptConfig readConfig(Path dir) throws IOException {
        return GptConfigJson.read(dir.resolve(CONFIG));
    }

    /**
     * Loads config.json and model.safetensors into a model. Weights may be F32, F16 or BF16
     * (converted to float); the Conv1D {@code [in, out]} matrices are used as stored.
     *
     * @throws ModelFormatException naming the file and the tensor or field that is wrong
     */
    public static Gpt load(Path dir) throws IOException {
        return load(dir, WeightFormat.F32);
    }

    /**
     * As {@link #load(Path)}, for inference with the weight matrices held in {@code format}: each
     * is converted as it is read, so a bf16 or int8 model never holds all its f32 weights at once.
     */
    public static Gpt load(Path dir, WeightFormat format) throws IOException {
        GptConfig config = readConfig(dir);
        Path weights = dir.resolve(WEIGHTS);
        requireSingleSafetensors(dir, weights);
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            // The config's sizes are checked against the weights' header before anything is built
            // from them: n_layer first (the layout lists every block), then every name and shape;
            // only a config the file agrees with is weighed against the heap, and then read.
            Gpt2Names.requireLayers(file, dir.resolve(CONFIG), config.nLayer());
            ParameterLayout layout = ParameterLayout.of(config);
            Map<String, String> names = Gpt2Names.checkNamesAndShapes(file, layout);
            HeapBudget.requireWeights(config, format.bytesPerWeight(), "loading " + dir + " as");
            Map<String, float[]> values = new LinkedHashMap<>();
            Map<String, CompactMatrix> compact = new LinkedHashMap<>();
            Gpt2Names.readParameters(file, layout, names, (spec, v) -> {
                if (format != WeightFormat.F32 && Parameters.isWeightMatrix(spec)) {
                    compact.put(spec.name(), Parameters.compactCopy(spec, v, format));
                } else {
                    values.put(spec.name(), v);
                }
            });
            try {
                return new Gpt(config, Parameters.of(layout, values, compact));
            } catch (IllegalArgumentException e) {
                // The model's own checks of what no tensor fixes: they are config.json's problems.
                throw new ModelFormatException(dir.resolve(CONFIG), e.getMessage(), e);
            }
        }
    }

    /**
     * Writes config.json and model.safetensors (F32, names without prefix, the tied lm_head
     * left out), creating the directory if needed. Both files are written completely before
     * either replaces an existing one, so a failed save leaves the old model as it was.
     */
    public static void save(Gpt gpt, Path dir) throws IOException {
        save(gpt, dir, false);
    }

    /**
     * As {@link #save(Gpt, Path)}, with the weights rounded to bfloat16 when {@code bf16}: half
     * the file, the form a model ships in (Hugging Face's {@code torch_dtype: bfloat16}); loading
     * widens them back exactly, so the model in memory is the rounded one.
     */
    public static void save(Gpt gpt, Path dir, boolean bf16) throws IOException {
        if (gpt.weightFormat() != WeightFormat.F32) {
            throw new IllegalArgumentException("this model holds " + gpt.weightFormat().label()
                    + " weight matrices for inference; only an f32 model is saved");
        }
        FileProblems.createDirectories(dir);
        List<NamedTensor> tensors = new ArrayList<>();
        for (ParameterSpec spec : gpt.parameters().specs()) {
            tensors.add(new NamedTensor(spec.name(), spec.shape(), gpt.parameters().data(spec.name())));
        }
        Path weights = dir.resolve(WEIGHTS);
        Path config = dir.resolve(CONFIG);
        Path weightsTmp = AtomicFiles.tempBeside(weights);
        Path configTmp = null;
        try {
            configTmp = AtomicFiles.tempBeside(config);
            SafetensorsWriter.writeUnplaced(weightsTmp, weights, tensors, SAVED_METADATA,
                    bf16 ? SafetensorsDtype.BF16 : SafetensorsDtype.F32);
            AtomicFiles.writeDurably(configTmp, GptConfigJson.toBytes(gpt.config(), bf16 ? "bfloat16" : "float32"), config);
            // Weights first, as they are what matters: a failure between the two renames
            // leaves new weights beside the old config, which load() then checks shape by shape.
            AtomicFiles.moveIntoPlace(weightsTmp, weights);
            AtomicFiles.moveIntoPlace(configTmp, config);
        } finally {
            Files.deleteIfExists(weightsTmp);
            if (configTmp != null) {
                Files.deleteIfExists(configTmp);
            }
        }
    }

    /** Says what to do when the directory holds weights, just not in a form gpt4j reads. */
    private static void requireSingleSafetensors(Path dir, Path weights) throws ModelFormatException {
        if (Files.exists(weights)) {
            return;
        }
        if (Files.exists(dir.resolve(WEIGHTS + ".index.json"))) {
            throw new ModelFormatException(weights, "not found; sharded checkpoints (model.safetensors.index.json)"
                    + " are not supported yet");
        }
        if (Files.exists(dir.resolve("pytorch_model.bin"))) {
            throw new ModelFormatException(weights, "not found; only pytorch_model.bin is present:"
                    + " convert it to safetensors first");
        }
    }
}
