package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gpt4j.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken vocab.txt or tokenizer_config.json fails with one line naming the file and the problem. */
class WordPieceBadInputTest {

    @TempDir
    Path dir;

    private void vocab(String text) throws Exception {
        Files.writeString(dir.resolve("vocab.txt"), text);
    }

    private void fails(String... expected) {
        var thrown = assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(ModelFormatException.class);
        for (String e : expected) {
            thrown.hasMessageContaining(e);
        }
    }

    @Test
    void missingVocabTxtIsNoTokenizer() throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": true}");
        fails(dir.toString(), "holds no tokenizer", "vocab.txt");
        assertThatThrownBy(() -> WordPieceFiles.read(dir)).hasMessageContaining("vocab.txt").hasMessageContaining("not found");
    }

    @Test
    void emptyVocabTxt() throws Exception {
        vocab("");
        fails("vocab.txt", "is empty");
    }

    @Test
    void emptyLine() throws Exception {
        vocab("[PAD]\n[UNK]\n\nword\n");
        fails("vocab.txt", "line 3 is empty");
    }

    @Test
    void duplicateToken() throws Exception {
        vocab("[PAD]\n[UNK]\nword\n##s\nword\n");
        fails("vocab.txt", "line 5 repeats the token 'word' of line 3");
    }

    @Test
    void missingUnknownToken() throws Exception {
        vocab("[PAD]\n[CLS]\n[SEP]\nword\n");
        fails("vocab.txt", "no unknown token [UNK]");
    }

    @Test
    void unknownTokenNamedInTheConfigMustBeThere() throws Exception {
        vocab("[PAD]\n[UNK]\nword\n");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"unk_token\": {\"content\": \"<unk>\"}}");
        fails("vocab.txt", "no unknown token <unk>");
    }

    @Test
    void notUtf8() throws Exception {
        Files.write(dir.resolve("vocab.txt"), new byte[] {'[', 'U', 'N', 'K', ']', '\n', (byte) 0xC3, '\n'});
        fails("vocab.txt", "not valid UTF-8 at byte offset 6");
    }

    @Test
    void malformedConfig() throws Exception {
        vocab("[PAD]\n[UNK]\nword\n");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": ");
        fails("tokenizer_config.json", "not valid JSON");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": \"yes\"}");
        fails("tokenizer_config.json", "do_lower_case must be true or false");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"max_input_chars_per_word\": 0}");
        fails("tokenizer_config.json", "max_input_chars_per_word must be a positive integer");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"cls_token\": 7}");
        fails("tokenizer_config.json", "cls_token must be a non-empty string");
    }

    @Test
    void crlfLineEndsAreOneTokenALine() throws Exception {
        vocab("[PAD]\r\n[UNK]\r\nword\r\n");
        org.assertj.core.api.Assertions.assertThat(((WordPieceTokenizer) Tokenizers.load(dir)).tokenize("word"))
                .containsExactly("word");
    }

    @Test
    void aWordPieceTokenizerJsonWithoutVocabTxtSaysWhatToAdd() throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        fails("tokenizer.json", "model type 'WordPiece' is not supported", "put its vocab.txt beside it");
        vocab("[PAD]\n[UNK]\nword\n");
        org.assertj.core.api.Assertions.assertThat(Tokenizers.load(dir)).isInstanceOf(WordPieceTokenizer.class);
    }
}
