package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelFormatException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken tokenizer files, invalid text and bad ids fail with one line naming the file and the problem. */
class BadInputTest {

    @TempDir
    Path dir;

    /** A valid little vocabulary: the 256 bytes, "ab", "abc" and <|endoftext|>. */
    String vocab;

    @BeforeEach
    void validVocabulary() {
        StringBuilder sb = new StringBuilder("{");
        int id = 0;
        for (char c = 0; c < 0x144; c++) {
            if (ByteLevel.byteOf(c) >= 0) {
                sb.append(json(String.valueOf(c))).append(": ").append(id++).append(", ");
            }
        }
        sb.append("\"ab\": 256, \"abc\": 257, \"<|endoftext|>\": 258}");
        vocab = sb.toString();
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    void write(String vocabJson, String merges) throws Exception {
        Files.writeString(dir.resolve("vocab.json"), vocabJson);
        if (merges != null) {
            Files.writeString(dir.resolve("merges.txt"), merges);
        }
    }

    @Test
    void theValidVocabularyLoads() throws Exception {
        write(vocab, "#version: 0.2\na b\nab c\n");
        Tokenizer t = Tokenizers.load(dir);
        assertThat(t.encode("abc ab")).containsExactly(257, 220, 256);
    }

    @Test
    void missingMergesFile() throws Exception {
        write(vocab, null);
        assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("vocab.json").hasMessageContaining("has no merges.txt");
    }

    @Test
    void vocabularyThatIsNotJson() throws Exception {
        write("{\"a\": 0,", "");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("vocab.json: is not valid JSON");
    }

    @Test
    void duplicateToken() throws Exception {
        write(vocab.replace("\"ab\": 256", "\"ab\": 256, \"ab\": 256"), "");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("token 'ab' appears twice");
    }

    @Test
    void twoTokensWithOneId() throws Exception {
        write(vocab.replace("\"abc\": 257", "\"abc\": 256").replace("\"<|endoftext|>\": 258", "\"<|endoftext|>\": 257"), "");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("tokens 'ab' and 'abc' both have id 256");
    }

    @Test
    void idOutOfRange() throws Exception {
        write(vocab.replace("\"abc\": 257", "\"abc\": 9999"), "");
        assertThatThrownBy(() -> Tokenizers.load(dir))
                .hasMessageContaining("token 'abc' has id 9999, outside 0..258");
    }

    @Test
    void idThatIsNotAnInteger() throws Exception {
        write(vocab.replace("\"abc\": 257", "\"abc\": \"x\""), "");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("token 'abc' must map to an integer id");
    }

    @Test
    void tokenOutsideTheByteAlphabet() throws Exception {
        write(vocab.replace("\"abc\": 257", "\"a c\": 257"), "");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("outside GPT-2's byte alphabet (U+0020 at position 1)");
    }

    @Test
    void mergeLineWithoutTwoTokens() throws Exception {
        write(vocab, "#version: 0.2\na b\nabc\n");
        assertThatThrownBy(() -> Tokenizers.load(dir))
                .hasMessageContaining("merges.txt: line 3 is 'abc', expected two tokens separated by one space");
    }

    @Test
    void mergeOfUnknownToken() throws Exception {
        write(vocab, "#version: 0.2\na b\nab zz\n");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("line 3: 'zz' is not a token of vocab.json");
    }

    @Test
    void mergeWhoseResultIsMissing() throws Exception {
        write(vocab, "#version: 0.2\nb c\n");
        assertThatThrownBy(() -> Tokenizers.load(dir))
                .hasMessageContaining("line 2: merging 'b' and 'c' makes 'bc', which is not a token of vocab.json");
    }

    @Test
    void repeatedMerge() throws Exception {
        write(vocab, "#version: 0.2\na b\nab c\na b\n");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("line 4 repeats the merge 'a b' of line 2");
    }

    @Test
    void mergesThatAreNotUtf8() throws Exception {
        write(vocab, null);
        Files.write(dir.resolve("merges.txt"), new byte[] {'a', ' ', 'b', '\n', (byte) 0xC3, 0x28});
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("not valid UTF-8 at byte offset 4");
    }

    @Test
    void tokenizerJsonWithoutMerges() throws Exception {
        var root = TokenizerFilesTest.gpt2TokenizerJson(true);
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("model")).remove("merges");
        Files.writeString(dir.resolve("tokenizer.json"), root.toString());
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("tokenizer.json: has no model.merges list");
    }

    @Test
    void tokenizerJsonOfAnotherKind() throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("model type 'WordPiece' is not supported");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"pre_tokenizer\": {\"type\": \"Metaspace\"}, \"model\": {\"type\": \"BPE\"}}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("pre_tokenizer is Metaspace, expected ByteLevel");
    }

    @Test
    void tokenizerJsonWithDuplicateToken() throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"pre_tokenizer\": {\"type\": \"ByteLevel\"}, "
                + "\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"a\": 1}, \"merges\": []}}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("tokenizer.json: is not valid JSON (Duplicate field 'a')");
    }

    @Test
    void brokenCharVocabulary() throws Exception {
        Files.writeString(dir.resolve("char_vocab.json"), "{\"type\": \"char\", \"chars\": \"abca\"}");
        assertThatThrownBy(() -> Tokenizers.load(dir))
                .hasMessageContaining("char_vocab.json: character 'a' (U+0061) appears twice in the vocabulary");
        Files.writeString(dir.resolve("char_vocab.json"), "{\"type\": \"char\", \"chars\": \"abc\", \"unknown\": \"z\"}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("the unknown character 'z' (U+007A) is not in the vocabulary");
    }

    @Test
    void inputFileThatIsNotUtf8NamesTheByteOffset() throws Exception {
        Path file = dir.resolve("latin1.txt");
        Files.write(file, "caf\u00e9 ok".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Utf8.readFile(file))
                .hasMessage(file + ": not valid UTF-8 at byte offset 3 (bytes E9)");
        Files.write(file, new byte[] {'o', 'k', (byte) 0xE4, (byte) 0xB8});
        assertThatThrownBy(() -> Utf8.readFile(file)).hasMessageContaining("at byte offset 2");
    }

    @Test
    void decodingIdsOutsideTheVocabulary() {
        Tokenizer gpt2 = Tokenizers.gpt2();
        assertThatThrownBy(() -> gpt2.decode(new int[] {15496, 50257}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token id 50257 is outside the vocabulary (size 50257, ids 0..50256)");
        assertThatThrownBy(() -> gpt2.decode(new int[] {-1})).hasMessageContaining("token id -1");
        assertThatThrownBy(() -> gpt2.tokenText(60000)).hasMessageContaining("token id 60000");
        assertThatThrownBy(() -> gpt2.newIncrementalDecoder().accept(50257)).hasMessageContaining("token id 50257");
    }

    @Test
    void textWithAnUnpairedSurrogateIsRejected() {
        assertThatThrownBy(() -> Tokenizers.gpt2().encode("ok \ud800 no"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate U+D800 at index 3");
    }
}
