package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Decoding undoes encoding, and streaming decoding equals whole decoding, for any input. */
class RoundTripTest {

    static final Tokenizer GPT2 = Tokenizers.gpt2();
    static final CharTokenizer CHARS = CharTokenizer.fromTextWithUnknown("abc");

    @Provide
    static Arbitrary<String> unicodeText() {
        // Any code point except surrogates (not Unicode scalar values, so not encodable as UTF-8).
        Arbitrary<Integer> cp = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 0x7F)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0x10FFFF)));
        return cp.list().ofMaxSize(40).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    @Property(tries = 1000)
    void gpt2DecodeUndoesEncode(@ForAll("unicodeText") String text) {
        assertThat(GPT2.decode(GPT2.encode(text))).isEqualTo(text);
    }

    @Property(tries = 1000)
    void incrementalDecodingOfEncodedTextEmitsEachCharacterWholeAndOnce(@ForAll("unicodeText") String text) {
        int[] ids = GPT2.encode(text);
        IncrementalDecoder decoder = GPT2.newIncrementalDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String piece = decoder.accept(id);
            // Never half a character: every emitted piece is valid text on its own.
            assertThat(piece.codePoints().noneMatch(c -> c == 0xFFFD && !text.contains("\uFFFD"))).isTrue();
            streamed.append(piece);
            assertThat(text).startsWith(streamed);
        }
        streamed.append(decoder.finish());
        assertThat(streamed.toString()).isEqualTo(text);
    }

    /** Any id: GPT-2's single-byte tokens of non-ASCII bytes half the time, which break UTF-8 often. */
    @Provide
    static Arbitrary<int[]> anyIds() {
        Arbitrary<Integer> id = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 50256),
                Arbitraries.integers().between(0x80, 0xFF).map(RoundTripTest::byteTokenOf));
        return id.list().ofMaxSize(24).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    /** For any ids at all (broken UTF-8 included), streaming equals decode. */
    @Property(tries = 1000)
    void incrementalEqualsWholeDecodingForArbitraryIds(@ForAll("anyIds") int[] ids) {
        String whole = GPT2.decode(ids);
        IncrementalDecoder decoder = GPT2.newIncrementalDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            streamed.append(decoder.accept(id));
        }
        streamed.append(decoder.finish());
        assertThat(streamed.toString()).isEqualTo(whole);
    }

    static int byteTokenOf(int b) {
        // GPT-2's first 256 ids are the bytes in the order of their vocab.json characters.
        int id = 0;
        for (int c = 0; c < ByteLevel.charOf(b); c++) {
            if (ByteLevel.byteOf((char) c) >= 0) {
                id++;
            }
        }
        assertThat(GPT2.tokenBytes(id)).containsExactly((byte) b);
        return id;
    }

    @Property(tries = 300)
    void charTokenizerDecodeUndoesEncodeWithinItsVocabulary(@ForAll("unicodeText") String text) {
        CharTokenizer chars = CharTokenizer.fromText(text.isEmpty() ? "x" : text);
        assertThat(chars.decode(chars.encode(text))).isEqualTo(text);
    }

    @Property(tries = 300)
    void charTokenizerWithUnknownMapsForeignCharactersToReplacement(@ForAll("unicodeText") String text) {
        String decoded = CHARS.decode(CHARS.encode(text));
        assertThat(decoded.codePointCount(0, decoded.length())).isEqualTo(text.codePointCount(0, text.length()));
        assertThat(decoded.codePoints().allMatch(c -> c == 'a' || c == 'b' || c == 'c' || c == 0xFFFD)).isTrue();
    }
}
