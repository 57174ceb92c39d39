package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** nanoGPT's shakespeare_char vocabulary: sorted distinct characters. */
class CharTokenizerTest {

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        CharTokenizer t = CharTokenizer.fromText("hello world");
        assertThat(t.vocabSize()).isEqualTo(8);
        assertThat(t.decode(new int[] {0, 1, 2, 3, 4, 5, 6, 7})).isEqualTo(" dehlorw");
        assertThat(t.encode("hello")).containsExactly(3, 2, 4, 4, 5);
    }

    @Test
    void tinyShakespeareHas65CharactersAsInNanoGpt() throws Exception {
        // The corpus ships in the repository (data/, public domain) as the quick start's sample.
        String text = Files.readString(Path.of("../data/tinyshakespeare/input.txt"));
        CharTokenizer t = CharTokenizer.fromText(text);
        assertThat(t.vocabSize()).isEqualTo(65);
        assertThat(t.decode(t.encode(text))).isEqualTo(text);
    }

    @Test
    void supplementaryCharactersAreOneTokenEach() {
        CharTokenizer t = CharTokenizer.fromText("a😀中");
        assertThat(t.encode("😀a😀")).containsExactly(2, 0, 2);
        assertThat(t.tokenText(2)).isEqualTo("😀");
        assertThat(t.tokenBytes(2)).hasSize(4);
    }

    @Test
    void unknownCharacterIsAClearErrorByDefault() {
        CharTokenizer t = CharTokenizer.fromText("abc");
        assertThatThrownBy(() -> t.encode("abz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("character 'z' (U+007A) at index 2 is not in the vocabulary of 3 characters");
    }

    @Test
    void unknownCharacterBecomesReplacementWhenAsked() {
        CharTokenizer t = CharTokenizer.fromTextWithUnknown("abc");
        assertThat(t.vocabSize()).isEqualTo(4);
        assertThat(t.decode(t.encode("abz"))).isEqualTo("ab\uFFFD");
    }

    @Test
    void decodingAnIdOutsideTheVocabularyNamesIdAndSize() {
        CharTokenizer t = CharTokenizer.fromText("abc");
        assertThatThrownBy(() -> t.decode(new int[] {0, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 3").hasMessageContaining("size 3");
    }
}
