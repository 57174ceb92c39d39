package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learning a WordPiece vocabulary from text, as Hugging Face's WordPieceTrainer. */
class WordPieceTrainerTest {

    static final String CORPUS = TestTexts.read("shakespeare-head.txt");
    static final String HELD_OUT = TestTexts.read("shakespeare-middle.txt");

    @TempDir
    Path dir;

    static WordPieceTokenizer train(String text, int size) {
        WordPieceTrainer trainer = new WordPieceTrainer(WordPieceConfig.bert(true));
        trainer.addText(text);
        return trainer.train(size, null);
    }

    @Test
    void specialTokensComeFirstThenCharactersThenMerges() {
        WordPieceTokenizer tok = train("the cat sat on the mat, the end", 25);
        assertThat(tok.tokens().subList(0, 5)).containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
        // Every character, then the ## forms of the characters seen inside words.
        assertThat(tok.tokens().subList(5, 16)).containsExactly(",", "a", "c", "d", "e", "h", "m", "n", "o", "s", "t");
        // Then the most frequent pairs: t ##h (3 times), ##a ##t (3), th ##e (3).
        assertThat(tok.tokens().subList(22, 25)).containsExactly("th", "##at", "the");
        assertThat(tok.tokenize("the cat")).containsExactly("the", "c", "##at");
    }

    @Test
    void aTrainedVocabularySpellsItsCorpusWithoutUnknownsAndHeldOutTextWithFew() {
        WordPieceTokenizer tok = train(CORPUS, 500);
        assertThat(tok.vocabSize()).isEqualTo(500);
        assertThat(tok.encode(CORPUS)).doesNotContain(tok.unknownId());
        int[] held = tok.encode(HELD_OUT);
        long unknown = Arrays.stream(held).filter(id -> id == tok.unknownId()).count();
        // Only words with a character the 4 KB corpus never showed inside a word (as Hugging Face's trainer).
        assertThat(unknown).isLessThan(held.length / 50);
        // Common words become one token; rarer ones several pieces.
        assertThat(tok.tokenize("the citizen")).containsExactly("the", "citizen");
    }

    @Test
    void trainingIsDeterministicAndTheFilesLoadBackTheSameTokenizer() throws Exception {
        WordPieceTokenizer a = train(CORPUS, 600);
        WordPieceTokenizer b = train(CORPUS, 600);
        assertThat(a.tokens()).isEqualTo(b.tokens());
        Tokenizers.save(a, dir);
        WordPieceTokenizer back = (WordPieceTokenizer) Tokenizers.load(dir);
        assertThat(back.tokens()).isEqualTo(a.tokens());
        assertThat(back.encode(HELD_OUT)).containsExactly(a.encode(HELD_OUT));
        String normalised = String.join(" ", a.tokenize("first citizen : before we proceed any further , hear me speak .")
                .stream().toList());
        assertThat(a.decode(a.encode("First Citizen: Before we proceed any further, hear me speak.")))
                .isEqualTo("first citizen : before we proceed any further , hear me speak .")
                .isEqualTo(WordPieceTokenizer.joinTokens(java.util.List.of(normalised.split(" "))));
    }

    @Test
    void stopsWhenNoPairIsLeft() {
        WordPieceTokenizer tok = train("ab ab ab", 100);
        assertThat(train(CORPUS, 5000).vocabSize()).isLessThan(1000);
        // [PAD] [UNK] [CLS] [SEP] [MASK], a, b, ##b, then "ab": nothing more to merge.
        assertThat(tok.tokens()).containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "##b", "ab");
    }

    @Test
    void aVocabularyTooSmallForTheAlphabetIsRefused() {
        assertThatThrownBy(() -> train(CORPUS, 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no room").hasMessageContaining("ask for at least");
        assertThatThrownBy(() -> train(CORPUS, 70000)).hasMessageContaining("at most 65536");
    }
}
