package org.gpt4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.BertConfigJson;
import org.gpt4j.io.BertDirectory;
import org.gpt4j.io.ModelDirectory;
import org.gpt4j.io.ModelFormatException;
import org.gpt4j.model.Bert;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.WordPieceTokenizer;

/**
 * What the BERT commands ({@code fill-mask}, {@code embed}, {@code inspect} on a BERT) read from a
 * Hugging Face BERT directory: the model, and its WordPiece tokenizer ({@code vocab.txt}), each
 * refused with one line naming the directory when it is not what a BERT command needs.
 */
final class BertModels {

    private BertModels() {
    }

    /** The BERT in {@code dir}; an error naming config.json when the directory holds another model. */
    static Bert load(Path dir, String command) throws IOException {
        requireBert(dir, command);
        return BertDirectory.load(dir);
    }

    /**
     * As {@link #load}, also without the pre-training heads (a BertModel or a classifier saved by
     * transformers): for commands that read the encoder only.
     */
    static Bert loadEncoder(Path dir, String command) throws IOException {
        requireBert(dir, command);
        return BertDirectory.loadEncoder(dir);
    }

    private static void requireBert(Path dir, String command) throws IOException {
        if (!Files.isRegularFile(dir.resolve(ModelDirectory.CONFIG))) {
            throw new ModelFormatException(dir.resolve(ModelDirectory.CONFIG), "not found (--model must be a BERT directory)");
        }
        if (!BertConfigJson.isBert(dir)) {
            throw new ModelFormatException(dir.resolve(ModelDirectory.CONFIG),
                    "is not a BERT (model_type \"bert\"): " + command + " needs a BERT directory such as bert-base-uncased");
        }
    }

    /** The directory's vocab.txt tokenizer, checked against the model's vocabulary. */
    static WordPieceTokenizer tokenizer(Path dir, Bert bert) throws IOException {
        Tokenizer tok = Tokenizers.loadIfPresent(dir);
        if (!(tok instanceof WordPieceTokenizer wordPiece)) {
            throw new ModelFormatException(dir, tok == null
                    ? "holds no vocab.txt (BERT's WordPiece vocabulary): give --tokens instead of --text, or add vocab.txt"
                    : "holds a " + tok.getClass().getSimpleName() + ", not BERT's WordPiece vocab.txt");
        }
        if (wordPiece.vocabSize() > bert.config().vocabSize()) {
            throw new ModelFormatException(dir.resolve("vocab.txt"), "has " + wordPiece.vocabSize()
                    + " tokens but config.json's vocab_size is " + bert.config().vocabSize());
        }
        return wordPiece;
    }
}
