package org.gpt4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.ModelFormatException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint switches in one atomic step: a crash at any point of a save leaves a run that
 * resumes exactly (the losses of an uninterrupted run), from the last committed checkpoint. Each
 * test builds, from real saves, the directory a crash at one point of a save leaves behind.
 */
class CheckpointTest {

    @TempDir
    Path tmp;

    @TempDir
    static Path shared;

    /** The losses of an uninterrupted 6-step run, and a run stopped after step 4 (the "new" save). */
    private static List<Double> straight;
    private static Path stoppedAt4;

    @BeforeAll
    static void runs() throws IOException {
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        TrainerTest.fresh(shared.resolve("straight")).run(r);
        straight = r.losses;
        stoppedAt4 = shared.resolve("at4");
        stopAfter(stoppedAt4, 4);
    }

    @Test
    void aSaveWritesOneGenerationAndLinksItsFilesAtTheTop() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 3);
        Path generation = dir.resolve(Checkpoint.GENERATIONS).resolve("step-3");
        assertThat(Checkpoint.current(dir)).isEqualTo(generation);
        try (var entries = Files.list(dir.resolve(Checkpoint.GENERATIONS))) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("step-3");
        }
        for (String f : Checkpoint.FILES) {
            assertThat(Files.isSameFile(dir.resolve(f), generation.resolve(f))).as(f).isTrue();
        }
        assertThat(Checkpoint.recover(dir)).isEmpty();
    }

    @Test
    void aCrashBeforeTheCommitResumesFromThePreviousCheckpointExactly() throws IOException {
        Path dir = tmp.resolve("run");
        List<Double> losses = stopAfter(dir, 3);
        // The crash: step 4's generation written in full and renamed, a later one half-staged,
        // but checkpoint.json still names step 3.
        copyTree(Checkpoint.current(stoppedAt4), dir.resolve(Checkpoint.GENERATIONS).resolve("step-4"));
        Path staging = dir.resolve(Checkpoint.STAGING);
        Files.createDirectories(staging);
        Files.write(staging.resolve("model.safetensors"), new byte[] {1, 2, 3});

        assertThat(Checkpoint.readState(dir).step()).isEqualTo(3);
        assertThat(Checkpoint.recover(dir)).containsExactly("removed checkpoints that an interrupted save left behind");
        losses.addAll(resume(dir));
        assertThat(losses).containsExactlyElementsOf(straight);
    }

    @Test
    void aCrashWhileLinkingTheNewCheckpointIsRepairedOnResume() throws IOException {
        Path dir = tmp.resolve("run");
        List<Double> losses = stopAfter(dir, 3);
        losses.add(straight.get(3)); // step 4 was trained, and its save committed
        // The crash: step 4 committed (checkpoint.json names it), the weights and config linked at
        // the top, the optimiser state there still step 3's. Read from the top, this is the old
        // "optimiser state of step 4 but training_state.json says step 3".
        Path step4 = dir.resolve(Checkpoint.GENERATIONS).resolve("step-4");
        copyTree(Checkpoint.current(stoppedAt4), step4);
        new CheckpointPointer("step-4", 4).write(dir);
        for (String f : List.of("model.safetensors", "config.json")) {
            Files.copy(step4.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        assertThat(Checkpoint.readState(dir).step()).isEqualTo(4);
        assertThat(Checkpoint.recover(dir)).contains("training_state.safetensors was not step 4's",
                "training_state.json was not step 4's", "removed checkpoints that an interrupted save left behind");
        for (String f : Checkpoint.FILES) {
            assertThat(Files.mismatch(dir.resolve(f), step4.resolve(f))).as(f).isEqualTo(-1);
        }
        losses.addAll(resume(dir));
        assertThat(losses).containsExactlyElementsOf(straight);
    }

    @Test
    void aPointerToAnIncompleteCheckpointIsRefusedNamingWhatIsMissing() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 3);
        Files.delete(Checkpoint.current(dir).resolve(Checkpoint.STATE_TENSORS));
        assertThatThrownBy(() -> RunDirectory.resumableState(dir, Map.of()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(Checkpoint.POINTER).hasMessageContaining("checkpoints/step-3")
                .hasMessageContaining("has no " + Checkpoint.STATE_TENSORS);
    }

    @Test
    void aHostilePointerCannotNameADirectoryElsewhere() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 3);
        Files.writeString(dir.resolve(Checkpoint.POINTER),
                "{\"format\": \"gpt4j-checkpoint\", \"version\": 1, \"generation\": \"../../etc\", \"step\": 3}");
        assertThatThrownBy(() -> Checkpoint.current(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a checkpoint generation name: '../../etc'");
    }

    @Test
    void aRunWrittenBeforeGenerationsResumesExactlyAndSwitchesToThem() throws IOException {
        Path dir = tmp.resolve("run");
        List<Double> losses = stopAfter(dir, 3);
        flattenToTheOldLayout(dir);
        assertThat(RunDirectory.holdsRun(dir)).isTrue();
        assertThat(Checkpoint.current(dir)).isEqualTo(dir);

        losses.addAll(resume(dir));
        assertThat(losses).containsExactlyElementsOf(straight);
        assertThat(Checkpoint.current(dir)).isEqualTo(dir.resolve(Checkpoint.GENERATIONS).resolve("step-6"));
    }

    @Test
    void anOldLayoutRunInterruptedMidSaveIsRefusedNamingBothSteps() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 3);
        flattenToTheOldLayout(dir);
        // The old four-rename save, crashed after its third rename: step 4's moments, step 3's state.
        Files.copy(Checkpoint.current(stoppedAt4).resolve(Checkpoint.STATE_TENSORS), dir.resolve(Checkpoint.STATE_TENSORS),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TrainingState state = RunDirectory.resumableState(dir, Map.of());
        assertThatThrownBy(() -> RunDirectory.resume(dir, state, TrainerTest.corpus(), Arrays::toString, d -> { }))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("optimiser state of step 4").hasMessageContaining("says step 3");
    }

    @Test
    void discardRemovesTheGenerationsAndThePointerButNothingElse() throws IOException {
        Path dir = tmp.resolve("run");
        stopAfter(dir, 3);
        RunDirectory.discard(dir);
        assertThat(dir.resolve(Checkpoint.POINTER)).doesNotExist();
        assertThat(dir.resolve(Checkpoint.GENERATIONS)).doesNotExist();
        assertThat(RunDirectory.holdsRun(dir)).isFalse();

        stopAfter(dir, 3);
        Path notes = Files.writeString(dir.resolve(Checkpoint.GENERATIONS).resolve("notes.txt"), "mine");
        RunDirectory.discard(dir);
        assertThat(notes).hasContent("mine");
        assertThat(dir.resolve(Checkpoint.GENERATIONS).resolve("step-3")).doesNotExist();
    }

    /** The layout runs had before generations: the four files at the top, nothing else. */
    private static void flattenToTheOldLayout(Path dir) throws IOException {
        Files.delete(dir.resolve(Checkpoint.POINTER));
        Checkpoint.deleteTree(dir.resolve(Checkpoint.GENERATIONS));
    }

    private static List<Double> stopAfter(Path dir, int step) throws IOException {
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        r.trainer = TrainerTest.fresh(dir);
        r.stopAfter = step;
        r.trainer.run(r);
        return new ArrayList<>(r.losses);
    }

    private static List<Double> resume(Path dir) throws IOException {
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        TrainingState state = RunDirectory.resumableState(dir, Map.of());
        RunDirectory.resume(dir, state, TrainerTest.corpus(), Arrays::toString, d -> { }).run(r);
        return r.losses;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
