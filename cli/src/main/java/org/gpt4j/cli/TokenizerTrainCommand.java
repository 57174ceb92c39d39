package org.gpt4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpt4j.tokenizer.BpeTokenizer;
import org.gpt4j.tokenizer.BpeTrainer;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.gpt4j.tokenizer.Tokenizers;
import org.gpt4j.tokenizer.Utf8;
import org.gpt4j.tokenizer.WordPieceConfig;
import org.gpt4j.tokenizer.WordPieceTokenizer;
import org.gpt4j.tokenizer.WordPieceTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gpt4j tokenizer train}: learn a byte-level BPE, a WordPiece or a char vocabulary from text files. */
@Command(name = "train", header = "Learn a byte-level BPE, WordPiece or char-level tokenizer from text files.", mixinStandardHelpOptions = true,
        description = {"Learn a tokenizer from UTF-8 text files and write it into a model directory.",
            "bpe: byte-level BPE with GPT-2's pre-tokenisation; writes vocab.json + merges.txt",
            "  (readable by Hugging Face tokenizers). Deterministic. <|endoftext|> is the last id.",
            "wordpiece: BERT's WordPiece (as Hugging Face's WordPieceTrainer): [PAD] [UNK] [CLS] [SEP] [MASK],",
            "  the characters, then merges with ## continuations; writes vocab.txt + tokenizer_config.json",
            "  (readable by Hugging Face's BertTokenizer). Lower-cased unless --cased. Deterministic.",
            "char: the sorted distinct characters (nanoGPT's shakespeare_char); writes char_vocab.json."})
