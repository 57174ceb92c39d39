package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WordPiece's rules on a toy vocabulary, and vocab.txt directories wherever a tokenizer directory is read. */
class WordPieceTokenizerTest {

    static final List<String> TOY = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "un", "##aff", "##able", "unaff", "a", "##a", "run", "##ning", ",", ".", "[", "]", "mask", "中", "国", "cafe", "##s");

    static WordPieceTokenizer toy(boolean lowercase) {
        return new WordPieceTokenizer(TOY, WordPieceConfig.bert(lowercase));
    }

    @TempDir
    Path dir;

    @Test
    void spellsEachWordGreedilyLongestMatchFirst() {
        // "unaff" is longer than "un", so it wins; then "##able" for the rest.
        assertThat(toy(true).tokenize("unaffable Running, runnings.")).containsExactly(
                "unaff", "##able", "run", "##ning", ",", "run", "##ning", "##s", ".");
    }

    @Test
    void aWordTheVocabularyCannotSpellIsOneUnknownToken() {
        // "unaffx": un + ##aff would fit, but nothing spells "x", so the whole word is [UNK].
        assertThat(toy(true).tokenize("unaffx run")).containsExactly("[UNK]", "run");
    }

    @Test
    void wordsLongerThanTheLimitAreUnknownWhole() {
        WordPieceTokenizer tok = toy(true);
        assertThat(tok.tokenize("a".repeat(100))).hasSize(100).doesNotContain("[UNK]");
        assertThat(tok.tokenize("a".repeat(101))).containsExactly("[UNK]");
    }

    @Test
    void lowerCasesStripsAccentsAndSpacesOutIdeographs() {
        assertThat(toy(true).tokenize("CAFÉS中国")).containsExactly("cafe", "##s", "中", "国");
        // Cased: no lower-casing and, by default, no accent stripping.
        assertThat(toy(false).tokenize("CAFÉS café")).containsExactly("[UNK]", "[UNK]");
    }

    @Test
    void specialTokenTextIsOrdinaryTextUnlessAsked() {
        WordPieceTokenizer tok = toy(true);
        assertThat(tok.tokenize("[MASK]")).containsExactly("[", "mask", "]");
        assertThat(tok.encodeWithSpecialTokens("run [MASK].")).containsExactly(11, 4, 14);
        assertThat(tok.specialTokens()).containsOnlyKeys("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    }

    @Test
    void pairsAreClsASepBSepWithTokenTypes() {
        WordPieceTokenizer tok = toy(true);
        BertEncoding one = tok.encodePair("run", null);
        assertThat(one.ids()).containsExactly(2, 11, 3);
        assertThat(one.tokenTypeIds()).containsExactly(0, 0, 0);
        BertEncoding two = tok.encodePair("run a", "un");
        assertThat(two.ids()).containsExactly(2, 11, 9, 3, 5, 3);
        assertThat(two.tokenTypeIds()).containsExactly(0, 0, 0, 0, 1, 1);
    }

    @Test
    void decodeJoinsTokensAndGluesContinuationPieces() {
        WordPieceTokenizer tok = toy(true);
        assertThat(tok.decode(tok.encodePair("Unaffable, running.", null).ids())).isEqualTo("[CLS] unaffable , running . [SEP]");
        assertThat(WordPieceTokenizer.joinTokens(List.of("##a", "b", "##c"))).isEqualTo("##a bc");
        assertThat(tok.decode(new int[0])).isEmpty();
        assertThatThrownBy(() -> tok.decode(new int[] {TOY.size()})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenBytesAreTheVocabularySpelling() {
        WordPieceTokenizer tok = toy(true);
        assertThat(new String(tok.tokenBytes(6), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("##aff");
        assertThat(tok.tokenText(18)).isEqualTo("中");
        // TokenPieces lines the tokens up by their own bytes: none of them cuts a character.
        assertThat(TokenPieces.of(tok, tok.encode("中国 unaffable"))).noneMatch(TokenPieces.Piece::isFragment);
    }

    @Test
    void aVocabTxtDirectoryLoadsWhereverATokenizerDirectoryIsRead() throws Exception {
        Files.write(dir.resolve("vocab.txt"), TOY);
        Tokenizer loaded = Tokenizers.load(dir);
        assertThat(Tokenizers.isPresent(dir)).isTrue();
        assertThat(loaded).isInstanceOf(WordPieceTokenizer.class);
        // Without tokenizer_config.json, lower-casing is on, as in BertTokenizer.
        assertThat(((WordPieceTokenizer) loaded).tokenize("RUN")).containsExactly("run");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false, \"model_max_length\": 512}");
        assertThat(((WordPieceTokenizer) Tokenizers.load(dir)).tokenize("RUN run")).containsExactly("[UNK]", "run");
    }

    @Test
    void saveWritesVocabTxtAndConfigThatLoadBackTheSame() throws Exception {
        WordPieceTokenizer cased = new WordPieceTokenizer(TOY, new WordPieceConfig(false, true, true,
                "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", 50));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 512}");
        Tokenizers.save(cased, dir);
        WordPieceTokenizer back = (WordPieceTokenizer) Tokenizers.load(dir);
        assertThat(back.tokens()).isEqualTo(TOY);
        assertThat(back.config()).isEqualTo(cased.config());
        assertThat(Files.readString(dir.resolve("tokenizer_config.json"))).contains("\"model_max_length\" : 512");
        // A byte-level BPE saved here would be shadowed by vocab.txt on the next load: refused.
        assertThatThrownBy(() -> Tokenizers.save(Tokenizers.gpt2(), dir)).hasMessageContaining("vocab.txt");
    }

    @Test
    void addedTokensOverWordPieceDecodeAsWords() throws Exception {
        AddedTokens added = AddedTokens.of(toy(true), List.of("<extra>"));
        int extra = TOY.size();
        assertThat(added.decode(new int[] {11, 12, extra, 9})).isEqualTo("running <extra> a");
        Tokenizers.save(added, dir);
        assertThat(Tokenizers.load(dir).decode(new int[] {11, extra})).isEqualTo("run <extra>");
    }

    @Test
    void theRealVocabulariesLoadFromTheirDirectories() throws Exception {
        WordPieceTokenizer uncased = (WordPieceTokenizer) Tokenizers.load(WordPieceParityTest.vocabDir("bert-base-uncased"));
        assertThat(uncased.vocabSize()).isEqualTo(30522);
        assertThat(new int[] {uncased.padId(), uncased.unknownId(), uncased.clsId(), uncased.sepId(), uncased.maskId()})
                .containsExactly(0, 100, 101, 102, 103);
        assertThat(uncased.tokenize("The man went to the store.")).containsExactly("the", "man", "went", "to", "the", "store", ".");
        WordPieceTokenizer chinese = (WordPieceTokenizer) Tokenizers.load(WordPieceParityTest.vocabDir("bert-base-chinese"));
        assertThat(chinese.vocabSize()).isEqualTo(21128);
        assertThat(chinese.tokenize("床前明月光")).containsExactly("床", "前", "明", "月", "光");
    }
}
