package org.gpt4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptConfig;

/**
 * Starting and resuming runs in a directory: a fresh run refuses a directory that already holds
 * one, and a resumed run refuses flags, data or a model that differ from what the directory was
 * trained with, so "resume" never silently means "start something else".
 */
public final class RunDirectory {

    /** The run's token file: the corpus tokenised once, memory-mapped by every step (and every replica). */
    public static final String TOKENS = "tokens.bin";

    private RunDirectory() {
    }

    /** True when {@code dir} holds a run's training state. */
    public static boolean holdsRun(Path dir) {
        return Files.isRegularFile(dir.resolve(Checkpoint.STATE_JSON)) || Files.exists(dir.resolve(Checkpoint.POINTER));
    }

    /** A trainer for a new run of {@code gpt} (freshly initialised or loaded by --init-from). */
    public static Trainer start(Path dir, TrainingOptions options, Gpt gpt, TokenDataset data,
            Function<int[], String> decoder, Trainer.ModelFiles files) {
        requireFresh(dir);
        AdamW adamw = new AdamW(gpt.parameters(), options.beta1(), options.beta2(), AdamW.DEFAULT_EPS, options.weightDecay());
        return new Trainer(gpt, adamw, data, dir, new TrainingState(0, options, Double.NaN, -1, data.key(), data.files()), decoder, files);
    }

    /**
     * The files a run writes (beside any cached token file, which is keyed by corpus and tokenizer
     * and stays valid). Only these are removed when a run is replaced: never anything else a user
     * keeps in the directory.
     */
    private static final List<String> RUN_FILES = List.of(ModelDirectory.CONFIG, ModelDirectory.WEIGHTS,
            "vocab.json", "merges.txt", "tokenizer.json", "special_tokens_map.json", "char_vocab.json",
            BigramModel.COUNTS, Checkpoint.POINTER, Checkpoint.STATE_JSON, Checkpoint.STATE_TENSORS, MetricsLog.FILE,
            "loss.png");

    /**
     * Removes a previous run or model from {@code dir} (for {@code train --force}): the files a
     * run writes and its {@code best/} copy. State first, so an interrupted removal never leaves
     * a directory that looks resumable.
     */
    public static void discard(Path dir) throws IOException {
        Checkpoint.discard(dir);
        for (Path d : List.of(dir, dir.resolve(Checkpoint.BEST))) {
            Files.deleteIfExists(d.resolve(Checkpoint.STATE_JSON));
            for (String name : RUN_FILES) {
                Files.deleteIfExists(d.resolve(name));
            }
        }
        Files.deleteIfExists(dir.resolve(Checkpoint.BEST));
    }

    /** Refuses a directory that already holds a run or a model: a new run never overwrites one. */
    public static void requireFresh(Path dir) {
        if (holdsRun(dir)) {
            throw new IllegalArgumentException(dir + " already holds a training run (" + Checkpoint.STATE_JSON
                    + "): add --resume to continue it, --force to start over, or choose another --out");
        }
        if (Files.exists(dir.resolve(ModelDirectory.CONFIG))) {
            throw new IllegalArgumentException(dir + " already holds a model (" + ModelDirectory.CONFIG
                    + "); choose another --out, start from it with --init-from, or replace it with --force");
        }
    }

    /**
     * The state to resume {@code dir} with: the stored options with {@code given} flags applied.
     *
     * @throws IllegalArgumentException when a given flag changes what the run was trained with, or
     *                                  the run is already complete
     */
    public static TrainingState resumableState(Path dir, Map<String, String> given) throws IOException {
        TrainingState stored = Checkpoint.readState(dir);
        TrainingOptions options = stored.options().with(given);
        List<String> conflicts = options.conflictsWith(stored.options());
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("--resume: " + dir + " was trained with other settings: "
                    + String.join(", ", conflicts) + "; leave these flags out or start a new run");
        }
        if (stored.step() >= options.steps()) {
            throw new IllegalArgumentException("--resume: " + dir + " has already completed " + stored.step()
                    + " of --steps " + options.steps() + "; give a larger --steps to train further");
        }
        return stored.withOptions(options);
    }

    /**
     * Refuses to resume {@code dir} on data other than its own, given the key of the data
     * ({@link TokenDataset#keyOf}): called before anything is tokenised or written.
     */
    public static void requireSameData(Path dir, TrainingState state, String dataKey) {
        if (!state.dataKey().equals(dataKey)) {
            throw new IllegalArgumentException("--resume: this run was trained on a different corpus: the --data files"
                    + " (or the tokenizer files in " + dir + ") are not the ones it was trained on; give the same --data"
                    + " files in the same order, or start a new run");
        }
    }

    /**
     * The corpus files a resumed run reads when no {@code --data} is given: those the run
     * recorded when it started.
     *
     * @throws IllegalArgumentException when the run recorded none (written by an older gpt4j) or
     *                                  one of them is gone
     */
    public static List<Path> recordedData(Path dir, TrainingState state) {
        if (state.dataFiles().isEmpty()) {
            throw new IllegalArgumentException("--resume: " + dir.resolve(Checkpoint.STATE_JSON) + " does not record the"
                    + " run's --data files (it was written by an older gpt4j): give the same --data files it was trained on");
        }
        for (Path f : state.dataFiles()) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("--resume: " + dir + " was trained on " + f + ", which is "
                        + (Files.exists(f) ? "not a file" : "gone") + ": give --data with the files it was trained on"
                        + " (the same contents, in the same order)");
            }
        }
        return state.dataFiles();
    }

    /** A trainer continuing {@code dir} exactly where its last checkpoint stopped. */
    public static Trainer resume(Path dir, TrainingState state, TokenDataset data,
            Function<int[], String> decoder, Trainer.ModelFiles files) throws IOException {
        requireSameData(dir, state, data.key());
        Path checkpoint = Checkpoint.current(dir);
        Gpt gpt = ModelDirectory.load(checkpoint);
        TrainingOptions o = state.options();
        GptConfig c = gpt.config();
        if (c.nLayer() != o.layers() || c.nHead() != o.heads() || c.nEmbd() != o.embd() || c.nPositions() != o.context()) {
            throw new IllegalArgumentException("--resume: " + checkpoint.resolve(ModelDirectory.CONFIG) + " holds a "
                    + c.nLayer() + "-layer, " + c.nHead() + "-head, " + c.nEmbd() + "-wide model with context "
                    + c.nPositions() + ", but " + Checkpoint.STATE_JSON + " says --layers " + o.layers() + " --heads "
                    + o.heads() + " --embd " + o.embd() + " --context " + o.context());
        }
        AdamW adamw = new AdamW(gpt.parameters(), o.beta1(), o.beta2(), AdamW.DEFAULT_EPS, o.weightDecay());
        Checkpoint.restoreOptimizer(checkpoint, adamw, gpt, state);
        // The same corpus (the key says so), perhaps at another path: the next checkpoint records where.
        TrainingState continued = data.files().isEmpty() ? state : state.withDataFiles(data.files());
        return new Trainer(gpt, adamw, data, dir, continued, decoder, files);
    }
}
