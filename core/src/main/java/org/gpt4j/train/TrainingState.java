package org.gpt4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.ModelFormatException;

/**
 * What {@code training_state.json} records beside a run's model: the steps completed, the
 * options, the best validation loss so far, and the data's cache key. With the AdamW moments
 * ({@code training_state.safetensors}) this is all a resumed run needs: batches and dropout masks
 * derive from (seed, step).
 *
 * @param bestValLoss NaN until the first evaluation
 * @param dataKey     hex SHA-256 of corpus + tokenizer (see {@link TokenDataset#prepare})
 * @param dataFiles   the corpus files the run was started on, absolute, in order: what
 *                    {@code --resume} reads when no {@code --data} is given (empty for runs written
 *                    before gpt4j recorded them)
 */
public record TrainingState(long step, TrainingOptions options, double bestValLoss, long bestStep, String dataKey,
        List<Path> dataFiles) {

    public TrainingState {
        dataFiles = List.copyOf(dataFiles);
    }

    /** A state that records no corpus files. */
    public TrainingState(long step, TrainingOptions options, double bestValLoss, long bestStep, String dataKey) {
        this(step, options, bestValLoss, bestStep, dataKey, List.of());
    }

    public static final String FORMAT = "gpt4j-training-state";
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAX_BYTES = 1 << 20;

    public TrainingState withStep(long s) {
        return new TrainingState(s, options, bestValLoss, bestStep, dataKey, dataFiles);
    }

    public TrainingState withBest(double valLoss, long atStep) {
        return new TrainingState(step, options, valLoss, atStep, dataKey, dataFiles);
    }

    /** This state recording {@code files} as the run's corpus (a resumed run given --data records what it was given). */
    public TrainingState withDataFiles(List<Path> files) {
        return new TrainingState(step, options, bestValLoss, bestStep, dataKey, files);
    }

    public TrainingState withOptions(TrainingOptions o) {
        return new TrainingState(step, o, bestValLoss, bestStep, dataKey, dataFiles);
    }

    byte[] toJson() throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("step", step);
        ObjectNode o = root.putObject("options");
        options.toFlags().forEach(o::put);
        if (Double.isFinite(bestValLoss)) {
            root.put("best_val_loss", bestValLoss);
            root.put("best_step", bestStep);
        }
        root.put("data_key", dataKey);
        ArrayNode files = root.putArray("data");
        dataFiles.forEach(f -> files.add(f.toString()));
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * Reads and checks a state file.
     *
     * @throws ModelFormatException naming the file and the field that is missing or wrong
     */
    static TrainingState read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "not found: the directory holds no training state to resume"
                    + " (it was not written by gpt4j train, or the run stopped before its first checkpoint)");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new ModelFormatException(file, "is " + Files.size(file) + " bytes, too large for a training state");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file, "is not valid JSON", e);
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new ModelFormatException(file, "is not a gpt4j training state (\"format\": \"" + FORMAT + "\" missing)");
        }
        if (root.path("version").asInt() != VERSION) {
            throw new ModelFormatException(file, "has version " + root.path("version") + "; this gpt4j reads version " + VERSION);
        }
        JsonNode step = root.get("step");
        if (step == null || !step.canConvertToLong() || step.asLong() < 0) {
            throw new ModelFormatException(file, "\"step\" must be a whole number >= 0");
        }
        JsonNode opts = root.get("options");
        if (opts == null || !opts.isObject()) {
            throw new ModelFormatException(file, "\"options\" is missing");
        }
        Map<String, String> flags = new LinkedHashMap<>();
        opts.fields().forEachRemaining(e -> flags.put(e.getKey(), e.getValue().asText()));
        TrainingOptions options;
        try {
            options = TrainingOptions.of(flags);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "bad options: " + e.getMessage());
        }
        double best = root.has("best_val_loss") ? root.get("best_val_loss").asDouble() : Double.NaN;
        long bestStep = root.path("best_step").asLong(-1);
        List<Path> dataFiles = new ArrayList<>();
        JsonNode data = root.path("data");
        if (!data.isMissingNode() && !data.isArray()) {
            throw new ModelFormatException(file, "\"data\" must be a list of file names");
        }
        for (JsonNode f : data) {
            if (!f.isTextual() || f.asText().isEmpty()) {
                throw new ModelFormatException(file, "\"data\" must be a list of file names, found " + f);
            }
            try {
                dataFiles.add(Path.of(f.asText()));
            } catch (InvalidPathException e) {
                throw new ModelFormatException(file, "\"data\" holds an invalid file name: " + f);
            }
        }
        return new TrainingState(step.asLong(), options, best, bestStep, root.path("data_key").asText(""), dataFiles);
    }
}
