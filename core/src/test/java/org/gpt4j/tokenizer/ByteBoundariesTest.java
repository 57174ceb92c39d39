package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.knuddels.jtokkit.api.Encoding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Encoding a piece part by part, split where no merge joins its bytes, gives exactly the ids of
 * encoding it whole: JTokkit (which never splits) is the oracle on the text where splits happen.
 */
class ByteBoundariesTest {

    static final Encoding JTOKKIT = Gpt2ParityTest.JTOKKIT;
    static final Tokenizer GPT2 = Gpt2ParityTest.GPT2;
    static final ByteBoundaries GPT2_BOUNDARIES = boundariesOf((BpeTokenizer) GPT2);

    static ByteBoundaries boundariesOf(BpeTokenizer t) {
        byte[][] tokenBytes = new byte[t.vocabSize()][];
        for (int id = 0; id < tokenBytes.length; id++) {
            tokenBytes[id] = t.tokenBytes(id);
        }
        int[] results = new int[t.mergeCount()];
        for (int r = 0; r < results.length; r++) {
            results[r] = t.merge(r)[2];
        }
        int[] everyByteHasAToken = new int[256];
        return new ByteBoundaries(tokenBytes, results, everyByteHasAToken);
    }

    static List<String> parts(String piece) {
        List<String> parts = new ArrayList<>();
        char[] s = piece.toCharArray();
        for (int i = 0; i < s.length; ) {
            int end = GPT2_BOUNDARIES.partEnd(s, i, s.length);
            assertThat(end).isGreaterThan(i);
            parts.add(piece.substring(i, end));
            i = end;
        }
        return parts;
    }

    static void assertSameIdsAsJTokkit(String text) {
        assertThat(GPT2.encode(text)).as(text).containsExactly(JTOKKIT.encodeOrdinary(text).toArray());
    }

    @Test
    void aRunOfChineseCharactersSplitsIntoCharacters() {
        assertThat(parts("秦川雄帝宅")).containsExactly("秦", "川", "雄", "帝", "宅");
        assertThat(parts("こんにちは")).hasSizeGreaterThan(1);
    }

    @Test
    void englishWordsAndNumbersStayWhole() {
        for (String piece : new String[] {"hello", " indentation", "12345", "'ll", " ==", "\n\n"}) {
            assertThat(parts(piece)).as(piece).containsExactly(piece);
        }
    }

    @Test
    void runsOfSpacesSplitIntoSpaces() {
        // GPT-2 has no token of two spaces, so indentation is one id per space, found without merging.
        assertThat(parts("    ")).containsExactly(" ", " ", " ", " ");
        assertSameIdsAsJTokkit("def f():\n        return 1\n" + " ".repeat(10_000) + "x");
    }

    @Test
    void bytesThatSomeTokenJoinsAreNotSplit() {
        // GPT-2 has tokens for "——", "……", the mojibake "ÃÂ" (C3 83 C3 82) and " Pokémon": non-ASCII
        // characters whose bytes some merge joins.
        for (String piece : new String[] {"——", "……", "ÃÂÃÂ", " Pokémon"}) {
            assertThat(parts(piece)).as(piece).containsExactly(piece);
        }
    }

    @Test
    void surrogatePairsStayWholeAndUnpairedSurrogatesStayWithTheirNeighbours() {
        for (String part : parts("😀👍🏽𝐀𝐁")) {
            assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).as(part).isFalse();
        }
        assertThat(parts("中\uD800文")).containsExactly("中\uD800文");
        assertThat(parts("\uDE00中文")).containsExactly("\uDE00中", "文");
    }

    @Test
    void anUnpairedSurrogateInARunOfCharactersIsRejectedWithItsIndex() {
        assertThatThrownBy(() -> GPT2.encode("秦川\uD800雄帝")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate U+D800 at index 2");
        assertThatThrownBy(() -> GPT2.encode("秦川雄帝宅\uDC00")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate U+DC00 at index 5");
        assertThatThrownBy(() -> GPT2.encode("\uDE00中文")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate U+DE00 at index 0");
    }

    @Test
    void splitTextMatchesJTokkitOnItsEdgeCases() {
        String[] cases = {
            "秦川雄帝宅，函谷壯皇居。", " 中文", "中文 中文  中文", "\u3000\u3000中", "中a中a 中1中", "é中", "中é",
            "こんにちは世界", "カタカナー", "안녕하세요 세계", "Привет мир", "مرحبا بالعالم", "नमस्ते दुनिया", "สวัสดีครับ",
            "😀".repeat(300), "👍🏽👍🏿", "👨\u200d👩\u200d👧", "🇩🇪🇫🇷", "𝐀𝐁𝐂𝟏𝟐", "中😀文", "——……████", "ÃÂÃÂÃÂ",
            "它's 中't 'll中", "中123 4567中", "١٢٣中", "中".repeat(20_000), "龍" + " ".repeat(5_000) + "鳳",
            "文字".repeat(40) + "x", "a".repeat(10_000) + "中", "中" + "\t".repeat(100) + "\n中", "e\u0301中\u0301",
        };
        for (String text : cases) {
            assertSameIdsAsJTokkit(text);
        }
    }

    @Property(tries = 400)
    void randomMultilingualTextMatchesJTokkit(@ForAll("multilingualText") String text) {
        assertSameIdsAsJTokkit(text);
    }

    /** Runs of characters from many scripts, long enough to pass the piece cache's and the small merge's limits. */
    @Provide
    static Arbitrary<String> multilingualText() {
        Arbitrary<Integer> cp = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x4E00, 0x9FFF)),   // CJK ideographs
                Tuple.of(2, Arbitraries.integers().between(0x3040, 0x30FF)),   // kana
                Tuple.of(1, Arbitraries.integers().between(0xAC00, 0xD7A3)),   // Hangul
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),      // two-byte scripts, marks
                Tuple.of(1, Arbitraries.integers().between(0x2000, 0x2BFF)),   // punctuation, symbols
                Tuple.of(1, Arbitraries.integers().between(0x1F300, 0x1FAFF)), // emoji
                Tuple.of(1, Arbitraries.of((int) ' ', (int) '\'', (int) 's', (int) '1', (int) '\n', 0x3000, 0xFF0C)));
        return cp.list().ofMaxSize(120).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    /**
     * A byte without a base token becomes the unknown token, whose merges say nothing about the
     * byte: such a byte is never split from its neighbours. Here "é" (C3 A9) lacks tokens and the
     * rule ("<unk>", "a") joins its second unknown token with the "a" after it.
     */
    @Test
    void aByteWithoutABaseTokenIsNeverSplitFromItsNeighbours() {
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            if (b != 0xC3 && b != 0xA9) {
                tokens.add(new byte[] {(byte) b});
            }
        }
        int unknown = tokens.size();
        tokens.add("<unk>".getBytes(StandardCharsets.UTF_8));
        int unknownA = tokens.size();
        tokens.add("<unk>a".getBytes(StandardCharsets.UTF_8));
        int a = 'a' - (('a' > 0xA9 ? 1 : 0) + ('a' > 0xC3 ? 1 : 0));
        BpeTokenizer t = new BpeTokenizer(tokens.toArray(byte[][]::new),
                new int[][] {{unknown, a, unknownA}}, Map.of(), unknown);
        assertThat(Arrays.stream(t.encode("éa")).boxed().toList()).containsExactly(unknown, unknownA);
    }
}
