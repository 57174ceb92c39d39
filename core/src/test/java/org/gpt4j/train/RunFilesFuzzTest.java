package org.gpt4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.gpt4j.io.Bounded;
import org.gpt4j.io.ModelFormatException;

/**
 * The small JSON files of a run directory that a resume trusts (training_state.json and the
 * checkpoint pointer) on random input: read, or one {@link ModelFormatException}.
 */
class RunFilesFuzzTest {

    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;

    @BeforeContainer
    static void directory() throws IOException {
        dir = Files.createTempDirectory("run-files-fuzz");
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Provide
    Arbitrary<String> objects() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.of(CheckpointPointer.FORMAT, TrainingState.FORMAT, 1, 0, -1, Long.MAX_VALUE,
                        new BigInteger("123456789012345678901234567890"), 1.5, "step-3", "step-3-2", "../x", "step-",
                        "", true, List.of(1), Map.of("layers", "2"), Map.of("layers", "x"),
                        TrainingOptions.DEFAULTS.toFlags()).map(x -> x),
                Arbitraries.strings().ofMaxLength(6).map(s -> (Object) s));
        Arbitrary<String> key = Arbitraries.of("format", "version", "generation", "step", "options", "best_val_loss",
                "best_step", "data_key");
        return Arbitraries.maps(key, value).ofMaxSize(8).map(m -> JSON.valueToTree(m).toString());
    }

    @Property(tries = 300)
    void aPointerReadsOrFailsCleanly(@ForAll("objects") String json, @ForAll @Size(max = 40) byte[] raw,
            @ForAll boolean useRaw) throws IOException {
        Files.write(dir.resolve(CheckpointPointer.FILE), useRaw ? raw : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Bounded.run(LIMIT, 1 << 20, () -> CheckpointPointer.read(dir)).valueOrClean(ModelFormatException.class);
    }

    @Property(tries = 300)
    void aTrainingStateReadsOrFailsCleanly(@ForAll("objects") String json, @ForAll @Size(max = 40) byte[] raw,
            @ForAll boolean useRaw) throws IOException {
        Path file = dir.resolve(Checkpoint.STATE_JSON);
        Files.write(file, useRaw ? raw : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Bounded.run(LIMIT, 1 << 20, () -> TrainingState.read(file)).valueOrClean(ModelFormatException.class);
    }
}
