package org.gpt4j.train;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gpt4j.io.AtomicFiles;
import org.gpt4j.io.FileProblems;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.NamedTensor;
import org.gpt4j.io.SafetensorsFile;
import org.gpt4j.io.SafetensorsWriter;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.ParameterSpec;

/**
 * A run directory's checkpoint: the model (config.json, model.safetensors) plus the training
 * state (training_state.safetensors: AdamW's moments; training_state.json: step, options, best
 * loss), switched in one atomic step.
 *
 * <p><b>Layout.</b> Each save writes a new generation directory, {@code checkpoints/step-N/},
 * holding all four files, flushes it to the disk, and then renames {@link CheckpointPointer
 * checkpoint.json} into place naming it: that rename is the commit. Only then are the four files
 * linked (hard links, no copy) into the run directory itself, so that it stays a model directory
 * every command loads, and the previous generation is removed. A crash at any point leaves
 * checkpoint.json naming one complete generation, which is what a resumed run reads; the view at
 * the top is re-linked from it on resume ({@link #recover}).
 *
 * <p>Runs written before generations existed (the four files at the top, no checkpoint.json)
 * still resume from those files; their first new save switches them to this layout.
 */
public final class Checkpoint {

    public static final String STATE_JSON = "training_state.json";
    public static final String STATE_TENSORS = "training_state.safetensors";
    public static final String BEST = "best";
    /** The generation directories, and the pointer naming the current one. */
    public static final String GENERATIONS = "checkpoints";
    public static final String POINTER = CheckpointPointer.FILE;
    /** Where a generation is written before it is renamed to its name. */
    static final String STAGING = GENERATIONS + "/.staging";

    /** The files of one checkpoint, in the order they are published at the top. */
    static final List<String> FILES = List.of(ModelDirectory.WEIGHTS, ModelDirectory.CONFIG, STATE_TENSORS, STATE_JSON);

    private Checkpoint() {
    }

    /**
     * The model a checkpoint holds, whatever its architecture: its parameters (whose AdamW moments
     * are saved beside it) and how its model directory is written.
     */
    public interface Model {
        org.gpt4j.model.Parameters parameters();

        void saveTo(Path dir) throws IOException;
    }

    /** Writes the model and training state into {@code dir} as its new current checkpoint. */
    public static void save(Path dir, Gpt gpt, AdamW adamw, TrainingState state) throws IOException {
        save(dir, new Model() {
            @Override
            public org.gpt4j.model.Parameters parameters() {
                return gpt.parameters();
            }

            @Override
            public void saveTo(Path d) throws IOException {
                ModelDirectory.save(gpt, d);
            }
        }, adamw, state);
    }

    /** As {@link #save(Path, Gpt, AdamW, TrainingState)}, for any {@link Model} (a BERT). */
    public static void save(Path dir, Model model, AdamW adamw, TrainingState state) throws IOException {
        FileProblems.createDirectories(dir);
        for (String f : FILES) {
            requireFileOrAbsent(dir.resolve(f));
        }
        requireFileOrAbsent(dir.resolve(POINTER));
        CheckpointPointer current = CheckpointPointer.read(dir);
        Path generations = dir.resolve(GENERATIONS);
        FileProblems.createDirectories(generations);
        // What is not current is debris of an interrupted save: it never held a committed checkpoint.
        removeAllBut(generations, current == null ? null : current.generation());
        Path staging = dir.resolve(STAGING);
        CheckpointPointer next = new CheckpointPointer(CheckpointPointer.nameFor(state.step(), current), state.step());
        try {
            Files.createDirectories(staging);
            model.saveTo(staging);
            List<NamedTensor> moments = new ArrayList<>();
            for (ParameterSpec s : model.parameters().specs()) {
                moments.add(new NamedTensor("m." + s.name(), s.shape(), adamw.firstMoment(s.name())));
                moments.add(new NamedTensor("v." + s.name(), s.shape(), adamw.secondMoment(s.name())));
            }
            SafetensorsWriter.writeF32(staging.resolve(STATE_TENSORS), moments,
                    Map.of("format", "gpt4j", "step", Long.toString(state.step()), "adam_step", Long.toString(adamw.stepCount())));
            AtomicFiles.write(staging.resolve(STATE_JSON), state.toJson());
            AtomicFiles.syncDirectory(staging);
            moveDirectory(staging, generations.resolve(next.generation()));
            AtomicFiles.syncDirectory(generations);
            next.write(dir); // the commit
        } finally {
            deleteTree(staging);
        }
        publish(dir, generations.resolve(next.generation()));
        removeAllBut(generations, next.generation());
    }

    /**
     * The directory holding {@code dir}'s current checkpoint: the generation checkpoint.json names,
     * or {@code dir} itself for a run written before generations.
     *
     * @throws ModelFormatException when checkpoint.json names a generation that is not complete
     */
    public static Path current(Path dir) throws IOException {
        CheckpointPointer pointer = CheckpointPointer.read(dir);
        if (pointer == null) {
            return dir;
        }
        Path generation = dir.resolve(GENERATIONS).resolve(pointer.generation());
        for (String f : FILES) {
            if (!Files.isRegularFile(generation.resolve(f))) {
                throw new ModelFormatException(dir.resolve(POINTER), "names the checkpoint " + GENERATIONS + "/"
                        + pointer.generation() + ", which has no " + f + ": the run directory was changed by hand or"
                        + " damaged, and cannot be resumed (start over with --force, or restore the directory)");
            }
        }
        return generation;
    }

