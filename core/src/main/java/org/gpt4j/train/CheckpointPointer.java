package org.gpt4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.JsonFiles;
import org.gpt4j.io.ModelFormatException;

/**
 * {@code checkpoint.json}: which generation directory under {@code checkpoints/} holds a run's
 * current checkpoint, and of which step. Renaming this one small file into place is the moment a
 * new checkpoint replaces the old one, so a crash anywhere leaves one complete checkpoint named.
 *
 * @param generation the directory's name inside {@code checkpoints/}, e.g. {@code step-40}
 * @param step       the optimiser steps that checkpoint has completed
 */
record CheckpointPointer(String generation, long step) {

    static final String FILE = "checkpoint.json";
    static final String FORMAT = "gpt4j-checkpoint";
    static final int VERSION = 1;

    /** A plain directory name: no separators, no "..", so a hostile pointer cannot name a path elsewhere. */
    private static final Pattern NAME = Pattern.compile("step-\\d{1,19}(-\\d{1,9})?");
    private static final long MAX_BYTES = 64 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    CheckpointPointer {
        if (!NAME.matcher(generation).matches()) {
            throw new IllegalArgumentException("not a checkpoint generation name: '" + generation + "'");
        }
    }

    /** True for the names {@link #nameFor} gives: the only entries of checkpoints/ a save removes. */
    static boolean isGenerationName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The name of a new generation for {@code step} that is not {@code current}'s. */
    static String nameFor(long step, CheckpointPointer current) {
        String name = "step-" + step;
        if (current == null || !current.generation.equals(name)) {
            return name;
        }
        return name + "-2"; // the same step saved again (a direct API call): any other name is free
    }

    /** The pointer in {@code runDir}, or null when the run predates generations (or has none yet). */
    static CheckpointPointer read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        JsonNode root = JsonFiles.readObject(file, MAX_BYTES, "a checkpoint pointer");
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw new ModelFormatException(file, "is not a gpt4j checkpoint pointer (\"format\": \"" + FORMAT
                    + "\", \"version\": " + VERSION + ")");
        }
        JsonNode generation = root.get("generation");
        JsonNode step = root.get("step");
        if (generation == null || !generation.isTextual() || step == null || !step.canConvertToLong()
                || !step.isIntegralNumber() || step.asLong() < 0) {
            throw new ModelFormatException(file, "needs \"generation\" (a directory name) and \"step\" (a whole number)");
        }
        try {
            return new CheckpointPointer(generation.asText(), step.asLong());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage());
        }
    }

    /** Writes the pointer durably: the temporary file and, after the rename, the directory are flushed. */
    void write(Path runDir) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("generation", generation);
        root.put("step", step);
        AtomicFiles.write(runDir.resolve(FILE), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        AtomicFiles.syncDirectory(runDir);
    }
}
