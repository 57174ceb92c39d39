package org.gpt4j.server.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.stream.Stream;
import org.gpt4j.io.ModelDirectory;

/**
 * Finds the model a user most likely wants when they give none: the most recently written model
 * directory (config.json + model.safetensors) under {@code runs/}, where {@code gpt4j init} and
 * {@code gpt4j train} are told to write in the README.
 */
final class ModelFinder {

    static final String RUNS = "runs";
    private static final int DEPTH = 3;

    private ModelFinder() {
    }

    static Optional<Path> mostRecent(Path workingDirectory) {
        Path runs = workingDirectory.resolve(RUNS);
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.walk(runs, DEPTH)) {
            return dirs.filter(ModelFinder::holdsModel)
                    .max(java.util.Comparator.comparing(ModelFinder::written).thenComparing(Path::toString));
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    static boolean holdsModel(Path dir) {
        return Files.isRegularFile(dir.resolve(ModelDirectory.CONFIG)) && Files.isRegularFile(dir.resolve(ModelDirectory.WEIGHTS));
    }

    private static FileTime written(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve(ModelDirectory.WEIGHTS));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
