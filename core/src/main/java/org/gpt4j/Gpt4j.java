package org.gpt4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.model.Gpt;
import org.gpt4j.model.GptInit;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.train.RunDirectory;
import org.gpt4j.train.TokenDataset;
import org.gpt4j.train.TokenizerSpec;
import org.gpt4j.train.Trainer;
import org.gpt4j.train.TrainingOptions;

/**
 * The entry point for using gpt4j from Java: load a model directory, or train a small GPT on text
 * files, and get a {@link Model} that tokenizes and generates.
 *
 * <pre>{@code
 * // Train a small character-level GPT for a few steps, then load and use it.
 * TrainingOptions options = TrainingOptions.DEFAULTS.with(Map.of("layers", "2", "heads", "2", "embd", "64",
 *         "context", "64", "batch", "8", "steps", "60", "eval-every", "60"));
 * Gpt4j.train(List.of(Path.of("input.txt")), Path.of("runs/tiny"), options);
 * Model model = Gpt4j.load(Path.of("runs/tiny"));
 * System.out.println(model.generate("ROMEO:", GenerationConfig.builder().maxNewTokens(50).build()));
 * }</pre>
 *
 * <p>Errors in the inputs (a missing file, a broken {@code config.json}, a bad option) are thrown
 * as {@link IllegalArgumentException} or {@link org.gpt4j.io.ModelFormatException} (an
 * {@link IOException}) with one message naming the file or option, as the command prints them.
 */
public final class Gpt4j {

    /** The token cache a training run keeps in its directory (as {@code gpt4j train} does). */
    private static final String TOKENS_FILE = "tokens.bin";

    private Gpt4j() {
    }

    /**
     * Loads a Hugging Face style GPT-2 directory ({@code config.json}, {@code model.safetensors}
     * and, when present, the tokenizer files): a model trained by gpt4j, its {@code best/}
     * sub-directory, one of the repository's {@code models/}, or GPT-2 from the Hugging Face hub.
     *
     * @throws IOException naming the file that is missing or malformed
     */
    public static Model load(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Gpt gpt = ModelDirectory.load(directory);
        return new Model(directory, gpt, Tokenizers.loadIfPresent(directory));
    }

    /**
     * Trains a new character-level GPT on {@code data} into the run directory {@code out}, as
     * {@code gpt4j train --data FILE... --out DIR} does with the same options: the directory
     * becomes a model directory that {@link #load} reads (and that every {@code gpt4j} command
     * reads, {@code --resume} included).
     *
     * @param options e.g. {@code TrainingOptions.DEFAULTS.with(Map.of("steps", "100"))}; the keys
     *                are the {@code train} command's flags without the dashes
     * @return the run's losses, token count and speed
     * @throws IllegalArgumentException when {@code out} already holds a run or a model, or the data
     *                                  is too short for one window of the context
     */
    public static Trainer.Summary train(List<Path> data, Path out, TrainingOptions options) throws IOException {
        return train(data, out, "char", options, new Trainer.Listener() { });
    }

    /**
     * As {@link #train(List, Path, TrainingOptions)}, with a tokenizer and a listener that hears of
     * every step and evaluation.
     *
     * @param tokenizer {@code char} (the corpus's characters), {@code bpe:N} (a byte-level BPE of
     *                  N tokens learnt from the data), or a directory holding tokenizer files
     * @param listener  called on the training thread after each step and each evaluation
     */
    public static Trainer.Summary train(List<Path> data, Path out, String tokenizer, TrainingOptions options,
            Trainer.Listener listener) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(listener, "listener");
        List<Path> files = List.copyOf(data);
        // Everything is checked before anything is written: a failed start leaves out as it was.
        RunDirectory.requireFresh(out);
        Tokenizer tok = TokenizerSpec.build(tokenizer, files);
        Gpt gpt = GptInit.randomGpt(options.modelConfig(tok.vocabSize()), options.seed());
        String names = String.join(", ", files.stream().map(Path::toString).toList());
        TokenDataset dataset = TokenDataset.prepare(files, tok::encode, TokenizerSpec.fingerprint(tok), tok.vocabSize(),
                out.resolve(TOKENS_FILE), options.context(), names);
        Trainer trainer = RunDirectory.start(out, options, gpt, dataset, tok::decode, dir -> Tokenizers.save(tok, dir));
        return trainer.run(listener);
    }
}