final class TokenizerTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--data", required = true, arity = "1..*", paramLabel = "FILE", description = "Training text files (UTF-8).")
    List<Path> data;

    @Option(names = "--vocab-size", paramLabel = "N",
            description = "Tokens in the vocabulary: for bpe 256 bytes and <|endoftext|> included (257..65536);"
                    + " for wordpiece the special tokens and characters included (at most 65536).")
    Integer vocabSize;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the tokenizer files into.")
    Path out;

    @Option(names = "--type", paramLabel = "KIND", defaultValue = "bpe", description = "bpe, wordpiece or char (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--code", description = "bpe only: a tokenizer for code, as Codex's: every run of 2 to "
            + CODE_SPACE_RUN + " spaces is one token (merges of their own, applied first), so indentation costs one token.")
    boolean code;

    /** The longest space run --code makes one token (eight levels of four-space indentation). */
    static final int CODE_SPACE_RUN = 32;

    @Option(names = "--cased", description = "wordpiece only: keep case and accents (as bert-base-cased); lower-cased by default.")
    boolean cased;

    @Option(names = "--unknown", description = "char only: add U+FFFD for characters outside the vocabulary instead of rejecting them.")
    boolean unknown;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        long start = System.nanoTime();
        Tokenizer trained = switch (type.toLowerCase(Locale.ROOT)) {
            case "bpe" -> {
                if (cased) {
                    throw new IllegalArgumentException("--cased applies to --type wordpiece only");
                }
                yield trainBpe(err);
            }
            case "wordpiece" -> {
                if (code) {
                    throw new IllegalArgumentException("--code applies to --type bpe only");
                }
                yield trainWordPiece(err);
            }
            case "char" -> {
                if (code || cased) {
                    throw new IllegalArgumentException((code ? "--code" : "--cased") + " does not apply to --type char");
                }
                yield trainChars();
            }
            default -> throw new IllegalArgumentException("unknown --type '" + type + "' (expected bpe, wordpiece or char)");
        };
        Tokenizers.save(trained, out);
        stdout.printf(Locale.ROOT, "wrote %s to %s in %.1f s%n", trained, out, (System.nanoTime() - start) / 1e9);
        stdout.flush();
        return 0;
    }

    private BpeTokenizer trainBpe(PrintWriter err) throws Exception {
        if (vocabSize == null) {
            throw new IllegalArgumentException("--vocab-size is required for a BPE tokenizer");
        }
        if (vocabSize < BpeTrainer.MIN_VOCAB_SIZE || vocabSize > BpeTrainer.MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("--vocab-size must be between " + BpeTrainer.MIN_VOCAB_SIZE
                    + " (256 bytes and <|endoftext|>) and " + BpeTrainer.MAX_VOCAB_SIZE + ", got " + vocabSize);
        }
        checkOutput();
        BpeTrainer trainer = new BpeTrainer();
        long t0 = System.nanoTime();
        for (Path file : data) {
            err.printf(Locale.ROOT, "reading %s (%s)%n", file, ParamsCommand.humanBytes(Files.size(file)));
            err.flush();
            trainer.addText(Utf8.readFile(file));
        }
        err.printf(Locale.ROOT, "counted %,d pieces, %,d distinct, in %.1f s; merging...%n",
                trainer.pieceCount(), trainer.distinctWords(), (System.nanoTime() - t0) / 1e9);
        err.flush();
        long t1 = System.nanoTime();
        int[] lastTenth = {0};
        BpeTokenizer tokenizer = trainer.train(vocabSize, (size, target) -> {
            int tenth = (int) (10L * (size - BpeTrainer.MIN_VOCAB_SIZE) / Math.max(1, target - BpeTrainer.MIN_VOCAB_SIZE));
            if (tenth > lastTenth[0]) {
                lastTenth[0] = tenth;
                err.printf(Locale.ROOT, "  %,d / %,d tokens (%d%%), %.1f s%n", size, target, tenth * 10, (System.nanoTime() - t1) / 1e9);
                err.flush();
            }
        }, code ? BpeTrainer.spaceRunMerges(CODE_SPACE_RUN) : List.of());
        if (tokenizer.vocabSize() < vocabSize) {
            err.printf(Locale.ROOT, "note: the text has no more pairs to merge; the vocabulary has %,d tokens, not %,d%n",
                    tokenizer.vocabSize(), vocabSize);
        }
        return tokenizer;
    }

    private WordPieceTokenizer trainWordPiece(PrintWriter err) throws Exception {
        if (vocabSize == null) {
            throw new IllegalArgumentException("--vocab-size is required for a WordPiece tokenizer");
        }
        if (vocabSize < 1 || vocabSize > BpeTrainer.MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("--vocab-size must be between 1 and " + BpeTrainer.MAX_VOCAB_SIZE + ", got " + vocabSize);
        }
        checkOutput();
        WordPieceTrainer trainer = new WordPieceTrainer(WordPieceConfig.bert(!cased));
        long t0 = System.nanoTime();
        for (Path file : data) {
            err.printf(Locale.ROOT, "reading %s (%s)%n", file, ParamsCommand.humanBytes(Files.size(file)));
            err.flush();
            trainer.addText(Utf8.readFile(file));
        }
        err.printf(Locale.ROOT, "counted %,d words, %,d distinct, in %.1f s; merging...%n",
                trainer.chunkCount(), trainer.distinctChunks(), (System.nanoTime() - t0) / 1e9);
        err.flush();
        long t1 = System.nanoTime();
        int[] lastTenth = {0};
        WordPieceTokenizer tokenizer = trainer.train(vocabSize, (size, target) -> {
            int tenth = (int) (10L * size / Math.max(1, target));
            if (tenth > lastTenth[0]) {
                lastTenth[0] = tenth;
                err.printf(Locale.ROOT, "  %,d / %,d tokens (%d%%), %.1f s%n", size, target, tenth * 10, (System.nanoTime() - t1) / 1e9);
                err.flush();
            }
        });
        if (tokenizer.vocabSize() < vocabSize) {
            err.printf(Locale.ROOT, "note: the text has no more pairs to merge; the vocabulary has %,d tokens, not %,d%n",
                    tokenizer.vocabSize(), vocabSize);
        }
        return tokenizer;
    }

    private CharTokenizer trainChars() throws Exception {
        if (vocabSize != null) {
            throw new IllegalArgumentException("--vocab-size does not apply to --type char (the text decides it)");
        }
        checkOutput();
        StringBuilder all = new StringBuilder();
        for (Path file : data) {
            all.append(Utf8.readFile(file));
        }
        return unknown ? CharTokenizer.fromTextWithUnknown(all.toString()) : CharTokenizer.fromText(all.toString());
    }

    /** Fails before the (possibly long) training when the output could not be written anyway. */
    private void checkOutput() {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
        }
    }
}
