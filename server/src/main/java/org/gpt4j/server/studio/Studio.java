package org.gpt4j.server.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.gpt4j.io.BertConfigJson;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.io.ModelNames;
import org.gpt4j.model.Bert;
import org.gpt4j.model.Gpt;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.WordPieceTokenizer;

/**
 * What the studio is showing: the current model, a GPT or a BERT (or none yet), and where to look
 * for run directories. Switching models replaces the whole {@link StudioModel}; requests in flight
 * keep the one they started with.
 */
public final class Studio {

    /** Shown when there is no model: how to make one in a minute. */
    static final String NO_MODEL_HINT = "No model yet. Make one in a minute: ./gpt4j init --layers 4 --heads 4 --embd 128 "
            + "--context 256 --out runs/demo (random weights, GPT-2's tokenizer), or train one with ./gpt4j train "
            + "--out runs/NAME; then reload this page, or type a model directory above and press Load.";

    private final Path workingDirectory;
    private volatile StudioModel model;

    private Studio(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    /** A studio showing the model in {@code dir}. */
    public static Studio open(Path dir) throws IOException {
        Studio s = new Studio(Path.of("").toAbsolutePath());
        s.model = load(dir);
        return s;
    }

    /** A studio showing the most recent model under {@code workingDirectory/runs}, or none. */
    public static Studio openMostRecent(Path workingDirectory) throws IOException {
        Studio s = new Studio(workingDirectory);
        java.util.Optional<Path> found = ModelFinder.mostRecent(workingDirectory);
        if (found.isPresent()) {
            s.model = load(found.get());
        }
        return s;
    }

    /** The model's directory, or null when the studio shows none. */
    public Path modelDirectory() {
        StudioModel m = model;
        return m == null ? null : m.directory();
    }

    Path workingDirectory() {
        return workingDirectory;
    }

    /** Where a bare model name such as {@code en-base} is looked up (as {@code --model} does). */
    ModelNames modelNames() {
        return ModelNames.forWorkingDirectory(workingDirectory);
    }

    /** The current model, GPT or BERT, or a 409 explaining how to get one. */
    StudioModel shown() {
        StudioModel m = model;
        if (m == null) {
            throw new ApiError(409, NO_MODEL_HINT);
        }
        return m;
    }

    /** The current GPT, for the views only a GPT has (positions, generation). */
    LoadedModel model() {
        return switch (shown()) {
            case LoadedModel gpt -> gpt;
            case LoadedBert bert -> throw ApiError.badRequest(bert.directory() + " is a BERT: this view is a GPT's"
                    + " (a BERT shows its architecture, tokens, attention, hidden states and masked words)");
        };
    }

    /** The current BERT, for the masked-word view. */
    LoadedBert bert() {
        return switch (shown()) {
            case LoadedBert bert -> bert;
            case LoadedModel gpt -> throw ApiError.badRequest(gpt.directory() + " is a GPT: the masked-word view is a BERT's"
                    + " (open a BERT directory, model_type bert)");
        };
    }

    StudioModel modelOrNull() {
        return model;
    }

    /** Switches to the model in {@code dir}; on failure the current model stays. */
    void switchTo(Path dir) {
        try {
            model = load(dir);
        } catch (NoSuchFileException e) {
            throw ApiError.notFound("no model at " + dir + ": " + e.getFile() + " not found");
        } catch (ModelFormatException e) {
            throw ApiError.badRequest(e.getMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("cannot read the model in " + dir + ": " + e.getMessage());
        }
    }

    private static StudioModel load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory");
        }
        if (BertConfigJson.isBert(dir)) {
            Bert bert = BertDirectory.load(dir);
            Tokenizer tokenizer = Tokenizers.loadIfPresent(dir);
            if (tokenizer != null && !(tokenizer instanceof WordPieceTokenizer)) {
                throw new ModelFormatException(dir, "holds a BERT but a " + tokenizer.getClass().getSimpleName()
                        + ", not BERT's WordPiece vocab.txt");
            }
            if (tokenizer != null && tokenizer.vocabSize() > bert.config().vocabSize()) {
                throw new ModelFormatException(dir, "the tokenizer has " + tokenizer.vocabSize()
                        + " tokens but the model's vocabulary is " + bert.config().vocabSize());
            }
            return new LoadedBert(dir.toAbsolutePath().normalize(), bert, (WordPieceTokenizer) tokenizer);
        }
        Gpt gpt = ModelDirectory.load(dir);
        Tokenizer tokenizer = Tokenizers.loadIfPresent(dir);
        if (tokenizer != null && tokenizer.vocabSize() > gpt.config().vocabSize()) {
            throw new ModelFormatException(dir, "the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocabulary is " + gpt.config().vocabSize());
        }
        return new LoadedModel(dir.toAbsolutePath().normalize(), gpt, tokenizer);
    }
}
