package org.gpt4j.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.gpt4j.tokenizer.BpeTrainer;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;

/**
 * The {@code --tokenizer} of a training run: {@code char} (the corpus's distinct characters, as
 * nanoGPT's shakespeare_char), {@code bpe:N} (byte-level BPE with N tokens learnt from the corpus),
 * or a directory holding tokenizer files. Also gives the fingerprint that keys the token cache.
 */
public final class TokenizerSpec {

    private TokenizerSpec() {
    }

    /** Builds or loads the tokenizer {@code spec} names, learning it from {@code corpus} if needed. */
    public static Tokenizer build(String spec, List<Path> corpus) throws IOException {
        if (spec.equals("char")) {
            StringBuilder all = new StringBuilder();
            for (Path f : corpus) {
                all.append(CorpusText.read(f));
            }
            return CharTokenizer.fromText(all.toString());
        }
        if (spec.startsWith("bpe:")) {
            int size;
            try {
                size = Integer.parseInt(spec.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tokenizer " + spec + ": give the vocabulary size as bpe:N, e.g. bpe:4096");
            }
            if (size < BpeTrainer.MIN_VOCAB_SIZE || size > BpeTrainer.MAX_VOCAB_SIZE) {
                throw new IllegalArgumentException("--tokenizer " + spec + ": N must be between " + BpeTrainer.MIN_VOCAB_SIZE
                        + " and " + BpeTrainer.MAX_VOCAB_SIZE);
            }
            BpeTrainer trainer = new BpeTrainer();
            for (Path f : corpus) {
                trainer.addText(CorpusText.read(f));
            }
            return trainer.train(size, (v, target) -> { });
        }
        Path dir = Path.of(spec);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--tokenizer " + spec + ": expected char, bpe:N or a directory with"
                    + " tokenizer files, and no such directory exists");
        }
        return Tokenizers.load(dir);
    }

    /** SHA-256 of the tokenizer's saved files: equal exactly when it encodes the same way. */
    public static byte[] fingerprint(Tokenizer tokenizer) throws IOException {
        Path tmp = Files.createTempDirectory("gpt4j-tokenizer");
        try {
            Tokenizers.save(tokenizer, tmp);
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
                ds.forEach(files::add);
            }
            files.sort(null);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(f));
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Checkpoint.deleteTree(tmp);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
