package org.gpt4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenize and tokenizer train commands, end to end through picocli. */
class TokenizeCommandTest {

    @Test
    void jsonPrintsTheIds() {
        Cli.Result r = Cli.run("tokenize", "--tokenizer", "gpt2", "--text", "Hello, world!", "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip()).isEqualTo("{\"ids\":[15496,11,995,0]}");
    }

    @Test
    void tableShowsTokensIdsAndSplitCharacters() {
        Cli.Result r = Cli.run("tokenize", "--tokenizer", "gpt2", "--text", "中文 hi");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("40792", "\"中\"", "23877", "\"\\xE6\\x96\"", "文 bytes 1-2 of 3", "文 byte 3 of 3", "\" hi\"");
    }

    @Test
    void specialTokensOnlyWhenAsked() {
        assertThat(Cli.run("tokenize", "--tokenizer", "gpt2", "--text", "<|endoftext|>", "--json").out())
                .contains("[27,91,437,1659,5239,91,29]");
        assertThat(Cli.run("tokenize", "--tokenizer", "gpt2", "--text", "<|endoftext|>", "--json", "--special-tokens").out())
                .contains("[50256]");
    }

    @Test
    void invalidUtf8FileIsOneErrorLineWithTheOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.txt");
        Files.write(file, new byte[] {'o', 'k', ' ', (byte) 0xFF});
        Cli.Result r = Cli.run("tokenize", "--tokenizer", "gpt2", "--file", file.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + file + ": not valid UTF-8 at byte offset 3 (bytes FF)");
    }

    @Test
    void missingTokenizerDirectoryIsAClearError(@TempDir Path dir) {
        Cli.Result r = Cli.run("tokenize", "--tokenizer", dir.toString(), "--text", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: " + dir + ": holds no tokenizer");
    }

    @Test
    void trainWritesFilesThatTokenizeReads(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data.txt");
        Files.writeString(data, "hug hug hug pug pun bun hugs\n".repeat(5));
        Path out = dir.resolve("tok");
        Cli.Result r = Cli.run("tokenizer", "train", "--data", data.toString(), "--vocab-size", "262", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(out.resolve("vocab.json")).exists();
        assertThat(out.resolve("merges.txt")).exists();
        assertThat(r.err()).contains("merging");
        Cli.Result t = Cli.run("tokenize", "--tokenizer", out.toString(), "--text", " hug", "--json");
        assertThat(t.out().strip()).isEqualTo("{\"ids\":[258]}");
    }

    @Test
    void trainCharVocabulary(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data.txt");
        Files.writeString(data, "to be or not to be");
        Path out = dir.resolve("tok");
        assertThat(Cli.run("tokenizer", "train", "--type", "char", "--data", data.toString(), "--out", out.toString()).exitCode()).isZero();
        assertThat(Cli.run("tokenize", "--tokenizer", out.toString(), "--text", "be", "--json").out().strip())
                .isEqualTo("{\"ids\":[1,2]}");
        Cli.Result unknown = Cli.run("tokenize", "--tokenizer", out.toString(), "--text", "bez");
        assertThat(unknown.err().strip()).isEqualTo("error: character 'z' (U+007A) at index 2 is not in the vocabulary of 7 characters");
    }

    @Test
    void trainRejectsABadVocabularySize(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data.txt");
        Files.writeString(data, "x");
        Cli.Result r = Cli.run("tokenizer", "train", "--data", data.toString(), "--vocab-size", "100", "--out", dir.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--vocab-size must be between 257");
    }

    @Test
    void bertVocabTxtDirectoriesTokenizeWithWordPiece(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nman\nwent\n##s\n.\n[\n]\nmask\n");
        Cli.Result r = Cli.run("tokenize", "--tokenizer", dir.toString(), "--text", "The men went. [MASK]", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // "men" cannot be spelled: one [UNK]; [MASK] is ordinary text.
        assertThat(r.out().strip()).isEqualTo("{\"ids\":[5,1,7,9,10,12,11]}");
        assertThat(Cli.run("tokenize", "--tokenizer", dir.toString(), "--text", "the [MASK]", "--json", "--special-tokens").out().strip())
                .isEqualTo("{\"ids\":[5,4]}");
        Cli.Result table = Cli.run("tokenize", "--tokenizer", dir.toString(), "--text", "Mans");
        assertThat(table.out()).contains("WordPiece, 13 tokens, lower-cased", "\"man\"", "\"##s\"");
    }

    @Test
    void aBrokenVocabTxtIsOneErrorLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\nword\nword\n");
        Cli.Result r = Cli.run("tokenize", "--tokenizer", dir.toString(), "--text", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + dir.resolve("vocab.txt")
                + ": line 4 repeats the token 'word' of line 3 (each token must appear once: its line number is its id)");
    }

    @Test
    void trainWordPieceWritesVocabTxtThatTokenizeReads(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data.txt");
        Files.writeString(data, "Hug hug hug, pug pun bun hugs.\n".repeat(5));
        Path out = dir.resolve("tok");
        Cli.Result r = Cli.run("tokenizer", "train", "--type", "wordpiece", "--data", data.toString(), "--vocab-size", "40",
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(out.resolve("vocab.txt")).exists();
        assertThat(Files.readString(out.resolve("tokenizer_config.json"))).contains("\"do_lower_case\" : true");
        assertThat(Files.readAllLines(out.resolve("vocab.txt"))).startsWith("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]").contains("hug");
        Cli.Result t = Cli.run("tokenize", "--tokenizer", out.toString(), "--text", "HUG puns");
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("\"hug\"", "\"pun\"", "\"##s\"").doesNotContain("[UNK]");
        assertThat(Cli.run("tokenizer", "train", "--type", "wordpiece", "--data", data.toString(), "--vocab-size", "10",
                "--out", dir.resolve("small").toString()).err()).contains("error: a vocabulary of 10 has no room");
        assertThat(Cli.run("tokenizer", "train", "--type", "wordpiece", "--data", data.toString(), "--out", out.toString()).err())
                .contains("--vocab-size is required");
    }
}
