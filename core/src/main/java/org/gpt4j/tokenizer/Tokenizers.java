package org.gpt4j.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.gpt4j.io.ModelFormatException;

/**
 * Finds, loads and saves the tokenizer of a model directory. A directory may hold, in this order
 * of preference: BERT's {@code vocab.txt} (+ {@code tokenizer_config.json}, {@link WordPieceFiles});
 * Hugging Face's {@code tokenizer.json}; GPT-2's {@code vocab.json} + {@code merges.txt}; gpt4j's
 * {@code char_vocab.json}. vocab.txt comes first because Hugging Face's BERT directories hold a
 * WordPiece tokenizer.json beside it, which {@link HfTokenizerJson} does not read. Beside all but
 * tokenizer.json, an {@code added_tokens.json} (tokens fine-tuning added after the vocabulary)
 * extends the tokenizer ({@link AddedTokens}). GPT-2's own files ship inside gpt4j as the
 * built-in {@code gpt2}.
 */
public final class Tokenizers {

    /** The name of the built-in GPT-2 tokenizer for {@link #resolve}. */
    public static final String GPT2 = "gpt2";

    private static final String GPT2_RESOURCES = "/org/gpt4j/tokenizer/gpt2/";

    private Tokenizers() {
    }

    /** True when the directory holds tokenizer files that {@link #load} would read. */
    public static boolean isPresent(Path dir) {
        return Files.isRegularFile(dir.resolve(WordPieceFiles.VOCAB))
                || Files.isRegularFile(dir.resolve(HfTokenizerJson.FILE))
                || Files.isRegularFile(dir.resolve(Gpt2Files.VOCAB))
                || Files.isRegularFile(dir.resolve(CharVocabJson.FILE));
    }

    /**
     * The directory's tokenizer, or null when it holds none (a model without one still runs on
     * token ids); broken tokenizer files are still an error.
     */
    public static Tokenizer loadIfPresent(Path dir) throws IOException {
        return isPresent(dir) ? load(dir) : null;
    }

    /** Loads the tokenizer of a model directory; a clear ModelFormatException when it has none or a broken one. */
    public static Tokenizer load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, Files.exists(dir) ? "is not a directory" : "no such directory");
        }
        if (Files.isRegularFile(dir.resolve(WordPieceFiles.VOCAB))) {
            return withAddedTokens(WordPieceFiles.read(dir), dir);
        }
        if (Files.isRegularFile(dir.resolve(HfTokenizerJson.FILE))) {
            return HfTokenizerJson.read(dir.resolve(HfTokenizerJson.FILE));
        }
        if (Files.isRegularFile(dir.resolve(Gpt2Files.VOCAB))) {
            return withAddedTokens(Gpt2Files.read(dir), dir);
        }
        if (Files.isRegularFile(dir.resolve(CharVocabJson.FILE))) {
            return withAddedTokens(CharVocabJson.read(dir.resolve(CharVocabJson.FILE)), dir);
        }
        throw new ModelFormatException(dir, "holds no tokenizer (expected " + WordPieceFiles.VOCAB + ", " + HfTokenizerJson.FILE + ", "
                + Gpt2Files.VOCAB + " + " + Gpt2Files.MERGES + ", or " + CharVocabJson.FILE + ")");
    }

    /** tokenizer.json lists its added tokens itself; the other formats keep them in added_tokens.json. */
    private static Tokenizer withAddedTokens(Tokenizer base, Path dir) throws IOException {
        Path file = dir.resolve(AddedTokens.FILE);
        return Files.isRegularFile(file) ? AddedTokens.read(base, file) : base;
    }

    /**
     * A directory's tokenizer, or a built-in one by name ({@code gpt2}) when no such directory exists.
     */
    public static Tokenizer resolve(String dirOrName) throws IOException {
        Path dir = Path.of(dirOrName);
        if (!Files.exists(dir) && dirOrName.equals(GPT2)) {
            return gpt2();
        }
        return load(dir);
    }

    /** GPT-2's tokenizer (50,257 tokens), from the files that ship inside gpt4j. */
    public static BpeTokenizer gpt2() {
        return Gpt2Holder.INSTANCE;
    }

    /**
     * Writes the tokenizer into a model directory: vocab.json + merges.txt for byte-level BPE,
     * char_vocab.json for char-level, vocab.txt + tokenizer_config.json for WordPiece, and added_tokens.json for {@link AddedTokens} (a stale one
     * is removed when the tokenizer has none, so a load returns what was saved). Refuses when the
     * directory holds a tokenizer file that {@link #load} prefers and that this would not
     * replace, so a load never finds the old one.
     */
    public static void save(Tokenizer tokenizer, Path dir) throws IOException {
        Files.createDirectories(dir);
        switch (tokenizer) {
            case AddedTokens added -> {
                save(added.base(), dir);
                added.write(dir.resolve(AddedTokens.FILE));
            }
            case BpeTokenizer bpe -> {
                refuseIfShadowed(dir, WordPieceFiles.VOCAB);
                refuseIfShadowed(dir, HfTokenizerJson.FILE);
                Gpt2Files.write(bpe, dir);
                Files.deleteIfExists(dir.resolve(AddedTokens.FILE));
            }
            case CharTokenizer chars -> {
                refuseIfShadowed(dir, WordPieceFiles.VOCAB);
                refuseIfShadowed(dir, HfTokenizerJson.FILE);
                refuseIfShadowed(dir, Gpt2Files.VOCAB);
                CharVocabJson.write(chars, dir.resolve(CharVocabJson.FILE));
                Files.deleteIfExists(dir.resolve(AddedTokens.FILE));
            }
            case WordPieceTokenizer wordPiece -> {
                WordPieceFiles.write(wordPiece, dir);
                Files.deleteIfExists(dir.resolve(AddedTokens.FILE));
            }
            default -> throw new IllegalArgumentException("cannot save a " + tokenizer.getClass().getSimpleName());
        }
    }

    private static void refuseIfShadowed(Path dir, String file) throws ModelFormatException {
        if (Files.exists(dir.resolve(file))) {
            throw new ModelFormatException(dir, "already holds " + file + ", which would be loaded instead of the"
                    + " tokenizer being saved; remove it or save to another directory");
        }
    }

    private static final class Gpt2Holder {
        static final BpeTokenizer INSTANCE = loadBuiltIn();

        private static BpeTokenizer loadBuiltIn() {
            try {
                return Gpt2Files.read(Path.of("gpt2", Gpt2Files.VOCAB), resource(Gpt2Files.VOCAB),
                        Path.of("gpt2", Gpt2Files.MERGES), resource(Gpt2Files.MERGES), new LinkedHashMap<>(), null);
            } catch (IOException e) {
                throw new UncheckedIOException("built-in GPT-2 tokenizer is damaged", e);
            }
        }

        private static byte[] resource(String name) throws IOException {
            try (InputStream in = Tokenizers.class.getResourceAsStream(GPT2_RESOURCES + name)) {
                if (in == null) {
                    throw new IOException("missing resource " + GPT2_RESOURCES + name);
                }
                return in.readAllBytes();
            }
        }
    }
}
