package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpt4j.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens added after a vocabulary: ids, encoding, decoding, and added_tokens.json beside the tokenizer files. */
class AddedTokensTest {

    @TempDir
    Path dir;

    private static final CharTokenizer BASE = CharTokenizer.fromText("ab<|>endx");

    @Test
    void addedTokensFollowTheVocabularyAndAreSpecial() {
        AddedTokens t = AddedTokens.of(BASE, List.of("<|end|>", "<|x|>"));
        assertThat(t.vocabSize()).isEqualTo(BASE.vocabSize() + 2);
        assertThat(t.added()).containsExactly(java.util.Map.entry("<|end|>", 9), java.util.Map.entry("<|x|>", 10));
        assertThat(t.encode("ab<|end|>")).as("ordinary text").containsExactly(BASE.encode("ab<|end|>"));
        assertThat(t.encodeWithSpecialTokens("ab<|end|>")).containsExactly(BASE.encode("ab")[0], BASE.encode("b")[0], 9);
        assertThat(t.decode(new int[] {BASE.encode("a")[0], 10, 9})).isEqualTo("a<|x|><|end|>");
        assertThat(t.tokenText(9)).isEqualTo("<|end|>");
        assertThatThrownBy(() -> t.tokenBytes(11)).hasMessageContaining("outside the vocabulary");
        AddedTokens more = AddedTokens.of(t, List.of("<|y|>"));
        assertThat(more.base()).isSameAs(BASE);
        assertThat(more.specialTokens()).containsEntry("<|x|>", 10).containsEntry("<|y|>", 11);
        assertThatThrownBy(() -> AddedTokens.of(BASE, List.of("<|a|>", "<|a|>"))).hasMessageContaining("added twice");
    }

    @Test
    void savedAndLoadedWithTheTokenizerOfAModelDirectory() throws IOException {
        AddedTokens t = AddedTokens.of(BASE, List.of("<|end|>"));
        Tokenizers.save(t, dir);
        assertThat(Files.readString(dir.resolve(AddedTokens.FILE))).contains("\"<|end|>\" : 9");
        Tokenizer back = Tokenizers.load(dir);
        assertThat(back).isInstanceOf(AddedTokens.class);
        assertThat(back.vocabSize()).isEqualTo(10);
        assertThat(back.specialTokens()).containsEntry("<|end|>", 9);
        // Saving a tokenizer without added tokens removes the stale file, so the load matches the save.
        Tokenizers.save(BASE, dir);
        assertThat(dir.resolve(AddedTokens.FILE)).doesNotExist();
        assertThat(Tokenizers.load(dir).vocabSize()).isEqualTo(BASE.vocabSize());
    }

    @Test
    void aBpeVocabularyGetsItsAddedTokensToo() throws IOException {
        BpeTokenizer bpe = BpeTrainerTest.train(270, "low lower lowest newer wider");
        Tokenizers.save(AddedTokens.of(bpe, List.of("<|user|>", "<|end|>")), dir);
        Tokenizer back = Tokenizers.load(dir);
        assertThat(back.vocabSize()).isEqualTo(bpe.vocabSize() + 2);
        assertThat(back.encodeWithSpecialTokens("low<|end|>")).endsWith(bpe.vocabSize() + 1);
        assertThat(back.encode("lower")).containsExactly(bpe.encode("lower"));
    }

    @Test
    void aBrokenAddedTokensFileIsOneClearError() throws IOException {
        Tokenizers.save(BASE, dir);
        Path file = dir.resolve(AddedTokens.FILE);
        Files.writeString(file, "{\"<|end|>\": 12}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("must have the ids 9..9");
        Files.writeString(file, "{\"<|end|>\": \"9\"}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("must map to an integer id");
        Files.writeString(file, "{\"<|a|>\": 9, \"<|b|>\": 9}");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("must have the ids 9..10");
        Files.writeString(file, "{\"<|a|>\": 9,");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("is not valid JSON");
        Files.writeString(file, "[]");
        assertThatThrownBy(() -> Tokenizers.load(dir)).hasMessageContaining("must hold a JSON object");
    }
}
