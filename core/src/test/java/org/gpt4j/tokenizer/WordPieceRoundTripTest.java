package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Properties of WordPiece on bert-base-uncased: decoding normalised text gives it back; any text encodes. */
class WordPieceRoundTripTest {

    static final WordPieceTokenizer UNCASED = load("bert-base-uncased");
    static final WordPieceTokenizer CHINESE = load("bert-base-chinese");

    private static WordPieceTokenizer load(String name) {
        try {
            return (WordPieceTokenizer) Tokenizers.load(WordPieceParityTest.vocabDir(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Text in BERT's normal form: lower-case ASCII words, punctuation marks and ideographs, one
     * space between each; what the normaliser and pre-tokeniser leave unchanged.
     */
    @Provide
    static Arbitrary<String> normalisedText() {
        Arbitrary<String> word = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofMinLength(1).ofMaxLength(14);
        Arbitrary<String> punctuation = Arbitraries.of(".", ",", "!", "?", "'", "\"", "(", ")", "-", "#", "$", "%", "&", "@", "[", "]", "~");
        Arbitrary<String> ideograph = Arbitraries.of("中", "国", "人", "大", "学", "生", "月", "光");
        Arbitrary<String> unit = Arbitraries.frequencyOf(Tuple.of(6, word), Tuple.of(3, punctuation), Tuple.of(1, ideograph));
        return unit.list().ofMaxSize(30).map(units -> String.join(" ", units));
    }

    @Property(tries = 500)
    void decodeUndoesEncodeOnNormalisedText(@ForAll("normalisedText") String text) {
        int[] ids = UNCASED.encode(text);
        assertThat(ids).doesNotContain(UNCASED.unknownId());
        assertThat(UNCASED.decode(ids)).isEqualTo(text);
    }

    @Provide
    static Arbitrary<String> anyText() {
        // Any UTF-16 unit, lone surrogates included, weighted toward ASCII, Latin, CJK and controls.
        Arbitrary<Character> c = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.chars().range(' ', '~')),
                Tuple.of(2, Arbitraries.chars().range('\u0000', '\u001f')),
                Tuple.of(2, Arbitraries.chars().range('\u00a0', '\u024f')),
                Tuple.of(2, Arbitraries.chars().range('\u4e00', '\u4fff')),
                Tuple.of(1, Arbitraries.chars().range('\u0300', '\u036f')),
                Tuple.of(1, Arbitraries.chars().all()));
        return c.list().ofMaxSize(60).map(l -> {
            StringBuilder sb = new StringBuilder();
            l.forEach(sb::append);
            return sb.toString();
        });
    }

    @Property(tries = 1000)
    void anyTextEncodesToVocabularyIdsAndReEncodesToTheSameIds(@ForAll("anyText") String text) {
        for (WordPieceTokenizer tok : new WordPieceTokenizer[] {UNCASED, CHINESE}) {
            int[] ids = tok.encode(text);
            assertThat(Arrays.stream(ids).allMatch(id -> id >= 0 && id < tok.vocabSize())).isTrue();
            if (Arrays.stream(ids).noneMatch(id -> id == tok.unknownId())) {
                // The decoded text is already normal: encoding it again changes nothing.
                assertThat(tok.encode(tok.decode(ids))).as(text).containsExactly(ids);
            }
        }
    }

    @Property(tries = 300)
    void streamingDecodingEqualsWholeDecoding(@ForAll("anyText") String text) {
        int[] ids = UNCASED.encodePair(text, null).ids();
        IncrementalDecoder decoder = UNCASED.newIncrementalDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            streamed.append(decoder.accept(id));
        }
        streamed.append(decoder.finish());
        assertThat(streamed.toString()).isEqualTo(UNCASED.decode(ids));
    }

    @Property(tries = 300)
    void specialTokensInTextAreTheirIdsOnlyWhenAsked(@ForAll("normalisedText") String a, @ForAll("normalisedText") String b) {
        String text = a + " [MASK] " + b;
        int[] plain = UNCASED.encode(text);
        int[] special = UNCASED.encodeWithSpecialTokens(text);
        assertThat(plain).doesNotContain(UNCASED.maskId());
        int[] expected = concat(UNCASED.encode(a), new int[] {UNCASED.maskId()}, UNCASED.encode(b));
        assertThat(special).containsExactly(expected);
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }
}
