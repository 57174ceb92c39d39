package org.gpt4j.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The hand-written scanner splits exactly as GPT-2's regular expression with Unicode classes. */
class Gpt2PreTokenizerTest {

    static final Pattern GPT2_REGEX = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    static List<String> byRegex(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = GPT2_REGEX.matcher(text);
        int expectedStart = 0;
        while (m.find()) {
            assertThat(m.start()).as("regex leaves no gaps").isEqualTo(expectedStart);
            pieces.add(m.group());
            expectedStart = m.end();
        }
        return pieces;
    }

    static List<String> byScanner(String text) {
        List<String> pieces = new ArrayList<>();
        char[] s = text.toCharArray();
        for (int i = 0; i < s.length; ) {
            int end = Gpt2PreTokenizer.pieceEnd(s, i, s.length);
            assertThat(end).isGreaterThan(i);
            pieces.add(text.substring(i, end));
            i = end;
        }
        return pieces;
    }

    @Test
    void splitsLikeTheRegexOnRealText() {
        for (String name : TestTexts.EXCERPTS) {
            String text = TestTexts.read(name);
            assertThat(byScanner(text)).as(name).isEqualTo(byRegex(text));
        }
    }

    @Test
    void splitsWhitespaceSoTheLastSpaceLeadsTheNextWord() {
        assertThat(byScanner("a   word\n\nend  ")).containsExactly("a", "  ", " word", "\n", "\n", "end", "  ");
        assertThat(byScanner("I'm here's 'S")).containsExactly("I", "'m", " here", "'s", " '", "S");
    }

    @Property(tries = 1000)
    void splitsLikeTheRegexOnAnyText(@ForAll("anyText") String text) {
        assertThat(byScanner(text)).isEqualTo(byRegex(text));
    }

    @Provide
    static Arbitrary<String> anyText() {
        // Every kind of UTF-16 unit, lone surrogates included, biased towards the interesting ones.
        Arbitrary<Character> interesting = Arbitraries.of(' ', ' ', '\t', '\n', '\u00a0', '\u2028', '\u0085', '\'',
                's', 'l', 'v', 'e', 'A', '7', '²', '.', '中', '\u0301', '\ud83d', '\ude00');
        Arbitrary<Character> any = Arbitraries.chars().all();
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, interesting), net.jqwik.api.Tuple.of(1, any))
                .list().ofMaxSize(30)
                .map(cs -> {
                    StringBuilder sb = new StringBuilder();
                    cs.forEach(sb::append);
                    return sb.toString();
                });
    }
}