    /**
     * Puts a run directory back into its committed state after an interrupted save: re-links the
     * four files at the top from the current generation, and removes what no commit names.
     *
     * @return what was repaired, for the user; empty when nothing was
     */
    public static List<String> recover(Path dir) throws IOException {
        List<String> repaired = new ArrayList<>();
        CheckpointPointer pointer = CheckpointPointer.read(dir);
        Path generations = dir.resolve(GENERATIONS);
        if (pointer == null) {
            if (Files.isDirectory(generations) && removeAllBut(generations, null) > 0) {
                repaired.add("removed a checkpoint that an interrupted save left unfinished");
            }
            return repaired;
        }
        Path generation = current(dir);
        for (String f : FILES) {
            if (!sameContent(dir.resolve(f), generation.resolve(f))) {
                repaired.add(f + " was not step " + pointer.step() + "'s");
            }
        }
        publish(dir, generation);
        if (removeAllBut(generations, pointer.generation()) > 0) {
            repaired.add("removed checkpoints that an interrupted save left behind");
        }
        return repaired;
    }

    /**
     * Removes {@code dir}'s checkpoints (for a run started over): the pointer first, so that an
     * interrupted removal never leaves a directory that looks resumable, then the generations.
     */
    static void discard(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(POINTER));
        Path generations = dir.resolve(GENERATIONS);
        if (Files.isDirectory(generations, LinkOption.NOFOLLOW_LINKS)) {
            removeAllBut(generations, null);
            try {
                Files.deleteIfExists(generations);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // the user's own files: left where they are
            }
        }
    }

    /** Writes the best-so-far model (no optimiser state) into {@code dir/best}. */
    public static void saveBest(Path dir, Gpt gpt) throws IOException {
        ModelDirectory.save(gpt, dir.resolve(BEST));
    }

    /** Reads {@code dir}'s training state (of its current checkpoint) without touching the weights. */
    public static TrainingState readState(Path dir) throws IOException {
        return TrainingState.read(current(dir).resolve(STATE_JSON));
    }

    /**
     * Fills {@code adamw}'s moments and step count from the checkpoint in {@code checkpointDir}
     * (see {@link #current}); the step recorded with the moments must be the state's (else the
     * files come from different saves: a run from before generations, interrupted mid-save).
     */
    public static void restoreOptimizer(Path checkpointDir, AdamW adamw, Gpt gpt, TrainingState state) throws IOException {
        restoreOptimizer(checkpointDir, adamw, gpt.parameters(), state);
    }

    /** As {@link #restoreOptimizer(Path, AdamW, Gpt, TrainingState)}, for the parameters of any model. */
    public static void restoreOptimizer(Path checkpointDir, AdamW adamw, org.gpt4j.model.Parameters parameters, TrainingState state)
            throws IOException {
        Path file = checkpointDir.resolve(STATE_TENSORS);
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
            for (ParameterSpec s : parameters.specs()) {
                fill(st, file, "m." + s.name(), adamw.firstMoment(s.name()));
                fill(st, file, "v." + s.name(), adamw.secondMoment(s.name()));
            }
            adamw.setStepCount(adamStep);
        }
    }

    /** Links (or, where links are not supported, copies) the generation's files to the top of {@code dir}. */
    private static void publish(Path dir, Path generation) throws IOException {
        for (String f : FILES) {
            Path source = generation.resolve(f);
            Path target = dir.resolve(f);
            if (Files.exists(target) && Files.isSameFile(source, target)) {
                continue;
            }
            Path tmp = AtomicFiles.tempBeside(target);
            try {
                Files.delete(tmp);
                try {
                    Files.createLink(tmp, source);
                } catch (UnsupportedOperationException | FileSystemException e) {
                    Files.copy(source, tmp);
                }
                AtomicFiles.moveIntoPlace(tmp, target);
            } catch (IOException e) {
                throw AtomicFiles.cannotWrite(target, e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        AtomicFiles.syncDirectory(dir);
    }

    /** True when {@code top} is the generation's file: the same file (a link), or a copy of it. */
    private static boolean sameContent(Path top, Path inGeneration) throws IOException {
        if (!Files.isRegularFile(top)) {
            return false;
        }
        return Files.isSameFile(top, inGeneration)
                || Files.size(top) == Files.size(inGeneration) && Files.mismatch(top, inGeneration) == -1;
    }

    private static void requireFileOrAbsent(Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot write the checkpoint: " + target + " exists and is not a regular file");
        }
    }

    /** Renames a directory; need not be atomic, as the commit is the pointer written after it. */
    private static void moveDirectory(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Deletes the generations (and the staging folder) in {@code generations} but {@code keep};
     * returns how many there were. Anything else a user put there is left alone.
     */
    private static int removeAllBut(Path generations, String keep) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(generations)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                boolean ours = CheckpointPointer.isGenerationName(name) || p.equals(generations.resolve(".staging"));
                if (ours && !name.equals(keep)) {
                    deleteTree(p);
                    removed++;
                }
            }
        }
        return removed;
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
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }
}
