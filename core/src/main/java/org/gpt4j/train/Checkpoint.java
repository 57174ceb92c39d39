package org.gpt4j.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.io.SafetensorsWriter;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.ParameterSpec;

/**
 * A run directory's checkpoint: the model (config.json, model.safetensors: a model directory every
 * command loads) plus the training state (training_state.safetensors: AdamW's moments;
 * training_state.json: step, options, best loss). Every file is first written completely into a
 * staging folder, then each is renamed into place with training_state.json last, so a failed
 * write leaves the previous checkpoint untouched.
 */
public final class Checkpoint {

    public static final String STATE_JSON = "training_state.json";
    public static final String STATE_TENSORS = "training_state.safetensors";
    public static final String BEST = "best";
    static final String STAGING = ".checkpoint-staging";

    private Checkpoint() {
    }

    /** Writes the model and training state into {@code dir}. */
    public static void save(Path dir, Gpt gpt, AdamW adamw, TrainingState state) throws IOException {
        Files.createDirectories(dir);
        List<String> files = List.of(ModelDirectory.WEIGHTS, ModelDirectory.CONFIG, STATE_TENSORS, STATE_JSON);
        for (String f : files) {
            Path target = dir.resolve(f);
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                throw new IOException("cannot write the checkpoint: " + target + " exists and is not a regular file");
            }
        }
        Path staging = dir.resolve(STAGING);
        deleteTree(staging);
        try {
            Files.createDirectories(staging);
            ModelDirectory.save(gpt, staging);
            List<NamedTensor> moments = new ArrayList<>();
            for (ParameterSpec s : gpt.parameters().specs()) {
                moments.add(new NamedTensor("m." + s.name(), s.shape(), adamw.firstMoment(s.name())));
                moments.add(new NamedTensor("v." + s.name(), s.shape(), adamw.secondMoment(s.name())));
            }
            SafetensorsWriter.writeF32(staging.resolve(STATE_TENSORS), moments,
                    Map.of("format", "gpt4j", "step", Long.toString(state.step()), "adam_step", Long.toString(adamw.stepCount())));
            AtomicFiles.write(staging.resolve(STATE_JSON), state.toJson());
            for (String f : files) {
                AtomicFiles.moveIntoPlace(staging.resolve(f), dir.resolve(f));
            }
        } finally {
            deleteTree(staging);
        }
    }

    /** Writes the best-so-far model (no optimiser state) into {@code dir/best}. */
    public static void saveBest(Path dir, Gpt gpt) throws IOException {
        ModelDirectory.save(gpt, dir.resolve(BEST));
    }

    /** Reads {@code dir}'s training state without touching the weights. */
    public static TrainingState readState(Path dir) throws IOException {
        return TrainingState.read(dir.resolve(STATE_JSON));
    }

    /**
     * Fills {@code adamw}'s moments and step count from {@code dir}; the step recorded with the
     * moments must be the state's (else the files come from different saves).
     */
    public static void restoreOptimizer(Path dir, AdamW adamw, Gpt gpt, TrainingState state) throws IOException {
        Path file = dir.resolve(STATE_TENSORS);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            String step = st.metadata().get("step");
            if (step == null || !step.equals(Long.toString(state.step()))) {
                throw new ModelFormatException(file, "holds the optimiser state of step " + step + " but "
                        + STATE_JSON + " says step " + state.step() + " (the files come from different saves)");
            }
            long adamStep;
            try {
                adamStep = Long.parseLong(st.metadata().getOrDefault("adam_step", "x"));
            } catch (NumberFormatException e) {
                throw new ModelFormatException(file, "metadata \"adam_step\" is missing or not a number");
            }
            for (ParameterSpec s : gpt.parameters().specs()) {
                fill(st, file, "m." + s.name(), adamw.firstMoment(s.name()));
                fill(st, file, "v." + s.name(), adamw.secondMoment(s.name()));
            }
            adamw.setStepCount(adamStep);
        }
    }

    private static void fill(SafetensorsFile st, Path file, String name, float[] into) throws IOException {
        if (!st.has(name)) {
            throw new ModelFormatException(file, "tensor '" + name + "' is missing (a different model shape?)");
        }
        float[] values = st.readFloats(name);
        if (values.length != into.length) {
            throw new ModelFormatException(file, "tensor '" + name + "' has " + values.length + " values, the model needs "
                    + into.length);
        }
        System.arraycopy(values, 0, into, 0, values.length);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }
}
